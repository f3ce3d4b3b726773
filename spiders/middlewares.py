"""ArchiveMiddleware: every response the crawl receives goes to WARC and gets a capture row.

It sits next to the downloader, so it sees each raw response (redirects, errors, robots.txt,
sitemaps) exactly once, before other middlewares act on it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from spiders.records import Capture, Reject
from spiders.staging import Staging
from spiders.warc import WarcArchive, sha256_hex
from http import HTTPStatus


def _headers(headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


class ArchiveMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchiveMiddleware":
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        spider = self.crawler.spider
        archive: WarcArchive = spider.archive  # type: ignore[attr-defined]
        staging: Staging = spider.staging  # type: ignore[attr-defined]
        fetched_at = dt.datetime.now(dt.timezone.utc)
        digest = sha256_hex(response.body)
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        location = archive.write(response.url, request.method, _headers(request.headers),
                                 response.status, reason, _headers(response.headers), response.body,
                                 fetched_at, digest)
        referrer = request.headers.get("Referer")
        redirect = response.headers.get("Location") if 300 <= response.status < 400 else None
        staging.write("captures", Capture(
            url=response.url, status=response.status, fetched_at=fetched_at.isoformat(),
            content_type=(response.headers.get("Content-Type") or b"").decode("latin-1") or None,
            content_length=len(response.body), payload_sha256=digest, warc_file=location.file,
            warc_offset=location.offset, warc_length=location.length,
            depth=int(request.meta.get("hops", 0)),
            referrer=referrer.decode("latin-1") if referrer else None,
            location=response.urljoin(redirect.decode("latin-1")) if redirect else None))
        self.stats.inc_value("clippings/captures")
        self.stats.inc_value("clippings/captured_bytes", len(response.body))
        request.meta["payload_sha256"] = digest
        request.meta["fetched_at"] = fetched_at.isoformat()
        return response


class RejectOnSpiderError:
    """A bug in a callback must not lose the page: the exception becomes a reject row."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RejectOnSpiderError":
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> list[Reject]:
        self.crawler.stats.inc_value("clippings/spider_errors")
        return [Reject(response.url, "parse", f"spider error: {type(exception).__name__}: {exception}",
                       response.status)]
