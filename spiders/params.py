"""The article spider's parameters: one declared model, validated once when the crawl starts."""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from spiders.parsers.urls import is_http_url


WORKER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def new_crawl_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass(frozen=True)
class CrawlParams:
    """start_urls: where to begin (a site root also reads robots.txt, sitemaps and feeds).
    depth: link hops followed from a start page, sitemap or feed entry (default 2).
    max_pages: most HTML pages to request (None: no limit).
    out: the archive folder; WARC files go to out/warc, staging to out/staging/<crawl_id>.
    extra_domains: registrable domains in scope besides the start URLs'.
    known: a JSON Lines file of what earlier crawls captured (exported from the warehouse), for
        an incremental crawl: conditional GETs, revisit records, skipping unchanged sitemap entries.
    revisit_days: a known page whose sitemap lastmod is unchanged is fetched again (conditionally)
        only when its last capture is older than this; 0 revisits every known page.
    revisit_known: when discovery is done, conditionally revisit known articles it did not
        reach (how removed articles are noticed); off for quick feed/sitemap polls.
    redis_url: a shared frontier (redis://host:port/db): this process is one of several workers
        of the crawl, leasing requests from Redis instead of Scrapy's own scheduler.
    worker_id: this worker's name, unique in the crawl (letters, digits, - and _); it names the
        worker's WARC files and staging part.
    lease_seconds: how long a leased request stays with a worker that stopped renewing it (died)
        before it returns to the queue.
    """

    start_urls: tuple[str, ...]
    out: Path
    depth: int = 2
    max_pages: int | None = None
    crawl_id: str = field(default_factory=new_crawl_id)
    extra_domains: tuple[str, ...] = ()
    known: Path | None = None
    revisit_days: float = 7.0
    revisit_known: bool = True
    redis_url: str | None = None
    worker_id: str | None = None
    lease_seconds: float = 30.0

    def __post_init__(self) -> None:
        if not self.start_urls:
            raise ValueError("give at least one start URL, e.g. -a start_urls=https://example.com/")
        bad = [u for u in self.start_urls if not is_http_url(u)]
        if bad:
            raise ValueError(f"start URLs must be http(s) URLs, got {bad[0]!r}")
        if self.depth < 0:
            raise ValueError(f"depth must be 0 or more, got {self.depth}")
        if self.revisit_days < 0:
            raise ValueError(f"revisit_days must be 0 or more, got {self.revisit_days}")
        if self.max_pages is not None and self.max_pages < 1:
            raise ValueError(f"max_pages must be 1 or more, got {self.max_pages}")
        if self.worker_id is not None and not WORKER_ID.fullmatch(self.worker_id):
            raise ValueError(f"worker_id may hold letters, digits, - and _ only, got {self.worker_id!r}")
        if self.redis_url and self.worker_id is None:
            raise ValueError("a worker on a shared frontier needs a worker id: -a worker=w1")
        if self.lease_seconds <= 0:
            raise ValueError(f"lease_seconds must be more than 0, got {self.lease_seconds}")

    @classmethod
    def from_spider_args(cls, start_urls: str = "", out: str = "", depth: str = "2",
                         max_pages: str = "", crawl_id: str = "", domains: str = "", known: str = "",
                         revisit_days: str = "7", revisit_known: str = "true", redis: str = "",
                         worker: str = "", lease_seconds: str = "30") -> "CrawlParams":
        """Build from `scrapy crawl article -a name=value` strings."""
        if not out:
            raise ValueError("give an archive folder: -a out=DIR")
        return cls(start_urls=tuple(u.strip() for u in start_urls.split(",") if u.strip()),
                   out=Path(out), depth=int(depth), max_pages=int(max_pages) if max_pages else None,
                   crawl_id=crawl_id or new_crawl_id(),
                   extra_domains=tuple(d.strip() for d in domains.split(",") if d.strip()),
                   known=Path(known) if known else None, revisit_days=float(revisit_days),
                   revisit_known=revisit_known.lower() not in ("0", "false", "no", "off"),
                   redis_url=redis or None, worker_id=worker or None,
                   lease_seconds=float(lease_seconds))

    @property
    def warc_dir(self) -> Path:
        return self.out / "warc"

    @property
    def staging_dir(self) -> Path:
        return self.out / "staging" / self.crawl_id

    @property
    def part_dir(self) -> Path:
        """Where this process stages: the crawl's folder, or its worker's part of it."""
        return self.staging_dir / "parts" / self.worker_id if self.worker_id else self.staging_dir

    @property
    def warc_prefix(self) -> str:
        """WARC files are <prefix>-NNNNN.warc.gz: crawl id, worker id (if any), sequence."""
        worker = f"-{self.worker_id}" if self.worker_id else ""
        return f"clippings-{self.crawl_id}{worker}"
