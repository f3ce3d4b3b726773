"""Every link of the page with its role, and the related-articles list with what it shows."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from spiders.parsers import selectors as sel
from spiders.parsers.dates import parse_machine_date, parse_text_date
from spiders.parsers.records import Link, RelatedItem
from spiders.parsers.regions import Regions, is_boilerplate, names
from spiders.parsers.text import clean_text


@lru_cache(maxsize=64)
def _origin(base: str) -> str | None:
    """'https://host:8080' of an http(s) base URL, or None."""
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def absolute(href: str | None, base: str) -> str | None:
    href = (href or "").strip()
    if not href or href.lower().startswith(("javascript:", "data:", "tel:")):
        return None
    if "/." not in href and " " not in href:  # the common forms, without urljoin's cost
        if href.startswith(("https://", "http://")):
            return href
        if href.startswith("/") and not href.startswith("//") and (origin := _origin(base)):
            return origin + href
    try:
        return urljoin(base, href)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Context:
    """What an element's ancestors (and itself) say about links inside it."""

    labels: frozenset[str] = frozenset()
    in_root: bool = False
    boiler: bool = False
    in_article: bool = False  # below an <article> or <main>: its <header> is not site navigation


class _Contexts:
    """Each element's context, computed from its parent's on first use and remembered, so a
    class regex runs at most once per element on a link's ancestor chain."""

    def __init__(self, regions: Regions) -> None:
        self.regions = regions
        self.related = set(regions.related)
        self.known: dict[HtmlElement, _Context] = {}

    def of(self, element: HtmlElement | None) -> _Context:
        chain = []
        while element is not None and element not in self.known:
            chain.append(element)
            element = element.getparent()
        context = self.known[element] if element is not None else _Context()
        for current in reversed(chain):
            context = self._step(context, current)
            self.known[current] = context
        return context

    def _step(self, parent: _Context, element: HtmlElement) -> _Context:
        in_article = parent.in_article or element.tag in ("article", "main")
        if element is self.regions.root:  # inside the content root, only what lies below it counts
            return _Context(frozenset(), True, False, True)
        own = _labels(element, self.related, parent.in_article)
        labels = parent.labels | own if own else parent.labels
        if parent.in_root:
            return _Context(labels, True, parent.boiler or is_boilerplate(element), in_article)
        return _Context(labels, False, False, in_article)


NO_LABELS: frozenset[str] = frozenset()


def _labels(element: HtmlElement, related: set[HtmlElement], in_article: bool) -> frozenset[str]:
    tag = element.tag
    found = set()
    if element in related:
        found.add("related")
    if tag == "footer":
        found.add("footer")
    if tag == "nav" or (tag == "header" and not in_article):
        found.add("navigation")
    if element.get("class") or element.get("id") or element.get("role"):  # most elements have none
        text = names(element)
        if sel.SHARE_NAMES.search(text):
            found.add("share")
        if sel.FOOTER_NAMES.search(text):
            found.add("footer")
        if sel.NAVIGATION_NAMES.search(text):
            found.add("navigation")
    return frozenset(found) if found else NO_LABELS


def link_kind(href: str, context: _Context) -> str:
    """share > related > footer > navigation > body > other, judged from the link and its ancestors."""
    if sel.SHARE_HREF.search(href):
        return "share"
    for kind in ("share", "related", "footer", "navigation"):
        if kind in context.labels:
            return kind
    return "body" if context.in_root and not context.boiler else "other"


def extract_links(doc: HtmlElement, base: str, regions: Regions) -> list[Link]:
    contexts = _Contexts(regions)
    links: list[Link] = []
    for anchor in doc.iter("a"):
        url = absolute(anchor.get("href"), base)
        if url is None:
            continue
        text = clean_text(anchor.text_content()) or clean_text(anchor.get("title")) or \
            clean_text(" ".join(img.get("alt", "") for img in anchor.iter("img")))
        parent = anchor.getparent()
        links.append(Link(url, text, link_kind(url, contexts.of(parent))))
    return links


def _first_text(item: HtmlElement, pattern, exclude: HtmlElement | None = None) -> str | None:
    for element in item.iter():
        if isinstance(element.tag, str) and element is not exclude and pattern.search(names(element)):
            text = clean_text(element.text_content())
            if text:
                return text
    return None


def _related_item(item: HtmlElement, base: str) -> RelatedItem | None:
    anchors = [a for a in item.iter("a") if absolute(a.get("href"), base)]
    if not anchors:
        return None
    anchor = max(anchors, key=lambda a: len(clean_text(a.text_content())))
    url = absolute(anchor.get("href"), base) or ""
    link_text = clean_text(anchor.text_content()) or None
    heading = next((clean_text(h.text_content()) for h in item.iter(*sel.HEADING_TAGS)
                    if clean_text(h.text_content())), None)
    title = heading or clean_text(anchor.get("title")) or link_text
    summary = _first_text(item, sel.ITEM_SUMMARY_NAMES, anchor) or next(
        (clean_text(p.text_content()) for p in item.iter("p")
         if clean_text(p.text_content()) not in ("", title)), None)
    if summary is None and link_text and link_text != title:
        summary = link_text
    time = next(iter(item.iter("time")), None)
    published = (parse_machine_date(time.get("datetime")) if time is not None else None) \
        or parse_text_date(clean_text(item.text_content()))
    return RelatedItem(url, title, summary, _first_text(item, sel.ITEM_CATEGORY_NAMES), published)


def _cards(block: HtmlElement) -> list[HtmlElement]:
    """The repeated children (two or more, each holding a link) that make up a card list."""
    for node in block.iter():
        if not isinstance(node.tag, str):
            continue
        kids = [k for k in node if isinstance(k.tag, str) and (k.tag == "a" or k.find(".//a") is not None)]
        if len(kids) >= 2 and all(k.tag != "a" for k in kids):
            return kids
    return []


def extract_related(regions: Regions, base: str) -> list[RelatedItem]:
    items: list[RelatedItem] = []
    for block in regions.related:
        candidates = list(block.iter("li")) or list(block.iter("article")) or _cards(block) \
            or list(block.iter("a"))
        for candidate in candidates:
            if candidate.tag == "a":
                wrapper = candidate
            elif any(True for _ in candidate.iter("li")) and candidate.tag == "li" and \
                    len(list(candidate.iter("li"))) > 1:
                continue
            else:
                wrapper = candidate
            item = _related_item(wrapper, base)
            if item is not None and item.url not in {i.url for i in items}:
                items.append(item)
    return items
