"""Operating the CLI: errors are one line with the next step (exit 2 for usage errors), tracebacks
only under --debug; a finished crawl whose load was killed is loaded by its crawl id."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from spiders.run import CrawlResult
from tests.spiders.conftest import sample_crawl  # noqa: F401


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    """The error line (a crawl may first say where its temporary Prefect server keeps records)."""
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()[-1]


def clippings(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("url, message", [
    ("ftp://x", "start URL 'ftp://x': scheme ftp is not crawled; give http(s) URLs such as https://example.com/"),
    ("http://[::1", "start URL 'http://[::1': malformed URL (Invalid IPv6 URL); give http(s) URLs such as "
                    "https://example.com/"),
    ("http://999.1.1.1/", "start URL 'http://999.1.1.1/': invalid host '999.1.1.1'; give http(s) URLs such as "
                          "https://example.com/"),
])
def test_bad_start_urls_are_one_line_usage_errors(url: str, message: str, tmp_path: Path) -> None:
    result = clippings("crawl", url, "--db", str(tmp_path / "x.duckdb"))
    assert (result.returncode, last_line(result)) == (2, f"clippings crawl: {message}")


def test_crawl_needs_urls_or_resume(tmp_path: Path) -> None:
    result = clippings("crawl", "--db", str(tmp_path / "x.duckdb"))
    assert (result.returncode, last_line(result)) == (
        2, "clippings crawl: give at least one URL to crawl, or --resume to continue a killed crawl")
    resume = clippings("crawl", "--resume", "nope", "--db", str(tmp_path / "x.duckdb"))
    assert resume.returncode == 1
    assert last_line(resume) == f"clippings crawl: no crawl nope in {tmp_path / 'x-archive' / 'staging'}; see the folders there"


def test_workers_below_one_is_a_usage_error(tmp_path: Path) -> None:
    result = clippings("crawl", "http://127.0.0.1:9/", "--workers", "0", "--db", str(tmp_path / "x.duckdb"))
    assert (result.returncode, last_line(result)) == (
        2, "clippings crawl: --workers 0: give 1 or more crawler processes")


def test_unexpected_errors_are_one_line_and_tracebacks_need_debug(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-db.duckdb"
    folder.mkdir()  # a folder where the database file should be
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "crawl.json").write_text("{}")
    plain = clippings("load", str(staging), "--db", str(folder))
    assert plain.returncode == 1
    assert plain.stderr == (f'clippings load: IOException: IO Error: Could not read from file "{folder}": '
                            "Is a directory (run again with --debug for the traceback)\n")
    debug = clippings("--debug", "load", str(staging), "--db", str(folder))
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr


def test_load_a_finished_crawl_by_its_id(sample_crawl: CrawlResult, tmp_path: Path) -> None:  # noqa: F811
    crawl_id = sample_crawl.summary.crawl_id
    shutil.copytree(sample_crawl.staging_path, tmp_path / "news-archive" / "staging" / crawl_id)
    db = tmp_path / "news.duckdb"
    result = clippings("load", crawl_id, "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith(f"loaded ({crawl_id})")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (300,)
    unfinished = tmp_path / "news-archive" / "staging" / "killed-crawl"
    unfinished.mkdir()
    refused = clippings("load", "killed-crawl", "--db", str(db))
    assert (refused.returncode, refused.stderr) == (
        2, f"clippings load: {unfinished} is not a finished crawl's staging folder; a killed crawl "
           "continues with clippings crawl --resume\n")


@pytest.mark.parametrize("command", [["report", "--out", "{tmp}/report.html"], ["export", "--out", "{tmp}/snap"],
                                     ["reparse"]])
def test_wait_bounds_the_wait_for_a_locked_database(command: list[str], tmp_path: Path) -> None:
    """Every command that opens the database takes --wait: held by another process (a real
    DuckDB connection), the command gives up after the wait asked for, in one line naming the
    holder. The wait is read from the message, never from the clock (with the default 60 s it
    would say about 55 s)."""
    db = tmp_path / "held.duckdb"
    code = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "time.sleep(300)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "held"
        args = [a.replace("{tmp}", str(tmp_path)) for a in command]
        result = clippings(*args, "--db", str(db), "--wait", "1.5")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        # (export and reparse are flows: Prefect's temporary server says it stopped after our line)
        (line,) = [line for line in result.stderr.splitlines() if line.startswith(f"clippings {command[0]}: database")]
        said = re.fullmatch(rf"clippings {command[0]}: database {re.escape(str(db))} is locked by process "
                            rf"{holder.pid} \(\S*python\S*\); waited (\d+) s\. Close that session \(or let it "
                            r"finish\), or retry with a longer wait, e\.g\. --wait 120\.", line)
        # 1 s on a quiet machine; a connection attempt under load can take it past 1.5 s (2 s)
        # before the command gives up. Either way far from the default 60 s: --wait was obeyed.
        assert said is not None and 1 <= int(said.group(1)) <= 5
    finally:
        holder.kill()
        holder.communicate()


@pytest.mark.parametrize("started, given, resumed", [(3, None, 3), (3, 2, 2), (1, None, 1), (None, None, 1)])
def test_resume_keeps_the_killed_crawls_worker_count(started: int | None, given: int | None, resumed: int,
                                                     tmp_path: Path) -> None:
    """A crawl of N workers stages N worker parts; `--resume` continues it with N workers unless
    --workers says otherwise (arguments saved before the count was recorded mean one)."""
    from flows.cli import _crawl_arguments, build_parser
    from flows.crawl_state import save_arguments

    db, archive = tmp_path / "a.duckdb", tmp_path / "a-archive"
    new = ["crawl", "http://127.0.0.1:9/", "--db", str(db)] + ([] if started is None else ["--workers", str(started)])
    crawl_id, saved = _crawl_arguments(build_parser().parse_args(new))
    if started is None:  # a state file written before the worker count was saved
        del saved["workers"]
        save_arguments(archive, crawl_id, saved)
    (archive / "staging" / crawl_id).mkdir(parents=True)  # started, never finished
    resume = ["crawl", "--resume", "--db", str(db)] + ([] if given is None else ["--workers", str(given)])
    assert _crawl_arguments(build_parser().parse_args(resume)) == (
        crawl_id, {**saved, "workers": resumed})
