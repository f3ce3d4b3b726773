"""Prefect tasks: crawl, load, re-extract. Small, typed, one job each."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import logging

from prefect import get_run_logger, task
from prefect.exceptions import MissingContextError

from spiders.params import CrawlParams
from spiders.reparse import reparse_crawl
from spiders.run import CrawlResult, run_crawl
from warehouse.connect import DatabaseLocked
from warehouse.load import LoadResult, load_path


def _logger() -> logging.Logger | logging.LoggerAdapter:
    """Prefect's run logger inside a run; a plain logger when a task is called through `.fn`."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("clippings.flows")


@task(name="crawl", retries=0)  # fetch-side errors are retried by Scrapy, not here
def crawl_task(start_urls: list[str], archive_dir: str, depth: int, max_pages: int | None,
               crawl_id: str | None, settings: dict[str, Any]) -> CrawlResult:
    """Run the article spider in a child process and return its summary and staging folder."""
    logger = _logger()
    kwargs = {"crawl_id": crawl_id} if crawl_id else {}
    params = CrawlParams(tuple(start_urls), Path(archive_dir), depth, max_pages, **kwargs)
    logger.info("crawl %s of %s -> %s", params.crawl_id, ", ".join(start_urls), params.out)
    result = run_crawl(params, settings, progress=lambda counts: logger.info(
        "progress: %(captures)d pages fetched, %(articles)d articles staged, %(rejects)d rejects", counts))
    logger.info("crawl %s finished: %d pages, %d articles, %d rejects", params.crawl_id,
                result.summary["pages_fetched"], result.summary["articles"], result.summary["rejects"])
    return result


@task(name="load", retries=2, retry_delay_seconds=[5, 30],
      retry_condition_fn=lambda task, run, state: isinstance(state.result(raise_on_failure=False),
                                                             DatabaseLocked))
def load_task(db_path: str, staging_path: str, wait_seconds: float = 60.0) -> LoadResult:
    """Load one staged crawl into DuckDB (retried only when the file is locked)."""
    result = load_path(Path(db_path), Path(staging_path), wait_seconds)
    _logger().info("load of %s: %s", result.crawl_id,
                          "loaded" if result.loaded else "already in the database, nothing to do")
    return result


@task(name="reparse")
def reparse_task(archive_dir: str, crawl_id: str) -> CrawlResult:
    """Re-extract a crawl's archived pages with the current parser."""
    return reparse_crawl(Path(archive_dir), crawl_id)
