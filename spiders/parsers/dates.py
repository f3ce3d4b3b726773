"""Dates as pages write them, normalised to ISO 8601.

Machine dates (JSON-LD, meta, `<time datetime>`) keep the precision they were given: a bare day
stays a day, a timestamp stays a timestamp. Visible text is read only next to a word that says
which date it is ("Published", "Posted"); "Updated ..." never becomes the publication date, and
a page without a date gets None, never today. `shown_dates` reads the dates a dateline shows,
in the formats and languages pages print them (published.py decides which one counts).
"""
from __future__ import annotations

import datetime as dt
import email.utils
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


# "…T22:12:00 UTC", "…T22:12:00 GMT": a zone written as a name
UTC_NAME = re.compile(r"\s*(?:UTC|GMT)$")
# "T4:10:00", "T23:15:0": hours, minutes or seconds written with one digit
SHORT_TIME = re.compile(r"T(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?=$|[.+Z-])")


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
    candidate = UTC_NAME.sub("+00:00", value)
    candidate = re.sub(r"(\.\d{1,6})\d*", r"\1", candidate.replace(" ", "T", 1))
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    candidate = SHORT_TIME.sub(lambda m: "T" + ":".join(part.zfill(2) for part in m.groups() if part), candidate)
    try:
        return dt.datetime.fromisoformat(candidate).isoformat()
    except ValueError:
        pass
    try:  # RFC 2822, as feeds and some JSON-LD write it: "Wed, 04 May 2022 00:25:56 GMT"
        return email.utils.parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
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


# Month names as pages print them, in the languages of the pages we read (English, German,
# French, Spanish, Italian, Portuguese, Dutch), with their usual abbreviations.
SHOWN_MONTHS = {word: number for number, words in enumerate((
    "january jan januar jänner janvier janv enero ene gennaio gen janeiro januari",
    "february feb februar feber février fevrier févr fevr febrero febbraio fevereiro fev februari",
    "march mar märz maerz mär mars marzo março marco maart mrt",
    "april apr avril avr abril abr aprile",
    "may mai mayo maggio mag maio mei",
    "june jun juni juin junio giugno giu junho",
    "july jul juli juillet juil julio luglio lug julho",
    "august aug august août aout agosto ago augustus",
    "september sep sept septembre septiembre settembre set setembro",
    "october oct oktober okt octobre octubre ottobre ott outubro out",
    "november nov novembre noviembre novembro",
    "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro",
), start=1) for word in words.split()}
_SHOWN_MONTH = "(" + "|".join(sorted(SHOWN_MONTHS, key=len, reverse=True)) + r")(?![^\W\d_])\.?"
_YEAR = r"((?:19|20)\d{2})(?!\d)"
SHOWN_DAY_MONTH_YEAR = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s*(?:de\s+|of\s+)?"
                                  rf"{_SHOWN_MONTH},?\s*(?:de\s+|del\s+)?{_YEAR}", re.I)
SHOWN_MONTH_DAY_YEAR = re.compile(rf"(?<![^\W\d_]){_SHOWN_MONTH}\s*(\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+{_YEAR}",
                                  re.I)
SHOWN_YEAR_MONTH_DAY = re.compile(r"(?<![\d.])((?:19|20)\d{2})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
# 2020年07月12日 (Japanese, Chinese), 2020년 7월 12일 (Korean)
SHOWN_CJK = re.compile(r"((?:19|20)\d{2})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# 13.04.2020, 13/04/2020, 13-04-2020; 13.4.20 (two-digit years only with dots, as German pages print them)
SHOWN_NUMERIC = re.compile(r"(?<![\d.,/-])(\d{1,2})(\. ?|/|-)(\d{1,2})\2((?:19|20)\d{2}|(?:(?<=\.)|(?<=\. ))\d{2})"
                           r"(?![\d]|[./-]\d)")
# One end of a span of days ("5. bis 11. Februar 2022", "2020/7/11-12"): an event's dates, not a dateline.
RANGE_BEFORE = re.compile(r"(?:\b(?:bis|to|until|till|au|al|hasta|through)|[-–—])\s*$", re.I)
RANGE_AFTER = re.compile(r"[-–—]\d{1,2}(?![\d:])|\s*(?:bis|to|until|au|al|hasta)\s+\d", re.I)


def shown_dates(text: str, month_first: bool = False) -> list[tuple[int, str]]:
    """Every calendar date `text` shows, as (position, YYYY-MM-DD), in order: words in several
    languages ("3 de mayo de 2022", "20. März 2021", "March 14, 2021") and numbers
    ("04.02.2022", "2022-02-04", "2020年7月12日"). A numeric date whose order is ambiguous
    (03/04/2022) comes twice at the same position: read day first, then month first (the other
    way round where `month_first`, a page in US English), so the caller can tell which reading
    other evidence backs. Either end of a span of days ("5. bis 11. Februar") is left out."""
    found: list[tuple[re.Match[str], str | None]] = []
    found += [(m, _day(int(m[3]), SHOWN_MONTHS[m[2].lower()], int(m[1])))
              for m in SHOWN_DAY_MONTH_YEAR.finditer(text)]
    found += [(m, _day(int(m[3]), SHOWN_MONTHS[m[1].lower()], int(m[2])))
              for m in SHOWN_MONTH_DAY_YEAR.finditer(text)]
    found += [(m, _day(int(m[1]), int(m[3]), int(m[4]))) for m in SHOWN_YEAR_MONTH_DAY.finditer(text)]
    found += [(m, _day(int(m[1]), int(m[2]), int(m[3]))) for m in SHOWN_CJK.finditer(text)]
    for m in SHOWN_NUMERIC.finditer(text):
        first, second, year = int(m[1]), int(m[3]), int(m[4])
        year += 2000 if year < 100 else 0
        month_then_day = m[2] in "/-" and (second > 12 or (month_first and m[2] == "/" and first <= 12))
        day, month = (second, first) if month_then_day else (first, second)
        found.append((m, _day(year, month, day)))
        if m[2] in "/-" and day != month and day <= 12 and month <= 12:
            found.append((m, _day(year, day, month)))  # the other reading, after the preferred one
    kept = [(m.start(), day) for m, day in found if day and not _in_range(text, m)]
    return sorted(kept, key=lambda position_day: position_day[0])


def _in_range(text: str, match: re.Match[str]) -> bool:
    """Whether the date `match` found is one end of a span of days."""
    return bool(RANGE_BEFORE.search(text[max(0, match.start() - 8):match.start()])
                or RANGE_AFTER.match(text, match.end()))
