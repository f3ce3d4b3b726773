"""Full-text search: the BM25 index over current articles, refreshed by each load, and its query.

The index is postings of our own (schema.sql: search_postings, search_vocabulary,
search_articles), not the fts extension's: its index can only be rebuilt whole, which took
most of a load's time and grew with the archive, and its postings (one row per occurrence)
made a query read several times more rows. What the extension does well is kept: its Snowball
stemmers (stem()) and its tokenizer's rules, so the terms and the BM25 scores (match_bm25's
formula, k1 = 1.2, b = 0.75) are the ones its index gave. The extension comes from its wheel
(warehouse.connect.load_extension). Articles are stemmed in their own language, so one index
serves an archive of many languages; the named query `search` (warehouse/queries/search.sql)
scores it.
"""
from __future__ import annotations

from typing import Any

import duckdb

from warehouse.connect import load_extension
from warehouse.queries import named_query
from warehouse.sql import run_statements

INDEX_TABLES = ("search_articles", "search_vocabulary", "search_postings", "search_stemmers")
FILTERS = ("site", "category", "since", "until", "limit")


class NoSearchIndex(RuntimeError):
    """The archive was loaded before it had a search index."""


# Postings appended since the last sort, as a share of all: past it, the next refresh re-sorts
# them into term order. Appended postings are in term order among themselves only, so every
# query reads their row groups whole; a tenth keeps that a small part of a query's reading while
# the re-sort (seconds at 100,000 articles) comes once per tenth of the archive re-indexed.
RESORT_SHARE = 0.1


def refresh_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the index up to date with the current articles: postings of the articles that
    changed, appeared or went are taken out or put in; the others' are left as they are."""
    load_extension(con, "fts")
    run_statements(con, "warehouse", "search.sql")
    row = con.execute("SELECT (SELECT appended FROM search_index), (SELECT count(*) FROM search_postings)").fetchone()
    if row and row[0] > RESORT_SHARE * row[1]:
        run_statements(con, "warehouse", "search_sort.sql")


def has_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    """The tables the query reads, as a load by this Clippings writes them."""
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN "
                      "(SELECT unnest(?))", [list(INDEX_TABLES)]).fetchone()
    return bool(row and row[0] == len(INDEX_TABLES))


def search(con: duckdb.DuckDBPyConnection, q: str, **filters: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Ranked hits (rank, title, published, url, snippet, score) for `q`; `con` has fts loaded.
    Filters left out or None do not filter; `limit` defaults to 20."""
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise TypeError(f"unknown search filters: {', '.join(sorted(unknown))}")
    params = {name: None if filters.get(name) is None else str(filters[name]) for name in FILTERS}
    try:
        cursor = con.execute(named_query("search").sql, {"q": q, **params})
    except duckdb.CatalogException as error:  # looked for only then: the check costs a query its time
        if has_search_index(con):
            raise
        raise NoSearchIndex("this archive has no search index of this Clippings yet (it was loaded "
                            "by an older one); the next load builds it, e.g. `clippings reparse --db DB`") from error
    return [d[0] for d in cursor.description], cursor.fetchall()
