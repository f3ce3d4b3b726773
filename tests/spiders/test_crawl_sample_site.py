"""Crawl the sample site from its root over real HTTP and check what was staged, exactly."""
from __future__ import annotations

from collections import Counter

import pytest

from spiders.parsers import canonicalize_url
from spiders.run import CrawlResult
from spiders.sample_site import QUIRKS, build_site
from spiders.sample_site.site import DEAD_PATH
from tests.spiders.conftest import read_jsonl

SITE = build_site()


@pytest.fixture(scope="module")
def staged(sample_crawl: CrawlResult) -> dict[str, list[dict]]:
    return {t: read_jsonl(sample_crawl.staging_path / f"{t}.jsonl")
            for t in ("captures", "articles", "aliases", "rejects", "sections", "links")}


def test_every_article_staged_once(staged, sample_site_url: str) -> None:
    urls = [a["canonical_url"] for a in staged["articles"]]
    assert len(urls) == len(set(urls)) == 300
    assert set(urls) == {canonicalize_url(sample_site_url + s.path) for s in SITE.articles}
    seed = next(a for a in staged["articles"] if a["url"].endswith(SITE.articles[0].path))
    assert seed["published"] == "2025-07-29" and seed["word_count"] == 1151
    assert seed["site"] == "127.0.0.1"


def test_aliases_for_the_duplicate_and_the_redirect(staged, sample_site_url: str) -> None:
    duplicate, moved = SITE.articles[QUIRKS["duplicate"]], SITE.articles[QUIRKS["redirect-target"]]
    assert sorted((a["alias_url"], a["canonical_url"], a["reason"]) for a in staged["aliases"]) == sorted([
        (f"{sample_site_url}/print{duplicate.path}", sample_site_url + duplicate.path, "canonical-link"),
        (f"{sample_site_url}/old/{moved.id}.html", sample_site_url + moved.path, "redirect")])


def test_redirect_and_404_recorded_as_they_happened(staged, sample_site_url: str) -> None:
    by_url = {c["url"]: c for c in staged["captures"]}
    moved = by_url[f"{sample_site_url}/old/{QUIRKS['redirect-target']}.html"]
    assert (moved["status"], moved["location"]) == (301, sample_site_url + SITE.articles[QUIRKS["redirect-target"]].path)
    assert by_url[sample_site_url + DEAD_PATH]["status"] == 404


def test_rejects_hold_the_404_and_the_robots_refusal(staged, sample_site_url: str) -> None:
    rejects = sorted((r["url"], r["stage"], r["reason"], r["status"]) for r in staged["rejects"])
    assert rejects == [
        (f"{sample_site_url}/search/", "robots", "forbidden by robots.txt", None),
        (sample_site_url + DEAD_PATH, "fetch", "HTTP 404", 404)]
    dead = next(r for r in staged["rejects"] if r["status"] == 404)
    assert dead["referrer"] == sample_site_url + SITE.articles[QUIRKS["links-404"]].path


def test_non_article_pages_are_not_staged(staged, sample_site_url: str) -> None:
    urls = {a["url"] for a in staged["articles"]}
    for path in ("/", "/about/", "/contact/", "/privacy/", "/category/music/", "/category/music/page/2/"):
        assert sample_site_url + path not in urls
    fetched = {c["url"] for c in staged["captures"]}
    assert {sample_site_url + p for p in ("/", "/about/", "/category/music/page/2/")} <= fetched


def test_every_response_was_captured(staged, sample_crawl: CrawlResult) -> None:
    """2 robots.txt (Scrapy's and ours), sitemap index + 4 sitemaps, feed, home, about/contact/
    privacy, 18 category pages (3 per category: page 4 of TV reviews is 3 hops from the sitemap),
    300 articles + the /print/ copy + article 26 again through its redirect, the 301, the 404."""
    statuses = Counter(c["status"] for c in staged["captures"])
    assert statuses == {200: 332, 301: 1, 404: 1}
    assert sample_crawl.summary.pages_fetched == 334
    assert sample_crawl.summary.articles == 300
    assert sample_crawl.summary.rejects == 2
    assert sample_crawl.summary.decisions["articles/duplicate"] == 2


def test_sections_and_links_of_the_seed(staged, sample_site_url: str) -> None:
    seed_url = sample_site_url + SITE.articles[0].path
    sections = [s for s in staged["sections"] if s["canonical_url"] == seed_url]
    assert [s["level"] for s in sections] == [None, 2, 2, 2, 2]
    related = [l for l in staged["links"] if l["source_url"] == seed_url and l["kind"] == "related"]
    assert len(related) == 20
    assert {l["related_category"] for l in related} == {"TV series reviews"}
    assert related[0]["related_published"] == "2025-07-15"


def test_staging_has_parquet_beside_jsonl(sample_crawl: CrawlResult) -> None:
    import duckdb

    with duckdb.connect() as con:
        count = con.execute("select count(*) from read_parquet(?)",
                            [str(sample_crawl.staging_path / "articles.parquet")]).fetchone()
    assert count == (300,)
