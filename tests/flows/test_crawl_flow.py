"""The Prefect flows end to end: crawl the sample site, load DuckDB, re-extract; the CLI around them."""
from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest

from flows.paths import archive_dir_for
from tests.flows.conftest import clippings
from tests.warehouse.conftest import table_counts
from tests.warehouse.test_load import EXPECTED


@pytest.fixture(scope="module")
def flow_db(prefect_harness: None, sample_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from flows.crawl_flow import crawl_site

    db = tmp_path_factory.mktemp("flow") / "news.duckdb"
    summary = crawl_site([sample_site_url + "/"], str(db), depth=2, local_site=True)
    assert summary["loaded"] and summary["articles"] == 300
    assert Path(summary["staging_path"]).is_relative_to(db.parent / "news-archive")
    return db


def test_flow_fills_every_table(flow_db: Path) -> None:
    assert table_counts(flow_db) == EXPECTED
    archive = archive_dir_for(flow_db)
    assert sorted(p.name for p in archive.iterdir()) == ["crawl.lock", "logs", "reports", "staging", "state", "warc"]


def test_reparse_flow_records_the_parser_version(flow_db: Path) -> None:
    from flows.crawl_flow import reparse_archive
    from spiders.parsers import PARSER_VERSION

    summary = reparse_archive(str(flow_db))
    assert summary["loaded"] and summary["pages_fetched"] == 0 and summary["articles"] == 300
    with duckdb.connect(str(flow_db), read_only=True) as con:
        crawls = con.execute("SELECT count(*), count(reparse_of) FROM crawls").fetchone()
        versions = con.execute("SELECT parser_version, count(*) FROM articles GROUP BY ALL").fetchall()
        current = con.execute("SELECT count(*) FROM articles WHERE crawl_id = ?",
                              [summary["crawl_id"]]).fetchone()
    assert crawls == (2, 1)
    assert versions == [(PARSER_VERSION, 300)]
    assert current == (300,)
    counts = table_counts(flow_db)
    assert {k: counts[k] for k in ("articles", "sections", "links", "captures")} == \
        {k: EXPECTED[k] for k in ("articles", "sections", "links", "captures")}


def test_load_task_runs_without_a_flow(flow_db: Path, tmp_path: Path) -> None:
    from flows.tasks import load_task

    staging = next((archive_dir_for(flow_db) / "staging").iterdir())
    result = load_task.fn(str(tmp_path / "other.duckdb"), str(staging))
    assert result.loaded


def test_sql_refuses_writes(flow_db: Path) -> None:
    result = clippings("sql", "--db", str(flow_db), "DELETE FROM articles")
    assert result.returncode == 1
    assert "opened read-only, so this statement was refused" in result.stderr
    assert table_counts(flow_db)["articles"] == 300


def test_sql_formats_and_named_queries(flow_db: Path) -> None:
    listing = clippings("sql", "--db", str(flow_db))
    assert "most_linked" in listing.stdout and "[params: url]" in listing.stdout
    csv_out = clippings("sql", "--db", str(flow_db), "--format", "csv",
                        "SELECT count(*) AS n FROM articles WHERE published = DATE '2025-07-29'")
    assert csv_out.stdout.splitlines() == ["n", "2"]  # the seed and one of its related articles
    missing = clippings("sql", "--db", str(flow_db.parent / "nope.duckdb"), "SELECT 1")
    assert missing.returncode == 2 and "run `clippings demo` or `clippings crawl` first" in missing.stderr


def test_demo_twice_adds_no_rows(demo_run: tuple[Path, str, subprocess.CompletedProcess[str]]) -> None:
    db, port, first = demo_run
    assert first.returncode == 0, first.stderr[-3000:]
    assert "pages fetched 334, articles 300, sections 1496, links 9543, edges 3542, rejects 2" in first.stdout
    assert "== most_linked" in first.stdout and "fetch: HTTP 404" in first.stdout
    assert any((archive_dir_for(db) / "prefect").glob("*.db"))  # Prefect's records: the archive's, not ~/.prefect's
    before = table_counts(db)
    second = clippings("demo", "--db", str(db), "--port", port)
    assert second.returncode == 0 and "already holds the demo crawl" in second.stdout
    assert table_counts(db) == before
