"""The page's dateline: the dates it shows in the short lines beside its headline.

A reader finds an article's date under its headline (or just above it), in a short line of its
own beside the author's name: "20. März 2021 - 15:00 Uhr", "By Ann Lee | March 14, 2021". That
line is a witness independent of the page's metadata, and published.py weighs the two. The
headline is the heading that shows the chosen title (else the first `<h1>`); a line longer than
a dateline is prose, whose dates are about other things.
"""
from __future__ import annotations

from typing import Iterator

from lxml.html import HtmlElement

from spiders.parsers.dates import shown_dates
from spiders.parsers.titles import key

AFTER_HEADLINE = 400  # characters of text read after the headline for its dateline
BEFORE_HEADLINE = 120  # and before it, for a dateline above the headline
DATELINE_LENGTH = 80  # a line longer than this is prose, not a dateline


def headline_element(doc: HtmlElement, title: str | None) -> HtmlElement | None:
    """The heading that shows the title (an h1-h3 holding it), else the page's first <h1>."""
    wanted = key(title or "")
    first = None
    for heading in doc.iter("h1", "h2", "h3"):
        text = key(heading.text_content())
        if not text:
            continue
        if wanted and len(text) >= 10 and (wanted in text and len(text) <= 2 * len(wanted) or text in wanted):
            return heading
        if first is None and heading.tag == "h1":
            first = heading
    return first


def _text_after(element: HtmlElement) -> Iterator[str]:
    node: HtmlElement | None = element
    while node is not None:
        if node.tail:
            yield node.tail
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str):
                yield from sibling.itertext()
            if sibling.tail:
                yield sibling.tail
        node = node.getparent()


def _text_before(element: HtmlElement) -> Iterator[str]:
    """The text before `element`, nearest first."""
    node: HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            if sibling.tail:
                yield sibling.tail
            if isinstance(sibling.tag, str):
                yield from reversed(list(sibling.itertext()))
        node = node.getparent()
        if node is not None and node.text:
            yield node.text


def _window(parts: Iterator[str], limit: int) -> list[str]:
    taken, size = [], 0
    for part in parts:
        part = " ".join(part.split())  # every kind of space (no-break, thin) as one
        if part:
            taken.append(part)
            size += len(part)
            if size >= limit:
                break
    return taken


def _dates_in(parts: list[str], month_first: bool) -> list[tuple[str, ...]]:
    """The dates in the short parts (a dateline is a line of its own, not a sentence of prose),
    each as its readings."""
    found: list[tuple[str, ...]] = []
    for part in parts:
        if len(part) <= DATELINE_LENGTH:
            grouped: dict[int, tuple[str, ...]] = {}
            for pos, day in shown_dates(part, month_first):
                grouped[pos] = grouped.get(pos, ()) + (day,)
            found += grouped.values()
    return found


def near_headline(doc: HtmlElement, title: str | None, month_first: bool = False) -> list[tuple[str, ...]]:
    """The dates the page shows in the short lines right after its headline (its dateline), else
    the nearest one in those right before it (a dateline above the headline); each as its
    readings (two for 03/04/2022)."""
    headline = headline_element(doc, title)
    if headline is None:
        return []
    if found := _dates_in(_window(_text_after(headline), AFTER_HEADLINE), month_first):
        return found
    return _dates_in(list(reversed(_window(_text_before(headline), BEFORE_HEADLINE))), month_first)[-1:]
