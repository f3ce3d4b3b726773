"""Run a crawl in a child process and return its summary.

Twisted's reactor cannot be restarted inside one Python process, so a Prefect task (or a test)
that crawls more than once starts `scrapy crawl article` as a child each time. While it runs, a
progress callback gets the staged row counts every few seconds.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spiders.lock import check_free
from spiders.params import CrawlParams
from spiders.staging import count_lines

# Settings for local sites (the bundled sample site, test servers): no politeness delays.
LOCAL_SITE_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                       "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "ROBOTSTXT_OBEY": True}


class CrawlFailed(RuntimeError):
    """The crawl process ended without a summary; the message quotes the end of its log."""


@dataclass(frozen=True)
class CrawlResult:
    summary: dict[str, Any]
    staging_path: Path
    log_path: Path


def staged_counts(staging: Path) -> dict[str, int]:
    return {t: count_lines(staging / f"{t}.jsonl") for t in ("captures", "articles", "rejects")}


def crawl_command(params: CrawlParams, settings: dict[str, Any], log_path: Path) -> list[str]:
    args = {"start_urls": ",".join(params.start_urls), "out": str(params.out),
            "depth": str(params.depth), "crawl_id": params.crawl_id,
            "domains": ",".join(params.extra_domains)}
    if params.max_pages is not None:
        args["max_pages"] = str(params.max_pages)
    if params.known is not None:
        args.update(known=str(params.known), revisit_days=str(params.revisit_days))
    args["revisit_known"] = str(params.revisit_known).lower()
    command = [sys.executable, "-m", "scrapy", "crawl", "article"]
    for name, value in args.items():
        command += ["-a", f"{name}={value}"]
    for name, value in {**settings, "LOG_FILE": str(log_path)}.items():
        command += ["-s", f"{name}={value}"]
    return command


def run_crawl(params: CrawlParams, settings: dict[str, Any] | None = None,
              progress: Callable[[dict[str, int]], None] | None = None,
              poll_seconds: float = 2.0) -> CrawlResult:
    check_free(params.out, params.crawl_id)
    log_path = params.out / "logs" / f"{params.crawl_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"}
    stderr_path = log_path.with_suffix(".stderr")
    with open(stderr_path, "w", encoding="utf-8") as stderr_file:  # a file: a pipe could fill and block
        process = subprocess.Popen(crawl_command(params, settings or {}, log_path), env=env,
                                   stdout=subprocess.DEVNULL, stderr=stderr_file)
        while process.poll() is None:
            time.sleep(poll_seconds if progress else 0.2)
            if progress and process.poll() is None:
                progress(staged_counts(params.staging_dir))
    stderr = stderr_path.read_text("utf-8", "replace")
    summary_path = params.staging_dir / "crawl.json"
    if process.returncode != 0 or not summary_path.exists():
        tail = log_path.read_text("utf-8", "replace")[-2000:] if log_path.exists() else ""
        raise CrawlFailed(f"crawl {params.crawl_id} exited with {process.returncode} and no summary; "
                          f"see {log_path}\n{stderr[-2000:]}{tail}")
    return CrawlResult(json.loads(summary_path.read_text("utf-8")), params.staging_dir, log_path)
