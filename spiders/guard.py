"""What the crawler refuses to send: requests off the crawl's scope, and connections to
addresses that are not public.

`ScopeMiddleware` sits first among the downloader middlewares, so every request (links,
each redirect hop, robots.txt, sitemaps, sitemap-index entries, feeds) is checked against
the crawl's scope before robots.txt is fetched for its host or a byte is sent. A refused
request fails with `Refused`, which the spider's errback turns into a reject row.

The address guard checks the address actually connected to: `GuardedResolver` (installed as
Scrapy's TWISTED_DNS_RESOLVER) refuses a loopback, private, link-local, multicast, reserved or
unspecified answer, so a public name whose DNS answer is 10.0.0.1, or a redirect to
169.254.169.254, never reaches that address. Addresses of the start URLs themselves are
allowed (so a crawl of a site on 127.0.0.1 works), and CLIPPINGS_ALLOW_ADDRESSES (CIDRs)
widens the guard deliberately.
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred

from spiders.hosts import address_class, normalise_host


class Refused(IgnoreRequest):
    """A request Clippings would not send; `stage` and `reason` go to the reject row."""

    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(reason)
        self.stage, self.reason = stage, reason


def _addresses(host: str) -> set[str]:
    try:
        return {str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError):
        return set()


@dataclass
class AddressPolicy:
    """Which non-public addresses this crawl may connect to, and what it refused."""

    allowed: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    refused: dict[str, str] = field(default_factory=dict)  # host -> reason, for reject rows

    @classmethod
    def for_start_urls(cls, start_urls: tuple[str, ...], allow: str = "") -> "AddressPolicy":
        allowed: set[str] = set()
        for url in start_urls:
            host = normalise_host(urlsplit(url).hostname or "")
            if host:
                allowed |= _addresses(host)
        networks = tuple(ipaddress.ip_network(n.strip(), strict=False) for n in allow.split(",") if n.strip())
        return cls(frozenset(allowed), networks)

    def refusal(self, host: str, address: str) -> str | None:
        """Why connecting to `address` (the answer for `host`) is refused, or None."""
        kind = address_class(address)
        if kind is None or address in self.allowed:
            return None
        ip = ipaddress.ip_address(address)
        if any(ip in network for network in self.networks):
            return None
        shown = host if host == address else f"{host} resolves to {address}"
        reason = (f"address guard: {shown}, a {kind} address, is refused (not a start URL's "
                  "address; allow it with -s CLIPPINGS_ALLOW_ADDRESSES=CIDR)")
        self.refused[host] = reason
        return reason


# One crawl per process (Twisted's reactor runs once), and Scrapy builds the resolver before
# the spider: the spider installs its policy here when it starts.
POLICY = AddressPolicy()


def install_policy(policy: AddressPolicy) -> None:
    global POLICY
    POLICY = policy


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers the address policy forbids."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802
        def check(address: str) -> str:
            reason = POLICY.refusal(normalise_host(name) or name, address)
            if reason:
                raise socket.gaierror(reason)  # Twisted reports it as a failed lookup
            return address

        return super().getHostByName(name, timeout).addCallback(check)


class ScopeMiddleware:
    """Refuse, before anything is sent, a request off the crawl's scope or to a refused literal IP."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ScopeMiddleware":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        reason = spider.scope.refusal(request.url)  # type: ignore[union-attr]
        if reason:
            self.crawler.stats.inc_value("clippings/refused/scope")
            raise Refused("scope", reason)
        host = normalise_host(urlsplit(request.url).hostname or "") or ""
        if _is_ip(host) and (reason := POLICY.refusal(host, host)):
            self.crawler.stats.inc_value("clippings/refused/address")
            raise Refused("guard", reason)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
