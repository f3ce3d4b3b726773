"""Opening the DuckDB file: waiting politely for a lock, loading extensions offline.

DuckDB allows one writing process per file. When an analyst's session holds the file, a load
retries with backoff for `wait_seconds`, then fails with a message naming the holder and the
next step. An archive written by a newer DuckDB storage format (2.x) is refused with a message
that says how to move it, not a raw IO error. Extensions (fts) come from their PyPI wheels,
never from the network: see `load_extension`.
"""
from __future__ import annotations

import re
import time
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from warehouse.sql import quote_literal

LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
TOO_NEW = re.compile(r"database file with version number (?P<found>\d+), but we can only read "
                     r"versions between (?P<low>\d+) and (?P<high>\d+)")


class DatabaseLocked(RuntimeError):
    """Another process holds the database file; the message says who and what to do."""


class ArchiveFormatTooNew(RuntimeError):
    """The file was written by a DuckDB whose storage format this pinned duckdb cannot read."""


class ExtensionMissing(RuntimeError):
    """An extension's wheel (duckdb-extension-NAME) is not installed."""


def _is_lock_error(error: duckdb.Error) -> bool:
    text = str(error)
    return "Could not set lock" in text or "Conflicting lock" in text


def lock_message(path: Path, error: duckdb.Error, waited: float) -> str:
    match = LOCK_HOLDER.search(str(error))
    holder = f"process {match['pid']} ({match['program']})" if match else "another process"
    return (f"database {path} is locked by {holder}; waited {waited:.0f} s. Close that session "
            f"(or let it finish), or retry with a longer wait, e.g. --wait 120.")


def too_new_message(path: Path, error: duckdb.Error) -> str | None:
    match = TOO_NEW.search(str(error))
    if not match:
        return None
    return (f"{path} was written by a newer DuckDB (2.x: storage version {match['found']}); "
            f"Clippings pins duckdb {duckdb.__version__}, which reads storage versions "
            f"{match['low']}-{match['high']}, so that every 1.x client (the duckdb CLI, notebooks, "
            f"DBeaver, R) opens the archive. Nothing was changed.")


# Every session: DuckDB never fetches or loads an extension behind our back (its autoinstall
# reaches for the network, and autoload reads ~/.duckdb); what the schema needs is loaded from
# its wheel by `connect`.
OFFLINE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False, "autoload_known_extensions": False}

# The extensions the archive's schema uses (the search macros call fts's stem()).
SCHEMA_EXTENSIONS = ("fts",)


def connect(path: Path | str, read_only: bool = False, wait_seconds: float = 30.0,
            first_delay: float = 0.2,
            config: dict[str, str | bool | int | float | list[str]] | None = None,
            extensions: tuple[str, ...] = SCHEMA_EXTENSIONS) -> duckdb.DuckDBPyConnection:
    """Connect to `path`, retrying with exponential backoff while the file is locked, with
    autoinstall and autoload off and `extensions` loaded from their wheels."""
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no database at {path}; run `clippings demo` or `clippings crawl` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    started, delay = time.monotonic(), first_delay
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config={**OFFLINE_CONFIG, **(config or {})})
            break
        except duckdb.Error as error:
            waited = time.monotonic() - started
            too_new = too_new_message(path, error)
            if too_new:
                raise ArchiveFormatTooNew(too_new) from error
            if not _is_lock_error(error):
                raise
            if waited + delay > wait_seconds:
                raise DatabaseLocked(lock_message(path, error, waited)) from error
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    try:
        for name in extensions:
            load_extension(con, name)
    except BaseException:
        con.close()
        raise
    return con


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Make a session truly read-only: no file reads or writes outside the open database (which
    also refuses COPY, EXPORT, ATTACH, INSTALL and LOAD), then lock every setting so a query
    cannot undo it. Extensions a session needs must be loaded before this."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def connect_read_only(path: Path | str, wait_seconds: float = 10.0,
                      extensions: tuple[str, ...] = ("fts",)) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down session for analysts (`clippings sql`, `clippings search`): the
    extensions its queries need are loaded from their wheels first, then `lock_down` forbids
    files, ATTACH, extensions and settings for the rest of the session."""
    con = connect(path, read_only=True, wait_seconds=wait_seconds, extensions=extensions)
    try:
        lock_down(con)
    except BaseException:
        con.close()
        raise
    return con


def extension_file(name: str) -> Path:
    """The `.duckdb_extension` file inside the `duckdb-extension-NAME` wheel for this duckdb."""
    try:
        package = resources.files(f"duckdb_extension_{name}")
    except ModuleNotFoundError as error:
        raise ExtensionMissing(f"the DuckDB {name} extension is not installed; install it with "
                               f"pip install -c constraints.txt duckdb-extension-{name}") from error
    found = Path(str(package)) / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not found.is_file():
        raise ExtensionMissing(f"{found} is missing: duckdb-extension-{name} does not match duckdb "
                               f"{duckdb.__version__}; reinstall with pip install -c constraints.txt")
    return found


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD an extension straight from its wheel's file: offline, and nothing written to ~/.duckdb
    (INSTALL would copy it there). Call before a read-only session locks its configuration."""
    con.execute(f"LOAD {quote_literal(str(extension_file(name)))}")  # LOAD takes no parameter


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The first value of the first row a query returns (None when it returns no row)."""
    row = con.execute(sql, params).fetchone()
    return row[0] if row else None
