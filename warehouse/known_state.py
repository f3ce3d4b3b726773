"""The known-URL state an incremental crawl starts from, written from the warehouse.

`warehouse/known.sql` says what the archive holds of each URL; `spiders.known` reads the file.
(Snapshots for archivists are `warehouse.snapshot`, a different thing.)
"""
from __future__ import annotations

from pathlib import Path

from warehouse.connect import connect, scalar
from warehouse.migrate import database_version, migrate
from warehouse.sql import read_sql


def write_known_state(db_path: Path, target: Path, wait_seconds: float = 30.0) -> int:
    """Write warehouse/known.sql's rows to `target` as JSON Lines; returns the row count.

    An absent or empty database writes an empty file (a first crawl).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if not db_path.exists():
        target.write_text("", "utf-8")
        return 0
    with connect(db_path, wait_seconds=wait_seconds) as con:
        if database_version(con) == 0:
            target.write_text("", "utf-8")
            return 0
        migrate(con)  # an archive from an older Clippings gains the columns read below
        con.execute(f"COPY ({read_sql('warehouse', 'known.sql')}) TO ? (FORMAT json)", [str(target)])
        if not target.stat().st_size:
            return 0
        return int(scalar(con, "SELECT count(*) FROM read_json(?, format='newline_delimited')", [str(target)]))
