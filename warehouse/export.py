"""Exports from the warehouse: the known-URL state an incremental crawl starts from."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from warehouse.connect import connect
from warehouse.migrate import database_version, migrate


def export_known(db_path: Path, target: Path, wait_seconds: float = 30.0) -> int:
    """Write warehouse/known.sql's rows to `target` as JSON Lines; returns the row count.

    An absent or empty database exports nothing (a first crawl).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if not db_path.exists():
        target.write_text("", "utf-8")
        return 0
    sql = resources.files("warehouse").joinpath("known.sql").read_text("utf-8")
    sql = "\n".join(l for l in sql.splitlines() if not l.lstrip().startswith("--"))
    with connect(db_path, wait_seconds=wait_seconds) as con:
        if database_version(con) == 0:
            target.write_text("", "utf-8")
            return 0
        migrate(con)  # an archive from an older Clippings gains the columns read below
        con.execute(f"COPY ({sql}) TO '{str(target).replace(chr(39), chr(39) * 2)}' (FORMAT json)")
        row = con.execute("SELECT count(*) FROM read_json(?, format='newline_delimited')",
                          [str(target)]).fetchone() if target.stat().st_size else (0,)
    return int(row[0]) if row else 0
