"""A crawl killed with SIGKILL midway and started again under its crawl id ends with the same
archive as an uninterrupted crawl; two crawls cannot share an archive at once."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from spiders.lock import ArchiveBusy, ArchiveLock
from spiders.params import CrawlParams
from spiders.run import LOCAL_SITE_SETTINGS, CrawlResult, crawl_command, run_crawl, staged_counts
from tests.spiders.conftest import read_jsonl

SLOWER = {**LOCAL_SITE_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "CONCURRENT_REQUESTS": 2}


def counted(rows: Iterable[tuple[object, ...]]) -> list[tuple[tuple[object, ...], int]]:
    return sorted(Counter(rows).items(), key=repr)


def archive_view(staging: Path) -> dict[str, object]:
    """What must be equal between two crawls of the same site, whatever the interruptions."""
    rows = {t: read_jsonl(staging / f"{t}.jsonl") for t in
            ("articles", "sections", "links", "aliases", "rejects", "captures")}
    return {
        "articles": sorted((a["canonical_url"], a["content_sha256"]) for a in rows["articles"]),
        # (row, times staged), sorted: a failing comparison then lists the rows that differ (a
        # Counter's diff lists equal rows in another order as missing and extra).
        "sections": counted((s["canonical_url"], s["ordinal"], s["heading"], s["text"]) for s in rows["sections"]),
        "links": counted((l["source_url"], l["ordinal"], l["target_url"], l["kind"]) for l in rows["links"]),
        "aliases": sorted((a["alias_url"], a["canonical_url"], a["reason"]) for a in rows["aliases"]),
        "rejects": sorted({(r["url"], r["stage"], r["reason"]) for r in rows["rejects"]}),
        "captured_urls": sorted({c["url"] for c in rows["captures"]}),
    }


def kill_midway(params: CrawlParams, at_captures: int) -> None:
    log = params.out / "logs" / "killed.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(crawl_command(params, SLOWER, log), start_new_session=True,
                               env={**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while staged_counts(params.staging_dir)["captures"] < at_captures:
        assert process.poll() is None, "the crawl ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_killed_crawl_resumes_to_the_same_archive(sample_site_url: str, sample_crawl: CrawlResult,
                                                  tmp_path: Path) -> None:
    params = CrawlParams((sample_site_url + "/",), tmp_path, crawl_id="resumed")
    kill_midway(params, at_captures=150)
    assert not (params.staging_dir / "crawl.json").exists()
    killed_at = staged_counts(params.staging_dir)
    assert 150 <= killed_at["captures"] < 334
    # Torn writes as a crash can leave them: half a JSON line, half a WARC record.
    with open(params.staging_dir / "articles.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"url": "http://torn')
    last_warc = sorted(params.warc_dir.glob("*.warc.gz"))[-1]
    with open(last_warc, "ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00 torn record")

    result = run_crawl(params, LOCAL_SITE_SETTINGS)
    assert result.summary.resumed is True
    assert archive_view(result.staging_path) == archive_view(sample_crawl.staging_path)

    captures = read_jsonl(result.staging_path / "captures.jsonl")
    by_file: dict[str, int] = Counter()
    for path in sorted(params.warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as handle:
            by_file[path.name] = sum(1 for r in ArchiveIterator(handle) if r.rec_type in ("response", "revisit"))
    assert sum(by_file.values()) == len(captures)  # no record without its capture row, none missing
    assert len(by_file) == 2  # the killed crawl's file, cut after its last capture, and the resumed one


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines(keepends=True)


def _index(rows: list[str], key: str, value: str) -> list[int]:
    return [i for i, line in enumerate(rows) if json.loads(line)[key] == value]


def killed_mid_article(finished: Path, out: Path, cut: str) -> str:
    """Copy a finished crawl's archive into `out` as a SIGKILL midway through staging one
    article could leave it, and return that article's URL. Staging writes an article's sections,
    then its links, then its own row, each file line-buffered: `cut` says where the kill fell."""
    shutil.copytree(finished, out, dirs_exist_ok=True)
    staging = out / "staging" / "test-crawl"
    for name in ("crawl.json", *(p.name for p in staging.glob("*.parquet"))):
        (staging / name).unlink()
    articles, sections, links, captures = (_lines(staging / f"{t}.jsonl")
                                           for t in ("articles", "sections", "links", "captures"))
    k = len(articles) - 6  # late in the crawl, so the resumed crawl is short
    victim = json.loads(articles[k])["canonical_url"]
    own_sections, own_links = _index(sections, "canonical_url", victim), _index(links, "source_url", victim)
    assert len(own_sections) >= 2 and len(own_links) >= 2
    earlier = {json.loads(a)["url"] for a in articles[:k + 1]}
    last_capture = max(i for i, c in enumerate(captures) if json.loads(c)["url"] in earlier)
    torn = {"sections": own_sections[1], "links": own_links[1], "row": None}[cut]
    kept = {
        "articles": articles[:k] + ([articles[k][:40]] if cut == "row" else []),
        "sections": sections[:own_sections[-1] + 1] if cut != "sections" else sections[:torn] + [sections[torn][:30]],
        "links": (links[:own_links[-1] + 1] if cut == "row" else
                  links[:torn] + [links[torn][:25]] if cut == "links" else links[:own_links[0]]),
        "captures": captures[:last_capture + 1],
        "aliases": [], "rejects": [],  # written as pages were parsed: lost with them, found again
    }
    for table, rows in kept.items():
        (staging / f"{table}.jsonl").write_text("".join(rows), "utf-8")
    return victim


@pytest.mark.parametrize("cut", ["sections", "links", "row"])
def test_kill_midway_through_staging_an_article_restages_it_whole(
        sample_site_url: str, sample_crawl: CrawlResult, tmp_path: Path, cut: str) -> None:
    """Deterministic: the kill falls mid-way through one article's section rows, its link rows or
    its own row (a torn last line each time). The resumed crawl drops the partial rows, fetches
    that article again and ends with exactly the uninterrupted crawl's archive."""
    victim = killed_mid_article(sample_crawl.staging_path.parent.parent, tmp_path, cut)
    expected = archive_view(sample_crawl.staging_path)
    params = CrawlParams((sample_site_url + "/",), tmp_path, crawl_id="test-crawl")
    result = run_crawl(params, LOCAL_SITE_SETTINGS)
    assert result.summary.resumed is True
    resumed = archive_view(result.staging_path)
    own = [times for row, times in resumed["sections"] if row[0] == victim]  # type: ignore[attr-defined]
    assert own and set(own) == {1}  # every section of the article, each once
    assert resumed == expected
    articles = read_jsonl(result.staging_path / "articles.jsonl")
    assert len(articles) == 300 and [a["canonical_url"] for a in articles].count(victim) == 1


def test_second_crawl_on_the_same_archive_is_refused(tmp_path: Path) -> None:
    held = ArchiveLock(tmp_path).acquire("first")
    try:
        with pytest.raises(ArchiveBusy, match=r"another crawl is running on .* \(crawl first, process \d+\)"):
            run_crawl(CrawlParams(("http://127.0.0.1:9/",), tmp_path, crawl_id="second"))
    finally:
        held.release()
    ArchiveLock(tmp_path).acquire("third").release()  # free again once released
