"""The seed article in plain styled-div markup, the shape many small publishers serve.

No h1-h6 anywhere: the headline and the section headings are styled `<div>`s holding `<b>`,
the related list and a sidebar "Most read" widget are each introduced by a bold label, and the
page has no JSON-LD or OpenGraph. The seed must still come out whole: its exact title and date,
its four section headings, and its twenty related items (not the widget's three). The page is
saved as the golden case `seed-styled-divs`; `styled_div_page()` is how it was made.
"""
from __future__ import annotations

import datetime as dt
import html

import pytest

from spiders.sample_site import build_site
from spiders.sample_site.pages import visible_date
from tests.parsers.golden import GOLDEN, current_output, load_case

CASE = "seed-styled-divs"
MOST_READ = [("/tv/finale-recap/", "Finale recap: who survived the storm"),
             ("/tv/casting-news/", "Casting news for the new crime drama"),
             ("/tv/ratings-week/", "Ratings week: the quiet winners")]


def styled_div_page() -> str:
    seed = build_site().seed_article
    body = []
    for block in seed["blocks"]:
        if "ad" in block:
            body.append('<div class="slot-unit">ADVERTISEMENT</div>')
        elif "h2" in block:
            body.append(f'<div class="sub"><b>{html.escape(block["h2"])}</b></div>')
        else:
            body.append(f'<p>{html.escape(block["p"])}</p>')
    cards = "".join(
        f'<div class="card"><a href="/stories/{i}/"><span class="tag">{html.escape(item["category"])}</span>'
        f'<p class="excerpt">{html.escape(item["summary"])}</p></a>'
        f'<span class="when">{visible_date(dt.date.fromisoformat(item["published"]))}</span></div>'
        for i, item in enumerate(seed["related"]))
    most_read = "".join(f'<div class="row"><a href="{href}">{html.escape(text)}</a></div>' for href, text in MOST_READ)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(seed['title'])} | Screen Notes"
        "</title></head><body>"
        '<div class="top"><a href="/">Screen Notes</a> <a href="/tv/">TV</a> <a href="/film/">Film</a></div>'
        '<div class="wrap"><div class="col-main">'
        f'<div class="headline"><b>{html.escape(seed["title"])}</b></div>'
        f'<div class="lead">{html.escape(seed["standfirst"])}</div>'
        f'<div class="info">Published {visible_date(dt.date.fromisoformat(seed["published"]))}</div>'
        f'<div class="txt">{"".join(body)}</div>'
        f'<div class="more"><div class="label"><b>Related Articles</b></div>{cards}</div>'
        '</div><div class="col-side">'
        f'<div class="box"><div class="label"><b>Most read</b></div>{most_read}</div>'
        '</div></div><div class="bottom">© Screen Notes</div></body></html>')


@pytest.fixture(scope="module")
def article() -> dict:
    body, meta, _ = load_case(GOLDEN / CASE)
    return current_output(body, meta)


def test_saved_page_is_what_the_generator_makes() -> None:
    assert (GOLDEN / CASE / "input.html").read_text("utf-8") == styled_div_page()


def test_exact_title_and_date(article: dict) -> None:
    seed = build_site().seed_article
    assert article["title"] == seed["title"]
    assert article["published"] == "2025-07-29"


def test_four_headings_from_bold_divs(article: dict) -> None:
    seed = build_site().seed_article
    assert [s["heading"] for s in article["sections"] if s["heading"]] == \
        [b["h2"] for b in seed["blocks"] if "h2" in b]
    assert {s["level"] for s in article["sections"] if s["heading"]} == {2}
    assert article["body"].split("\n\n") == [b.get("p") or b.get("h2") for b in seed["blocks"] if "ad" not in b]


def test_twenty_related_items_and_not_the_most_read_widget(article: dict) -> None:
    seed = build_site().seed_article
    assert len(article["related"]) == 20
    assert [(r["category"], r["summary"], r["published"]) for r in article["related"]] == \
        [(r["category"], r["summary"], r["published"]) for r in seed["related"]]
    kinds = {link["text"]: link["kind"] for link in article["links"]}
    assert all(kinds[text] in ("navigation", "other") for _, text in MOST_READ)
    assert sum(1 for link in article["links"] if link["kind"] == "related") == 20
