"""Killing only the parent `clippings crawl` (as the OOM killer may) leaves nothing running, frees
the archive, and `clippings crawl --resume` then ends with the same archive as an uninterrupted crawl."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from spiders.lifeline import MARK, marked_processes
from spiders.lock import ArchiveLock
from spiders.run import CrawlResult, staged_counts
from tests.spiders.conftest import sample_crawl  # noqa: F401 (the uninterrupted crawl to compare with)
from tests.spiders.test_resume import archive_view

SLOW_LOCAL = ["--set", "AUTOTHROTTLE_ENABLED=false", "--set", "DOWNLOAD_DELAY=0",
              "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "--set", "CONCURRENT_REQUESTS=2"]


def wait_for(condition, seconds: float) -> bool:
    """Poll `condition` until it holds or `seconds` pass (a deadline, not a measurement)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_kill_parent_then_resume(sample_site_url: str, sample_crawl: CrawlResult, tmp_path: Path) -> None:  # noqa: F811
    mark = f"kill-test-{os.getpid()}"
    env = {**os.environ, MARK: mark, "PREFECT_HOME": str(tmp_path / "prefect"), "DO_NOT_TRACK": "1",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    db = tmp_path / "news.duckdb"
    command = [sys.executable, "-m", "flows.cli", "crawl", "--db", str(db)]
    errors = tmp_path / "crawl.stderr"
    with open(errors, "w") as stderr:
        parent = subprocess.Popen([*command, sample_site_url + "/", *SLOW_LOCAL], env=env,
                                  stdout=subprocess.DEVNULL, stderr=stderr)
    staging_root = tmp_path / "news-archive" / "staging"

    def crawling() -> bool:
        folders = list(staging_root.glob("*")) if staging_root.exists() else []
        return bool(folders) and staged_counts(folders[0])["captures"] >= 40
    # A deadline for a broken crawl, not a measurement; a crawl command that ended says why.
    if not wait_for(lambda: crawling() or parent.poll() is not None, 300) or not crawling():
        parent.kill()  # its lifeline takes the rest down
        parent.wait()
        pytest.fail(f"the crawl never got going: {errors.read_text()[-2000:]}")
    assert len(marked_processes(mark)) >= 3  # the crawler, its parse worker, Prefect's server, ...
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    assert wait_for(lambda: not marked_processes(mark), 5), f"still running: {marked_processes(mark)}"
    ArchiveLock(tmp_path / "news-archive").acquire("check").release()  # the lock was released
    (staging,) = staging_root.iterdir()
    assert not (staging / "crawl.json").exists()

    resumed = subprocess.run([*command, "--resume"], env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert f"crawl {staging.name}: " in resumed.stdout
    assert archive_view(staging) == archive_view(sample_crawl.staging_path)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT crawl_id) FROM articles").fetchone() == (300, 1)
    again = subprocess.run([*command, "--resume"], env=env, capture_output=True, text=True, timeout=60)
    assert (again.returncode, again.stderr.strip().splitlines()[-1]) == (
        1, f"clippings crawl: no unfinished crawl in {tmp_path / 'news-archive'}; start one with clippings crawl URL")
