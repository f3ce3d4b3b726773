"""The `article` spider: discover a site's articles, archive every response, stage clean records.

Requests are named by what they fetch (robots, sitemap, feed, page) and every decision bumps a
`clippings/...` stats counter, so the crawl summary says why the numbers are what they are.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, AsyncIterator, Iterator, Union
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
import scrapy.exceptions as scrapy_errors
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from twisted.internet.error import (ConnectionRefusedError, DNSLookupError, TCPTimedOutError,
                                    TimeoutError)
from twisted.python.failure import Failure

from spiders import guard
from spiders.discovery import DiscoveryError, read_feed, read_sitemap, robots_sitemaps
from spiders.hosts import normalise_host
from spiders.layout import PART_SUMMARY, SUMMARY_FILE
from spiders.page_worker import ParsedPage, ParseFailure, parse_fetched_page
from spiders.inflate import MAX_SITEMAP_BYTES
from spiders.params import CrawlParams
from spiders.parsers import PARSER_VERSION, canonicalize_url
from spiders.known import due_for_revisit, read_known
from spiders.frontier import RedisFrontier
from spiders.hops import Distances
from spiders.lifeline import die_with_parent
from spiders.lock import ArchiveLock
from spiders.memory import Claim, CrawlMemory, LocalMemory
from spiders.rows import Alias, Reject, Revisit, SitemapLastmod, StagedArticle
from spiders.resume import ResumeState, repair
from spiders.scope import CrawlScope, Decision, staging_decision
from spiders.shared import ack_marker, lease_of
from spiders.sniff import not_a_page
from spiders.staging import Staging
from spiders.summary import process_peak_bytes, summarize
from spiders.traps import Recorded, TrapGuard
from spiders.warc import PreviousCapture, WarcArchive

FOLLOW_FROM_ARTICLE = {"body", "related"}
FOLLOW_FROM_LISTING = {"body", "related", "navigation", "other"}
PRIORITY = {"robots": 30, "sitemap": 20, "feed": 20, "page": 0}
HTML_TYPES = ("text/html", "application/xhtml")
CLAIM_BATCH = 500  # pages wanted that are decided in one round trip to a shared frontier


@dataclass(frozen=True)
class PageWant:
    """A page a response (or the start list) asks for; see ArticleSpider.page_requests."""
    url: str
    hops: int
    referrer: str | None = None
    key: str | None = None  # its canonical URL, when the caller has it
    lastmod: str | None = None  # from a sitemap
    record_offsite: bool = False
    start: bool = False
    lease: str = ""


@dataclass(frozen=True)
class _Plan:
    """What a wanted page not known to be requested does if its claim says it is new."""
    claim: int  # its place among the batch's claims; -1: already requested
    trap: tuple[str, str] | None = None
    recorded: Recorded | None = None  # counted towards the trap limits (undone if not new)
    previous: PreviousCapture | None = None
    revisit: str | None = None  # not fetched, for this reason


PageOutcome = Union[scrapy.Request, Revisit, Reject, SitemapLastmod, None]


def _errors(*names: str) -> tuple[type[BaseException], ...]:
    """Scrapy 2.14+ wraps download errors in its own types; older versions raise Twisted's."""
    return tuple(getattr(scrapy_errors, name) for name in names if hasattr(scrapy_errors, name))


DNS_ERRORS: tuple[type[BaseException], ...] = (DNSLookupError, *_errors("CannotResolveHostError"))
TIMEOUT_ERRORS: tuple[type[BaseException], ...] = (TimeoutError, TCPTimedOutError, asyncio.TimeoutError, *_errors("DownloadTimeoutError"))
REFUSED_ERRORS: tuple[type[BaseException], ...] = (ConnectionRefusedError, *_errors("DownloadConnectionRefusedError"))


def start_kind(url: str) -> str:
    """What a start URL points at, by its path: a sitemap, a feed, or a page."""
    path = urlsplit(url).path.lower()
    if path.endswith((".xml", ".xml.gz")) and "sitemap" in path:
        return "sitemap"
    if path.endswith((".rss", ".atom", "/feed", "/feed/", "/rss", "/rss/")) or path.endswith("feed.xml"):
        return "feed"
    return "page"


def failed_request(failure: Failure) -> scrapy.Request:
    """The request an errback's failure is about (Scrapy sets it on the Failure)."""
    request: scrapy.Request = getattr(failure, "request")
    return request


def failure_reason(failure: Failure) -> tuple[str, str]:
    """(stage, reason) for a request that got no usable response."""
    error = failure.value
    text = str(error)
    if isinstance(error, guard.Refused):
        return error.stage, error.reason
    if isinstance(error, IgnoreRequest) and "robots.txt" in text:
        return "robots", "forbidden by robots.txt"
    if isinstance(error, IgnoreRequest) and "redirect" in text.lower():
        return "fetch", f"redirect loop or too many redirects ({text})"
    if isinstance(error, DNS_ERRORS):
        host = urlsplit(failed_request(failure).url).hostname or ""
        if refusal := guard.POLICY.refused.get(normalise_host(host) or host):  # the guard refused it
            return "guard", refusal
        return "fetch", f"DNS lookup failed for {host}"
    if isinstance(error, TIMEOUT_ERRORS):
        return "fetch", f"timeout: {text}"
    if isinstance(error, REFUSED_ERRORS):
        return "fetch", "connection refused"
    if "larger than download max size" in text or "max size" in text or "DOWNLOAD_MAXSIZE" in text:
        return "fetch", f"too large: {text}"
    return "fetch", f"{type(error).__name__}: {text}" if text else type(error).__name__


class ArticleSpider(scrapy.Spider):
    name = "article"
    # Set in from_crawler, once the crawler's settings are known.
    lock: ArchiveLock
    user_agent: str
    archive: WarcArchive
    staging: Staging
    pool: ProcessPoolExecutor
    traps: TrapGuard

    def __init__(self, **kwargs: str) -> None:
        self.params = CrawlParams.from_spider_args(**kwargs)
        super().__init__(name=self.name)
        self.scope = CrawlScope.from_urls(self.params.start_urls, self.params.extra_domains)
        self.memory: CrawlMemory = LocalMemory()
        self.frontier: RedisFrontier | None = None  # when this process is one worker of several
        self.started = dt.datetime.now(dt.timezone.utc)
        self.known = read_known(self.params.known)
        self.revisits_scheduled = False
        self.resumed: ResumeState | None = None
        # Shortest distances (spiders.hops); None for a worker of a shared frontier.
        self.distances: Distances | None = Distances(self.params.depth)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> "ArticleSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        params = spider.params
        spider.lock = ArchiveLock(params.out, params.lock_key).acquire(params.crawl_id)
        spider.traps = TrapGuard.from_settings(crawler.settings)
        guard.install_policy(guard.AddressPolicy.for_start_urls(
            params.start_urls, crawler.settings.get("CLIPPINGS_ALLOW_ADDRESSES") or ""))
        contact = crawler.settings.get("CLIPPINGS_CONTACT_URL")
        spider.user_agent = f"Clippings/0.1 (+{contact}; archival crawler)"  # read by UserAgentMiddleware
        prefix, folder = params.warc_prefix, params.part_dir
        if folder.exists() and not (folder / spider.summary_name).exists():
            resumed = repair(folder, params.warc_dir, prefix, FOLLOW_FROM_ARTICLE, params.depth)
            if params.redis_url is None:  # a shared frontier remembers the crawl in Redis
                spider.resumed = resumed
                spider.memory = LocalMemory(set(resumed.done), set(resumed.staged),
                                            resumed.pages_requested)
                distances = spider.distances = Distances(params.depth)
                distances.resumed(resumed.located)
        if params.redis_url:
            spider.distances = None
            spider.frontier = spider.memory = RedisFrontier(params.redis_url, params.crawl_id,
                                                            params.worker_id or "", params.lease_seconds)
        spider.archive = WarcArchive(params.warc_dir, prefix,
                                     crawler.settings.getint("CLIPPINGS_WARC_MAX_BYTES"),
                                     f"Clippings parser {PARSER_VERSION} / Scrapy")
        spider.staging = Staging(folder, params.crawl_id)
        spider.pool = ProcessPoolExecutor(crawler.settings.getint("CLIPPINGS_PARSE_WORKERS"),
                                          mp_context=multiprocessing.get_context("spawn"),
                                          initializer=die_with_parent)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    @property
    def summary_name(self) -> str:
        return PART_SUMMARY if self.params.worker_id else SUMMARY_FILE

    # -- requests ---------------------------------------------------------------------------
    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"clippings/{key}")

    def page_request(self, url: str, hops: int, referrer: str | None = None, key: str | None = None,
                     lastmod: str | None = None,
                     record_offsite: bool = False, start: bool = False, lease: str = ""
                     ) -> PageOutcome:
        """One page wanted: see page_requests."""
        return next(self.page_requests([PageWant(url, hops, referrer, key, lastmod, record_offsite,
                                                 start, lease)]))

    def page_requests(self, wants: Iterable[PageWant]) -> Iterator[PageOutcome]:
        """For each page wanted, in order, a request for it, unless out of scope, already
        requested or over max_pages.

        `key` is the canonical URL when the caller already has it (links come canonicalised
        from the parser), which keeps canonicalisation off the event loop. A page an earlier
        crawl captured is asked for conditionally; one whose sitemap lastmod has not changed
        since is not fetched at all until it is due for a revisit (a Revisit row says so), nor,
        in a poll (revisit_known off), one no sitemap dates, unless it is a start page.
        An off-scope link of a page is only counted (the page's links table holds it); an
        off-scope entry of a sitemap or feed (`record_offsite`) and a URL that trips a trap
        limit are reject rows.
        A lastmod arriving for a page already requested is staged for the load to record.
        `lease` is the shared frontier's lease of the response whose callback asks (see
        lease_of): its claims return to the crawl if that worker dies before they are handled.

        Decided CLAIM_BATCH at a time: on a shared frontier, which of them are claimed already
        is one round trip, and claiming the new ones another, where one URL at a time made a
        2,000-entry sitemap 4,000 round trips.
        """
        wants = iter(wants)
        while chunk := list(itertools.islice(wants, CLAIM_BATCH)):
            yield from self._decide(chunk)

    def _decide(self, wants: list[PageWant]) -> Iterator[PageOutcome]:
        keys = [want.key or canonicalize_url(want.url) for want in wants]
        refusals = [self.scope.refusal(key) for key in keys]
        lease = wants[0].lease  # the wants of one call come from one response
        claimed = self.memory.claimed_among([k for k, refused in zip(keys, refusals) if not refused], lease)
        # First, in order, what each would do if it is new (a trapped URL is claimed too, for
        # one reject row per URL, but not as a page); then one claim of them all; then each.
        claims: list[Claim] = []
        plans: list[_Plan | None] = []
        for want, key, refusal in zip(wants, keys, refusals):
            if refusal:
                plans.append(None)
                if want.record_offsite:
                    claims.append(Claim(key, False, None, lease))
                continue
            if key in claimed:
                plans.append(_Plan(-1))
                continue
            claimed.add(key)  # a second link to it in this batch finds it requested
            trap = self.traps.peek(key)
            previous = self.known.get(key)
            not_due = previous is not None and \
                not due_for_revisit(previous, self.params.revisit_days, self.started)
            unchanged = not_due and bool(want.lastmod) and previous is not None and \
                previous.sitemap_lastmod == want.lastmod
            undated = not_due and not want.lastmod and not want.start and not self.params.revisit_known
            plans.append(_Plan(len(claims), trap, None if trap else self.traps.record(key), previous,
                               "unchanged-lastmod" if unchanged else "not-due" if undated else None))
            claims.append(Claim(key, not (trap or unchanged or undated), self.params.max_pages, lease))
        outcomes = iter(self.memory.claim_many(claims))
        for want, key, refusal, plan in zip(wants, keys, refusals, plans):
            if refusal:
                self._count("skipped/offsite")
                if want.record_offsite and next(outcomes) == "new":  # one row per URL
                    yield Reject(want.url, "scope", refusal, None, want.referrer)
                else:
                    yield None
            elif plan is None or plan.claim < 0:
                yield self._already_requested(want.url, key, want.hops, want.lastmod)
            else:
                yield self._claimed(want, key, plan, next(outcomes))

    def _claimed(self, want: PageWant, key: str, plan: _Plan, outcome: str) -> PageOutcome:
        if outcome == "seen":  # another worker claimed it since this one asked
            if plan.recorded is not None:
                self.traps.forget(plan.recorded)
            return self._already_requested(want.url, key, want.hops, want.lastmod)
        if plan.trap:
            self._count(f"trap/{plan.trap[0]}")
            return Reject(want.url, "trap", plan.trap[1], None, want.referrer)
        if outcome == "max":
            self._count("skipped/max_pages")
            return None
        if plan.revisit:
            self._count("skipped/unchanged_lastmod" if plan.revisit == "unchanged-lastmod"
                        else "skipped/known_not_due")
            return Revisit(key, plan.revisit)
        headers = {"Referer": want.referrer} if want.referrer else {}
        if self.distances is not None:
            self.distances.claimed(key, want.hops)
        if previous := plan.previous:
            self._count("requests/conditional")
            if previous.etag:
                headers["If-None-Match"] = previous.etag
            if previous.last_modified:
                headers["If-Modified-Since"] = previous.last_modified
        # Clippings de-duplicates by canonical URL itself; dont_filter lets a redirect land on an
        # already archived article so the old URL is recorded as its alias.
        return scrapy.Request(want.url, callback=self.parse_html, errback=self.on_error, headers=headers,
                              meta={"hops": want.hops, "kind": "page", "previous": previous,
                                    "lastmod": want.lastmod, "claim": (key, want.lease), "key": key},
                              dont_filter=True, priority=PRIORITY["page"] - want.hops)

    def _already_requested(self, url: str, key: str, hops: int, lastmod: str | None) -> SitemapLastmod | None:
        self._count("skipped/already_requested")
        self._found_nearer(key, hops)
        return SitemapLastmod(url, lastmod) if lastmod else None

    def _found_nearer(self, key: str, hops: int) -> None:
        """A page already requested, found again: if nearer, its distance is the nearer one, and
        if its links were already followed from farther away they are followed again, from its
        WARC record (ArchiveMiddleware answers the replay request; nothing is fetched twice)."""
        if self.distances is None or (again := self.distances.nearer(key, hops)) is None:
            return
        url, record = again
        self._count("pages/reexpanded")
        self.crawler.engine.crawl(scrapy.Request(
            url, callback=self.parse_html, errback=self.on_error, dont_filter=True,
            priority=PRIORITY["page"] - hops,
            meta={"hops": hops, "kind": "page", "key": key, "replay": record}))

    def _request(self, url: str, kind: str, callback: Callable[[Response], Iterator[Any]],
                 referrer: str | None = None) -> scrapy.Request:
        self._count(f"requests/{kind}")
        return scrapy.Request(url, callback=callback, errback=self.on_error, priority=PRIORITY[kind],
                              meta={"hops": 0, "kind": kind},
                              headers={"Referer": referrer} if referrer else None)

    async def start(self) -> AsyncIterator[scrapy.Request | Revisit | Reject | SitemapLastmod]:
        if self.resumed:
            self.crawler.stats.set_value("clippings/resumed_with_urls_done", len(self.resumed.done))
        for url in self.params.start_urls:
            parts = urlsplit(url)
            if parts.path in ("", "/"):
                yield self._request(f"{parts.scheme}://{parts.netloc}/robots.txt", "robots", self.parse_robots)
            kind = start_kind(url)
            if kind == "sitemap":
                yield self._request(url, "sitemap", self.parse_sitemap)
            elif kind == "feed":
                yield self._request(url, "feed", self.parse_feed)
            elif isinstance(request := self.page_request(url, 0, start=True), scrapy.Request):
                request.meta["start"] = True
                yield request
        refollow = self.resumed.refollow if self.resumed else []
        for outcome in self.page_requests(PageWant(url, hops, referrer, key) for url, key, hops, referrer in refollow):
            if outcome:
                yield outcome

    # -- discovery documents ----------------------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[Any]:
        sitemaps = robots_sitemaps(response.body, response.url) if response.status == 200 else []
        if not sitemaps:
            self._count("robots/no_sitemap")
            sitemaps = [response.urljoin("/sitemap.xml")]
        for url in sitemaps:
            yield self._request(url, "sitemap", self.parse_sitemap, response.url)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if response.status != 200:
            yield Reject(response.url, "fetch", f"sitemap answered HTTP {response.status}", response.status)
            return
        try:
            kind, entries, problem = read_sitemap(
                response.body, self.settings.getint("CLIPPINGS_MAX_SITEMAP_BYTES", MAX_SITEMAP_BYTES))
        except DiscoveryError as error:
            yield Reject(response.url, "parse", str(error), response.status)
            return
        if problem:  # recorded, and whatever could be recovered is still followed
            yield Reject(response.url, "parse", problem, response.status)
        self._count(f"sitemap/{kind}")
        if kind == "sitemapindex":
            for loc, _ in entries:
                yield self._request(loc, "sitemap", self.parse_sitemap, response.url)
            return
        lease = lease_of(response)
        yield from filter(None, self.page_requests(
            PageWant(loc, 0, response.url, lastmod=lastmod, record_offsite=True, lease=lease)
            for loc, lastmod in entries))

    def parse_feed(self, response: Response) -> Iterator[Any]:
        try:
            links = read_feed(response.body)
        except DiscoveryError as error:
            yield Reject(response.url, "parse", str(error), response.status)
            return
        lease = lease_of(response)
        yield from filter(None, self.page_requests(
            PageWant(url, 0, response.url, record_offsite=True, lease=lease) for url in links))

    # -- pages --------------------------------------------------------------------------------
    async def parse_html(self, response: Response) -> AsyncIterator[Any]:
        """The callback of page requests: parse in the worker pool, then stage and follow."""
        if not response.meta.get("replay"):
            self._count(f"pages/status_{response.status}")
        if revisit := response.meta.get("revisit"):  # 304, or the same payload as last time
            yield Revisit(canonicalize_url(response.url), revisit)
            return
        if response.status >= 300:
            yield Reject(response.url, "fetch", f"HTTP {response.status}", response.status,
                         self._referrer(response))
            return
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        if "xml" in content_type and (b"<rss" in response.body[:500] or b"<feed" in response.body[:500]):
            for item in self.parse_feed(response):
                yield item
            return
        if content_type and not content_type.lower().startswith(HTML_TYPES):
            yield Reject(response.url, "validate", f"not HTML ({content_type})", response.status)
            return
        if sniffed := not_a_page(response.body):  # the bytes, whatever the header claims
            self._count("pages/not_a_page")
            yield Reject(response.url, "validate", f"not a page: {sniffed}", response.status)
            return
        result = await asyncio.wrap_future(self.pool.submit(parse_fetched_page, response.body,
                                                            response.url, content_type or None,
                                                            response.meta.get("fetched_at")))
        if isinstance(result, ParseFailure):
            yield Reject(response.url, "parse", result.reason, response.status)
            return
        for item in self.handle_parsed(response, result):
            yield item

    def handle_parsed(self, response: Response, page: ParsedPage) -> Iterator[Any]:
        """Stage the page and follow its links; a replay (the page found nearer since its links
        were followed) only follows them again."""
        hops, (is_article, problem) = int(response.meta.get("hops", 0)), page.verdict
        key, record = response.meta.get("key"), response.meta.get("replay") or response.meta.get("warc_record")
        if self.distances is not None and key is not None:
            hops = self.distances.hops_for(key, hops)
            if record is not None:
                self.distances.expanded(key, response.url, record)
        if not response.meta.get("replay"):
            if response.meta.get("start"):
                yield from self._feeds(response)
            yield from self._stage(response, page, hops)
        if hops < self.params.depth:
            follow, lease = FOLLOW_FROM_ARTICLE if is_article else FOLLOW_FROM_LISTING, lease_of(response)
            yield from filter(None, self.page_requests(
                PageWant(link.url, hops + 1, response.url, target, lease=lease)
                for link, target in zip(page.article.links, page.link_targets) if link.kind in follow))

    def _feeds(self, response: Response) -> Iterator[scrapy.Request]:
        for href in response.xpath('//link[@rel="alternate"][contains(@type, "rss") or '
                                   'contains(@type, "atom")]/@href').getall():
            url = response.urljoin(href)
            key, lease = canonicalize_url(url), lease_of(response)
            if self.scope.allows(url) and self.memory.claim(key, False, None, lease) == "new":
                request = self._request(url, "feed", self.parse_feed, response.url)
                request.meta["claim"] = (key, lease)
                yield request

    def _stage(self, response: Response, page: ParsedPage, hops: int) -> Iterator[Any]:
        canonical, here = page.article.canonical_url, canonicalize_url(response.url)
        decision = staging_decision(page.verdict, canonical, here, self.scope, self.memory,
                                    lease_of(response))
        if decision is Decision.NOT_ARTICLE:
            self._count("pages/not_article")
            return
        if decision is Decision.INVALID:
            yield Reject(response.url, "validate", page.verdict.problem or "", response.status)
            return
        if decision is Decision.ELSEWHERE:
            yield Alias(here, canonical, "canonical-link")
            if request := self.page_request(canonical, hops, response.url, lease=lease_of(response)):
                yield request
            return
        redirected = [canonicalize_url(u) for u in response.meta.get("redirect_urls", [])]
        for alias in redirected:
            if alias != canonical:
                yield Alias(alias, canonical, "redirect")
        if canonical != here:
            yield Alias(here, canonical, "canonical-link")
        if decision is Decision.DUPLICATE:
            self._count("articles/duplicate")
            return
        yield StagedArticle(page, response.meta.get("fetched_at", ""),
                            response.meta.get("payload_sha256", ""), hops, PARSER_VERSION)

    @staticmethod
    def _referrer(response: Response) -> str | None:
        value = response.request.headers.get("Referer") if response.request else None
        return value.decode("latin-1") if value else None

    def on_error(self, failure: Failure) -> Iterator[Reject | scrapy.Request]:
        stage, reason = failure_reason(failure)
        request = failed_request(failure)
        referrer = request.headers.get("Referer")
        yield Reject(request.url, stage, reason, None,
                     referrer.decode("latin-1") if referrer else None)
        if marker := ack_marker(self.crawler, request):  # errbacks skip spider middlewares
            yield marker

    # -- end ----------------------------------------------------------------------------------
    def on_idle(self, spider: scrapy.Spider) -> None:
        """Discovery is done: revisit (conditionally) known articles it did not reach once, so
        that articles taken down are noticed."""
        if self.revisits_scheduled or not self.params.revisit_known or not self.known:
            return
        self.revisits_scheduled = True
        if self.frontier is not None and not self.frontier.once("revisit-unreached"):
            return  # another worker of this crawl schedules them
        scheduled = 0
        for key, previous in self.known.items():
            if previous.is_article and not self.memory.was_claimed(key):
                request = self.page_request(key, 0, key=key)
                if isinstance(request, scrapy.Request):
                    self.crawler.engine.crawl(request)
                    scheduled += 1
        self.crawler.stats.set_value("clippings/requests/revisit_unreached", scheduled)
        if scheduled:
            raise DontCloseSpider

    def on_closed(self, spider: scrapy.Spider, reason: str) -> None:
        self.pool.shutdown(wait=True)
        self.archive.close()
        params = self.params
        self.staging.convert()  # before the summary, so that its peak memory includes it
        if self.frontier is not None:  # in the log's stats, not the summary's decisions
            self.crawler.stats.set_value("frontier/round_trips", self.frontier.round_trips)
            self.crawler.stats.set_value("frontier/round_trip_ms", int(1000 * self.frontier.round_trip_seconds))
            self.crawler.stats.set_value("frontier/reserved_stages", self.frontier.reserved_stages)
        summary = summarize(params.crawl_id, list(params.start_urls), self.started, reason,
                            self.staging.counts, PARSER_VERSION, params.depth, params.max_pages,
                            self.crawler.stats.get_stats(), [p.name for p in self.archive.files()],
                            resumed=self.resumed is not None, worker_id=params.worker_id,
                            site=params.site, peak_memory_bytes=process_peak_bytes())
        summary.write(self.staging.folder / self.summary_name)
        if self.frontier is not None:
            self.frontier.close()
        self.lock.release()
        self.logger.info("Crawl %s: %d pages fetched, %d articles staged, %d rejects -> %s",
                         params.crawl_id, summary.pages_fetched, summary.articles, summary.rejects,
                         params.staging_dir)
