"""Crawl scope and the "is this an article?" rule, as small pure functions."""
from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

import tldextract

from spiders.memory import CrawlMemory
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


def in_scope(url: str, domains: frozenset[str]) -> bool:
    return url.lower().startswith(("http://", "https://")) and registrable_domain(url) in domains


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


def staging_decision(verdict: Verdict, canonical_url: str, fetched_key: str, domains: frozenset[str],
                     memory: CrawlMemory, owner: str = "") -> Decision:
    """`fetched_key` is the canonicalised URL the page was fetched from. A page naming another
    in-scope page as canonical is not staged itself: that page is (the spider fetches it; reparse
    reaches it through its own capture). STAGE claims the canonical URL in `memory` (in Redis,
    atomically, when workers share a frontier), so only one page of a crawl stages it."""
    if not verdict.is_article:
        return Decision.NOT_ARTICLE
    if verdict.problem:
        return Decision.INVALID
    if canonical_url != fetched_key and in_scope(canonical_url, domains) and not memory.is_staged(canonical_url):
        return Decision.ELSEWHERE
    if not memory.stage(canonical_url, owner):
        return Decision.DUPLICATE
    return Decision.STAGE
