"""Crawler traps: URL spaces a site can make infinite (calendars, faceted search, relative-link
loops), bounded by settings with safe defaults.

`TrapGuard.check(url)` is asked before a page is requested (the spider splits it into `peek`
and, once the claim says the URL is new, `record`); a tripped limit comes back as the reason
for a reject row (stage "trap") and the spider counts it under `clippings/trap/<limit>`.
Limits (Scrapy settings; 0 switches one off):

- CLIPPINGS_TRAP_MAX_URL_LENGTH (2048): longer URLs are refused.
- CLIPPINGS_TRAP_MAX_PATH_DEPTH (16): more path segments than this are refused.
- CLIPPINGS_TRAP_MAX_SEGMENT_REPEATS (3): a path segment occurring more often (/a/b/a/b/a/b/...).
- CLIPPINGS_TRAP_MAX_QUERY_VARIANTS (50): distinct query strings for one path.
- CLIPPINGS_TRAP_MAX_CALENDAR_PAGES (36): URLs of one date-shaped pattern (/calendar/2025/07/),
  and any date-shaped URL whose year is implausible (before 1800 or after next year).
- CLIPPINGS_TRAP_MAX_PAGES_PER_HOST (100000): pages requested from one host.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

DEFAULTS = {"max_url_length": 2048, "max_path_depth": 16, "max_segment_repeats": 3,
            "max_query_variants": 50, "max_calendar_pages": 36, "max_pages_per_host": 100_000}
# A year, then a month (and maybe a day), in the path or the query: /2025/07/, ?month=2025-07
_CALENDAR = re.compile(r"(?<![0-9])([12][0-9]{3})[/\-_.=&]+(0?[1-9]|1[0-2])(?![0-9])")
FIRST_YEAR = 1800


@dataclass(frozen=True)
class Recorded:
    """What `TrapGuard.record` counted for one URL."""
    url: str
    host: str
    query_of: str | None  # the path whose query variants gained this one
    calendar: str | None  # the calendar shape whose pages gained this one


@dataclass
class TrapGuard:
    limits: dict[str, int] = field(default_factory=lambda: dict(DEFAULTS))
    _queries: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _calendar: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _hosts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_settings(cls, settings: "BaseSettings") -> "TrapGuard":
        return cls({name: settings.getint(f"CLIPPINGS_TRAP_{name.upper()}", default)
                    for name, default in DEFAULTS.items()})

    def _over(self, name: str, value: int) -> bool:
        return bool(self.limits[name]) and value > self.limits[name]

    def check(self, url: str) -> tuple[str, str] | None:
        """(limit name, reason) when requesting `url` would walk into a trap; else records it."""
        trap = self.peek(url)
        if trap is None:
            self.record(url)
        return trap

    def peek(self, url: str) -> tuple[str, str] | None:
        """`check` without recording: the crawl asks before it knows whether the URL is new."""
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if self._over("max_url_length", len(url)):
            return "max_url_length", f"trap: URL is {len(url)} characters (limit {self.limits['max_url_length']})"
        if self._over("max_path_depth", len(segments)):
            return "max_path_depth", f"trap: path is {len(segments)} segments deep (limit {self.limits['max_path_depth']})"
        repeated = Counter(segments).most_common(1)
        if repeated and self._over("max_segment_repeats", repeated[0][1]):
            return "max_segment_repeats", (f"trap: path segment {repeated[0][0]!r} repeats {repeated[0][1]} "
                                           f"times (limit {self.limits['max_segment_repeats']})")
        path_key = f"{parts.netloc}{parts.path}"
        if parts.query and parts.query not in self._queries[path_key] and \
                self._over("max_query_variants", len(self._queries[path_key]) + 1):
            return "max_query_variants", (f"trap: more than {self.limits['max_query_variants']} query "
                                          f"variants of {path_key}")
        if calendar := self._calendar_trip(parts.netloc, f"{parts.path}?{parts.query}", url):
            return calendar
        if self._over("max_pages_per_host", self._hosts[parts.netloc] + 1):
            return "max_pages_per_host", f"trap: more than {self.limits['max_pages_per_host']} pages from {parts.netloc}"
        return None

    def record(self, url: str) -> Recorded:
        """Count `url` towards the limits: it is about to be requested. Returns what changed,
        for `forget`."""
        parts = urlsplit(url)
        query_of = calendar = None
        path_key, where = f"{parts.netloc}{parts.path}", f"{parts.path}?{parts.query}"
        if parts.query and parts.query not in self._queries[path_key]:
            self._queries[path_key].add(parts.query)
            query_of = path_key
        if self.limits["max_calendar_pages"] and _CALENDAR.search(where):
            shape = _calendar_shape(parts.netloc, where)
            if url not in self._calendar[shape]:
                self._calendar[shape].add(url)
                calendar = shape
        self._hosts[parts.netloc] += 1
        return Recorded(url, parts.netloc, query_of, calendar)

    def forget(self, recorded: Recorded) -> None:
        """Undo a `record` whose URL was not requested after all (another worker had it)."""
        self._hosts[recorded.host] -= 1
        if recorded.query_of is not None:
            self._queries[recorded.query_of].discard(urlsplit(recorded.url).query)
        if recorded.calendar is not None:
            self._calendar[recorded.calendar].discard(recorded.url)

    def _calendar_trip(self, host: str, where: str, url: str) -> tuple[str, str] | None:
        if not self.limits["max_calendar_pages"] or not (match := _CALENDAR.search(where)):
            return None
        year = int(match.group(1))
        if not FIRST_YEAR <= year <= dt.date.today().year + 1:
            return "max_calendar_pages", f"trap: calendar page for the implausible year {year}"
        seen = self._calendar.get(_calendar_shape(host, where), set())
        if url not in seen and len(seen) >= self.limits["max_calendar_pages"]:
            return "max_calendar_pages", (f"trap: more than {self.limits['max_calendar_pages']} "
                                          f"calendar pages shaped {re.sub(r'[0-9]+', 'N', where).rstrip('?')}")
        return None


def _calendar_shape(host: str, where: str) -> str:
    """Calendar pages of one shape (their numbers blanked) share one limit."""
    return host + re.sub(r"[0-9]+", "N", where)
