"""Full-text search: the BM25 index over current articles, rebuilt by each load, and its query.

The fts extension comes from its wheel (warehouse.connect.load_extension). Articles are stemmed
in their own language before indexing (schema.sql: search_stemmer, search_words), so one index
serves an archive of many languages; the named query `search` (warehouse/queries/search.sql)
scores it.
"""
from __future__ import annotations

from typing import Any

import duckdb

from warehouse.connect import load_extension
from warehouse.queries import named_query
from warehouse.sql import run_statements

INDEX_SCHEMA = "fts_main_search_documents"
FILTERS = ("site", "category", "since", "until", "limit")


class NoSearchIndex(RuntimeError):
    """The archive was loaded before it had a search index."""


def refresh_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild search_documents and its BM25 index from the current articles."""
    load_extension(con, "fts")
    run_statements(con, "warehouse", "search.sql")


def has_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    """The fts index and the tables the query reads, as a load by this Clippings writes them."""
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE (schema_name, table_name) IN "
                      "((?, 'terms'), ('main', 'search_docs'), ('main', 'search_stemmers'))",
                      [INDEX_SCHEMA]).fetchone()
    return bool(row and row[0] == 3)


def search(con: duckdb.DuckDBPyConnection, q: str, **filters: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Ranked hits (rank, title, published, url, snippet, score) for `q`; `con` has fts loaded.
    Filters left out or None do not filter; `limit` defaults to 20."""
    if not has_search_index(con):
        raise NoSearchIndex("this archive has no search index of this Clippings yet (it was loaded "
                            "by an older one); the next load builds it, e.g. `clippings reparse --db DB`")
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise TypeError(f"unknown search filters: {', '.join(sorted(unknown))}")
    params = {name: None if filters.get(name) is None else str(filters[name]) for name in FILTERS}
    cursor = con.execute(named_query("search").sql, {"q": q, **params})
    return [d[0] for d in cursor.description], cursor.fetchall()
