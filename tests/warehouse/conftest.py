"""A warehouse loaded from the session's sample crawl (tests/spiders/conftest.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from spiders.run import CrawlResult
from tests.spiders.conftest import sample_crawl  # noqa: F401 (re-exported fixture)
from warehouse.load import load_path


def table_counts(db: Path) -> dict[str, int]:
    names = ("crawls", "captures", "articles", "sections", "links", "aliases", "rejects",
             "edges", "link_counts", "orphans", "dangling")
    with duckdb.connect(str(db), read_only=True) as con:
        return {n: con.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}


@pytest.fixture(scope="session")
def loaded_db(sample_crawl: CrawlResult, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    db = tmp_path_factory.mktemp("warehouse") / "archive.duckdb"
    assert load_path(db, sample_crawl.staging_path).loaded
    return db


# The search index as a set of facts, whatever numbers its docids and termids were given.
INDEX_FACTS = {
    "postings": "SELECT a.canonical_url, v.stemmer, v.term, p.tf, p.len FROM search_postings p "
                "JOIN search_articles a USING (docid) JOIN search_vocabulary v USING (termid) ORDER BY ALL",
    "vocabulary": "SELECT stemmer, term, df FROM search_vocabulary ORDER BY ALL",
    "articles": "SELECT canonical_url, stemmer, content_hash, len, site, category, published "
                "FROM search_articles ORDER BY ALL"}


def index_facts(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {name: con.execute(sql).fetchall() for name, sql in INDEX_FACTS.items()}


def rows(db: Path, sql: str, params: dict | list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


@pytest.fixture(scope="session")
def graph_db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the loaded sample crawl after the link-graph analytics task has run."""
    from flows.tasks import graph_task

    db = tmp_path_factory.mktemp("graph") / "archive.duckdb"
    shutil.copy(loaded_db, db)
    run = graph_task.fn(str(db), "test-crawl")
    assert (run.nodes, run.edges, run.links, run.communities) == (300, 3532, 3542, 6)
    return db
