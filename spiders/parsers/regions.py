"""Where things are on a page: the main content root, related-article blocks, boilerplate.

Found once per page and shared by the content and link extractors, so both agree on what is
body, what is related and what is chrome.
"""
from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from spiders.parsers import selectors as sel
from spiders.parsers.text import clean_text


def names(element: HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}"


def is_boilerplate(element: HtmlElement) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or tag in sel.BOILERPLATE_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    text = names(element)
    if not sel.BOILERPLATE_NAMES.search(text):
        return False
    return bool(sel.STRONG_BOILERPLATE_NAMES.search(text)) or not sel.CONTENT_NAMES.search(text)


def _paragraph_score(doc: HtmlElement, excluded: AbstractSet[HtmlElement] = frozenset()) -> dict[HtmlElement, float]:
    """Readability's idea: paragraphs vote for their parent (and half for the grandparent).

    Paragraphs inside comment sections, related lists and other `excluded` blocks do not vote.
    """
    scores: dict[HtmlElement, float] = {}

    def vote(element: HtmlElement | None, length: int) -> None:
        for weight in (1.0, 0.5):
            if element is None:
                return
            scores[element] = scores.get(element, 0.0) + weight * (1 + min(length / 100, 3))
            element = element.getparent()

    blocked = {d for e in excluded for d in e.iter()}  # each excluded block and all below it
    for p in doc.iter("p"):
        if p in blocked:
            continue
        raw = p.text_content()
        length = len(raw) if len(raw) < 25 else len(clean_text(raw))
        if length >= 25:
            vote(p.getparent(), length)
    # Text written straight into a div or span (no <p>) votes for that element itself.
    for element in doc.iter("div", "span", "td", "section", "article"):
        raw = (element.text or "") + "".join(c.tail or "" for c in element)
        if len(raw) >= 100 and element not in blocked and (direct := len(clean_text(raw))) >= 100:
            vote(element, direct)
    return scores


Named = list[tuple[HtmlElement, str]]
FRAGMENT = 0.3  # a declared body holding less than this share of the voted container's text is a fragment


def named_elements(doc: HtmlElement) -> Named:
    """Every element with a class, id or role, with its names: computed once per page."""
    return [(e, names(e)) for e in doc.xpath("//*[@class or @id or @role]")]


def _weight(element: HtmlElement) -> float:
    """How much article text an element holds: its paragraphs, or a quarter of all its text."""
    return max(sum(len(p.text_content()) for p in element.iter("p")), len(element.text_content()) / 4)


def find_content_root(doc: HtmlElement, named: Named) -> HtmlElement:
    """The element holding the article body, from two candidates: the block the page declares
    (itemprop=articleBody, article-body classes) and the container its paragraphs vote for.
    The declared one wins unless it is a fragment: holding far less text than the voted one
    and not around it (a teaser or a lead block marked as the body), the vote takes over."""
    declared = doc.xpath('//*[@itemprop="articleBody"]')
    if not declared:
        declared = [e for e, text in named if e.tag not in ("html", "body") and sel.BODY_NAMES.search(text)]
    excluded = {e for e, text in named if sel.STRONG_BOILERPLATE_NAMES.search(text)}
    scores = _paragraph_score(doc, excluded)
    voted = max(scores, key=scores.__getitem__) if scores else None
    if declared:
        best = max(declared, key=_weight)
        # A declared body inside the best one that holds most of its text is the better cut
        # (a "main-content" column around an "article-content" block).
        inner = [e for e in declared if e is not best and _contains(best, e) and _weight(e) >= 0.6 * _weight(best)]
        if inner:
            best = max(inner, key=lambda e: sum(1 for _ in e.iterancestors()))
        fragment = voted is not None and not _contains(best, voted) and _weight(best) < FRAGMENT * _weight(voted)
        if not fragment and (any(True for _ in best.iter("p")) or len(clean_text(best.text_content())) > 200):
            return best  # a declared body without <p> (text and <br>) counts when it has text
    if voted is not None:
        return voted
    body = doc.find("body")
    return body if body is not None else doc


def _contains(ancestor: HtmlElement, element: HtmlElement) -> bool:
    while element is not None:
        if element is ancestor:
            return True
        element = element.getparent()
    return False


def _block_for_heading(heading: HtmlElement, root: HtmlElement) -> HtmlElement | None:
    """The nearest ancestor of a "Related ..." heading that holds two or more links."""
    container = heading.getparent()
    while container is not None and container.tag not in ("body", "html"):
        if _contains(container, root):
            return None
        anchors = container.xpath(".//a[@href]")
        if len(anchors) >= 2:
            # A related list is mostly links; a body that merely holds such a heading is not.
            text = len(clean_text(container.text_content())) or 1
            linked = sum(len(clean_text(a.text_content())) for a in anchors)
            return container if linked / text >= 0.35 else None
        container = container.getparent()
    return None


def find_related_blocks(doc: HtmlElement, root: HtmlElement, named: Named) -> list[HtmlElement]:
    """Related-article blocks, by their class names or by a heading such as "Related Articles"."""
    found: list[HtmlElement] = [e for e, text in named if e.tag not in ("html", "body", "a")
                                and sel.RELATED_NAMES.search(text) and not _contains(e, root)]
    # A list's label is a heading, a titled element, or bold text standing in for a heading.
    for element in doc.xpath("//h1|//h2|//h3|//h4|//h5|//h6|//b|//strong|//*[contains(@class, 'title')]"
                             "|//*[contains(@class, 'label')]|//*[contains(@class, 'head')]"):
        if element.tag in ("html", "body", "a") or len(element) > 3:
            continue  # a label holds a few words, not a block of the page
        text = clean_text(element.text_content())
        if len(text) < 60 and sel.RELATED_HEADING.match(text):
            block = _block_for_heading(element, root)
            if block is not None:
                found.append(block)
    marked = set(found)  # the outermost blocks only: one ancestor walk each, not a walk per pair
    return [b for b in dict.fromkeys(found) if not any(a in marked for a in b.iterancestors())]


@dataclass
class Regions:
    root: HtmlElement
    related: list[HtmlElement] = field(default_factory=list)



def find_regions(doc: HtmlElement, named: Named | None = None) -> Regions:
    named = named_elements(doc) if named is None else named
    root = find_content_root(doc, named)
    return Regions(root, find_related_blocks(doc, root, named))
