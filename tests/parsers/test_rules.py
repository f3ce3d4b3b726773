"""Tables of inputs and outputs for the parser's rules: dates, URLs, titles, authors, encoding."""
from __future__ import annotations

import datetime as dt

import pytest

from spiders.parsers import canonicalize_url, parse_article
from spiders.parsers.dates import PUBLISHED_LABEL, UPDATED_LABEL, labelled_date, parse_machine_date, parse_text_date
from spiders.parsers.encoding import decode_html
from spiders.parsers.published import in_page_zone, url_day
from spiders.parsers.metadata import Metadata, split_authors
from spiders.parsers.titles import site_names, strip_site


@pytest.mark.parametrize("text, day", [
    ("Published July 29, 2025", "2025-07-29"), ("August 06, 2025", "2025-08-06"),
    ("3 Sept 2024", "2024-09-03"), ("Sep. 3, 2024", "2024-09-03"), ("on 2023-11-02 at noon", "2023-11-02"),
    ("February 30, 2024", None), ("no date here", None), ("", None)])
def test_text_dates(text: str, day: str | None) -> None:
    assert parse_text_date(text) == day


@pytest.mark.parametrize("value, iso", [
    ("2025-07-29", "2025-07-29"), ("2025-07-29T08:00:00Z", "2025-07-29T08:00:00+00:00"),
    ("2019-03-01T10:22:33.123456789+0100", "2019-03-01T10:22:33.123456+01:00"),
    ("2019-03-01 10:22", "2019-03-01T10:22:00"), ("July 4, 2021", "2021-07-04"), ("soon", None), (None, None)])
def test_machine_dates(value: str | None, iso: str | None) -> None:
    assert parse_machine_date(value) == iso


def test_updated_is_never_the_publication_date() -> None:
    line = "Published July 29, 2025 · Updated August 02, 2025"
    assert labelled_date(line, PUBLISHED_LABEL) == "2025-07-29"
    assert labelled_date(line, UPDATED_LABEL) == "2025-08-02"
    assert labelled_date("Updated 3 hours ago", PUBLISHED_LABEL) is None
    assert labelled_date("Updated August 02, 2025", PUBLISHED_LABEL) is None


@pytest.mark.parametrize("url, canonical", [
    ("HTTP://Example.COM:80/a/b/?utm_source=x&b=2&a=1#frag", "http://example.com/a/b/?a=1&b=2"),
    ("https://ex.com:443/a?fbclid=1&gclid=2", "https://ex.com/a"),
    ("https://ex.com:8443/a#top", "https://ex.com:8443/a"),
    ("http://127.0.0.1:8000/x/", "http://127.0.0.1:8000/x/"),
    ("mailto:a@b.c", "mailto:a@b.c")])
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical
    assert canonicalize_url(canonical) == canonical


@pytest.mark.parametrize("title, site, host, bare", [
    ("Headline | The Site", "The Site", None, "Headline"),
    ("Headline - Part 2 - The Site", "The Site", None, "Headline - Part 2"),
    ("Headline: a story", "The Site", None, "Headline: a story"), ("Only", None, None, "Only"),
    ("The Site » Headline", "The Site", None, "Headline"),
    ("Tanz in der Lokremise: Mit allen Wassern gewaschen | St.Galler Tagblatt", None, "www.tagblatt.ch",
     "Tanz in der Lokremise: Mit allen Wassern gewaschen"),
    ("CDPATH replacements - anarcat", None, "anarc.at", "CDPATH replacements")])
def test_site_name_is_stripped(title: str, site: str | None, host: str | None, bare: str) -> None:
    md = Metadata(meta={"og:site_name": [site]} if site else {})
    assert strip_site(title, site_names(md, host)) == bare


@pytest.mark.parametrize("byline, names", [
    ("By Ann Lee and Bo Chen, Staff Writers", ["Ann Lee", "Bo Chen"]),
    ("by Jane Doe", ["Jane Doe"]), ("Von Max Muster und Erika Muster", ["Max Muster", "Erika Muster"])])
def test_authors(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


def test_encoding_follows_header_then_meta() -> None:
    text = "<html><head><meta charset='windows-1252'></head><body><p>Café “quoted”</p></body></html>"
    assert "Café “quoted”" in decode_html(text.encode("cp1252"))
    assert "Café" in decode_html("<p>Café</p>".encode("cp1252"), "text/html; charset=windows-1252")
    assert decode_html("<p>Zażółć</p>".encode("utf-8")) == "<p>Zażółć</p>"


def test_jsonld_graph_and_author_lists() -> None:
    html = """<html lang="de"><head><script type="application/ld+json">
    {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Zeitung"},
     {"@type":["NewsArticle"],"headline":"Die Schlagzeile","datePublished":"2024-03-01T09:00:00+01:00",
      "author":[{"@type":"Person","name":"Anna Schmidt"},{"@type":"Person","name":"Jonas Weber"}],
      "keywords":"Politik, Berlin"}]}</script><title>Die Schlagzeile | Zeitung</title></head>
    <body><article><h1>Die Schlagzeile</h1><p>Erster Absatz mit genug Text, um gezählt zu werden.</p>
    </article></body></html>"""
    article = parse_article(html, "https://zeitung.example/a")
    assert article.title == "Die Schlagzeile"
    assert article.published == "2024-03-01T09:00:00+01:00"
    assert article.authors == ["Anna Schmidt", "Jonas Weber"]
    assert article.tags == ["Politik", "Berlin"]
    assert article.language == "de"


@pytest.mark.parametrize("url, day", [
    ("https://x.example/2020/04/13/story/", "2020-04-13"), ("https://x.example/2017/7/12/unter-uns", "2017-07-12"),
    ("https://x.example/blog/2020-04-13-title", "2020-04-13"), ("http://x.example/local/2020-02/19/c_11.htm", "2020-02-19"),
    ("https://x.example/news/20200413/suspect", "2020-04-13"), ("https://x.example/2023/10/3-fragen-an/", None),
    ("https://web.archive.org/web/20160218174457/http://x.example/", None), ("https://x.example/2021/02/30/", None),
    ("https://x.example/p/12345678/", None)])
def test_url_dates(url: str, day: str | None) -> None:
    assert url_day(url) == day


def test_utc_timestamps_move_to_the_pages_own_zone() -> None:
    offset = dt.timedelta(hours=-7)
    assert in_page_zone("2020-04-14T04:00:00+00:00", offset) == "2020-04-13T21:00:00-07:00"
    assert in_page_zone("2020-04-14T04:00:00Z", offset) == "2020-04-13T21:00:00-07:00"
    assert in_page_zone("2020-04-13T21:00:00-07:00", dt.timedelta(hours=2)) == "2020-04-13T21:00:00-07:00"
    assert in_page_zone("2020-04-14", offset) == "2020-04-14"
    assert in_page_zone("2020-04-14T04:00:00+00:00", None) == "2020-04-14T04:00:00+00:00"


def _dated_page(head: str, body: str = "") -> str:
    return (f"<html><head>{head}</head><body><article><h1>A headline of some length</h1>"
            f"<p>{'A paragraph of the article body with enough words to count. ' * 4}</p>{body}</article>"
            "<footer><p>© 2025 The Example Times</p></footer></body></html>")


def test_a_page_stamped_in_its_own_zone_keeps_its_day() -> None:
    page = _dated_page('<meta property="article:published_time" content="2020-04-13T21:00:00-07:00">')
    assert parse_article(page, "https://x.example/a").published == "2020-04-13T21:00:00-07:00"
    utc = _dated_page('<meta property="article:published_time" content="2020-04-14T04:00:00Z">'
                      '<meta property="article:modified_time" content="2020-04-14T09:30:00-07:00">')
    assert parse_article(utc, "https://x.example/a").published == "2020-04-13T21:00:00-07:00"


def test_no_date_after_the_capture_and_no_copyright_year() -> None:
    page = _dated_page('<meta property="article:published_time" content="2031-01-05T10:00:00+01:00">',
                       '<p>Posted on 3 March 2021 by the desk.</p>')
    assert parse_article(page, "https://x.example/a").published == "2031-01-05T10:00:00+01:00"
    captured = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
    assert parse_article(page, "https://x.example/a", captured_at=captured).published == "2021-03-03"
    assert parse_article(_dated_page(""), "https://x.example/a").published is None  # not 2025 from the ©


def test_webpage_jsonld_gives_its_date_and_the_url_breaks_a_tie() -> None:
    page = _dated_page('<script type="application/ld+json">{"@type": "WebPage", '
                       '"datePublished": "2022-01-27T10:00:00+01:00"}</script>')
    assert parse_article(page, "https://x.example/press/a").published == "2022-01-27T10:00:00+01:00"
    utc = _dated_page('<meta property="article:published_time" content="2023-11-09T01:49:09+00:00">')
    assert parse_article(utc, "https://x.example/2023/11/08/story/").published == "2023-11-08"


def test_a_declared_body_that_is_a_fragment_falls_back_to_the_voted_container() -> None:
    story = "".join(f"<p>Paragraph {i} of the real story, long enough to vote for its container.</p>"
                    for i in range(8))
    page = ("<html><body><div class='teaser'><div class='article-body'><p>Only the teaser line here.</p>"
            f"</div></div><div class='main'>{story}</div></body></html>")
    body = parse_article(page, "https://x.example/a").body
    assert body.startswith("Paragraph 0 of the real story") and body.count("Paragraph") == 8
    declared = page.replace("class='main'", "class='main article-body'")
    assert parse_article(declared, "https://x.example/a").body.count("Paragraph") == 8


@pytest.mark.parametrize("byline, names", [
    ("View all posts by Daniel Lemire", ["Daniel Lemire"]), ("Zeige alle Beiträge von Petra Ruland", ["Petra Ruland"])])
def test_author_archive_link_texts(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


def test_a_byline_element_names_the_author() -> None:
    page = _dated_page("", '<p class="post-meta"><span class="author-name">Ann Lee</span></p>')
    article = parse_article(page, "https://x.example/a")
    assert (article.authors, article.sources["authors"]) == (["Ann Lee"], "byline-element")


def test_furniture_lines_are_not_body_and_line_breaks_part_words() -> None:
    furniture = ["Reading time: 2 minutes", "3 Comments", "Like this:", "Caption",
                 "Reporting by Ann Lee; Editing by Bo Chen", "Keith Bradsher contributed reporting from Hong Kong.",
                 "Follow Newsbeat on Instagram and Twitter", "Filed under: Politics"]
    page = _dated_page("", "".join(f"<p>{line}</p>" for line in furniture) + "<p>The last line of the<br>story.</p>")
    body = parse_article(page, "https://x.example/a").body
    assert not any(line in body for line in furniture)
    assert body.endswith("The last line of the story.")


@pytest.mark.parametrize("heading, title", [
    ('<span class="kicker">Wurmkiste</span> Wurmkiste selber bauen', "Wurmkiste selber bauen"),
    ('Zuschauerrückkehr bei den Proficlubs <span>der Region</span><small>02.02.2022 • Presse</small>',
     "Zuschauerrückkehr bei den Proficlubs der Region"),
    ('Une candidature à la présidence du <span class="acronym">HCERES</span>',
     "Une candidature à la présidence du HCERES")])
def test_a_kicker_or_date_inside_the_heading_is_not_the_title(heading: str, title: str) -> None:
    page = f"<html><head><title>x</title></head><body><h1>{heading}</h1><p>Body text.</p></body></html>"
    assert parse_article(page, "https://x.example/a").title == title


def test_a_domain_name_behind_a_separator_is_the_sites_name() -> None:
    md = Metadata()
    assert strip_site("Was wir über uns nicht hören wollen | FASSETTE.NET", site_names(md, "other.example")) == \
        "Was wir über uns nicht hören wollen"
