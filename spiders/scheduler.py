"""FrontierScheduler: Scrapy's scheduler interface over the shared Redis frontier.

It plugs in where scrapy-redis's Scheduler does (SCHEDULER setting) and keeps its design: requests
serialised with Scrapy's own request_to_dict, a Redis dupefilter for fingerprinted requests, keys
per crawl. It differs where scrapy-redis cannot do what Clippings needs (docs/scaling.md):
requests are leased and acknowledged (spiders.frontier), the dupefilter is per crawl id rather
than per spider name, and start requests come from the spider's own `start()`, every worker
running it while the frontier's canonical-URL claims let only one of them schedule each page.

Each lease also takes its site's politeness slot when one is free, in the same round trip (see
spiders.shared.SiteSlotMiddleware), and a page request's lease reserves the canonical URL its page
would stage (`_stages`; see spiders.frontier.LEASE): a page costs no round trip of its own to start
or to be staged.

Requests are leased a few at a time (a quarter of the worker's CONCURRENT_REQUESTS): Scrapy asks
for one request per free download slot, and a round trip per request was most of the frontier's
cost on a fast site (bench/scale.py). The look-ahead is leased like a request in flight, so a
killed worker's look-ahead returns to the queue when its leases expire, and a worker that stops
gives back at once what it never started.

A worker whose local queue is empty while others still hold leases is not idle: the crawl may
still grow. Scrapy only polls an empty scheduler every 5 s, so a short loop wakes the engine, and
renews this worker's leases while it lives.
"""
from __future__ import annotations

import pickle
import time
from collections import deque
from typing import Any

from scrapy import Request, Spider
from scrapy.core.scheduler import BaseScheduler
from scrapy.crawler import Crawler
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.request import request_from_dict
from twisted.internet.task import LoopingCall

from spiders.frontier import Lease, RedisFrontier
from spiders.shared import ACK_META, SLOT_META, SiteSlotMiddleware, release_slot

WAKE_SECONDS = 0.05
_OTHER = object()  # a callback that is not one of the spider's methods


class FrontierScheduler(BaseScheduler):
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.spider: Spider | None = None
        self.frontier: RedisFrontier | None = None
        self._loop: LoopingCall | None = None
        self._renewed = time.monotonic()
        self._ahead: deque[Lease] = deque()  # leased, not yet handed to the engine
        self._batch = max(1, crawler.settings.getint("CONCURRENT_REQUESTS") // 4)
        self._slots: tuple[int, float] = (0, 0.0)  # (cap, hold seconds) of slots taken with leases

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "FrontierScheduler":
        return cls(crawler)

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.frontier = spider.frontier  # type: ignore[attr-defined]  # built from the spider's params
        # Site slots come with the leases only where SiteSlotMiddleware is there to release them.
        slots = [m for m in self.crawler.engine.downloader.middleware.middlewares
                 if isinstance(m, SiteSlotMiddleware)] if self.crawler.engine else []
        self._slots = slots[0].lease_slots() if slots else (0, 0.0)
        self._loop = LoopingCall(self._tick)
        self._loop.start(WAKE_SECONDS, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.frontier is not None and self._ahead:
            self.frontier.give_back(list(self._ahead))
            self._ahead.clear()

    def _tick(self) -> None:
        assert self.frontier is not None
        # By the clock, not by ticks: a busy reactor skips ticks, and leases must not expire
        # under a worker that is alive (another would fetch them again).
        now = time.monotonic()
        if now - self._renewed >= self.frontier.lease_seconds / 3:
            self._renewed = now
            self.frontier.renew()
        else:
            self.frontier.flush()  # held-back pushes, acks and slot releases wait at most a tick
        slot = getattr(self.crawler.engine, "_slot", None)  # Scrapy has no public "wake up" call
        if slot is not None:
            slot.nextcall.schedule()

    def has_pending_requests(self) -> bool:
        assert self.frontier is not None
        return bool(self._ahead) or self.frontier.pending() > 0

    def enqueue_request(self, request: Request) -> bool:
        assert self.frontier is not None and self.crawler.request_fingerprinter is not None
        if ACK_META in request.meta:  # not a request: a lease's whole output is handled
            self.frontier.ack_later(request.meta[ACK_META])
            self.crawler.stats.inc_value("scheduler/acknowledged/redis")
            return False
        release_slot(self.frontier, request)  # never queued holding one (middlewares release it first)
        if not request.dont_filter:
            fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
            if self.frontier.fingerprint_seen(fingerprint):
                self.crawler.stats.inc_value("dupefilter/filtered")
                return False
        replaces = request.meta.pop("frontier_id", None)  # a redirect or retry of a leased request
        claim = request.meta.pop("claim", None)  # (canonical URL, lease) it was claimed under
        data = pickle.dumps(self._fields(request), protocol=pickle.HIGHEST_PROTOCOL)
        self.frontier.push_later(data, request.priority, replaces, tuple(claim) if claim else None,
                                 urlparse_cached(request).netloc, self._stages(request))
        self.crawler.stats.inc_value("scheduler/enqueued/redis")
        return True

    @staticmethod
    def _stages(request: Request) -> str:
        """The canonical URL a page request's page would stage, for its lease to reserve: its own
        (meta "key"), unless it is a redirect's next hop (which another request may also reach)."""
        meta = request.meta
        return str(meta["key"]) if meta.get("kind") == "page" and "key" in meta and \
            "redirect_urls" not in meta else ""

    def _fields(self, request: Request) -> dict[str, Any]:
        """`request.to_dict(spider=...)`, as request_from_dict reads it back. Scrapy finds the
        name of a callback by listing every method of the spider (inspect.getmembers), which
        was a third of what the frontier cost a page; a spider's own method is named by its
        __name__ here, and anything else is left to Scrapy."""
        callback, errback = self._method_name(request.callback), self._method_name(request.errback)
        if callback is _OTHER or errback is _OTHER or type(request) is not Request:
            return request.to_dict(spider=self.spider)
        fields: dict[str, Any] = {"url": request.url, "callback": callback, "errback": errback,
                                  "headers": dict(request.headers)}
        for attr in request.attributes:
            fields.setdefault(attr, getattr(request, attr))
        return fields

    def _method_name(self, func: Any) -> object:
        """The name of one of the spider's methods; None for none; _OTHER for anything else."""
        if func is None:
            return None
        name = getattr(func, "__name__", "")
        own = getattr(getattr(self.spider, name, None), "__func__", None) if name else None
        return name if own is not None and own is getattr(func, "__func__", None) else _OTHER

    def next_request(self) -> Request | None:
        assert self.frontier is not None
        if not self._ahead:
            self._ahead.extend(self.frontier.lease_many(self._batch, *self._slots))
        if not self._ahead:
            return None
        lease = self._ahead.popleft()
        fields: dict[str, Any] = pickle.loads(lease.data)
        request = request_from_dict(fields, spider=self.spider)
        request.meta["frontier_id"] = lease.request_id
        if lease.slot:
            request.meta[SLOT_META] = lease.slot
        self.crawler.stats.inc_value("scheduler/dequeued/redis")
        return request
