"""The staging contract: staged rows (spiders/rows.py) against the tables of warehouse/schema.sql.

Every staged column lands in the warehouse column of its name or is declared STAGING_ONLY on its
row; every warehouse column of a loaded table comes from a staged column or is declared
DERIVED_BY_LOAD. The schema is read from a real DuckDB database migrated with schema.sql.
"""
from __future__ import annotations

import duckdb
import pytest

from spiders.rows import STAGED_TABLES, sql_type, staged_columns
from spiders.run import CrawlResult
from warehouse.load import DERIVED_BY_LOAD
from warehouse.migrate import migrate


@pytest.fixture(scope="module")
def warehouse_columns() -> dict[str, set[str]]:
    with duckdb.connect() as con:
        migrate(con)
        rows = con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    return columns


@pytest.mark.parametrize("table", sorted(STAGED_TABLES))
def test_every_staged_column_is_loaded_or_staging_only(table: str, warehouse_columns: dict[str, set[str]]) -> None:
    row_type = STAGED_TABLES[table]
    kept = set(staged_columns(row_type)) - row_type.STAGING_ONLY
    missing = kept - warehouse_columns.get(table, set())
    assert not missing, f"staged {table} columns {sorted(missing)} have no column in warehouse/schema.sql; " \
        f"add them there, or to {row_type.__name__}.STAGING_ONLY"
    assert row_type.STAGING_ONLY <= set(staged_columns(row_type)), "STAGING_ONLY names a column not staged"


@pytest.mark.parametrize("table", sorted(t for t, r in STAGED_TABLES.items()
                                         if set(staged_columns(r)) != r.STAGING_ONLY))
def test_every_loaded_column_is_staged_or_derived(table: str, warehouse_columns: dict[str, set[str]]) -> None:
    row_type = STAGED_TABLES[table]
    derived = DERIVED_BY_LOAD.get(table, frozenset())
    unexplained = warehouse_columns[table] - set(staged_columns(row_type)) - derived
    assert not unexplained, f"warehouse {table} columns {sorted(unexplained)} come from no staged column; " \
        f"stage them in {row_type.__name__}, or declare them in warehouse.load.DERIVED_BY_LOAD"
    assert not derived & set(staged_columns(row_type)), "a column is both staged and derived"


def test_staged_parquet_has_the_declared_types(sample_crawl: CrawlResult) -> None:
    with duckdb.connect() as con:
        for table, row_type in STAGED_TABLES.items():
            described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)",
                                    [str(sample_crawl.staging_path / f"{table}.parquet")]).fetchall()
            got = {name: kind.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ") for name, kind, *_ in described}
            assert got == staged_columns(row_type), table


def test_sql_types_of_python_types() -> None:
    from spiders.rows import BigInt, Timestamp

    assert [sql_type(t) for t in (str, int, bool, str | None, list[str], BigInt, Timestamp, int | None)] == \
        ["VARCHAR", "INTEGER", "BOOLEAN", "VARCHAR", "VARCHAR[]", "BIGINT", "TIMESTAMPTZ", "INTEGER"]
