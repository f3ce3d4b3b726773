"""The article spider's parameters: one declared model, validated once when the crawl starts.

The defaults live here only: `scrapy crawl article -a ...`, the CLI and the flows leave a
parameter out (or pass None) to get them.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from spiders.layout import ArchiveLayout


WORKER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def new_crawl_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass(frozen=True)
class CrawlParams:
    """start_urls: where to begin (a site root also reads robots.txt, sitemaps and feeds).
    depth: link hops followed from a start page, sitemap or feed entry.
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
    site: the sites-file entry this crawl is of. Crawls of different sites may share an archive
        at once; two crawls of one site (or two crawls naming no site) may not.
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
    site: str | None = None

    def __post_init__(self) -> None:
        from spiders.parsers.urls import is_http_url  # here: `clippings --help` reads the defaults

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
        if self.site is not None and not WORKER_ID.fullmatch(self.site):
            raise ValueError(f"site may hold letters, digits, - and _ only, got {self.site!r}")
        if self.worker_id is not None and not WORKER_ID.fullmatch(self.worker_id):
            raise ValueError(f"worker_id may hold letters, digits, - and _ only, got {self.worker_id!r}")
        if self.redis_url and self.worker_id is None:
            raise ValueError("a worker on a shared frontier needs a worker id: -a worker=w1")
        if self.lease_seconds <= 0:
            raise ValueError(f"lease_seconds must be more than 0, got {self.lease_seconds}")

    @classmethod
    def default(cls, name: str) -> Any:
        """A parameter's default, for the CLI's and the flows' help and signatures."""
        return next(f.default for f in fields(cls) if f.name == name)

    @classmethod
    def create(cls, start_urls: tuple[str, ...], out: Path, **values: Any) -> CrawlParams:
        """Build from optional values: None means "the default" (as the CLI and flows pass them)."""
        return cls(start_urls, out, **{k: v for k, v in values.items() if v is not None})

    @classmethod
    def from_spider_args(cls, start_urls: str = "", out: str = "", depth: str = "", max_pages: str = "",
                         crawl_id: str = "", domains: str = "", known: str = "", revisit_days: str = "",
                         revisit_known: str = "", redis: str = "", worker: str = "",
                         lease_seconds: str = "", site: str = "") -> CrawlParams:
        """Build from `scrapy crawl article -a name=value` strings; an absent one is the default."""
        if not out:
            raise ValueError("give an archive folder: -a out=DIR")
        return cls.create(
            tuple(u.strip() for u in start_urls.split(",") if u.strip()), Path(out),
            depth=int(depth) if depth else None, max_pages=int(max_pages) if max_pages else None,
            crawl_id=crawl_id or None,
            extra_domains=tuple(d.strip() for d in domains.split(",") if d.strip()),
            known=Path(known) if known else None,
            revisit_days=float(revisit_days) if revisit_days else None,
            revisit_known=revisit_known.lower() not in ("0", "false", "no", "off") if revisit_known else None,
            redis_url=redis or None, worker_id=worker or None,
            lease_seconds=float(lease_seconds) if lease_seconds else None, site=site or None)

    def to_spider_args(self) -> dict[str, str]:
        """The `-a name=value` strings `from_spider_args` reads back into these parameters."""
        args = {"start_urls": ",".join(self.start_urls), "out": str(self.out), "depth": str(self.depth),
                "crawl_id": self.crawl_id, "domains": ",".join(self.extra_domains),
                "revisit_days": str(self.revisit_days), "revisit_known": str(self.revisit_known).lower()}
        if self.max_pages is not None:
            args["max_pages"] = str(self.max_pages)
        if self.known is not None:
            args["known"] = str(self.known)
        if self.site:
            args["site"] = self.site
        if self.redis_url:
            args.update(redis=self.redis_url, worker=self.worker_id or "",
                        lease_seconds=str(self.lease_seconds))
        return args

    @property
    def layout(self) -> ArchiveLayout:
        return ArchiveLayout(self.out)

    @property
    def warc_dir(self) -> Path:
        return self.layout.warc_dir

    @property
    def staging_dir(self) -> Path:
        return self.layout.staging_dir(self.crawl_id)

    @property
    def part_dir(self) -> Path:
        """Where this process stages: the crawl's folder, or its worker's part of it."""
        return self.layout.part_dir(self.crawl_id, self.worker_id) if self.worker_id else self.staging_dir

    @property
    def lock_key(self) -> str | None:
        """Whose lock this crawl holds (ArchiveLayout.lock_path): a worker's own, its site's, or
        (None) the archive's."""
        if self.worker_id:
            return f"{self.crawl_id}-{self.worker_id}"
        return self.site

    @property
    def warc_prefix(self) -> str:
        """WARC files are <prefix>-NNNNN.warc.gz: crawl id, worker id (if any), sequence."""
        return self.layout.warc_prefix(self.crawl_id, self.worker_id)

    @property
    def log_path(self) -> Path:
        return self.layout.log_path(self.crawl_id, self.worker_id)
