"""Re-extracting a crawl from its WARC files gives the same articles without fetching anything."""
from __future__ import annotations

from spiders.reparse import reparse_crawl
from spiders.run import CrawlResult
from tests.spiders.conftest import read_jsonl


def test_reparse_matches_the_crawl(sample_crawl: CrawlResult) -> None:
    archive = sample_crawl.staging_path.parent.parent
    result = reparse_crawl(archive, sample_crawl.summary.crawl_id, workers=1)
    assert result.summary.reparse_of == "test-crawl"
    assert result.summary.pages_fetched == 0
    # the 332 answers with 200, less robots.txt twice, 5 sitemaps and the feed
    assert result.summary.pages_reparsed == 324
    crawled = {a["canonical_url"]: a for a in read_jsonl(sample_crawl.staging_path / "articles.jsonl")}
    reparsed = {a["canonical_url"]: a for a in read_jsonl(result.staging_path / "articles.jsonl")}
    assert reparsed.keys() == crawled.keys()
    for url, article in reparsed.items():
        assert (article["content_sha256"], article["payload_sha256"], article["parser_version"]) == \
            (crawled[url]["content_sha256"], crawled[url]["payload_sha256"], crawled[url]["parser_version"])
    assert len(read_jsonl(result.staging_path / "links.jsonl")) == sample_crawl.summary.links
    assert (result.staging_path / "articles.parquet").exists()
