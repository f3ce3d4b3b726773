"""The crawl-site flow with `workers`: a shared Redis frontier, its keys gone once loaded."""
from __future__ import annotations

from pathlib import Path

import duckdb
import redis

from flows.cli import main


def test_two_workers_on_a_shared_redis_load_and_forget_their_keys(
        prefect_harness: None, sample_site_url: str, redis_url: str, tmp_path: Path) -> None:
    from flows.crawl_flow import crawl_site

    db = tmp_path / "news.duckdb"
    summary = crawl_site([sample_site_url + "/"], str(db), local_site=True, workers=2,
                         redis_url=redis_url, crawl_id="flow-two-workers")
    assert summary["workers"] == ["w1", "w2"] and summary["redis"] == "shared" and summary["loaded"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (300,)
        files = con.execute("SELECT DISTINCT warc_file FROM captures ORDER BY 1").fetchall()
    assert files == [("clippings-flow-two-workers-w1-00001.warc.gz",),
                     ("clippings-flow-two-workers-w2-00001.warc.gz",)]
    assert list(redis.Redis.from_url(redis_url).scan_iter("clippings:flow-two-workers:*")) == []


def test_cli_crawl_with_workers_starts_its_own_redis(prefect_harness: None, sample_site_url: str,
                                                     redis_url: str, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    assert main(["crawl", sample_site_url + "/", "--db", str(db), "--workers", "2"]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        articles, redis_kind, workers = con.execute(
            "SELECT (SELECT count(*) FROM articles), summary->>'redis', summary->>'workers' FROM crawls").fetchone()
    assert (articles, redis_kind, workers) == (300, "local", '["w1","w2"]')
    assert not list((tmp_path / "cli-archive" / "state").glob("redis-*"))  # its data went with it
