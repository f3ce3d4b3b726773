"""Bad input over real HTTP: each failure leaves a reject row with the URL and the reason."""
from __future__ import annotations

import pytest

from spiders.params import CrawlParams
from spiders.run import LOCAL_SITE_SETTINGS, run_crawl
from tests.spiders.conftest import read_jsonl

TROUBLE = ["/trouble/slow/", "/trouble/loop/", "/trouble/huge/", "/trouble/report.pdf",
           "/trouble/broken-sitemap.xml", "/trouble/empty/", "/trouble/untitled/",
           "/trouble/server-error/"]


@pytest.fixture(scope="module")
def rejects(sample_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    starts = tuple(sample_site_url + p for p in TROUBLE) + ("http://nonexistent.invalid/story",)
    settings = {**LOCAL_SITE_SETTINGS, "DOWNLOAD_TIMEOUT": 1, "DOWNLOAD_MAXSIZE": 1_000_000,
                "RETRY_TIMES": 0, "REDIRECT_MAX_TIMES": 3}
    result = run_crawl(CrawlParams(starts, tmp_path_factory.mktemp("trouble"), crawl_id="trouble"), settings)
    rows = read_jsonl(result.staging_path / "rejects.jsonl")
    return {r["url"].replace(sample_site_url, ""): r for r in rows}


def test_each_failure_has_its_reason(rejects: dict[str, dict]) -> None:
    reasons = {url: (r["stage"], r["reason"].split(":")[0].split(" (")[0]) for url, r in rejects.items()}
    assert reasons == {
        "/trouble/slow/": ("fetch", "timeout"),
        "/trouble/loop/": ("fetch", "redirect loop or too many redirects"),
        "/trouble/huge/": ("fetch", "too large"),
        "/trouble/report.pdf": ("validate", "not HTML"),
        "/trouble/broken-sitemap.xml": ("parse", "malformed sitemap"),
        "/trouble/empty/": ("validate", "not a page"),
        "/trouble/untitled/": ("validate", "article page has no title"),
        "/trouble/server-error/": ("fetch", "HTTP 500"),
        "http://nonexistent.invalid/story": ("fetch", "DNS lookup failed for nonexistent.invalid"),
    }
    assert rejects["/trouble/server-error/"]["status"] == 500
    assert rejects["/trouble/report.pdf"]["reason"] == "not HTML (application/pdf)"
    assert rejects["/trouble/empty/"]["reason"] == "not a page: empty body"
