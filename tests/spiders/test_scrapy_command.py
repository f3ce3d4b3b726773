"""`scrapy crawl article ...` from the repository root, as the README shows it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from spiders.params import CrawlParams
from spiders.run import LOCAL_SITE_SETTINGS, run_crawl
from tests.spiders.conftest import read_jsonl

ROOT = Path(__file__).resolve().parents[2]


def test_scrapy_crawl_with_max_pages(sample_site_url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"start_urls={sample_site_url}/",
         "-a", "depth=1", "-a", "max_pages=10", "-a", f"out={tmp_path}", "-a", "crawl_id=cli",
         "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0",
         "-s", "CLIPPINGS_CONTACT_URL=https://example.org/contact"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    captures = read_jsonl(tmp_path / "staging" / "cli" / "captures.jsonl")
    pages = [c for c in captures if (c["content_type"] or "").startswith("text/html")]
    assert len(pages) == 10  # the start page and nine more: max_pages counts HTML page requests
    assert "'clippings/skipped/max_pages'" in result.stderr
    agents = set()
    for path in (tmp_path / "warc").glob("*.warc.gz"):
        with open(path, "rb") as handle:
            agents |= {r.http_headers.get_header("User-Agent") for r in ArchiveIterator(handle)
                       if r.rec_type == "request"}
    assert agents == {"Clippings/0.1 (+https://example.org/contact; archival crawler)"}


def test_a_crawl_writes_nothing_to_home_or_the_current_folder(
        sample_site_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README: nothing is written to the current directory or home, only to the archive.
    (Scrapy 2.19's remote-control extension made ~/.local/state/scrapy/job_files on every crawl.)"""
    home, cwd, archive = tmp_path / "home", tmp_path / "cwd", tmp_path / "archive"
    home.mkdir()
    cwd.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(cwd)
    result = run_crawl(CrawlParams((sample_site_url + "/",), archive, depth=1, max_pages=10,
                                   crawl_id="home"), LOCAL_SITE_SETTINGS)
    assert result.summary.bodies_fetched == 10  # max_pages HTML pages, in the archive:
    assert (archive / "staging" / "home" / "crawl.json").exists()
    assert [p.name for p in (archive / "warc").iterdir()] == ["clippings-home-00001.warc.gz"]
    assert [p.relative_to(home) for p in home.rglob("*")] == []
    assert list(cwd.iterdir()) == []
