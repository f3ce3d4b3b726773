"""How far each page is from a start page, sitemap or feed entry: the shortest distance found.

Responses arrive in no fixed order, so a page can first be reached through a link (1 hop) and
only later be listed by a sitemap (0 hops). `depth` counts the shortest distance, so which
pages a crawl fetches must not depend on which arrived first:
- a page found nearer before it is parsed is parsed at the nearer distance;
- a page found nearer after its links were followed from farther away has them followed again.
  It is not fetched again: the spider re-reads its response from the page's own WARC record
  (`locations`), so the archive holds each capture once.
Kept only by a single-worker crawl; pages 0 hops away are never remembered as locations.
"""
from __future__ import annotations

from dataclasses import dataclass, field

WarcRecord = tuple[str, int]  # (WARC file name, offset of the response record)


@dataclass
class Distances:
    depth: int
    best: dict[str, int] = field(default_factory=dict)  # canonical URL -> fewest hops found
    locations: dict[str, tuple[str, WarcRecord]] = field(default_factory=dict)  # -> (URL, record)

    def claimed(self, key: str, hops: int) -> None:
        """A page request was made for `key` at `hops`."""
        self.best[key] = hops

    def resumed(self, located: list[tuple[str, int, str, WarcRecord]]) -> None:
        """Seed with the pages a killed crawl staged: (key, hops, url, record) each."""
        for key, hops, url, record in located:
            self.claimed(key, hops)
            self.expanded(key, url, record)

    def hops_for(self, key: str, hops: int) -> int:
        """The distance to parse a response at: the request's, or a nearer one found since."""
        return min(hops, self.best.get(key, hops))

    def expanded(self, key: str, url: str, record: WarcRecord) -> None:
        """The links of `key` (fetched as `url`, archived at `record`) were considered."""
        if self.best.get(key, 0) > 0:
            self.locations[key] = (url, record)

    def nearer(self, key: str, hops: int) -> tuple[str, WarcRecord] | None:
        """`key`, already requested, was found again `hops` away. If that is nearer, remember it;
        return (url, record) when its links were already considered from farther away and must
        be again from here (only when they would be followed at all: hops below the depth)."""
        known = self.best.get(key)
        if known is None or hops >= known:
            return None
        self.best[key] = hops
        return self.locations.get(key) if hops < self.depth else None
