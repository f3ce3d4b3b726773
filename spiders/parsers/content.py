"""The article body: headings and paragraphs of the content root, in reading order.

Boilerplate inside the root (ad slots, share bars, captions, inline related boxes) is skipped by
tag, by class name and by text ("ADVERTISEMENT"); the title and the standfirst are not body.
"""
from __future__ import annotations

from lxml.html import HtmlElement

from spiders.parsers import selectors as sel
from spiders.parsers.records import Section
from spiders.parsers.regions import Regions, is_boilerplate
from spiders.parsers.text import clean_text


def _has_block_child(element: HtmlElement) -> bool:
    return any(isinstance(d.tag, str) and d.tag in sel.BLOCK_TAGS for d in element.iterdescendants())


PSEUDO_HEADING = "heading-like"  # a block that stands in for a heading, decided once the body is read
PSEUDO_LEVEL = 2
MAX_HEADING_WORDS = 20


def _unbold_text(element: HtmlElement) -> str:
    """The element's text outside <b>/<strong>."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in ("b", "strong"):
            parts.append(_unbold_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _looks_like_heading(element: HtmlElement, text: str) -> bool:
    """A short block that is bold throughout, or whose class says it is a heading."""
    if len(text.split()) > MAX_HEADING_WORDS or text.endswith((":", ",")):
        return False
    return bool(sel.HEADING_NAMES.search(f"{element.get('class', '')} {element.get('id', '')}")) \
        or not clean_text(_unbold_text(element))


def _blocks(element: HtmlElement, regions: Regions, out: list[tuple[str, str]]) -> None:
    """Append (tag, text) for each heading or paragraph under `element`, depth first.

    Text written straight into a container, between inline tags and <br>s (blogs, old CMSs),
    becomes paragraphs too: a <br> or a block element ends one.
    """
    loose: list[str] = [element.text or ""]

    def flush() -> None:
        text = clean_text("".join(loose))
        if text and not sel.AD_TEXT.match(text):
            out.append(("p", text))
        loose.clear()

    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or is_boilerplate(child) or child in regions.related:
            loose.append(child.tail or "")
            continue
        if tag == "br":
            flush()
        elif tag in sel.INLINE_TAGS and not _has_block_child(child):
            loose.append(child.text_content())
        else:
            flush()
            # A <p> holding blocks only happens in broken markup: read its blocks one by one.
            if tag in sel.HEADING_TAGS or ((tag in sel.PARAGRAPH_TAGS or tag in sel.LEAF_BLOCK_TAGS)
                                           and not _has_block_child(child)):
                text = clean_text(child.text_content())
                if text and not sel.AD_TEXT.match(text):
                    out.append((PSEUDO_HEADING if tag not in sel.HEADING_TAGS and _looks_like_heading(child, text)
                                else tag, text))
            else:
                _blocks(child, regions, out)
        loose.append(child.tail or "")
    flush()


def extract_sections(regions: Regions, title: str | None, standfirst: str | None) -> list[Section]:
    blocks: list[tuple[str, str]] = []
    _blocks(regions.root, regions, blocks)
    # Heading-like blocks are the headings of a body that has no real ones, paragraphs otherwise.
    real_headings = any(tag in sel.HEADING_TAGS for tag, _ in blocks)
    stand_in = "p" if real_headings else f"h{PSEUDO_LEVEL}"
    blocks = [(stand_in if tag == PSEUDO_HEADING else tag, text) for tag, text in blocks]
    sections: list[Section] = []
    heading: str | None = None
    level: int | None = None
    paragraphs: list[str] = []

    def close() -> None:
        if heading is not None or paragraphs:
            sections.append(Section(heading, level, "\n\n".join(paragraphs)))

    skip_below: int | None = None  # inside a "Related ..." part of the body: its heading's level
    for tag, text in blocks:
        is_heading = tag in sel.HEADING_TAGS
        if is_heading and skip_below is not None and int(tag[1]) <= skip_below:
            skip_below = None
        if sel.RELATED_HEADING.match(text) or sel.WIDGET_HEADING.match(text):  # or a paragraph standing in
            skip_below = int(tag[1]) if is_heading else 6
        if skip_below is not None or text in (title, standfirst) or sel.DATELINE_TEXT.match(text) \
                or (len(text) < 200 and sel.FURNITURE_TEXT.search(text)):
            continue
        if is_heading:
            close()
            heading, level, paragraphs = text, int(tag[1]), []
        elif not paragraphs or paragraphs[-1] != text:
            paragraphs.append(text)
    close()
    return sections
