"""Tables of inputs and outputs for the parser's rules: dates, URLs, titles, authors, encoding."""
from __future__ import annotations

import pytest

from spiders.parsers import canonicalize_url, parse_article
from spiders.parsers.dates import PUBLISHED_LABEL, UPDATED_LABEL, labelled_date, parse_machine_date, parse_text_date
from spiders.parsers.encoding import decode_html
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
