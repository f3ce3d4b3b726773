"""Run a crawl in a child process and return its summary.

Twisted's reactor cannot be restarted inside one Python process, so a Prefect task (or a test)
that crawls more than once starts `scrapy crawl article` as a child each time. While it runs, a
progress callback gets the staged row counts every few seconds.
"""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spiders.layout import SUMMARY_FILE
from spiders.lifeline import die_with_parent
from spiders.lock import ArchiveLock, check_free
from spiders.params import CrawlParams
from spiders.parts import gather, part_dirs
from spiders.staging import count_lines
from spiders.summary import CrawlSummary

# Settings for local sites (the bundled sample site, test servers): no politeness delays.
LOCAL_SITE_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                       "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "ROBOTSTXT_OBEY": True}


class CrawlFailed(RuntimeError):
    """The crawl process ended without a summary; the message quotes the end of its log."""


@dataclass(frozen=True)
class CrawlResult:
    summary: CrawlSummary
    staging_path: Path
    log_path: Path


def staged_counts(staging: Path) -> dict[str, int]:
    return {t: count_lines(staging / f"{t}.jsonl") for t in ("captures", "articles", "rejects")}


def crawl_command(params: CrawlParams, settings: dict[str, Any], log_path: Path) -> list[str]:
    if params.redis_url:
        settings = {**settings, "SCHEDULER": "spiders.scheduler.FrontierScheduler"}
    command = [sys.executable, "-m", "scrapy", "crawl", "article"]
    for name, value in params.to_spider_args().items():
        command += ["-a", f"{name}={value}"]
    for name, value in {**settings, "LOG_FILE": str(log_path)}.items():
        command += ["-s", f"{name}={value}"]
    return command


def run_crawl(params: CrawlParams, settings: dict[str, Any] | None = None,
              progress: Callable[[dict[str, int]], None] | None = None,
              poll_seconds: float = 2.0) -> CrawlResult:
    check_free(params.out, params.crawl_id, params.lock_key)
    log_path = params.log_path
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"}
    stderr_path = log_path.with_suffix(".stderr")
    with open(stderr_path, "w", encoding="utf-8") as stderr_file:  # a file: a pipe could fill and block
        process = subprocess.Popen(crawl_command(params, settings or {}, log_path), env=env,
                                   stdout=subprocess.DEVNULL, stderr=stderr_file,
                                   preexec_fn=die_with_parent)  # no orphan crawler holding the lock
        while process.poll() is None:
            time.sleep(poll_seconds if progress else 0.2)
            if progress and process.poll() is None:
                progress(staged_counts(params.staging_dir))
    stderr = stderr_path.read_text("utf-8", "replace")
    summary_path = params.staging_dir / SUMMARY_FILE
    if process.returncode != 0 or not summary_path.exists():
        tail = log_path.read_text("utf-8", "replace")[-2000:] if log_path.exists() else ""
        raise CrawlFailed(f"crawl {params.crawl_id} exited with {process.returncode} and no summary; "
                          f"see {log_path}\n{stderr[-2000:]}{tail}")
    return CrawlResult(CrawlSummary.read(summary_path), params.staging_dir, log_path)


def worker_params(params: CrawlParams, redis_url: str, worker_id: str) -> CrawlParams:
    return dataclasses.replace(params, redis_url=redis_url, worker_id=worker_id)


def start_worker(params: CrawlParams, settings: dict[str, Any]) -> subprocess.Popen[bytes]:
    """One worker of a shared crawl as a child process (its own session, so it can be signalled)."""
    log_path = params.log_path
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "spiders.settings"}
    with open(log_path.with_suffix(".stderr"), "w", encoding="utf-8") as stderr_file:
        return subprocess.Popen(crawl_command(params, settings, log_path), env=env,
                                stdout=subprocess.DEVNULL, stderr=stderr_file, start_new_session=True,
                                preexec_fn=die_with_parent)


def worker_ids(staging: Path, workers: int) -> list[str]:
    """w1..wN; a crawl resumed after its workers were killed numbers on past the parts they left.
    Their unfinished parts are then finished as dead workers' parts are (spiders.parts): their
    leases expired, so rows another worker stages again are dropped from them, which a worker
    appending to the same part could not tell apart."""
    taken = [int(p.name[1:]) for p in part_dirs(staging) if re.fullmatch(r"w\d+", p.name)]
    first = max(taken, default=0) + 1
    return [f"w{n}" for n in range(first, first + workers)]


def stop_workers(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGKILL the process group of every worker still running and reap it. Killed, not stopped
    gracefully: a worker that writes its part summary would look finished, while a killed one's
    part stays resumable (its leases return to the queue)."""
    for process in processes.values():
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()


def part_counts(params: CrawlParams) -> dict[str, int]:
    totals = {"captures": 0, "articles": 0, "rejects": 0}
    for part in part_dirs(params.staging_dir):
        for table, count in staged_counts(part).items():
            totals[table] += count
    return totals


def run_workers(params: CrawlParams, workers: int, settings: dict[str, Any] | None = None,
                redis_url: str | None = None,
                progress: Callable[[dict[str, int]], None] | None = None,
                poll_seconds: float = 2.0,
                on_start: Callable[[str, dict[str, subprocess.Popen[bytes]]], None] | None = None) -> CrawlResult:
    """Crawl with `workers` processes sharing one Redis frontier, then gather their parts.

    With no `redis_url` a redis-server is started for this crawl on 127.0.0.1, its data in the
    archive's state folder (kept until the crawl finishes, so a crawl whose every process was
    killed resumes under the same crawl id). Workers that die are tolerated: their leases return
    to the queue and the others finish the crawl. `on_start(redis_url, processes)` lets a caller
    (a test) watch the running workers.
    """
    from contextlib import nullcontext

    from spiders.frontier import RedisFrontier
    from spiders.redis_server import local_redis

    if workers < 1:
        raise ValueError(f"workers must be 1 or more, got {workers}")
    state = params.layout.redis_state_dir(params.crawl_id)
    lock = ArchiveLock(params.out, params.lock_key).acquire(params.crawl_id)  # workers lock their parts
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        with (nullcontext(redis_url) if redis_url else local_redis(state)) as url:
            for worker_id in worker_ids(params.staging_dir, workers):
                processes[worker_id] = start_worker(worker_params(params, url, worker_id), settings or {})
            if on_start:
                on_start(url, processes)
            while any(p.poll() is None for p in processes.values()):
                time.sleep(poll_seconds if progress else 0.2)
                if progress:
                    progress(part_counts(params))
            if not any((p / "part.json").exists() for p in part_dirs(params.staging_dir)) and \
                    all(p.returncode for p in processes.values()):
                stderr = params.layout.log_path(params.crawl_id, next(iter(processes))).with_suffix(
                    ".stderr").read_text("utf-8", "replace")
                raise CrawlFailed(f"crawl {params.crawl_id}: every worker failed; see "
                                  f"{params.out / 'logs'}\n{stderr[-2000:]}")
            frontier = RedisFrontier(url, params.crawl_id, "coordinator")
            left = frontier.pending()
            frontier.close()
            if left:
                raise CrawlFailed(f"crawl {params.crawl_id}: every worker ended with {left} requests "
                                  f"still queued; see {params.out / 'logs'}; run it again under the "
                                  "same crawl id to resume")
            summary = gather(params.staging_dir, params.warc_dir, params.crawl_id,
                             {"redis": "shared" if redis_url else "local"})
    finally:
        stop_workers(processes)  # interrupted (Ctrl-C, SIGTERM turned into an exception, an error)
        lock.release()
    if not redis_url:
        shutil.rmtree(state, ignore_errors=True)  # the crawl is whole: its local frontier is done
    return CrawlResult(summary, params.staging_dir, params.layout.log_path(params.crawl_id, next(iter(processes))))


def annotate(result: CrawlResult, **facts: Any) -> CrawlResult:
    """Add what the caller knows (the sites-file entry, the mode) to a finished crawl's summary."""
    summary = dataclasses.replace(result.summary, **facts)
    summary.write(result.staging_path / SUMMARY_FILE)
    return CrawlResult(summary, result.staging_path, result.log_path)
