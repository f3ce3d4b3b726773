"""Opening the DuckDB file, waiting politely when another process holds it.

DuckDB allows one writing process per file. When an analyst's session holds the file, a load
retries with backoff for `wait_seconds`, then fails with a message naming the holder and the
next step.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class DatabaseLocked(RuntimeError):
    """Another process holds the database file; the message says who and what to do."""


def _is_lock_error(error: duckdb.Error) -> bool:
    text = str(error)
    return "Could not set lock" in text or "Conflicting lock" in text


def lock_message(path: Path, error: duckdb.Error, waited: float) -> str:
    match = LOCK_HOLDER.search(str(error))
    holder = f"process {match['pid']} ({match['program']})" if match else "another process"
    return (f"database {path} is locked by {holder}; waited {waited:.0f} s. Close that session "
            f"(or let it finish), or retry with a longer wait, e.g. --wait 120.")


def connect(path: Path | str, read_only: bool = False, wait_seconds: float = 30.0,
            first_delay: float = 0.2) -> duckdb.DuckDBPyConnection:
    """Connect to `path`, retrying with exponential backoff while the file is locked."""
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no database at {path}; run `clippings demo` or `clippings crawl` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    started, delay = time.monotonic(), first_delay
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as error:
            waited = time.monotonic() - started
            if not _is_lock_error(error):
                raise
            if waited + delay > wait_seconds:
                raise DatabaseLocked(lock_message(path, error, waited)) from error
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
