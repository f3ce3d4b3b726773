"""StagingPipeline: spider items (the dataclasses of spiders.rows) to staged rows."""
from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from spiders.rows import Alias, Reject, Revisit, SitemapLastmod, StagedArticle
from spiders.staging import Staging


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
            staging.write_article(item)
            stats.inc_value("clippings/articles_staged")
        elif isinstance(item, Reject):
            staging.write(item)
            stats.inc_value(f"clippings/rejects/{item.stage}")
        elif isinstance(item, (Revisit, SitemapLastmod)):
            staging.write(item)
        elif isinstance(item, Alias):
            staging.write(item)
            stats.inc_value("clippings/aliases")
        return item
