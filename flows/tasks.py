"""Prefect tasks: crawl, load, re-extract. Small, typed, one job each."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import logging

from prefect import get_run_logger, task
from prefect.exceptions import MissingContextError

from flows.progress import progress

from spiders.params import CrawlParams
from spiders.reparse import reparse_crawl
from spiders.frontier import RedisFrontier
from spiders.run import CrawlResult, annotate, run_crawl, run_workers
from spiders.scope import registrable_domain
from warehouse.connect import connect
from warehouse.graph import GraphRun, analyse, link_hosts
from warehouse.known_state import write_known_state
from warehouse.load import LoadResult, load_path


# Prefect global concurrency limits the crawl and load steps take a slot of (docs/sites.md).
CRAWL_LIMIT = "clippings-crawls"
LOAD_LIMIT = "clippings-loads"


def _logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """Prefect's run logger inside a run; a plain logger when a task is called through `.fn`."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("clippings.flows")


# The tasks that open the archive are not retried: a locked database is waited for inside
# connect(), for as long as --wait says (wait_seconds), and a retry would stretch that wait
# past what the user asked for; every other failure there would fail again the same way.
@task(name="known-state", retries=0)
def known_state_task(db_path: str, target: str, wait_seconds: float = 60.0) -> str | None:
    """Write what the archive already holds, so the crawl can be incremental."""
    rows = write_known_state(Path(db_path), Path(target), wait_seconds)
    _logger().info("%d known URLs written for an incremental crawl", rows)
    return target if rows else None


@task(name="crawl", retries=0)  # fetch-side errors are retried by Scrapy, not here
def crawl_task(params: CrawlParams, settings: dict[str, Any], workers: int = 1,
               redis_url: str | None = None, note: dict[str, Any] | None = None) -> CrawlResult:
    """Run the article spider in a child process (or `workers` of them sharing a Redis frontier)
    and return its summary and staging folder; `note` is added to the crawl summary."""
    logger = _logger()
    logger.info("crawl %s of %s -> %s (%d worker%s)", params.crawl_id, ", ".join(params.start_urls),
                params.out, workers, "" if workers == 1 else "s")
    with progress(f"crawl {params.crawl_id}", total=params.max_pages, unit="pages fetched",
                  emit=logger.info) as shown:
        def update(counts: dict[str, int]) -> None:
            shown.update(counts["captures"], f"{counts['articles']:,} articles staged, {counts['rejects']:,} rejects")

        if workers > 1 or redis_url:
            result = run_workers(params, workers, settings, redis_url, update)
        else:
            result = run_crawl(params, settings, progress=update)
    if note:
        result = annotate(result, **note)
    summary = result.summary
    logger.info("crawl %s finished: %d pages, %d full bodies, %d revisits, %d articles, %d rejects",
                params.crawl_id, summary.pages_fetched, summary.bodies_fetched, summary.revisits,
                summary.articles, summary.rejects)
    return result


@task(name="load", retries=0)
def load_task(db_path: str, staging_path: str, wait_seconds: float = 60.0) -> LoadResult:
    """Load one staged crawl into DuckDB, waiting up to `wait_seconds` for a locked file."""
    result = load_path(Path(db_path), Path(staging_path), wait_seconds)
    _logger().info("load of %s: %s", result.crawl_id,
                          "loaded" if result.loaded else "already in the database, nothing to do")
    return result


@task(name="graph-analytics", retries=0)
def graph_task(db_path: str, crawl_id: str | None = None, wait_seconds: float = 60.0) -> GraphRun:
    """Recompute the link-graph analytics (PageRank, HITS, communities, site links) after a load."""
    with connect(Path(db_path), wait_seconds=wait_seconds) as con:
        sites = {host: registrable_domain(f"http://{host}/") for host in link_hosts(con)}
        run = analyse(con, sites, crawl_id)
    _logger().info("link graph: %d articles, %d edges (%d links), %d communities (modularity %.3f) in %.1f s",
                   run.nodes, run.edges, run.links, run.communities, run.modularity, run.seconds)
    return run


@task(name="report")
def report_task(db_path: str, summary: dict[str, Any], out: str) -> str:
    """Write the crawl's HTML report and show its summary and changes as artifacts of this run."""
    from flows.artifacts import publish
    from warehouse.report import write_report

    data = write_report(Path(db_path), Path(out), crawl_id=summary["crawl_id"])
    publish(summary, data, Path(out))
    _logger().info("report of crawl %s: %s (artifacts crawl-summary-… and crawl-changes-… under this run)",
                   summary["crawl_id"], out)
    return out


@task(name="forget-frontier", retries=2, retry_delay_seconds=5)
def forget_frontier_task(redis_url: str, crawl_id: str) -> int:
    """Remove a loaded crawl's keys from the shared Redis (its frontier is done)."""
    frontier = RedisFrontier(redis_url, crawl_id, "loader")
    try:
        removed = frontier.delete()
    finally:
        frontier.close()
    _logger().info("removed %d Redis keys of crawl %s", removed, crawl_id)
    return removed


@task(name="reparse")
def reparse_task(archive_dir: str, crawl_id: str) -> CrawlResult:
    """Re-extract a crawl's archived pages with the current parser."""
    with progress(f"reparse {crawl_id}", unit="pages", emit=_logger().info) as shown:
        return reparse_crawl(Path(archive_dir), crawl_id, progress=lambda done, total: shown.update(done, total=total))
