"""`crawl.json`, typed: what one crawl (or re-extraction) did, built in one place for both.

The spider and `spiders.reparse` build it with `summarize`; the warehouse loads it into `crawls`
(the typed columns, and the whole summary as JSON); the flows and the CLI report from it.
"""
from __future__ import annotations

import datetime as dt
import json
import resource
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CrawlSummary:
    crawl_id: str
    start_urls: list[str]
    started: str  # ISO 8601, UTC
    finished: str
    finish_reason: str  # Scrapy's close reason (finished, closespider_..., shutdown), or "reparsed"
    pages_fetched: int  # captures: every response received
    articles: int
    sections: int
    links: int
    aliases: int
    rejects: int
    revisits: int  # responses saying a known page is unchanged: 304, or an identical payload
    bytes: int  # payload bytes captured
    warc_files: list[str]
    parser_version: str
    depth: int
    max_pages: int | None
    peak_memory_bytes: int = 0  # the crawling process's high-water mark (process_peak_bytes)
    bodies_fetched: int = 0  # 200 responses with a new payload
    unchanged: int = 0  # known pages not even asked for: same sitemap lastmod, or (polls) not due
    resumed: bool = False  # this run continued a killed crawl under the same id
    reparse_of: str | None = None  # for a re-extraction: the crawl whose WARC records it re-read
    pages_reparsed: int = 0
    worker_id: str | None = None  # in part.json: the worker of a multi-worker crawl that wrote it
    workers: list[str] = field(default_factory=list)  # a multi-worker crawl's workers, its parts/...
    workers_died: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    redis: str | None = None  # a multi-worker crawl's frontier: "local" (started for it) or "shared"
    site: str | None = None  # the sites-file entry crawled (the multi-site flow finds it by this)
    mode: str | None = None  # the flow's mode: "full" or "poll"
    decisions: dict[str, int] = field(default_factory=dict)  # every clippings/... stats counter

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", "utf-8")

    @classmethod
    def read(cls, path: Path) -> CrawlSummary:
        return cls(**json.loads(path.read_text("utf-8")))


def process_peak_bytes() -> int:
    """This process's peak resident memory so far (ru_maxrss), the staging conversion included.

    Not Scrapy's memusage/max: that samples at engine start and then once a minute, so a crawl
    shorter than a minute reported its start-up memory, and a longer one whatever it held at the
    last sample."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB on Linux


def summarize(crawl_id: str, start_urls: list[str], started: dt.datetime, finish_reason: str,
              counts: dict[str, int], parser_version: str, depth: int, max_pages: int | None,
              stats: dict[str, Any] | None = None, warc_files: list[str] | None = None,
              resumed: bool = False, reparse_of: str | None = None,
              pages_reparsed: int = 0, worker_id: str | None = None,
              site: str | None = None, peak_memory_bytes: int = 0) -> CrawlSummary:
    """The summary of a crawl from its staged row counts and Scrapy stats (none for a reparse)."""
    stats = stats or {}
    return CrawlSummary(
        crawl_id=crawl_id, start_urls=list(start_urls), started=started.isoformat(),
        finished=dt.datetime.now(dt.timezone.utc).isoformat(), finish_reason=finish_reason,
        pages_fetched=counts["captures"], articles=counts["articles"], sections=counts["sections"],
        links=counts["links"], aliases=counts["aliases"], rejects=counts["rejects"],
        revisits=int(stats.get("clippings/revisits/not-modified", 0))
        + int(stats.get("clippings/revisits/identical-payload", 0)),
        unchanged=int(stats.get("clippings/skipped/unchanged_lastmod", 0))
        + int(stats.get("clippings/skipped/known_not_due", 0)), bytes=int(stats.get("clippings/captured_bytes", 0)),
        warc_files=list(warc_files or []), parser_version=parser_version, depth=depth,
        max_pages=max_pages, peak_memory_bytes=peak_memory_bytes,
        bodies_fetched=int(stats.get("clippings/bodies_fetched", 0)), resumed=resumed,
        reparse_of=reparse_of, pages_reparsed=pages_reparsed, worker_id=worker_id, site=site,
        decisions={k.removeprefix("clippings/"): v for k, v in sorted(stats.items())
                   if k.startswith("clippings/")})
