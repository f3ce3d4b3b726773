"""The publication date: the page's own evidence, checked against the date it shows beside its
headline; the URL as a tie-breaker, htmldate last.

Precedence follows the strength of the evidence: JSON-LD/microdata `datePublished`, then the
publication metas, then a `<time>` marked as the publication time, then a visible "Published …"
date (metadata.py reads each). The day is the one the page shows, in the page's own time zone: a
timestamp keeps its offset, and one written in UTC is moved to the offset the page's other
timestamps carry (a page stamped `2020-04-13T21:00:00-07:00` was published on the 13th).

The page's dateline (the dates in the short lines right after its headline, else the nearest one
right before it) is a second, independent witness. Where it shows the metadata's day, that day
stands. Where it does not, it overrules the metadata only when they agree on something else:
a timestamp with no zone of its own (UTC, or none) one day off the shown date is the same
moment on the page's local day; and a shown date that the page's metadata names elsewhere (its
`dateModified`, another meta) is the date the page gives itself. A shown date that nothing
backs is not taken over the metadata (a photo caption, an event's date).

A complete date in the URL (`/2020/04/13/`) is what the publisher fixed when the page was made:
it settles a one-day disagreement (a UTC timestamp past local midnight) and replaces a metadata
date years away from it (a template's or a modified date). When the page's metadata gives
nothing, the URL's date, else the dateline, is the date; without either, htmldate's search
(measured against its other modes in bench/extraction.py) finds the date in the markup and
text. Never a date after the capture, never a bare copyright year. Every rule here was measured
on both halves of the evaluation pages (bench/extraction.py): it lifted one half without
dropping the other.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from contextlib import contextmanager
from typing import Iterator, Sequence

from lxml.html import HtmlElement

from spiders.parsers import metadata
from spiders.parsers.dates import parse_machine_date
from spiders.parsers.datelines import near_headline

# The day ends the path segment, or the separator before it follows it:
# "/2020/04/13/", "/2020-02/19/", "/2020-04-13-title", not "/2023/10/3-fragen-an".
URL_DATE = re.compile(r"\D((?:19|20)\d{2})[/_-](1[0-2]|0?[1-9])([/_-])(3[01]|[12]\d|0?[1-9])(?:\3|[/.?#]|$)")
# Eight digits standing alone in the path: "/news/20200413/", not an id or a 14-digit archive stamp.
COMPACT_URL_DATE = re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
OFFSET = re.compile(r"[+-]\d{2}:\d{2}$")
COPYRIGHT_YEAR = re.compile(r"(?:©|&copy;|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?((?:19|20)\d{2})", re.I)
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?([+-]\d{2}:?\d{2})")
LISTING_DAYS = 5
WEAK_SOURCES = ("time-element",)  # evidence htmldate's fuller search overrules
EARLIEST = dt.date(1995, 1, 1)  # before the web had dated articles: a placeholder, not a date


def url_day(url: str) -> str | None:
    """A complete year/month/day in the URL path, as YYYY-MM-DD."""
    if match := URL_DATE.search(url):
        year, month, day = match[1], match[2], match[4]
    elif match := COMPACT_URL_DATE.search(url):
        year, month, day = match[1], match[2], match[3]
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _as_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def page_offset(md: metadata.Metadata, doc: HtmlElement) -> dt.timedelta | None:
    """The UTC offset most of the page's own non-UTC timestamps carry (metas, JSON-LD, <time>)."""
    values = [v for values in md.meta.values() for v in values]
    values += [str(v) for v in md.jsonld.values() if isinstance(v, str)]
    values += [t.get("datetime", "") for t in doc.iter("time")]
    offsets = Counter(m.group(1).replace(":", "") for v in values if (m := TIMESTAMP.search(v)))
    offsets.pop("+0000", None)
    offsets.pop("-0000", None)
    if not offsets:
        return None
    text = offsets.most_common(1)[0][0]
    sign = -1 if text[0] == "-" else 1
    return sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


def in_page_zone(value: str, offset: dt.timedelta | None) -> str:
    """A UTC timestamp moved to the page's own offset; anything else unchanged."""
    if offset is None or len(value) <= 10 or not value.endswith(("+00:00", "Z")):
        return value
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return moment.astimezone(dt.timezone(offset)).isoformat()


def _captured_day(captured_at: dt.datetime | str | None) -> dt.date | None:
    if captured_at is None:
        return None
    if isinstance(captured_at, str):
        captured_at = dt.datetime.fromisoformat(captured_at.replace("Z", "+00:00"))
    return captured_at.date()


def plausible(value: str | None, latest: dt.date | None) -> bool:
    if not value:
        return False
    try:
        day = _as_date(value)
    except ValueError:
        return False
    return day >= EARLIEST and (latest is None or day <= latest + dt.timedelta(days=1))


def with_url(value: str, from_url: str | None) -> str:
    """The URL's day where it and the metadata disagree (the metadata's time zone or a later date)."""
    if from_url is None or value[:10] == from_url:
        return value
    return from_url


@contextmanager
def _set_aside(elements: Sequence[HtmlElement]) -> Iterator[None]:
    """Take `elements` out of the tree for a moment (each leaves an empty stand-in), then put them back."""
    swaps = []
    for element in elements:
        parent = element.getparent()
        if parent is not None:
            stand_in = parent.makeelement("span", {})
            parent.replace(element, stand_in)
            swaps.append((parent, stand_in, element))
    try:
        yield
    finally:
        for parent, stand_in, element in reversed(swaps):
            parent.replace(stand_in, element)


def htmldate_day(doc: HtmlElement, url: str, latest: dt.date | None,
                 set_aside: Sequence[HtmlElement]) -> str | None:
    """htmldate's original-date search over the page without its related lists (their items'
    dates are other articles'); a bare copyright year is no date."""
    from htmldate import find_date  # imported here: only pages without a date of their own need it

    latest_day = latest or dt.date(2100, 1, 1)  # fixed, not today: parse_article reads no clock
    with _set_aside(set_aside):
        day = find_date(doc, original_date=True, url=url, max_date=latest_day.isoformat())
    if day and day.endswith("-01-01"):
        text = " ".join(doc.itertext())
        if day[:4] in COPYRIGHT_YEAR.findall(text):
            return None
    return day


def is_listing(doc: HtmlElement, set_aside: Sequence[HtmlElement]) -> bool:
    """Five or more different days in <time> elements outside the related lists."""
    aside = set(set_aside)
    days = {(t.get("datetime") or t.text_content()).strip()[:10] for t in doc.iter("time")
            if not any(a in aside for a in t.iterancestors())}
    return len(days) >= LISTING_DAYS


DATE_KEYS = re.compile(r"date|time|publish|modif|updated|created|issued", re.I)


def machine_days(md: metadata.Metadata, doc: HtmlElement, offset: dt.timedelta | None) -> set[str]:
    """Every day the page's machine-readable dates name (JSON-LD, microdata, metas, <time datetime>),
    each in the page's own time zone as well as as written."""
    values = [v for data in (md.jsonld, md.jsonld_page, md.microdata) for k, v in data.items()
              if isinstance(v, str) and k.startswith("date")]
    values += [v for k, vs in md.meta.items() if DATE_KEYS.search(k) for v in vs]
    values += [t.get("datetime", "") for t in doc.iter("time")]
    days = set()
    for value in values:
        if parsed := parse_machine_date(value):
            days.add(parsed[:10])
            days.add(in_page_zone(parsed, offset)[:10])
    return days


def _next_to(day: str, other: str) -> bool:
    return abs((_as_date(day) - _as_date(other)).days) == 1


def as_shown(own: str, shown: list[tuple[str, ...]], machine: set[str]) -> str | None:
    """The day the page shows for its publication, where it differs from its metadata's `own`:
    a timestamp without a zone of its own (UTC, or none) one day off the date shown beside the
    headline is the same moment in the page's local day; and a page that shows, as its date, a
    day its metadata names elsewhere (its dateModified) dates itself by that day. None where the
    metadata's own day is shown, or where nothing shown is backed by the page's metadata."""
    if not shown or any(own[:10] in readings for readings in shown):
        return None
    first = shown[0]
    if len(own) > 10 and not OFFSET.search(own) or own.endswith("+00:00"):
        for day in first:
            if _next_to(day, own[:10]):
                return day
    for day in first:
        if day in machine:
            return day
    return None


def find_published(md: metadata.Metadata, doc: HtmlElement, dateline: str, url: str,
                   profile_day: str | None = None, set_aside: Sequence[HtmlElement] = (),
                   captured_at: dt.datetime | str | None = None, title: str | None = None,
                   month_first: bool = False) -> str | None:
    """The publication date as ISO 8601 (a day, or a timestamp with its offset), or None."""
    latest = _captured_day(captured_at)
    from_url = url_day(url)
    if not plausible(from_url, latest):
        from_url = None
    own = metadata.published(md, doc, dateline, lambda v: plausible(v, latest))
    if own is None and plausible(profile_day, latest):
        own = md.found("published", profile_day, md.sources.get("profile", "profile"))
    shown = [kept for readings in near_headline(doc, title, month_first)
             if (kept := tuple(d for d in readings if plausible(d, latest)))]
    if own is not None and md.sources.get("published") in WEAK_SOURCES and from_url is None:
        # A lone <time> may be a sidebar's: htmldate weighs it against the rest of the page
        # (measured: right on 15 of 15 such pages where the <time> alone was right on 12).
        if plausible(day := htmldate_day(doc, url, latest, set_aside), latest) and day != own[:10]:
            return md.found("published", day, "htmldate")
    if own is not None:
        offset = page_offset(md, doc)
        own = in_page_zone(own, offset)
        if shown:
            if day := as_shown(own, shown, machine_days(md, doc, offset)):
                return md.found("published", day, "shown")
        if from_url and from_url != own[:10]:
            md.sources["published"] = "url"
        return with_url(own, from_url)
    if from_url:
        return md.found("published", from_url, "url")
    if is_listing(doc, set_aside):
        return None  # many dates side by side: a listing's items', none of them the page's
    if shown:  # the page's dateline, before htmldate's search of the whole page
        return md.found("published", shown[0][0], "shown")
    day = htmldate_day(doc, url, latest, set_aside)
    return md.found("published", day, "htmldate") if plausible(day, latest) else None
