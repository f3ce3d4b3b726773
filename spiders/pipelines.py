"""StagingPipeline: spider items to staged rows (articles, sections, links, aliases, rejects)."""
from __future__ import annotations

import hashlib

from typing import Any

from scrapy.crawler import Crawler

from spiders.records import Alias, Reject, Revisit, StagedArticle
from spiders.scope import registrable_domain
from spiders.staging import Staging


def article_rows(item: StagedArticle) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """One article item as its articles row, section rows and link rows."""
    a = item.article
    key = a["canonical_url"]
    row = {name: a[name] for name in ("url", "canonical_url", "title", "description", "authors",
                                      "category", "tags", "language", "published", "modified", "body")}
    row.update(site=registrable_domain(key), word_count=len(a["body"].split()),
               content_sha256=hashlib.sha256(a["body"].encode()).hexdigest(),
               payload_sha256=item.payload_sha256, fetched_at=item.fetched_at, depth=item.depth,
               parser_version=item.parser_version)
    sections = [{"canonical_url": key, "ordinal": i, **s} for i, s in enumerate(a["sections"])]
    related = {r["url"]: r for r in a["related"]}
    links = []
    for i, link in enumerate(a["links"]):
        item_info = related.get(link["url"], {}) if link["kind"] == "related" else {}
        links.append({"source_url": key, "ordinal": i, "target_url": link["target_url"],
                      "anchor_text": link["text"], "kind": link["kind"],
                      "related_title": item_info.get("title"),
                      "related_category": item_info.get("category"),
                      "related_summary": item_info.get("summary"),
                      "related_published": item_info.get("published")})
    return row, sections, links


def write_article(staging: Staging, item: StagedArticle) -> None:
    """Stage one article; its own row comes last, because resume drops rows without it."""
    row, sections, links = article_rows(item)
    for section in sections:
        staging.write("sections", section)
    for link in links:
        staging.write("links", link)
    staging.write("articles", row)


class StagingPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StagingPipeline":
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        staging: Staging = self.crawler.spider.staging  # type: ignore[union-attr]
        stats = self.crawler.stats
        if isinstance(item, StagedArticle):
            write_article(staging, item)
            stats.inc_value("clippings/articles_staged")
        elif isinstance(item, Reject):
            staging.write("rejects", item)
            stats.inc_value(f"clippings/rejects/{item.stage}")
        elif isinstance(item, Revisit):
            staging.write("revisits", item)
        elif isinstance(item, Alias):
            staging.write("aliases", item)
            stats.inc_value("clippings/aliases")
        return item
