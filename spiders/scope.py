"""Crawl scope and the "is this an article?" rule, as small pure functions."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

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


def article_verdict(article: Article) -> tuple[bool, str | None]:
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
        return False, None
    if not article.title:
        return True, "article page has no title"
    if not article.body:
        return True, "article page has no body text"
    return True, None
