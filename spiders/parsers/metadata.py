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
from typing import Any, Callable, Iterator

from lxml.html import HtmlElement

from spiders.parsers.dates import PUBLISHED_LABEL, UPDATED_LABEL, labelled_date, parse_machine_date
from spiders.parsers import selectors as sel
from spiders.parsers.text import clean_text

ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                 "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
                 "techarticle", "report", "liveblogposting", "socialmediaposting", "posting"}
PAGE_TYPES = {"webpage", "itempage", "aboutpage", "medicalwebpage", "collectionpage", "qapage",
              "videoobject", "product", "event", "recipe", "creativework"}
BYLINE_PREFIX = re.compile(r"^\s*(by|von|par|por|di|door|av|przez|autor(?:ka)?:?)\s+", re.I)
# Author-archive link texts: "View all posts by Daniel Lemire", "Zeige alle Beiträge von …".
POSTS_BY = re.compile(r"^(view all posts by|all posts by|posts by|more posts by|zeige alle beiträge von"
                      r"|alle beiträge von|tous les articles de|todas las entradas de)\s+", re.I)
AUTHOR_ROLE = re.compile(r",?\s*\b(staff writer|senior \w+|reporter|correspondent|editor|contributor"
                         r"|columnist|photographer)s?\b.*$", re.I)


@dataclass
class Metadata:
    """Raw metadata gathered once per page; field chains read from it."""

    jsonld: dict[str, Any] = field(default_factory=dict)
    jsonld_page: dict[str, Any] = field(default_factory=dict)  # a non-article node, for its date
    microdata: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)
    page_type: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # field -> where its value came from

    def first(self, *names: str) -> str | None:
        found = self.first_with_source(*names)
        return found[0] if found else None

    def first_with_source(self, *names: str) -> tuple[str, str] | None:
        for name in names:
            for value in self.meta.get(name, []):
                if value.strip():
                    return clean_text(value), meta_source(name)
        return None

    def structured(self, key: str) -> tuple[Any, str] | None:
        """A schema.org property from JSON-LD, else from microdata."""
        for data, source in ((self.jsonld, "json-ld"), (self.microdata, "microdata")):
            value = data.get(key)
            if value not in (None, "", []):
                return value, source
        return None

    def found(self, name: str, value: Any, source: str) -> Any:
        if value not in (None, "", []):
            self.sources[name] = source
        return value


def meta_source(name: str) -> str:
    prefixes = (("og:", "opengraph"), ("article:", "opengraph"), ("dc.", "dublin-core"),
                ("dcterms.", "dublin-core"), ("parsely-", "parsely"), ("sailthru.", "sailthru"),
                ("twitter:", "twitter"))
    return next((source for prefix, source in prefixes if name.startswith(prefix)), "meta")


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


def read_jsonld(doc: HtmlElement) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first article-typed JSON-LD object of the page, or {}; broken JSON is skipped.

    Second, the page's other dated JSON-LD object (a `WebPage`, an `ItemPage`): a weaker
    witness of the publication date, for pages that never call themselves an article."""
    other: dict[str, Any] = {}
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        nodes = list(_walk_jsonld(data))
        by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
        for node in nodes:
            if _types(node) & ARTICLE_TYPES:
                return {k: _resolve(v, by_id) for k, v in node.items()}, other
            if not other and _types(node) & PAGE_TYPES and node.get("datePublished"):
                other = node
    return {}, other


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    """Replace {"@id": ...} references (Yoast-style @graph) by the nodes they point to."""
    if isinstance(value, list):
        return [_resolve(v, by_id) for v in value]
    if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in by_id:
        return by_id[value["@id"]]
    return value


MICRODATA_PROPS = ("headline", "name", "description", "datePublished", "dateCreated", "dateModified",
                   "author", "articleSection", "keywords", "inLanguage")


def read_microdata(doc: HtmlElement) -> dict[str, Any]:
    """schema.org properties of the first article-typed itemscope: visible markup, not <meta>."""
    for scope in doc.xpath("//*[@itemscope][@itemtype]"):
        kind = (scope.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].lower()
        if kind not in ARTICLE_TYPES:
            continue
        found: dict[str, Any] = {}
        for element in scope.xpath(".//*[@itemprop]"):
            prop = element.get("itemprop")
            owner = next(element.iterancestors(), None)
            while owner is not None and owner is not scope and owner.get("itemscope") is None:
                owner = owner.getparent()
            if owner is not scope and prop != "author":
                continue  # a property of a nested item (the author's name, the publisher's logo)
            if prop not in MICRODATA_PROPS or (prop in found and prop != "author"):
                continue
            if prop == "author":
                name = element.xpath(".//*[@itemprop='name']")
                value = clean_text((name[0] if name else element).text_content()) or element.get("content")
                found.setdefault("author", []).append(value)
                continue
            value = element.get("content") or element.get("datetime") or clean_text(element.text_content())
            if value:
                found[prop] = value
        return found
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
    article_node, page_node = read_jsonld(doc)
    found = Metadata(article_node, page_node, read_microdata(doc), read_meta(doc))
    og_type = found.first("og:type")
    declared = found.jsonld or found.microdata or (og_type or "").startswith("article")
    found.page_type = "article" if declared else og_type
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
    name = AUTHOR_ROLE.sub("", BYLINE_PREFIX.sub("", POSTS_BY.sub("", clean_text(name))))
    return name.strip(" ,;")


def split_authors(text: str) -> list[str]:
    """'By Ann Lee and Bo Chen, Staff Writers' -> ['Ann Lee', 'Bo Chen']."""
    text = AUTHOR_ROLE.sub("", BYLINE_PREFIX.sub("", POSTS_BY.sub("", clean_text(text))))
    parts = re.split(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|\bi\b|&)\s*", text)
    return [p for p in (clean_author(p) for p in parts) if p]


VISIBLE_BYLINE = re.compile(r"(?:^|[\s·|,])(?:by|von|par|por|przez|door|di)\s+"
                            r"([A-ZÀ-ÖØ-ÞŁŚŻŹĆŃ][\w'’.-]+(?:\s+[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃ][\w'’.-]+){0,3})")


def _visible_byline(doc: HtmlElement) -> list[str]:
    """'Posted on March 3, 2021 by Bob Smith': a short text near the top naming the writer."""
    body = doc.find("body")
    for number, text in enumerate(body.itertext() if body is not None else ()):
        if number > 400:
            break
        text = clean_text(text)
        if len(text) < 120 and (match := VISIBLE_BYLINE.search(text)):
            return [match.group(1)]
    return []


MAX_BYLINE_WORDS = 6


def _byline_element(doc: HtmlElement) -> list[str]:
    """The first short element whose class or itemprop says it names the author ("byline",
    "author-name"), as trafilatura and readability look for one."""
    for element in doc.xpath("//*[@class or @itemprop='author']"):
        if element.get("itemprop") != "author" and not sel.AUTHOR_NAMES.search(element.get("class", "")):
            continue
        text = clean_text(element.text_content())
        if text and len(text.split()) <= MAX_BYLINE_WORDS and not any(ch.isdigit() for ch in text):
            return [text]
    return []


def authors(md: Metadata, doc: HtmlElement) -> list[str]:
    names, source = [], ""
    if structured := md.structured("author"):
        names, source = _names(structured[0]), structured[1]
    if not names:
        for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator"):
            names = [n for n in md.meta.get(key, []) if not n.startswith("http")]
            if names:
                source = meta_source(key)
                break
    if not names:
        names, source = [clean_text(a.text_content()) for a in doc.xpath('//a[@rel="author"]')], "rel-author"
    if not names:
        names, source = _byline_element(doc), "byline-element"
    if not names:
        names, source = _visible_byline(doc), "visible-text"
    unique: list[str] = []
    for raw in names:
        for name in split_authors(raw):
            if name not in unique:
                unique.append(name)
    return md.found("authors", unique, source)


def description(md: Metadata) -> str | None:
    if (structured := md.structured("description")) and isinstance(structured[0], str) and structured[0].strip():
        return md.found("description", clean_text(structured[0]), structured[1])
    found = md.first_with_source("og:description", "description", "twitter:description", "dc.description")
    return md.found("description", *found) if found else None


PUBLISHED_META = ("article:published_time", "datepublished", "parsely-pub-date", "sailthru.date",
                  "dc.date.issued", "dcterms.issued", "dc.date", "date", "pubdate", "publish-date",
                  "og:published_time")


def published(md: Metadata, doc: HtmlElement, dateline: str,
              accept: Callable[[str], bool] = bool) -> str | None:
    """The page's own publication date, strongest source first; `accept` rejects implausible
    values (after the capture, before the web) so the next source gets its turn."""
    for key in ("datePublished", "dateCreated"):
        if (structured := md.structured(key)) and isinstance(structured[0], str):
            if (day := parse_machine_date(structured[0])) and accept(day):
                return md.found("published", day, structured[1])
    for key in PUBLISHED_META:
        for value in md.meta.get(key, []):
            if (day := parse_machine_date(value)) and accept(day):
                return md.found("published", day, meta_source(key))
    for time in doc.xpath("//time[@datetime][@pubdate or @itemprop='datePublished' "
                          "or contains(@class, 'publish')]"):
        if (day := parse_machine_date(time.get("datetime"))) and accept(day):
            return md.found("published", day, "time-element")
    page_date = md.jsonld_page.get("datePublished")
    if isinstance(page_date, str):
        if (day := parse_machine_date(page_date)) and accept(day):
            return md.found("published", day, "json-ld-page")
    day = labelled_date(dateline, PUBLISHED_LABEL)
    return md.found("published", day, "visible-text") if day and accept(day) else None


def modified(md: Metadata, dateline: str) -> str | None:
    if (structured := md.structured("dateModified")) and isinstance(structured[0], str):
        if day := parse_machine_date(structured[0]):
            return md.found("modified", day, structured[1])
    for key in ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified",
                "dcterms.modified", "last-modified"):
        for value in md.meta.get(key, []):
            if day := parse_machine_date(value):
                return md.found("modified", day, meta_source(key))
    return md.found("modified", labelled_date(dateline, UPDATED_LABEL), "visible-text")


def category(md: Metadata, doc: HtmlElement) -> str | None:
    if structured := md.structured("articleSection"):
        section = structured[0][0] if isinstance(structured[0], list) and structured[0] else structured[0]
        if isinstance(section, str) and section.strip():
            return md.found("category", clean_text(section), structured[1])
    found = md.first_with_source("article:section", "parsely-section", "sailthru.section", "section")
    if found:
        return md.found("category", *found)
    crumbs = doc.xpath('//*[contains(@class, "breadcrumb")]//a')
    if len(crumbs) > 1:
        return md.found("category", clean_text(crumbs[-1].text_content()) or None, "breadcrumbs")
    return None


def tags(md: Metadata) -> list[str]:
    values: Any = None
    source = ""
    if structured := md.structured("keywords"):
        values, source = structured
        if isinstance(values, str):
            values = values.split(",")
    if not isinstance(values, list):
        values, source = md.meta.get("article:tag", []), "opengraph"
        if not values:
            values = ",".join(md.meta.get("keywords", []) + md.meta.get("news_keywords", [])).split(",")
            source = "meta"
    unique: list[str] = []
    for tag in (clean_text(str(v)) for v in values):
        if tag and tag not in unique:
            unique.append(tag)
    return md.found("tags", unique, source)


def language(md: Metadata, doc: HtmlElement) -> str | None:
    lang, source = doc.get("lang") or doc.get("xml:lang"), "html-lang"
    if not lang and (structured := md.structured("inLanguage")) and isinstance(structured[0], str):
        lang, source = structured
    if not lang and (found := md.first_with_source("og:locale", "content-language", "dc.language")):
        lang, source = found
    value = lang.strip().replace("_", "-") if lang and lang.strip() else None
    return md.found("language", value, source)
