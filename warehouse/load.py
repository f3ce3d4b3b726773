"""Loading a staged crawl into the warehouse: set-based, atomic and idempotent.

DuckDB reads the staged Parquet files itself (no row-by-row inserts), every worker's part of a
multi-worker crawl together. The whole load is one
transaction: a failure midway leaves the database as it was. A crawl id already in `crawls` is
not loaded again, so loading the same staging folder twice changes nothing. Each load rebuilds
the full-text index (warehouse/search.py) in that transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from spiders.layout import SUMMARY_FILE
from spiders.rows import STAGED_TABLES
from warehouse.connect import connect, scalar
from warehouse.migrate import migrate
from warehouse.search import refresh_search_index
from warehouse.sql import bind, read_statements

# Warehouse columns no staged row carries: the load derives them (load.sql). With each staged
# row's STAGING_ONLY, this is the whole staging-to-warehouse contract (tests/warehouse/test_contract.py).
DERIVED_BY_LOAD: dict[str, frozenset[str]] = {
    "articles": frozenset({"published_at", "modified_at", "first_seen", "last_seen", "version", "gone_at"}),
    "sections": frozenset({"version"}),
    "links": frozenset({"version", "target_article"}),
}


class StagingIncomplete(RuntimeError):
    """The staging folder has no crawl.json: the crawl did not finish."""


@dataclass(frozen=True)
class LoadResult:
    crawl_id: str
    loaded: bool  # False when this crawl was already in the database
    rows: dict[str, int]


# Staged tables newer than some archives' staging folders (which `clippings load` may re-load).
ADDED_LATER = ("lastmods",)


def table_files(staging: Path, table: str) -> list[str]:
    """A table's staged Parquet files: the crawl's own, or one per worker part (parts/<worker>/)."""
    parts = sorted(p for p in (staging / "parts").glob("*") if p.is_dir())
    return [str(folder / f"{table}.parquet") for folder in (parts or [staging])]


def load_statements() -> list[str]:
    """The load's SQL, from warehouse/load.sql, one statement per `;`-terminated block."""
    return read_statements("warehouse", "load.sql")


def load_staging(con: duckdb.DuckDBPyConnection, staging: Path) -> LoadResult:
    summary_path = staging / SUMMARY_FILE
    if not summary_path.exists():
        raise StagingIncomplete(f"{staging} has no crawl.json: the crawl did not finish; "
                                "rerun it, or load a finished crawl")
    summary = json.loads(summary_path.read_text("utf-8"))
    crawl_id = summary["crawl_id"]
    migrate(con)
    if scalar(con, "SELECT count(*) FROM crawls WHERE crawl_id = ?", [crawl_id]):
        return LoadResult(crawl_id, False, {})
    values: dict[str, object] = {f"{t}_file": table_files(staging, t) for t in STAGED_TABLES}  # every part
    values.update(crawl_id=crawl_id, summary=json.dumps(summary), finished=summary.get("finished"))
    # Staging folders written before a table existed lack its files; only these tables may.
    absent = {f"{t}_file" for t in ADDED_LATER if not any(Path(f).exists() for f in table_files(staging, t))}
    con.execute("BEGIN TRANSACTION")
    try:
        for statement in load_statements():
            used = bind(statement, values)
            if absent & set(used):
                continue
            con.execute(statement, used)
        refresh_search_index(con)  # in the same transaction: the index never lags the articles
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    rows = {t: summary.get(t, 0) for t in ("articles", "sections", "links", "aliases", "rejects")}
    rows["captures"] = summary.get("pages_fetched", 0)
    return LoadResult(crawl_id, True, rows)


def finished_stagings(staging_root: Path) -> list[Path]:
    """Every finished staging folder under `staging_root`, in the order the crawls finished:
    re-loading them all rebuilds an archive's database (e.g. in another DuckDB storage format)."""
    summaries = [(json.loads((folder / SUMMARY_FILE).read_text("utf-8")).get("finished") or "", folder)
                 for folder in staging_root.iterdir() if (folder / SUMMARY_FILE).is_file()] \
        if staging_root.is_dir() else []
    return [folder for _, folder in sorted(summaries)]


def load_path(db_path: Path, staging: Path, wait_seconds: float = 30.0) -> LoadResult:
    with connect(db_path, wait_seconds=wait_seconds) as con:
        return load_staging(con, staging)
