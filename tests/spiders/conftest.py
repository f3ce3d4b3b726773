"""A real crawl of the sample site over HTTP, shared by the spider tests (about 5 s)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiders.params import CrawlParams
from spiders.run import LOCAL_SITE_SETTINGS, CrawlResult, run_crawl


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="session")
def sample_crawl(sample_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    out = tmp_path_factory.mktemp("archive")
    return run_crawl(CrawlParams((sample_site_url + "/",), out, crawl_id="test-crawl"), LOCAL_SITE_SETTINGS)
