"""Parsing in a worker process, so CPU-heavy extraction stays off the crawl's event loop.

The function is module-level and returns plain data, so it pickles across the process pool.
"""
from __future__ import annotations

from typing import Any

from spiders.parsers import PageParseError, canonicalize_url, parse_article
from spiders.scope import article_verdict


def parse_page(body: bytes, url: str, content_type: str | None) -> dict[str, Any]:
    """{"article": to_dict() with canonical link targets, "verdict": (is_article, problem)}
    or {"error": reason}."""
    try:
        article = parse_article(body, url, content_type)
    except PageParseError as error:
        return {"error": str(error)}
    except Exception as error:  # a parser bug must become a reject row, not a lost page
        return {"error": f"parser failed: {type(error).__name__}: {error}"}
    data = article.to_dict()
    for link in data["links"]:
        link["target_url"] = canonicalize_url(link["url"])
    return {"article": data, "verdict": article_verdict(article)}
