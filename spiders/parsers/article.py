"""`parse_article`: the one entry point from (html, url) to an Article.

It composes the modules by concern (encoding, metadata, regions, content, links) and is pure:
no Scrapy, no network, no clock, so the same bytes always give the same Article.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from lxml.html import HtmlElement

from spiders.parsers import metadata
from spiders.parsers import selectors as sel
from spiders.parsers.content import extract_sections
from spiders.parsers.dates import PUBLISHED_LABEL, labelled_date, parse_text_date
from spiders.parsers.encoding import decode_html
from spiders.parsers.links import absolute, extract_links, extract_related
from spiders.parsers.published import find_published
from spiders.parsers.profiles import Profile, find_profile
from spiders.parsers.records import Article
from spiders.parsers.regions import Named, Regions, find_regions, named_elements
from spiders.parsers.text import clean_text
from spiders.parsers.titles import choose_title
from spiders.parsers.urls import canonicalize_url

PARSER_VERSION = "2026.11.1"
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
MONTH_FIRST_LANGUAGES = ("en-us", "en")  # where 03/04/2022 is read as March 4 first


# lxml.html's own parser picks each element's Python class in a Python callback (forms, inputs,
# labels get their own); every element the parser touches paid for it. One class for all
# elements, chosen in C, keeps text_content() and drop_tree() and drops that cost (measured:
# bench/extraction.py).
_PARSER = lxml.html.HTMLParser()
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))


class PageParseError(ValueError):
    """The bytes are not an HTML document we can read; the message says why."""


def parse_document(text: str) -> HtmlElement:
    text = XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise PageParseError("the document is empty")
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (ParserError, ValueError) as error:
        raise PageParseError(f"lxml could not parse the document: {error}") from error


def _dateline(doc: HtmlElement, named: Named) -> str:
    """Text where a page shows its dates: date/byline elements, else the top of the page."""
    dated = {e for e, _ in named if e.tag not in ("html", "body", "main", "article")
             and sel.DATELINE_NAMES.search(f"{e.get('class', '')} {e.get('id', '')}")}
    parts = [clean_text(e.text_content()) for e in doc.iter() if e in dated or e.tag == "time"]
    parts = [p for p in parts if len(p) < 200]
    body = doc.find("body")
    return " · ".join(parts) or clean_text(" ".join(body.itertext()) if body is not None else "")[:3000]


def _canonical(doc: HtmlElement, base: str, url: str) -> str:
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = absolute(link.get("href"), base)
            if href:
                return canonicalize_url(href)
    return canonicalize_url(url)


def parse_article(html: bytes | str, url: str, content_type: str | None = None,
                  captured_at: dt.datetime | str | None = None) -> Article:
    """Parse one page. `content_type` is the HTTP header, when known, for its charset;
    `captured_at`, when known, is when the page was fetched: no date after it is the page's."""
    doc = parse_document(decode_html(html, content_type))
    base_element = doc.find(".//base[@href]")
    base = absolute(base_element.get("href"), url) if base_element is not None else url
    base = base or url
    md = metadata.gather(doc)  # JSON-LD is read first: it lives in <script>
    for element in doc.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()  # their text would otherwise leak into text_content()
    for br in doc.iter("br"):  # a line break separates words: "states<br>It" is two words, not one
        br.tail = "\n" + (br.tail or "")
    named = named_elements(doc)
    profile = find_profile(url, md.meta)
    regions = _profile_regions(doc, profile) if profile else None
    regions = regions or find_regions(doc, named)
    md.sources["body"] = f"profile:{profile.name}" if profile and regions.root is profile.first(doc, "body") \
        else "generic"
    title = _profile_text(md, profile, doc, "title") or choose_title(md, doc, urlsplit(url).hostname)
    description = metadata.description(md)
    dateline = _dateline(doc, named)
    standfirst = _profile_text(md, profile, doc, "standfirst") or next(
        (clean_text(e.text_content()) for e, text in named if sel.STANDFIRST_NAMES.search(text)), None)
    profile_line = _profile_text(md, profile, doc, "published") if profile else None
    profile_day = labelled_date(profile_line, PUBLISHED_LABEL) or parse_text_date(profile_line) \
        if profile_line else None
    if profile_day:
        md.sources["profile"] = f"profile:{profile.name}"  # type: ignore[union-attr]
    language = metadata.language(md, doc)
    published = find_published(md, doc, dateline, url, profile_day, regions.related, captured_at, title,
                               month_first=(language or "").lower() in MONTH_FIRST_LANGUAGES)
    md.sources.pop("profile", None)
    return Article(
        url=url, canonical_url=_canonical(doc, base, url), title=title, description=description,
        authors=metadata.authors(md, doc), category=metadata.category(md, doc),
        tags=metadata.tags(md), language=language,
        published=published, modified=metadata.modified(md, dateline),
        sections=extract_sections(regions, title, standfirst),
        links=extract_links(doc, base, regions), related=extract_related(regions, base),
        page_type=md.page_type, sources=md.sources)


def _profile_regions(doc: HtmlElement, profile: Profile) -> Regions | None:
    body = profile.first(doc, "body")
    if body is None:
        return None  # the layout changed: the generic path takes over
    return Regions(body, profile.all(doc, "related"))


def _profile_text(md: metadata.Metadata, profile: Profile | None, doc: HtmlElement, name: str) -> str | None:
    element = profile.first(doc, name) if profile else None
    text = clean_text(element.text_content()) if element is not None else None
    if text and name == "title":
        md.found("title", text, f"profile:{profile.name}")  # type: ignore[union-attr]
    return text or None
