"""Page metadata from the sources a page offers, in a fixed order of trust.

JSON-LD first (publishers fill it for search engines, so it is usually the most exact), then
OpenGraph / article:* meta, then other meta conventions (Dublin Core, parsely, sailthru,
itemprop), then what the page shows. Each field is a small fallback chain returning None
when nothing is found.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from lxml.html import HtmlElement

from spiders.parsers.dates import PUBLISHED_LABEL, UPDATED_LABEL, labelled_date, parse_machine_date
from spiders.parsers.text import clean_text

ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                 "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
                 "techarticle", "report", "liveblogposting", "socialmediaposting", "posting"}
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·:»]\s+")
BYLINE_PREFIX = re.compile(r"^\s*(by|von|par|por|di|door|av|przez|autor(?:ka)?:?)\s+", re.I)
AUTHOR_ROLE = re.compile(r",?\s*\b(staff writer|senior \w+|reporter|correspondent|editor|contributor"
                         r"|columnist|photographer)s?\b.*$", re.I)


@dataclass
class Metadata:
    """Raw metadata gathered once per page; field chains read from it."""

    jsonld: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)
    page_type: str | None = None

    def first(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, []):
                if value.strip():
                    return clean_text(value)
        return None


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                yield from _walk_jsonld(node[key])


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    return {str(t).lower() for t in (value if isinstance(value, list) else [value])}


def read_jsonld(doc: HtmlElement) -> dict[str, Any]:
    """The first article-typed JSON-LD object of the page, or {}; broken JSON is skipped."""
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        for node in _walk_jsonld(data):
            if _types(node) & ARTICLE_TYPES:
                return node
    return {}


def read_meta(doc: HtmlElement) -> dict[str, list[str]]:
    """All `<meta>` values keyed by lower-cased property/name/itemprop."""
    meta: dict[str, list[str]] = {}
    for element in doc.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        value = element.get("content")
        if key and value is not None:
            meta.setdefault(key.strip().lower(), []).append(value)
    return meta


def gather(doc: HtmlElement) -> Metadata:
    found = Metadata(read_jsonld(doc), read_meta(doc))
    og_type = found.first("og:type")
    found.page_type = "article" if found.jsonld or (og_type or "").startswith("article") else og_type
    return found


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, str) and value.strip():
        return [value]
    return []


def clean_author(name: str) -> str:
    name = AUTHOR_ROLE.sub("", BYLINE_PREFIX.sub("", clean_text(name)))
    return name.strip(" ,;")


def split_authors(text: str) -> list[str]:
    """'By Ann Lee and Bo Chen, Staff Writers' -> ['Ann Lee', 'Bo Chen']."""
    text = AUTHOR_ROLE.sub("", BYLINE_PREFIX.sub("", clean_text(text)))
    parts = re.split(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|\bi\b|&)\s*", text)
    return [p for p in (clean_author(p) for p in parts) if p]


def authors(md: Metadata, doc: HtmlElement) -> list[str]:
    names = _names(md.jsonld.get("author"))
    if not names:
        names = md.meta.get("author", []) or md.meta.get("article:author", []) \
            or md.meta.get("parsely-author", []) or md.meta.get("sailthru.author", []) \
            or md.meta.get("dc.creator", [])
        names = [n for n in names if not n.startswith("http")]
    if not names:
        names = [clean_text(a.text_content()) for a in doc.xpath('//a[@rel="author"]')]
    unique: list[str] = []
    for raw in names:
        for name in split_authors(raw):
            if name not in unique:
                unique.append(name)
    return unique


def strip_site_suffix(title: str, site_name: str | None) -> str:
    """'Headline | Site' -> 'Headline', only when the removed part names the site."""
    separators = list(TITLE_SEPARATORS.finditer(title))
    if separators and site_name:
        last = separators[-1]
        if clean_text(title[last.end():]).lower() == site_name.lower():
            return title[: last.start()]
    return title


def title(md: Metadata, doc: HtmlElement) -> str | None:
    headline = md.jsonld.get("headline") or md.jsonld.get("name")
    if isinstance(headline, str) and headline.strip():
        return clean_text(headline)
    h1s = [clean_text(h.text_content()) for h in doc.iter("h1")]
    h1s = [h for h in h1s if h]
    site_name = md.first("og:site_name", "application-name")
    og_title = md.first("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title")
    page_title = clean_text(doc.findtext(".//title") or "") or None
    for candidate in (og_title, page_title):
        if candidate and candidate in h1s:
            return candidate
    if len(h1s) == 1:
        return h1s[0]
    for candidate in (og_title, page_title):
        if candidate:
            return strip_site_suffix(candidate, site_name)
    return h1s[0] if h1s else None


def description(md: Metadata) -> str | None:
    value = md.jsonld.get("description")
    if isinstance(value, str) and value.strip():
        return clean_text(value)
    return md.first("og:description", "description", "twitter:description", "dc.description")


def published(md: Metadata, doc: HtmlElement, dateline: str) -> str | None:
    for value in (md.jsonld.get("datePublished"), md.jsonld.get("dateCreated"),
                  md.first("article:published_time", "datepublished", "parsely-pub-date",
                           "sailthru.date", "dc.date.issued", "dc.date", "date", "pubdate",
                           "publish-date", "og:published_time")):
        if isinstance(value, str) and (day := parse_machine_date(value)):
            return day
    for time in doc.xpath("//time[@datetime][@pubdate or @itemprop='datePublished' "
                          "or contains(@class, 'publish')]"):
        if day := parse_machine_date(time.get("datetime")):
            return day
    return labelled_date(dateline, PUBLISHED_LABEL)


def modified(md: Metadata, dateline: str) -> str | None:
    for value in (md.jsonld.get("dateModified"),
                  md.first("article:modified_time", "og:updated_time", "datemodified",
                           "dc.date.modified", "last-modified")):
        if isinstance(value, str) and (day := parse_machine_date(value)):
            return day
    return labelled_date(dateline, UPDATED_LABEL)


def category(md: Metadata, doc: HtmlElement) -> str | None:
    section = md.jsonld.get("articleSection")
    if isinstance(section, list):
        section = section[0] if section else None
    if isinstance(section, str) and section.strip():
        return clean_text(section)
    found = md.first("article:section", "parsely-section", "sailthru.section", "section")
    if found:
        return found
    crumbs = doc.xpath('//*[contains(@class, "breadcrumb")]//a')
    return clean_text(crumbs[-1].text_content()) or None if len(crumbs) > 1 else None


def tags(md: Metadata) -> list[str]:
    value = md.jsonld.get("keywords")
    if isinstance(value, str):
        value = value.split(",")
    values = value if isinstance(value, list) else md.meta.get("article:tag", []) or \
        ",".join(md.meta.get("keywords", []) + md.meta.get("news_keywords", [])).split(",")
    unique: list[str] = []
    for tag in (clean_text(str(v)) for v in values):
        if tag and tag not in unique:
            unique.append(tag)
    return unique


def language(md: Metadata, doc: HtmlElement) -> str | None:
    lang = doc.get("lang") or doc.get("xml:lang")
    if not lang:
        value = md.jsonld.get("inLanguage")
        lang = value if isinstance(value, str) else md.first("og:locale", "content-language", "dc.language")
    return lang.strip().replace("_", "-") if lang and lang.strip() else None
