"""Parsing in a worker process, so CPU-heavy extraction stays off the crawl's event loop.

`parse_fetched_page` is module-level and returns frozen dataclasses, so it pickles across the
process pool; the spider and `reparse` both call it, and both act on its result through
`spiders.scope.staging_decision`.
"""
from __future__ import annotations

from dataclasses import dataclass

from spiders.parsers import Article, PageParseError, canonicalize_url, parse_article
from spiders.scope import Verdict, article_verdict


@dataclass(frozen=True)
class ParsedPage:
    """A page the parser read: the article, whether it is one, and each link's canonical URL."""

    article: Article
    verdict: Verdict
    link_targets: tuple[str, ...]  # canonicalize_url of article.links[i].url, in the same order


@dataclass(frozen=True)
class ParseFailure:
    """A page the parser could not read; `reason` becomes the reject row's reason."""

    reason: str


def parse_fetched_page(body: bytes, url: str, content_type: str | None,
                       captured_at: str | None = None) -> ParsedPage | ParseFailure:
    """`captured_at` (ISO 8601, when the page was fetched): no publication date after it."""
    try:
        article = parse_article(body, url, content_type, captured_at or None)
    except PageParseError as error:
        return ParseFailure(str(error))
    except Exception as error:  # a parser bug must become a reject row, not a lost page
        return ParseFailure(f"parser failed: {type(error).__name__}: {error}")
    targets = tuple(canonicalize_url(link.url) for link in article.links)
    return ParsedPage(article, article_verdict(article), targets)
