"""Applying `schema.sql` and recording its version, so a database knows what shape it has."""
from __future__ import annotations

import re
from importlib import resources

import duckdb

from warehouse.connect import SCHEMA_EXTENSIONS, load_extension
from warehouse.search import refresh_search_index


class SchemaTooNew(RuntimeError):
    pass


def schema_sql() -> str:
    return resources.files("warehouse").joinpath("schema.sql").read_text("utf-8")


def schema_file_version() -> int:
    match = re.search(r"^-- schema-version: (\d+)", schema_sql(), re.MULTILINE)
    if not match:
        raise RuntimeError("warehouse/schema.sql lacks its '-- schema-version: N' line")
    return int(match.group(1))


def database_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_name = 'schema_version'").fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the database to this schema version; returns the version now in force."""
    target, current = schema_file_version(), database_version(con)
    if current > target:
        raise SchemaTooNew(f"the database has schema version {current}, newer than this "
                           f"Clippings' {target}; upgrade Clippings to open it")
    if current < target:
        for name in SCHEMA_EXTENSIONS:  # the schema's macros call them: from the wheel, never the network
            load_extension(con, name)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(schema_sql())
            if current:  # an older archive: its search index as this version keeps it (7: own postings)
                refresh_search_index(con)
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [target])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return target
