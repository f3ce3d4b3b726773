"""Middlewares that make N workers behave as one crawler towards a site. Each does nothing when
the crawl has no shared frontier (a single-worker crawl on Scrapy's own scheduler).

- AcknowledgeMiddleware: a leased request is acknowledged once its callback's output is all
  scheduled and staged, so a worker killed before that leaves the lease to expire and be requeued.
  Not when the callback's iterator ends: Scrapy's scraper (on the asyncio reactor) queues a
  callback's output and handles it in worker tasks, so the iterator ends while its last
  requests and items still wait in that queue; acknowledging then lost an article for good
  when the worker was killed in between. The acknowledgement is instead one more output, a
  marker request queued behind all the others (`ack_marker`); the queue is first in, first out
  and each output is scheduled or staged before its task first waits, so when the scheduler
  receives the marker everything before it is in Redis or in the staged files.
- SiteSlotMiddleware: politeness across workers. Before a download a worker takes one of the
  site's `CONCURRENT_REQUESTS_PER_DOMAIN` slots in Redis (and respects `DOWNLOAD_DELAY` between any
  two starts), releasing it when the response or error comes back; a slot whose worker died
  expires. With no delay, the scheduler takes the slot with the request's lease, in the same
  round trip (`lease_slots`), and the middleware only checks it is there; a request that must
  first wait for its site's robots.txt gives that slot back (the robots.txt fetch may need it).
  We chose a shared slot over partitioning hosts between workers because a single large
  publisher then still uses every worker, and adding workers can never raise what the publisher
  sees above its cap.
- SharedRobotsTxtMiddleware: robots.txt is fetched (and archived) once per site per crawl by the
  first worker that needs it; the others read the same body from Redis.
"""
from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from spiders.frontier import RedisFrontier

ROBOTS_WAIT_SECONDS = 30.0
POLL_SECONDS = 0.01


def _frontier(crawler: Crawler) -> RedisFrontier | None:
    return getattr(crawler.spider, "frontier", None)


def lease_of(response: Response) -> str:
    """The frontier lease id of the request a response answers ("" on Scrapy's own scheduler)."""
    return str(response.meta.get("frontier_id", ""))


ACK_META = "frontier_ack"
SLOT_META = "site_slot"  # (site, token) of the politeness slot a request holds


def release_slot(frontier: RedisFrontier, request: Request) -> None:
    """Give back the site slot `request` holds, if any (with the frontier's next round trip)."""
    held = request.meta.pop(SLOT_META, None)
    if held:
        frontier.release_slot(*held)


def ack_marker(crawler: Crawler, request: Request | None) -> Request | None:
    """The last output of a leased request's callback (or errback): not fetched, it tells the
    scheduler that every output before it was handled (see the module docstring)."""
    if _frontier(crawler) is None or request is None or "frontier_id" not in request.meta:
        return None
    return Request(request.url, meta={ACK_META: request.meta["frontier_id"]}, dont_filter=True)


class AcknowledgeMiddleware:
    """Outermost spider middleware (order 10): the marker reaches the scraper untouched."""

    def __init__(self, crawler: Crawler) -> None:
        if _frontier(crawler) is None:
            raise NotConfigured
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "AcknowledgeMiddleware":
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        marker = ack_marker(self.crawler, response.request)
        try:
            yield from result
        except Exception:  # a callback that raised is done too: fetching it again would raise again
            if marker:
                yield marker
            raise
        if marker:
            yield marker

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        marker = ack_marker(self.crawler, response.request)
        try:
            async for item in result:
                yield item
        except Exception:
            if marker:
                yield marker
            raise
        if marker:
            yield marker


class SiteSlotMiddleware:
    def __init__(self, crawler: Crawler, frontier: RedisFrontier) -> None:
        self.frontier = frontier
        self.stats = crawler.stats
        settings = crawler.settings
        self.cap = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.delay = settings.getfloat("DOWNLOAD_DELAY")
        self.hold_seconds = settings.getfloat("DOWNLOAD_TIMEOUT") + 10
        self._tokens = itertools.count()
        self._pollers: dict[str, asyncio.Lock] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SiteSlotMiddleware":
        frontier = _frontier(crawler)
        if frontier is None:
            raise NotConfigured
        return cls(crawler, frontier)

    def lease_slots(self) -> tuple[int, float]:
        """(cap, hold seconds) for slots taken with a lease; a cap of 0 when there is a delay
        between starts: a slot taken at lease time would start its delay before the download
        does."""
        return (0 if self.delay else self.cap), self.hold_seconds

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if SLOT_META in request.meta:  # taken with its lease (FrontierScheduler)
            self.stats.inc_value("clippings/site_slot/with_lease")
            return
        netloc = urlparse_cached(request).netloc
        token = f"{self.frontier.worker_id}:{next(self._tokens)}"
        started = time.monotonic()
        # One poller per site per worker: requests waiting behind it queue on the lock.
        async with self._pollers.setdefault(netloc, asyncio.Lock()):
            while not self.frontier.acquire_slot(netloc, token, self.cap, self.delay, self.hold_seconds):
                await asyncio.sleep(POLL_SECONDS)
        request.meta[SLOT_META] = (netloc, token)
        self.stats.inc_value("clippings/site_slot/waited_ms", int((time.monotonic() - started) * 1000))

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        release_slot(self.frontier, request)
        return response

    def process_exception(self, request: Request, exception: Exception,
                          spider: Spider | None = None) -> None:
        release_slot(self.frontier, request)


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request: Request) -> RobotParser | None:
        frontier = _frontier(self.crawler)
        netloc = urlparse_cached(request).netloc
        if frontier is not None and (netloc not in self._parsers or isinstance(self._parsers[netloc], Deferred)):
            release_slot(frontier, request)  # it waits for robots.txt, whose fetch may need the slot
        if frontier is None or netloc in self._parsers:
            return await super().robot_parser(request)
        body = await self._shared_body(frontier, netloc)
        if body is None:  # this worker fetches it, and shares it in _parse_robots
            return await super().robot_parser(request)
        parser = build_from_crawler(self._parserimpl, self.crawler, body)
        self._parsers[netloc] = parser
        self._stats.inc_value("robotstxt/shared")
        return parser

    @staticmethod
    async def _shared_body(frontier: RedisFrontier, netloc: str) -> bytes | None:
        deadline = time.monotonic() + ROBOTS_WAIT_SECONDS
        while time.monotonic() < deadline:
            body = frontier.robots_body(netloc)
            if body is not None:
                return body
            if frontier.claim_robots(netloc):
                return None
            await asyncio.sleep(POLL_SECONDS * 5)
        return None  # the worker that claimed it died: fetch it ourselves

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        frontier = _frontier(self.crawler)
        if frontier is not None:
            frontier.save_robots(netloc, response.body)  # parsed as Scrapy parses it, whatever the status
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        frontier = _frontier(self.crawler)
        if frontier is not None:
            frontier.save_robots(netloc, b"")  # as Scrapy does: no robots.txt, nothing forbidden
        super()._robots_error(exc, netloc)
