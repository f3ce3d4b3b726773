"""ArchiveMiddleware: every response the crawl receives goes to WARC and gets a capture row.

It sits next to the downloader, so it sees each raw response (redirects, errors, robots.txt,
sitemaps) exactly once, before other middlewares act on it.
"""
from __future__ import annotations

import datetime as dt

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.http.headers import Headers
from scrapy.responsetypes import responsetypes

from spiders.inflate import MAX_PAGE_BYTES
from spiders.rows import Capture, Reject
from spiders.staging import Staging
from spiders.warc import PreviousCapture, WarcArchive, WarcLocation, read_response, sha256_hex
from http import HTTPStatus


def _headers(headers: Headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


class ArchiveMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchiveMiddleware":
        return cls(crawler)

    def process_request(self, request: Request) -> Response | None:
        """A replay (a page found nearer since its links were followed; spiders.hops) is
        answered from the page's own WARC record: it is not fetched again."""
        if (replay := request.meta.get("replay")) is None:
            return None
        archive: WarcArchive = self.crawler.spider.archive  # type: ignore[union-attr]
        max_bytes = self.crawler.settings.getint("DOWNLOAD_MAXSIZE") or MAX_PAGE_BYTES  # 0: Scrapy's "no limit"
        status, headers, body = read_response(archive.directory / replay[0], replay[1], max_bytes)
        response_headers = Headers(headers)
        kind = responsetypes.from_args(headers=response_headers, url=request.url, body=body)
        return kind(url=request.url, status=status, headers=response_headers, body=body, request=request)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("replay"):
            return response  # archived when it was fetched
        spider = self.crawler.spider
        archive: WarcArchive = spider.archive  # type: ignore[union-attr]
        staging: Staging = spider.staging  # type: ignore[union-attr]
        previous: PreviousCapture | None = request.meta.get("previous")
        fetched_at = dt.datetime.now(dt.timezone.utc)
        digest = sha256_hex(response.body)
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        args = (response.url, request.method, _headers(request.headers), response.status, reason,
                _headers(response.headers))
        revisit = None
        if previous and response.status == 304:
            revisit = "not-modified"
            location = archive.write_revisit(*args, fetched_at, previous, "server-not-modified")
        elif previous and response.status == 200 and digest == previous.payload_sha256:
            revisit = "identical-payload"
            location = archive.write_revisit(*args, fetched_at, previous, "identical-payload-digest")
        else:
            location = archive.write(*args, response.body, fetched_at, digest)
        self.stats.inc_value(f"clippings/revisits/{revisit}" if revisit else "clippings/captures")
        if revisit is None and response.status == 200 and request.meta.get("kind") == "page":
            self.stats.inc_value("clippings/bodies_fetched")
        self.stats.inc_value("clippings/captured_bytes", len(response.body))
        staging.write(self._capture(request, response, fetched_at, digest, location, previous, revisit))
        request.meta.update(payload_sha256=previous.payload_sha256 if revisit and previous else digest,
                            fetched_at=fetched_at.isoformat(), revisit=revisit,
                            warc_record=None if revisit else (location.file, location.offset))
        return response

    @staticmethod
    def _capture(request: Request, response: Response, fetched_at: dt.datetime, digest: str,
                 location: WarcLocation, previous: PreviousCapture | None, revisit: str | None) -> Capture:
        def header(name: str) -> str | None:
            value = response.headers.get(name)
            return value.decode("latin-1") if value else None

        referrer = request.headers.get("Referer")
        redirect = header("Location") if 300 <= response.status < 400 and response.status != 304 else None
        return Capture(
            url=response.url, status=response.status, fetched_at=fetched_at.isoformat(),
            content_type=header("Content-Type"), content_length=len(response.body),
            payload_sha256=previous.payload_sha256 if revisit and previous else digest,
            warc_file=location.file, warc_offset=location.offset, warc_length=location.length,
            depth=int(request.meta.get("hops", 0)),
            referrer=referrer.decode("latin-1") if referrer else None,
            location=response.urljoin(redirect) if redirect else None,
            record_type="revisit" if revisit else "response", warc_record_id=location.record_id,
            refers_to=previous.warc_record_id if revisit and previous else None,
            etag=header("ETag") or (previous.etag if revisit and previous else None),
            last_modified=header("Last-Modified") or (previous.last_modified if revisit and previous else None),
            sitemap_lastmod=request.meta.get("lastmod"))


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
