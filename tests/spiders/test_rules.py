"""The spider's pure rules: start URL kinds, crawl scope, the article rule, parameters, discovery."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from spiders.article_spider import start_kind
from spiders.discovery import DiscoveryError, read_feed, read_sitemap
from spiders.memory import LocalMemory
from spiders.params import CrawlParams
from spiders.parsers import parse_article
from spiders.scope import CrawlScope, Decision, Verdict, article_verdict, registrable_domain, staging_decision


@pytest.mark.parametrize("url, kind", [
    ("https://ex.com/sitemap_index.xml", "sitemap"), ("https://ex.com/news-sitemap.xml.gz", "sitemap"),
    ("https://ex.com/feed.xml", "feed"), ("https://ex.com/rss/", "feed"), ("https://ex.com/", "page"),
    ("https://ex.com/data.xml", "page")])
def test_start_kinds(url: str, kind: str) -> None:
    assert start_kind(url) == kind


def test_scope_is_the_registrable_domain() -> None:
    assert registrable_domain("https://www.bbc.co.uk/news") == "bbc.co.uk"
    scope = CrawlScope.from_urls(["https://www.bbc.co.uk/"])
    assert scope.allows("https://news.bbc.co.uk/a")
    assert not scope.allows("https://bbc.com/a")
    assert scope.refusal("mailto:x@bbc.co.uk") == "scheme mailto is not crawled"


ARTICLE_BODY = "<p>" + "word " * 60 + "</p>"


@pytest.mark.parametrize("head, body, verdict", [
    ('<meta property="og:type" content="article"><title>T</title>', "<h1>T</h1>" + ARTICLE_BODY, (True, None)),
    ('<meta property="og:type" content="website"><title>T</title>', "<h1>T</h1>" + ARTICLE_BODY, (False, None)),
    ("<title>T</title>", "<h1>T</h1><p>Published May 3, 2024</p>" + ARTICLE_BODY, (True, None)),
    ("<title>T</title>", "<h1>T</h1>" + ARTICLE_BODY, (False, None)),
    ('<meta property="og:type" content="article">', "<nav><a href='/'>x</a></nav>",
     (True, "article page has no title")),
    ('<meta property="og:type" content="article"><title>T</title>', "<h1>T</h1>",
     (True, "article page has no body text"))])
def test_article_rule(head: str, body: str, verdict: tuple) -> None:
    page = f"<html><head>{head}</head><body>{body}</body></html>"
    assert article_verdict(parse_article(page, "https://ex.com/a")) == verdict


def test_params_validate_once() -> None:
    params = CrawlParams.from_spider_args(start_urls="https://ex.com/, https://ex.org/a", out="/tmp/x",
                                          depth="3", max_pages="10")
    assert params.start_urls == ("https://ex.com/", "https://ex.org/a")
    assert (params.depth, params.max_pages, params.warc_dir) == (3, 10, Path("/tmp/x/warc"))
    with pytest.raises(ValueError, match="at least one start URL"):
        CrawlParams.from_spider_args(out="/tmp/x")
    with pytest.raises(ValueError, match="http"):
        CrawlParams.from_spider_args(start_urls="ftp://ex.com", out="/tmp/x")
    with pytest.raises(ValueError, match="archive folder"):
        CrawlParams.from_spider_args(start_urls="https://ex.com/")


def test_params_defaults_come_from_the_model_only() -> None:
    given = CrawlParams.from_spider_args(start_urls="https://ex.com/", out="/tmp/x")
    assert (given.depth, given.max_pages, given.revisit_days, given.revisit_known) == \
        (CrawlParams.default("depth"), None, CrawlParams.default("revisit_days"), True)
    assert CrawlParams.create(("https://ex.com/",), Path("/tmp/x"), depth=None).depth == CrawlParams.default("depth")
    full = CrawlParams(("https://ex.com/",), Path("/tmp/x"), depth=5, max_pages=9, crawl_id="c",
                       extra_domains=("ex.org",), known=Path("/tmp/k.jsonl"), revisit_days=0.5,
                       revisit_known=False)
    assert CrawlParams.from_spider_args(**full.to_spider_args()) == full  # the -a strings round-trip


@pytest.mark.parametrize("verdict, canonical, staged, decision", [
    (Verdict(False, None), "https://ex.com/a", set(), Decision.NOT_ARTICLE),
    (Verdict(True, "article page has no title"), "https://ex.com/a", set(), Decision.INVALID),
    (Verdict(True, None), "https://ex.com/a", set(), Decision.STAGE),
    (Verdict(True, None), "https://ex.com/a", {"https://ex.com/a"}, Decision.DUPLICATE),
    (Verdict(True, None), "https://ex.com/b", set(), Decision.ELSEWHERE),  # fetch the canonical page
    (Verdict(True, None), "https://ex.com/b", {"https://ex.com/b"}, Decision.DUPLICATE),
    (Verdict(True, None), "https://other.org/a", set(), Decision.STAGE),  # canonical off scope: stage here
])
def test_staging_decision(verdict: Verdict, canonical: str, staged: set[str], decision: Decision) -> None:
    memory = LocalMemory(staged=set(staged))
    assert staging_decision(verdict, canonical, "https://ex.com/a",
                            CrawlScope.from_urls(["https://ex.com/"]), memory) is decision
    assert memory.is_staged(canonical) is (decision in (Decision.STAGE, Decision.DUPLICATE))


def test_sitemaps_and_feeds() -> None:
    xml = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<url><loc>https://ex.com/a</loc><lastmod>2024-01-02</lastmod></url></urlset>")
    assert read_sitemap(gzip.compress(xml)) == ("urlset", [("https://ex.com/a", "2024-01-02")], None)
    kind, entries, problem = read_sitemap(xml[:-10])
    assert kind == "urlset" and problem and problem.startswith("malformed sitemap")
    with pytest.raises(DiscoveryError, match="root element is <html>"):
        read_sitemap(b"<html><body>not a sitemap</body></html>")
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://ex.com/b"/></entry>'
            b'<entry><link rel="alternate" href="https://ex.com/c"/></entry></feed>')
    assert read_feed(atom) == ["https://ex.com/b", "https://ex.com/c"]
