"""Dates as pages write them, normalised to ISO 8601.

Machine dates (JSON-LD, meta, `<time datetime>`) keep the precision they were given: a bare day
stays a day, a timestamp stays a timestamp. Visible text is read only next to a word that says
which date it is ("Published", "Posted"); "Updated ..." never becomes the publication date, and
a page without a date gets None, never today.
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {name: i for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})

_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b", re.I)
ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
PUBLISHED_LABEL = re.compile(r"\b(published|posted|first published|publication date|date)\b\s*(on)?\s*:?\s*", re.I)
UPDATED_LABEL = re.compile(r"\b(updated|modified|last updated|edited)\b\s*(on)?\s*:?\s*", re.I)


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_machine_date(value: str | None) -> str | None:
    """An ISO-ish date or timestamp from metadata, as ISO 8601; None when it is not one."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _day(*map(int, value.split("-")))
    candidate = re.sub(r"(\.\d{1,6})\d*", r"\1", value.replace(" ", "T", 1))
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    try:
        return dt.datetime.fromisoformat(candidate).isoformat()
    except ValueError:
        return parse_text_date(value)


def parse_text_date(text: str | None) -> str | None:
    """The first calendar date written in words or ISO form in `text`, as YYYY-MM-DD."""
    if not text:
        return None
    found = [(m.start(), _day(int(m.group(3)), MONTHS[m.group(1).lower()[:3]], int(m.group(2))))
             for m in MONTH_DAY_YEAR.finditer(text)]
    found += [(m.start(), _day(int(m.group(3)), MONTHS[m.group(2).lower()[:3]], int(m.group(1))))
              for m in DAY_MONTH_YEAR.finditer(text)]
    found += [(m.start(), _day(int(m.group(1)), int(m.group(2)), int(m.group(3))))
              for m in ISO_DAY.finditer(text)]
    found = sorted((pos, day) for pos, day in found if day)
    return found[0][1] if found else None


def labelled_date(text: str, label: re.Pattern[str]) -> str | None:
    """The date that follows `label` in a dateline such as "Published July 29, 2025 · Updated …"."""
    for match in label.finditer(text):
        rest = text[match.end(): match.end() + 40]
        day = parse_text_date(rest)
        if day and not (label is PUBLISHED_LABEL and UPDATED_LABEL.match(rest)):
            return day
    return None
