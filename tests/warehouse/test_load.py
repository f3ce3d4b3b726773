"""Loading a staged crawl: exact counts, idempotent, atomic, and patient with a locked file."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from spiders.run import CrawlResult
from spiders.sample_site import build_site
from tests.warehouse.conftest import table_counts
from warehouse.connect import DatabaseLocked, connect
from warehouse.load import StagingIncomplete, load_path
from warehouse.migrate import database_version, schema_file_version

SITE = build_site()
EXPECTED = {"crawls": 1, "captures": 334, "articles": 300, "sections": 1496, "links": 9543,
            "aliases": 2, "rejects": 2, "edges": 3542, "link_counts": 535, "orphans": 0, "dangling": 1}


def test_every_table_and_view_has_exact_counts(loaded_db: Path, sample_crawl: CrawlResult) -> None:
    counts = table_counts(loaded_db)
    assert counts == EXPECTED
    summary = sample_crawl.summary
    assert (summary.sections, summary.links) == (counts["sections"], counts["links"])
    sections_in_model = 0
    from spiders.sample_site.pages import body_blocks
    for spec in SITE.articles:
        blocks = body_blocks(SITE, spec)
        sections_in_model += sum("h2" in b for b in blocks) + ("p" in blocks[0])
    assert counts["sections"] == sections_in_model


def test_seed_article_in_the_warehouse(loaded_db: Path, sample_site_url: str) -> None:
    seed_url = sample_site_url + SITE.articles[0].path
    with duckdb.connect(str(loaded_db), read_only=True) as con:
        title, published, words = con.execute(
            "SELECT title, published::VARCHAR, word_count FROM articles WHERE canonical_url = ?",
            [seed_url]).fetchone()
        headings = con.execute("SELECT heading FROM sections WHERE canonical_url = ? AND heading "
                               "IS NOT NULL ORDER BY ordinal", [seed_url]).fetchall()
        related = con.execute("SELECT count(*), count(target_article), min(related_category) FROM links "
                              "WHERE source_url = ? AND kind = 'related'", [seed_url]).fetchone()
    assert title.startswith("Analyzing the contribution of production soundtracks")
    assert (published, words) == ("2025-07-29", 1151)
    assert len(headings) == 4
    assert related == (20, 20, "TV series reviews")


def test_loading_twice_changes_nothing(loaded_db: Path, sample_crawl: CrawlResult) -> None:
    before = table_counts(loaded_db)
    assert not load_path(loaded_db, sample_crawl.staging_path).loaded
    assert table_counts(loaded_db) == before


def test_failed_load_leaves_the_database_as_it_was(loaded_db: Path, sample_crawl: CrawlResult,
                                                   tmp_path: Path) -> None:
    broken = tmp_path / "broken-crawl"
    shutil.copytree(sample_crawl.staging_path, broken)
    (broken / "crawl.json").write_text((broken / "crawl.json").read_text().replace("test-crawl", "broken"))
    (broken / "links.parquet").write_bytes(b"PAR1 not really parquet")
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded_db, db)
    before = table_counts(db)
    with pytest.raises(duckdb.Error):
        load_path(db, broken)
    assert table_counts(db) == before


def test_unfinished_staging_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StagingIncomplete, match="did not finish"):
        load_path(tmp_path / "x.duckdb", tmp_path)


def test_schema_version_recorded(loaded_db: Path) -> None:
    with duckdb.connect(str(loaded_db), read_only=True) as con:
        # No version literal: a schema change bumps the header of schema.sql and nothing here.
        assert database_version(con) == schema_file_version() >= 7


def _hold_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    code = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "time.sleep(float(sys.argv[2])); con.close()")
    holder = subprocess.Popen([sys.executable, "-c", code, str(db), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout and holder.stdout.readline().strip() == "held"
    return holder


def test_locked_database_waits_then_fails_clearly(loaded_db: Path, tmp_path: Path,
                                                  sample_crawl: CrawlResult) -> None:
    db = tmp_path / "locked.duckdb"
    shutil.copy(loaded_db, db)
    holder = _hold_lock(db, 30)
    try:
        with pytest.raises(DatabaseLocked) as error:
            connect(db, wait_seconds=1.5)
        # It retried instead of failing at once: its back-off sleeps alone (0.2 + 0.4 s) make the
        # reported wait at least 1 s when rounded, however busy the machine (no clock compared here).
        # That a released lock is then taken is test_locked_database_load_succeeds_once_released's.
        assert re.search(r"waited [1-9]\d* s", str(error.value))
        assert f"locked by process {holder.pid}" in str(error.value)
        assert "--wait" in str(error.value)
    finally:
        holder.kill()
        holder.communicate()


def test_locked_database_load_succeeds_once_released(tmp_path: Path, sample_crawl: CrawlResult) -> None:
    db = tmp_path / "busy.duckdb"
    duckdb.connect(str(db)).close()
    holder = _hold_lock(db, 1.5)
    try:
        result = load_path(db, sample_crawl.staging_path, wait_seconds=30)
    finally:
        holder.communicate()  # waits, and closes its stdout pipe
    assert result.loaded and table_counts(db)["articles"] == 300
