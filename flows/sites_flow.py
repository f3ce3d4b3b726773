"""The multi-site flow: crawl every due publisher of the sites file at once, load each as it ends.

Each due site becomes its own `crawl-site` flow run (through the `site_deployment` deployment when
one is given, so the runs spread over every worker of the work pool; in this process otherwise).
Two Prefect global concurrency limits bound them: `clippings-crawls` (default 4 crawls at once,
the `max_concurrent` parameter) and `clippings-loads` (1: DuckDB has a single writer, so loads
are serialised even when the crawls run on several workers or machines).
"""
from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, cast

from prefect import flow, get_client, task
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment

from flows.paths import DEFAULT_DB
from flows.sites import Site, load_sites, select
from flows.tasks import CRAWL_LIMIT, LOAD_LIMIT
from warehouse.connect import connect

DEFAULT_MAX_CONCURRENT = 4
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def last_crawls(db_path: str, site: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(last full crawl, last crawl of any mode) of a site, from the crawls the archive holds."""
    if not Path(db_path).exists():
        return None, None
    with connect(db_path, read_only=True) as con:
        row = con.execute("SELECT max(finished) FILTER (WHERE summary->>'mode' = 'full'), max(finished) "
                          "FROM crawls WHERE summary->>'site' = ?", [site]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def due_mode(site: Site, db_path: str, now: dt.datetime) -> str | None:
    """'full' when the site's full-crawl cron fired since its last full crawl, else 'poll' when
    its poll cron fired since its last crawl, else None (not due)."""
    last_full, last_any = last_crawls(db_path, site.name)
    if site.due("full", last_full, now):
        return "full"
    if site.due("poll", last_any, now):
        return "poll"
    return None


@task(name="concurrency-limits")
def ensure_limits(max_concurrent: int) -> None:
    """Create (or resize) the global concurrency limits the site runs take slots from."""
    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(CRAWL_LIMIT, max_concurrent)
        client.upsert_global_concurrency_limit_by_name(LOAD_LIMIT, 1)


def site_parameters(site: Site, mode: str, db_path: str, archive_dir: str | None,
                    redis_url: str | None) -> dict[str, Any]:
    return {"start_urls": site.start_urls, "db_path": db_path, "depth": site.depth,
            "max_pages": site.max_pages, "archive_dir": archive_dir, "mode": mode,
            "local_site": site.local, "workers": site.workers, "redis_url": redis_url,
            "extra_domains": site.extra_domains, "site": site.name,
            "settings": site.crawl_settings()}


def _wait(flow_run_ids: list[Any], poll_seconds: float = 2.0) -> dict[Any, str]:
    """Wait for the site runs (on whichever workers took them); their final state names."""
    with get_client(sync_client=True) as client:
        while True:
            states = {i: client.read_flow_run(i).state for i in flow_run_ids}
            names = {i: s.type.value if s else "PENDING" for i, s in states.items()}
            if all(n in FINAL for n in names.values()):
                return names
            time.sleep(poll_seconds)


@flow(name="crawl-sites")
def crawl_sites(sites_file: str = "sites.yaml", db_path: str = str(DEFAULT_DB),
                only: list[str] | None = None, mode: str = "due",
                max_concurrent: int = DEFAULT_MAX_CONCURRENT, archive_dir: str | None = None,
                redis_url: str | None = None,
                site_deployment: str | None = None) -> dict[str, Any]:
    """Crawl the sites of `sites_file` that are due (mode "due"), or all of them in mode
    "full"/"poll"; `only` names a subset. Returns each site's outcome."""
    from flows.crawl_flow import crawl_site

    if mode not in ("due", "full", "poll"):
        raise ValueError(f"mode must be 'due', 'full' or 'poll', got {mode!r}")
    sites = select(load_sites(sites_file), only)
    now = dt.datetime.now(dt.timezone.utc)
    plan = {s.name: (s, mode if mode != "due" else due_mode(s, db_path, now)) for s in sites}
    due = {name: (site, m) for name, (site, m) in plan.items() if m}
    ensure_limits(max_concurrent)
    if not due:
        return {"due": [], "outcomes": {}}
    params = {name: site_parameters(site, m, db_path, archive_dir, redis_url) for name, (site, m) in due.items()}
    if site_deployment:
        runs = {name: cast(FlowRun, run_deployment(site_deployment, parameters=p, timeout=0,
                                                   as_subflow=True))
                for name, p in params.items()}
        states = _wait([r.id for r in runs.values()])
        outcomes = {name: states[run.id] for name, run in runs.items()}
    else:
        with ThreadPoolExecutor(max(1, min(len(params), max_concurrent))) as pool:
            results = dict(zip(params, pool.map(lambda p: _run_here(crawl_site, p), params.values())))
        outcomes = results
    failed = [name for name, state in outcomes.items() if state != "COMPLETED"]
    if failed:
        raise RuntimeError(f"sites {', '.join(failed)} did not complete; see their crawl-site runs")
    return {"due": list(due), "modes": {n: m for n, (_, m) in due.items()}, "outcomes": outcomes}


def _run_here(crawl_site: Callable[..., Any], parameters: dict[str, Any]) -> str:
    try:
        crawl_site(**parameters)
    except Exception:  # the run's own state records the error
        return "FAILED"
    return "COMPLETED"
