"""`scrapy crawl article ...` from the repository root, as the README shows it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

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
