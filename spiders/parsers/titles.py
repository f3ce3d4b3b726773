"""The title: the headline the page's sources agree on, without the site's name.

A page's one `<h1>` is its headline as shown; measured on both halves of the evaluation pages it
beats the metadata's titles, which are often rewritten for search engines. Otherwise every
source a page offers is a candidate: JSON-LD/microdata `headline`, `og:title`,
`twitter:title`, `<title>`, each `<h1>` (and, when a heading holds a kicker and a headline in
separate elements, each of its parts). A candidate is supported by every source that says the
same thing, whole or as the part before or after a separator (`Headline | Site` supports
`Headline`), so a site name, a kicker or an SEO rewrite in one source is outvoted by the others.
The site name is learned from the page (og:site_name, the JSON-LD publisher, the host) and
removed where it stands as a prefix or suffix behind `|`, `–`, `—`, `-`, `:`, `»`, `//`.
Entities left escaped by the CMS (`&#038;`, `&raquo;`) are unescaped; white space normalised.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from spiders.parsers import selectors as sel
from spiders.parsers.metadata import Metadata, meta_source
from spiders.parsers.text import clean_text

SEPARATOR = re.compile(r"\s+(?:[|\-–—·»«›‹/]|//|::|\\)\s+|\s*[|»·›]\s*|:\s+|\s+//\s*|\s*::\s*")
# Weight of each kind of source: visible headings first, the page's own markup next.
WEIGHTS = {"h1": 1.2, "json-ld": 1.0, "microdata": 1.0, "opengraph": 1.0, "title-tag": 1.0, "twitter": 0.5,
           "meta": 0.5, "h2": 0.6}
ALONE = ("json-ld", "microdata", "h1", "opengraph", "twitter", "meta", "title-tag")  # order when none agree
TITLE_TAIL = 0.3
_NOT_WORD = re.compile(r"[\W_]+")
MAX_TITLE = 300


def key(text: str | None) -> str:
    """Letters and digits only, case-folded: how two sources are compared."""
    return _NOT_WORD.sub("", (text or "").casefold())


def unescape(text: str) -> str:
    """Entities a CMS escaped twice (`&amp;#038;`) or left in a value, unescaped; white space normalised."""
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
    return clean_text(text)


@dataclass(frozen=True)
class Candidate:
    text: str
    kind: str  # json-ld, microdata, opengraph, twitter, meta, title-tag, h1, h2
    penalty: float = 0.0  # a part of a heading: the last (the headline) a little, a kicker more


def site_names(md: Metadata, host: str | None) -> set[str]:
    """Keys of the names the site goes by: declared, the publisher's, and its host's."""
    names = {md.first("og:site_name"), md.first("application-name"), md.first("twitter:site")}
    publisher = md.jsonld.get("publisher")
    for item in publisher if isinstance(publisher, list) else [publisher]:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            names.add(item["name"])
    keys = {key(n.lstrip("@")) for n in names if n}
    if host:
        labels = [label for label in host.lower().split(".") if label not in ("www", "m", "amp")]
        keys |= {key(label) for label in labels[:-1]}
        keys.add(key("".join(labels)))
    return {k for k in keys if len(k) >= 3}


DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)  # "FASSETTE.NET", "evang.at"


def _names_site(part: str, names: set[str]) -> bool:
    part_key = key(part)
    if not part_key or DOMAIN.match(part.strip()):
        return True
    return any(part_key == n or (len(n) >= 4 and (part_key.startswith(n) or part_key.endswith(n))
                                 and len(part_key) <= len(n) + 15) for n in names)


def strip_site(title: str, names: set[str]) -> str:
    """'Headline | Site' and 'Site - Headline' -> 'Headline' when the removed part names the site."""
    separators = list(SEPARATOR.finditer(title))
    for match in reversed(separators):  # the rightmost separator whose tail names the site
        if _names_site(title[match.end():], names) and key(title[:match.start()]):
            title = title[:match.start()]
            break
    for match in SEPARATOR.finditer(title):  # the leftmost whose head does
        if _names_site(title[:match.start()], names) and key(title[match.end():]):
            title = title[match.end():]
            break
    return title.strip(" -–—|:»·")


def parts(text: str) -> tuple[set[str], set[str]]:
    """Keys of the text and of every part of it before a separator; keys of the parts after one."""
    heads, tails = {key(text)}, set()
    for match in SEPARATOR.finditer(text):
        heads.add(key(text[:match.start()]))
        tails.add(key(text[match.end():]))
    return heads - {""}, tails - {""}


def _text(element: HtmlElement) -> str:
    """Text with a space between elements: a kicker <span> and the headline <span> stay two words."""
    return clean_text(" ".join(element.itertext()))


def _separates(child: HtmlElement) -> bool:
    """A child that stands apart from the headline: a line break, a block, an element whose class
    says kicker, label or date; not inline formatting inside the sentence."""
    return child.tag in ("br", "div", "p", "small", "time") or \
        sel.KICKER_NAMES.search(f"{child.get('class', '')} {child.get('id', '')}")


def _heading_parts(heading: HtmlElement) -> list[str]:
    """A heading's parts when it holds a kicker and a headline: its element children's texts
    when it holds two or more and no text of its own; else, when a child stands apart, that
    child's text and the heading's own text around it."""
    elements = [c for c in heading if isinstance(c.tag, str)]
    children = [t for t in (_text(c) for c in elements) if t]
    if len(children) >= 2 and not clean_text(heading.text):
        return children
    if not any(_separates(c) for c in elements):
        return []
    parts, rest = [], [heading.text or ""]
    for child in elements:
        if _separates(child):
            parts.append(_text(child))
            rest.append(" | ")
        else:
            rest.append(" ".join(child.itertext()))
        rest.append(child.tail or "")
    parts += [clean_text(p) for p in "".join(rest).split(" | ")]
    parts = [p for p in parts if p]
    return parts if len(parts) >= 2 else []


def candidates(md: Metadata, doc: HtmlElement) -> list[Candidate]:
    found: list[Candidate] = []
    for data, kind in ((md.jsonld, "json-ld"), (md.microdata, "microdata")):
        if isinstance(data.get("headline"), str):
            found.append(Candidate(data["headline"], kind))
    for name in ("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title"):
        for value in md.meta.get(name, [])[:1]:
            found.append(Candidate(value, meta_source(name) if name[:3] in ("og:", "twi") else "meta"))
    page_title = doc.findtext(".//title")
    if page_title:
        found.append(Candidate(page_title, "title-tag"))
    for tag, limit in (("h1", 5), ("h2", 10)):
        for heading in list(doc.iter(tag))[:limit]:
            found.append(Candidate(_text(heading), tag))
            heading_parts = _heading_parts(heading)
            found += [Candidate(part, tag, 0.1 if n == len(heading_parts) - 1 else 0.5)
                      for n, part in enumerate(heading_parts)]
    cleaned = [Candidate(unescape(c.text), c.kind, c.penalty) for c in found]
    return [c for c in cleaned if c.text and len(c.text) <= MAX_TITLE]


def _support(text: str, keyed: list[tuple[Candidate, set[str], set[str]]]) -> float:
    """Weighted kinds of source that say `text`. A `<title>` supports its last part only weakly:
    sites put their own name there ("Headline | Site")."""
    own = key(text)
    weights: dict[str, float] = {}
    for other, heads, tails in keyed:
        if own in heads or own in tails:
            weight = WEIGHTS[other.kind] * (TITLE_TAIL if other.kind == "title-tag" and own not in heads else 1)
            weights[other.kind] = max(weights.get(other.kind, 0.0), weight)
    return sum(weights.values()) if len(weights) >= 2 else 0.0


def _agreed(bare: list[Candidate], keyed: list[tuple[Candidate, set[str], set[str]]],
            names: set[str]) -> Candidate | None:
    """The candidate most sources support (the longer of two alike), or None when none agree."""
    best: tuple[float, int, Candidate] | None = None
    for candidate in bare:
        if not key(candidate.text) or _names_site(candidate.text, names):
            continue
        support = _support(candidate.text, keyed) - candidate.penalty
        score = (round(support, 1), len(key(candidate.text)), candidate)
        if support > 0 and (best is None or score[:2] > best[:2]):
            best = score
    return best[2] if best else None


def choose_title(md: Metadata, doc: HtmlElement, host: str | None) -> str | None:
    """The page's one `<h1>` when it has one (the headline as shown: measured, it beats the
    metadata's SEO titles on both halves); else the candidate the sources agree on; else the
    first by ALONE's order."""
    names = site_names(md, host)
    declared = {key(md.first("og:site_name")), key(md.first("application-name"))}
    pool = candidates(md, doc)
    # A heading names the site only when it repeats the declared name exactly.
    bare = [Candidate(strip_site(c.text, names & declared if c.kind in ("h1", "h2") else names), c.kind,
                      c.penalty) for c in pool]
    keyed = [(c, *parts(p.text)) for c, p in zip(pool, bare)]
    for c, heads, _ in keyed:
        heads.add(key(c.text))
    agreed = _agreed(bare, keyed, names)
    h1s = [c for c in bare if c.kind == "h1" and not c.penalty]
    if len(h1s) == 1 and not _names_site(h1s[0].text, names) and len(h1s[0].text.split()) >= 3:
        h1_parts = [c for c in bare if c.kind == "h1" and c.penalty]
        if not h1_parts:
            return md.found("title", h1s[0].text, "h1")
        if agreed not in h1_parts:  # a kicker and a headline: the longer part, unless another agrees
            return md.found("title", max(h1_parts, key=lambda c: len(c.text)).text, "h1")
    if agreed is not None:
        return md.found("title", agreed.text, agreed.kind)
    for kind in ALONE:
        for candidate in bare:
            if candidate.kind == kind and not candidate.penalty and not _names_site(candidate.text, names):
                if kind == "h1" and len(h1s) > 1:
                    continue  # several <h1>s and none agrees with anything: no telling which
                return md.found("title", candidate.text, kind)
    return None
