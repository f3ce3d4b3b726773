"""Prefect flows: crawl a site into the archive, and re-extract an archive with a newer parser.

Run locally with `python -m flows.crawl_flow URL --db data/news.duckdb`; deployments in
prefect.yaml run `crawl_site` on a schedule.
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.concurrency.sync import concurrency

from flows.paths import DEFAULT_DB
from flows.tasks import (CRAWL_LIMIT, LOAD_LIMIT, crawl_task, forget_frontier_task, graph_task,
                         known_state_task, load_task, report_task, reparse_task)
from spiders.layout import ArchiveLayout
from spiders.params import CrawlParams, new_crawl_id
from spiders.run import LOCAL_SITE_SETTINGS
from warehouse.connect import connect


@flow(name="crawl-site")
def crawl_site(start_urls: list[str], db_path: str = str(DEFAULT_DB), depth: int | None = None,
               max_pages: int | None = None, archive_dir: str | None = None,
               crawl_id: str | None = None, local_site: bool = False,
               lock_wait_seconds: float = 60.0, mode: str = "full",
               revisit_days: float | None = None, extra_domains: list[str] | None = None,
               settings: dict[str, Any] | None = None, workers: int = 1,
               redis_url: str | None = None, site: str | None = None) -> dict[str, Any]:
    """Crawl `start_urls` into the archive beside `db_path`, load it, return the crawl summary.

    Incremental when the database already holds the site: conditional GETs, revisit records,
    unchanged sitemap entries skipped until `revisit_days` old. mode "full" follows links to
    `depth` and revisits known articles discovery did not reach (noticing removals); mode "poll"
    reads only sitemaps and feeds (depth 0). `local_site` drops politeness delays; use it only
    for sites on your own machine. A crawl parameter left None takes its default from
    `spiders.params.CrawlParams`.
    `extra_domains` widens the crawl's scope (`example.org` or `host:port`); `settings` are
    Scrapy settings for this crawl (e.g. trap limits).

    `workers` > 1 crawls with that many processes sharing one Redis frontier: `redis_url` (or
    $CLIPPINGS_REDIS_URL) names a shared server, whose keys for this crawl are removed once it is
    loaded; without one a redis-server is started on 127.0.0.1 for the crawl. `site` names the
    sites-file entry (recorded in the crawl summary; the multi-site flow passes it, with that
    site's politeness as `settings`). The crawl and the load take slots of the global
    concurrency limits `clippings-crawls` and `clippings-loads` when they exist (docs/sites.md).
    """
    if mode not in ("full", "poll"):
        raise ValueError(f"mode must be 'full' or 'poll', got {mode!r}")
    layout = ArchiveLayout.beside(db_path, archive_dir)
    crawl_id = crawl_id or new_crawl_id()
    known = known_state_task(db_path, str(layout.known_state_path(crawl_id)), lock_wait_seconds)
    params = CrawlParams.create(tuple(start_urls), layout.root, depth=depth if mode == "full" else 0,
                                max_pages=max_pages, crawl_id=crawl_id, known=Path(known) if known else None,
                                extra_domains=tuple(extra_domains or ()) or None,
                                revisit_days=revisit_days, revisit_known=mode == "full", site=site)
    redis_url = redis_url or os.environ.get("CLIPPINGS_REDIS_URL") or None
    with concurrency(CRAWL_LIMIT, strict=False):
        crawl = crawl_task(params, {**(LOCAL_SITE_SETTINGS if local_site else {}), **(settings or {})},
                           workers, redis_url, {"mode": mode})
    # The load, the graph and the report use the one DuckDB file, which has a single writer (and
    # no reader in another process while it writes): one site at a time.
    with concurrency(LOAD_LIMIT, strict=False):
        load = load_task(db_path, str(crawl.staging_path), lock_wait_seconds)
        graph_task(db_path, crawl_id, lock_wait_seconds)
        summary = {**crawl.summary.to_dict(), "staging_path": str(crawl.staging_path),
                   "loaded": load.loaded, "log_path": str(layout.log_path(crawl_id))}
        report = report_task(db_path, summary, str(layout.report_path(crawl_id)))
    if redis_url:  # a shared server outlives the crawl: its keys go once the crawl is loaded
        forget_frontier_task(redis_url, crawl_id)
    return {**summary, "report_path": report}


@flow(name="reparse-archive")
def reparse_archive(db_path: str = str(DEFAULT_DB), crawl_id: str | None = None,
                    archive_dir: str | None = None, lock_wait_seconds: float = 60.0) -> dict[str, Any]:
    """Re-extract a crawl (default: the newest real crawl) from its WARC files and load it;
    each wait for a locked database lasts up to `lock_wait_seconds`."""
    archive = ArchiveLayout.beside(db_path, archive_dir).root
    if crawl_id is None:
        with connect(db_path, read_only=True, wait_seconds=lock_wait_seconds) as con:
            row = con.execute("SELECT crawl_id FROM crawls WHERE reparse_of IS NULL "
                              "ORDER BY finished DESC LIMIT 1").fetchone()
        if row is None:
            raise ValueError(f"{db_path} holds no crawl to re-extract")
        crawl_id = row[0]
    result = reparse_task(str(archive), crawl_id)
    load = load_task(db_path, str(result.staging_path), lock_wait_seconds)
    graph_task(db_path, result.summary.crawl_id, lock_wait_seconds)
    return {**result.summary.to_dict(), "loaded": load.loaded}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Run the crawl-site flow once, locally.")
    parser.add_argument("start_urls", nargs="+")
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--depth", type=int, help=f"default {CrawlParams.default('depth')}")
    parser.add_argument("--max-pages", type=int)
    args = parser.parse_args()
    print(json.dumps(crawl_site(args.start_urls, args.db, args.depth, args.max_pages), indent=2))
