"""Real-world layouts no profile knows: exact metadata, headings, and no boilerplate in the body.

The pages are hand-written in tests/parsers/golden/layout-*/input.html after common publisher
templates (a Yoast-style @graph news site, a microdata blog, an OpenGraph-only page, table-less
div soup, a German news page); their full expected output is in the golden files too.
"""
from __future__ import annotations

import json

import pytest

from spiders.parsers import parse_article
from spiders.sample_site import build_site
from spiders.sample_site.pages import visible_date
from tests.parsers.golden import GOLDEN

CASES = {
    "layout-news-jsonld-graph": ("Council approves new cycle lanes after two-year row", "2024-03-12",
                                 ["Priya Shah", "Tom Becker"],
                                 ["What will change", "Why traders objected", "The compromise"],
                                 ["Advertisement", "Share on Facebook", "Photo: Courier", "morning briefing",
                                  "Related stories", "Bus gate plan", "long overdue", "Most read", "© 2024"]),
    "layout-blog-microdata": ("Sourdough at altitude", "2023-05-14", ["Ana Kowalski"],
                              ["Less yeast, more patience", "Hydration"],
                              ["Posted by", "Share this", "Thanks, this saved my loaf", "Archives", "Proudly"]),
    "layout-opengraph-only": ("Harbour seals return to the estuary", "2022-04-09", ["Mei Lin"], [],
                              ["Read more", "LinkedIn", "run by volunteers", "Tides"]),
    "layout-div-soup": ("Winter pruning for apple trees", "2021-03-03", ["Bob Smith"], [],
                        ["Posted on", "Tags:", "Other gardeners", "Copyright"]),
    "layout-german-news": ("Stadtwerke erhöhen Fernwärmepreise zum Januar", "2024-11-05", ["Jana Müller"],
                           ["Gründe für die Erhöhung", "Was Mieter tun können"],
                           ["Anzeige", "Mehr zum Thema", "Von Jana", "Impressum", "Lokales"]),
}


def parsed(case: str) -> dict:
    meta = json.loads((GOLDEN / case / "meta.json").read_text())
    return parse_article((GOLDEN / case / "input.html").read_bytes(), meta["url"]).to_dict()


@pytest.mark.parametrize("case", CASES)
def test_layout(case: str) -> None:
    title, day, authors, headings, banned = CASES[case]
    article = parsed(case)
    assert article["title"] == title
    assert (article["published"] or "")[:10] == day
    assert article["authors"] == authors
    assert [s["heading"] for s in article["sections"] if s["heading"]] == headings
    for text in banned:
        assert text not in article["body"], f"{text!r} leaked into the body of {case}"
    assert article["sources"]["body"] == "generic"


def test_german_page_language_and_category() -> None:
    article = parsed("layout-german-news")
    assert (article["language"], article["category"]) == ("de", "Wirtschaft")


def seed_in_unfamiliar_markup() -> str:
    """The seed article in markup no profile matches: other class names, no JSON-LD, no OpenGraph."""
    site = build_site()
    seed = site.seed_article
    body = []
    for block in seed["blocks"]:
        if "ad" in block:
            body.append('<div class="dfp-unit"><small>ADVERTISEMENT</small></div>')
        elif "h2" in block:
            body.append(f"<h3>{block['h2']}</h3>")
        else:
            body.append(f"<p>{block['p']}</p>")
    cards = "".join(
        f'<div class="card"><a href="/stories/{i}"><span class="tag">{item["category"]}</span>'
        f'<p class="excerpt">{item["summary"]}</p></a><span>-</span>'
        f'<span class="when">{visible_date(__import__("datetime").date.fromisoformat(item["published"]))}</span></div>'
        for i, item in enumerate(seed["related"]))
    return (f"<html><head><title>{seed['title']} - TV Weekly</title></head><body>"
            '<div class="topnav"><a href="/">Home</a> <a href="/tv/">TV</a></div>'
            f'<div class="story-wrap"><h1>{seed["title"]}</h1><div class="intro">{seed["standfirst"]}</div>'
            f'<div class="info">Published {visible_date(__import__("datetime").date(2025, 7, 29))}</div>'
            '<div class="sharing"><a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a> '
            '<a href="https://x.com/intent/tweet?url=x">X</a> <a href="https://www.reddit.com/submit?url=x">Reddit</a> '
            '<a href="https://pinterest.com/pin/create/button/?url=x">Pinterest</a> <a href="mailto:?body=x">Email</a></div>'
            f'<div class="story-body">{"".join(body)}</div></div>'
            f'<div class="more-coverage"><h4>Related Articles</h4>{cards}</div>'
            '<div class="bottom">© TV Weekly</div></body></html>')


def test_seed_in_unfamiliar_markup() -> None:
    seed = build_site().seed_article
    article = parse_article(seed_in_unfamiliar_markup(), "https://tvweekly.example/reviews/soundtracks/").to_dict()
    assert article["title"] == seed["title"]
    assert article["published"] == "2025-07-29"
    assert [s["heading"] for s in article["sections"] if s["heading"]] == [b["h2"] for b in seed["blocks"] if "h2" in b]
    assert [(r["category"], r["summary"], r["published"]) for r in article["related"]] == \
        [(r["category"], r["summary"], r["published"]) for r in seed["related"]]
    assert article["body"].split("\n\n") == [b.get("p") or b.get("h2") for b in seed["blocks"] if "ad" not in b]
    assert article["sources"]["body"] == "generic"


def test_link_roles_on_an_unknown_layout() -> None:
    links = {(l["text"], l["kind"]) for l in parsed("layout-news-jsonld-graph")["links"]}
    assert {("Share on Facebook", "share"), ("Tweet", "share"), ("Sport", "navigation"),
            ("Bus gate plan paused", "related"), ("About us", "footer"), ("Priya Shah", "other")} <= links
    body_links = [l for l in parsed("layout-opengraph-only")["links"] if l["kind"] == "body"]
    assert [l["text"] for l in body_links] == ["How dredging changed the estuary"]
