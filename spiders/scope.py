"""Crawl scope and the "is this an article?" rule, as small pure functions.

Scope is decided on (scheme, host, port): a host is in scope when its registrable domain is a
start URL's (an IP address only matches itself), on the start URL's port (or either default
port when the start URL used one). Hosts are compared normalised (spiders/hosts.py), so
`2130706433` is 127.0.0.1. `--domains` widens scope explicitly: `example.org` (its default
ports) or `host:port`.
"""
from __future__ import annotations

from enum import Enum
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

import tldextract

from spiders.memory import CrawlMemory
from spiders.hosts import normalise_host
from spiders.parsers.records import Article

# The suffix list snapshot bundled with tldextract: no network fetch at run time.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
MIN_ARTICLE_WORDS = 40


@lru_cache(maxsize=4096)
def host_domain(host: str) -> str:
    return _EXTRACT(host).top_domain_under_public_suffix or host


def registrable_domain(url: str) -> str:
    """'https://www.bbc.co.uk/x' -> 'bbc.co.uk'; an IP or localhost is its own domain."""
    return host_domain((urlsplit(url).hostname or "").lower())


DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | str:
    """(scheme, normalised host, port) of a URL, or why it has none a crawler may use."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        return f"malformed URL ({error})"
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return f"scheme {scheme or '(none)'} is not crawled"
    host = normalise_host(parts.hostname or "")
    if host is None:
        return f"invalid host {parts.hostname!r}"
    return scheme, host, port or DEFAULT_PORTS[scheme]


@dataclass(frozen=True)
class CrawlScope:
    """The (domain, port) pairs a crawl may request; everything else is refused before sending."""

    allowed: frozenset[tuple[str, int]]

    @classmethod
    def from_urls(cls, start_urls: tuple[str, ...] | list[str], extra: tuple[str, ...] = ()) -> "CrawlScope":
        allowed: set[tuple[str, int]] = set()
        for url in start_urls:
            origin = _origin(url)
            if isinstance(origin, str):
                raise ValueError(f"start URL {url!r}: {origin}")
            _, host, port = origin
            ports = set(DEFAULT_PORTS.values()) if port in DEFAULT_PORTS.values() else {port}
            allowed |= {(host_domain(host), p) for p in ports}
        for entry in extra:
            url = entry if "://" in entry else f"http://{entry}"
            origin = _origin(url)
            if isinstance(origin, str):
                raise ValueError(f"--domains entry {entry!r}: {origin}")
            _, host, port = origin
            ports = {port} if urlsplit(url).port is not None else set(DEFAULT_PORTS.values())
            allowed |= {(host_domain(host), p) for p in ports}
        return cls(frozenset(allowed))

    def refusal(self, url: str) -> str | None:
        """None when `url` is in scope, else the reason it is not (for the reject row)."""
        origin = _origin(url)
        if isinstance(origin, str):
            return origin
        _, host, port = origin
        if (host_domain(host), port) in self.allowed:
            return None
        return f"off scope: {host}:{port} is not a start URL's site (widen with --domains)"

    def allows(self, url: str) -> bool:
        return self.refusal(url) is None


class Verdict(NamedTuple):
    """Whether a parsed page is an article, and if so what keeps it from being staged."""

    is_article: bool
    problem: str | None


def article_verdict(article: Article) -> Verdict:
    """Decide whether a parsed page is an article, and if it claims to be one, whether it is whole.

    A page is an article when it declares itself one (JSON-LD article type or og:type article)
    or, declaring nothing, shows a publication date and at least MIN_ARTICLE_WORDS words of body.
    Listing, category, about and contact pages declare "website" and are discovery-only.
    Returns (is_article, problem): problem is why a page judged an article cannot be staged.
    """
    declared = article.page_type == "article"
    undeclared_article = article.page_type is None and article.published is not None \
        and article.word_count >= MIN_ARTICLE_WORDS
    if not (declared or undeclared_article):
        return Verdict(False, None)
    if not article.title:
        return Verdict(True, "article page has no title")
    if not article.body:
        return Verdict(True, "article page has no body text")
    return Verdict(True, None)


class Decision(Enum):
    """What becomes of a parsed page: the one staging decision of the spider and of reparse."""

    NOT_ARTICLE = "not-article"  # discovery only (home, listing, about)
    INVALID = "invalid"  # an article that cannot be staged: a validate reject
    ELSEWHERE = "canonical-elsewhere"  # its canonical URL is another in-scope page, not yet staged
    DUPLICATE = "duplicate"  # its canonical URL is already staged in this crawl
    STAGE = "stage"  # and the canonical URL is now claimed in the crawl's memory


def staging_decision(verdict: Verdict, canonical_url: str, fetched_key: str, scope: CrawlScope,
                     memory: CrawlMemory, owner: str = "") -> Decision:
    """`fetched_key` is the canonicalised URL the page was fetched from. A page naming another
    in-scope page as canonical is not staged itself: that page is (the spider fetches it; reparse
    reaches it through its own capture). STAGE claims the canonical URL in `memory` (in Redis,
    atomically, when workers share a frontier), so only one page of a crawl stages it."""
    if not verdict.is_article:
        return Decision.NOT_ARTICLE
    if verdict.problem:
        return Decision.INVALID
    if canonical_url != fetched_key and scope.allows(canonical_url) and \
            not memory.is_staged(canonical_url, owner):
        return Decision.ELSEWHERE
    if not memory.stage(canonical_url, owner):
        return Decision.DUPLICATE
    return Decision.STAGE
