"""FrontierScheduler: Scrapy's scheduler interface over the shared Redis frontier.

It plugs in where scrapy-redis's Scheduler does (SCHEDULER setting) and keeps its design: requests
serialised with Scrapy's own request_to_dict, a Redis dupefilter for fingerprinted requests, keys
per crawl. It differs where scrapy-redis cannot do what Clippings needs (docs/scaling.md):
requests are leased and acknowledged (spiders.frontier), the dupefilter is per crawl id rather
than per spider name, and start requests come from the spider's own `start()`, every worker
running it while the frontier's canonical-URL claims let only one of them schedule each page.

A worker whose local queue is empty while others still hold leases is not idle: the crawl may
still grow. Scrapy only polls an empty scheduler every 5 s, so a short loop wakes the engine, and
renews this worker's leases while it lives.
"""
from __future__ import annotations

import pickle
import time
from typing import Any

from scrapy import Request, Spider
from scrapy.core.scheduler import BaseScheduler
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict
from twisted.internet.task import LoopingCall

from spiders.frontier import RedisFrontier
from spiders.shared import ACK_META

WAKE_SECONDS = 0.05


class FrontierScheduler(BaseScheduler):
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.spider: Spider | None = None
        self.frontier: RedisFrontier | None = None
        self._loop: LoopingCall | None = None
        self._renewed = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "FrontierScheduler":
        return cls(crawler)

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.frontier = spider.frontier  # type: ignore[attr-defined]  # built from the spider's params
        self._loop = LoopingCall(self._tick)
        self._loop.start(WAKE_SECONDS, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()

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
        return self.frontier.pending() > 0

    def enqueue_request(self, request: Request) -> bool:
        assert self.frontier is not None and self.crawler.request_fingerprinter is not None
        if ACK_META in request.meta:  # not a request: a lease's whole output is handled
            self.frontier.ack_later(request.meta[ACK_META])
            self.crawler.stats.inc_value("scheduler/acknowledged/redis")
            return False
        if not request.dont_filter:
            fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
            if self.frontier.fingerprint_seen(fingerprint):
                self.crawler.stats.inc_value("dupefilter/filtered")
                return False
        replaces = request.meta.pop("frontier_id", None)  # a redirect or retry of a leased request
        claim = request.meta.pop("claim", None)  # (canonical URL, lease) it was claimed under
        data = pickle.dumps(request.to_dict(spider=self.spider), protocol=pickle.HIGHEST_PROTOCOL)
        self.frontier.push_later(data, request.priority, replaces, tuple(claim) if claim else None)
        self.crawler.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        assert self.frontier is not None
        lease = self.frontier.lease()
        if lease is None:
            return None
        fields: dict[str, Any] = pickle.loads(lease.data)
        request = request_from_dict(fields, spider=self.spider)
        request.meta["frontier_id"] = lease.request_id
        self.crawler.stats.inc_value("scheduler/dequeued/redis")
        return request
