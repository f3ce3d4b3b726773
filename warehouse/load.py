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
from importlib import resources
from pathlib import Path

import duckdb

from warehouse.connect import connect
from warehouse.migrate import migrate
from warehouse.search import refresh_search_index

TABLES = ("captures", "articles", "sections", "links", "aliases", "rejects", "revisits")


class StagingIncomplete(RuntimeError):
    """The staging folder has no crawl.json: the crawl did not finish."""


@dataclass(frozen=True)
class LoadResult:
    crawl_id: str
    loaded: bool  # False when this crawl was already in the database
    rows: dict[str, int]


def table_files(staging: Path, table: str) -> list[str]:
    """A table's staged Parquet files: the crawl's own, or one per worker part (parts/<worker>/)."""
    parts = sorted(p for p in (staging / "parts").glob("*") if p.is_dir())
    return [str(folder / f"{table}.parquet") for folder in (parts or [staging])]


def load_statements() -> list[str]:
    """The load's SQL, from warehouse/load.sql, one statement per `;`-terminated block."""
    text = resources.files("warehouse").joinpath("load.sql").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def load_staging(con: duckdb.DuckDBPyConnection, staging: Path) -> LoadResult:
    summary_path = staging / "crawl.json"
    if not summary_path.exists():
        raise StagingIncomplete(f"{staging} has no crawl.json: the crawl did not finish; "
                                "rerun it, or load a finished crawl")
    summary = json.loads(summary_path.read_text("utf-8"))
    crawl_id = summary["crawl_id"]
    migrate(con)
    already = con.execute("SELECT count(*) FROM crawls WHERE crawl_id = ?", [crawl_id]).fetchone()
    if already and already[0]:
        return LoadResult(crawl_id, False, {})
    files = {f"{t}_file": table_files(staging, t) for t in TABLES}  # every worker's part
    con.execute("BEGIN TRANSACTION")
    try:
        for statement in load_statements():
            values = {**files, "crawl_id": crawl_id, "summary": json.dumps(summary),
                      "finished": summary.get("finished")}
            params = {k: v for k, v in values.items() if f"${k}" in statement}
            con.execute(statement, params)
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
    summaries = [(json.loads((folder / "crawl.json").read_text("utf-8")).get("finished") or "", folder)
                 for folder in staging_root.iterdir() if (folder / "crawl.json").is_file()] \
        if staging_root.is_dir() else []
    return [folder for _, folder in sorted(summaries)]


def load_path(db_path: Path, staging: Path, wait_seconds: float = 30.0) -> LoadResult:
    with connect(db_path, wait_seconds=wait_seconds) as con:
        return load_staging(con, staging)
