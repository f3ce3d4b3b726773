"""Full-text search on the loaded sample crawl: exact rankings, filters, stemming by language."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import shutil

import duckdb
import pytest

from spiders.sample_site import build_site
from tests.warehouse.conftest import index_facts
from warehouse.connect import connect, connect_read_only, load_extension
from warehouse.migrate import database_version, migrate, schema_file_version
from warehouse.search import NoSearchIndex, refresh_search_index, search

SITE = build_site()
SEED_TITLE = SITE.articles[0].title


@pytest.fixture(scope="module")
def con(loaded_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with connect_read_only(loaded_db) as connection:
        yield connection


def ranked(con: duckdb.DuckDBPyConnection, q: str, **filters: object) -> list[tuple[str, str, float]]:
    columns, rows = search(con, q, **filters)
    assert columns == ["rank", "title", "published", "url", "snippet", "score"]
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    return [(r[1], r[2].isoformat(), r[5]) for r in rows]


def test_the_seed_comes_first_for_its_own_words(con: duckdb.DuckDBPyConnection) -> None:
    assert ranked(con, "production soundtracks leitmotif") == [(SEED_TITLE, "2025-07-29", 24.255)]
    # Stemmed: the singular finds the page that only says "soundtracks".
    assert ranked(con, "Soundtrack") == [(SEED_TITLE, "2025-07-29", 10.369)]


def test_exact_ranking_of_a_common_phrase(con: duckdb.DuckDBPyConnection) -> None:
    assert ranked(con, "cast chemistry", limit=4) == [
        ("How the writers’ room anchors the audience’s expectations", "2025-07-19", 3.063),
        ("Inside the season finale: a study of years of accumulated habit", "2025-07-25", 3.054),
        ("What the ensemble cast teaches us about the public debate", "2024-02-19", 3.04),
        ("Inside the cold open: a study of years of accumulated habit", "2025-05-16", 3.017)]


def test_filters_by_dates_and_category(con: duckdb.DuckDBPyConnection) -> None:
    hits = ranked(con, "pilot episode", since="2025-01-01", until="2025-03-31", limit=3)
    assert hits == [("Why the cold open still sustains the audience’s expectations", "2025-03-20", 2.973),
                    ("What the pilot teaches us about the public debate", "2025-03-08", 2.669),
                    ("Why the showrunner still illuminates years of accumulated habit", "2025-03-10", 2.535)]
    assert ranked(con, "pilot episode", category="Music") == []
    assert ranked(con, "pilot episode", site="example.org") == []
    assert len(ranked(con, "pilot episode", category="TV series reviews")) == 20


def test_snippet_is_around_the_first_match(con: duckdb.DuckDBPyConnection) -> None:
    _, rows = search(con, "leitmotif")
    assert len(rows) == 1 and rows[0][1] == SEED_TITLE
    snippet = rows[0][4]
    assert "leitmotif" in snippet.lower() and snippet.startswith("…") and snippet.endswith("…")
    body = con.execute("SELECT body FROM articles WHERE canonical_url = ?", [rows[0][3]]).fetchone()[0]
    assert len(snippet) <= 162 and f" {snippet[1:-1]} " in body.replace("\n", " ")  # whole words of the body


def test_the_index_covers_every_current_article(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT count(*), count(DISTINCT stemmer), min(stemmer) FROM search_articles").fetchone() \
        == (300, 1, "english")
    assert con.execute("SELECT * FROM search_stemmers").fetchall() == [("english",)]


def test_stemmer_by_language(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "languages.duckdb")) as con:
        migrate(con)
        load_extension(con, "fts")
        assert con.execute("SELECT search_stemmer('de-DE'), search_stemmer('en_GB'), search_stemmer(NULL), "
                           "search_stemmer('ja'), search_stemmer('PT-br')").fetchone() \
            == ("german", "english", "english", "none", "portuguese")
        assert con.execute("SELECT search_words('Die Zeitungen berichten, 2024!', 'german')").fetchone() \
            == (["die", "zeitung", "bericht"],)
        assert con.execute("SELECT search_tokens(e' Über\\tthe  top\\r\\n(1999)-era,ok ')").fetchone() \
            == (["uber", "the", "top", "era", "ok"],)
        now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        for url, language, title in [("https://a.de/1", "de", "Die Zeitungen berichten"),
                                     ("https://a.com/1", "en", "Newspapers are running"),
                                     ("https://a.jp/1", "ja", "Zeitungen 新聞")]:
            con.execute("INSERT INTO articles (canonical_url, url, site, title, language, crawl_id, "
                        "first_seen, last_seen) VALUES (?, ?, 'a', ?, ?, 'c', ?, ?)",
                        [url, url, title, language, now, now])
        refresh_search_index(con)
        # German stems match the German article's "Zeitungen"; the Japanese one has no stemmer,
        # so only its exact word matches.
        assert [r[3] for r in search(con, "Zeitung")[1]] == ["https://a.de/1"]
        assert sorted(r[3] for r in search(con, "zeitungen")[1]) == ["https://a.de/1", "https://a.jp/1"]
        assert [r[3] for r in search(con, "runs")[1]] == ["https://a.com/1"]


def test_a_version_6_archive_migrates_to_its_own_postings(loaded_db: Path, tmp_path: Path) -> None:
    """Version 6 kept stemmed text and the fts extension's index over it: migrating drops them
    and indexes every article, the index then being the one a load of this version writes."""
    db = tmp_path / "v6.duckdb"
    shutil.copy(loaded_db, db)
    with connect(loaded_db, read_only=True) as con:
        expected, hits = index_facts(con), search(con, "production soundtracks leitmotif")
    with connect(db) as con:
        con.execute("DROP TABLE search_articles; DROP TABLE search_vocabulary; DROP TABLE search_postings; "
                    "DROP TABLE search_index; DELETE FROM search_stemmers; UPDATE schema_version SET version = 6")
        con.execute("CREATE TABLE search_documents AS SELECT canonical_url, 'english' AS stemmer, title FROM articles")
        con.execute("CREATE TABLE search_docs (docid BIGINT, canonical_url VARCHAR)")
        con.execute("PRAGMA create_fts_index('search_documents', 'canonical_url', 'title')")
        con.execute("CREATE MACRO search_terms(text, stemmer) AS text")
        assert database_version(con) == 6
        assert migrate(con) == schema_file_version()  # 6 -> the current version, whatever it is
        leftovers = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'fts_main_search_documents' "
                                "OR table_name IN ('search_documents', 'search_docs')").fetchone()
        assert leftovers == (0,)
        assert con.execute("SELECT count(*) FROM duckdb_functions() WHERE function_name = 'search_terms'").fetchone() \
            == (0,)
        assert index_facts(con) == expected
        assert search(con, "production soundtracks leitmotif") == hits and hits[1][0][1] == SEED_TITLE


def test_many_edits_re_sort_the_postings(loaded_db: Path, tmp_path: Path) -> None:
    """Editing more than a tenth of the archive appends more than a tenth of the postings: that
    refresh puts them back in term order, and the index is the one a rebuild makes."""
    db, rebuilt = tmp_path / "edited.duckdb", tmp_path / "rebuilt.duckdb"
    shutil.copy(loaded_db, db)
    with connect(db) as con:
        con.execute("UPDATE articles SET body = body || ' An editor adds a soundtrack.' WHERE canonical_url IN "
                    "(SELECT canonical_url FROM articles ORDER BY canonical_url LIMIT 40)")
        con.execute("BEGIN TRANSACTION")
        refresh_search_index(con)
        con.execute("COMMIT")
        assert con.execute("SELECT appended FROM search_index").fetchone() == (0,)
        out_of_order = con.execute("SELECT count(*) FROM (SELECT termid, docid, lag(termid) OVER w AS t0, "
                                   "lag(docid) OVER w AS d0 FROM search_postings WINDOW w AS (ORDER BY rowid)) "
                                   "WHERE t0 IS NOT NULL AND (t0, d0) > (termid, docid)").fetchone()
        assert out_of_order == (0,)
        assert con.execute("SELECT count(*) FROM search_articles WHERE docid > 300").fetchone() == (40,)
        facts, hits = index_facts(con), search(con, "soundtrack")
    shutil.copy(db, rebuilt)
    with connect(rebuilt) as con:
        con.execute("DELETE FROM search_postings; DELETE FROM search_articles; DELETE FROM search_vocabulary")
        refresh_search_index(con)
        assert index_facts(con) == facts and search(con, "soundtrack") == hits
    assert len(hits[1]) == 20 and hits[1][0][1] == SEED_TITLE


def test_an_archive_without_the_index_says_how_to_get_it(tmp_path: Path) -> None:
    with connect(tmp_path / "old.duckdb") as con:
        migrate(con)
        con.execute("DROP TABLE search_postings")
        with pytest.raises(NoSearchIndex, match="the next load builds it"):
            search(con, "anything")
