"""An incremental recrawl over real HTTP: exactly what changed on the site changes in the archive."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.flows.conftest import REPORT, REVISED
from tests.warehouse.conftest import index_facts
from warehouse.connect import connect
from warehouse.queries import named_query
from warehouse.search import refresh_search_index, search


def query(db: Path, sql: str, params: list | dict | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def urls(base: str, ids: tuple[int, ...]) -> list[str]:
    return sorted(base + REVISED.articles[i].path for i in ids)


def test_edited_articles_get_exactly_one_new_version(recrawl: dict) -> None:
    db, base = recrawl["db"], recrawl["url"]
    rows = query(db, "SELECT canonical_url, changed_fields FROM article_versions WHERE version = 2 ORDER BY 1")
    assert [r[0] for r in rows] == urls(base, REPORT.edited)
    assert all({"body", "modified"} <= set(r[1]) for r in rows)
    assert query(db, "SELECT max(version) FROM article_versions") == [(2,)]
    assert query(db, "SELECT count(*) FROM articles WHERE version = 2") == [(10,)]


def test_added_articles_are_new(recrawl: dict) -> None:
    db, base = recrawl["db"], recrawl["url"]
    rows = query(db, "SELECT canonical_url FROM articles WHERE crawl_id = ? AND version = 1 ORDER BY 1",
                 [recrawl["second"]["crawl_id"]])
    assert [r[0] for r in rows] == urls(base, REPORT.added)
    assert query(db, "SELECT count(*) FROM articles") == [(305,)]


def test_removed_articles_are_gone_with_their_last_seen(recrawl: dict) -> None:
    db, base = recrawl["db"], recrawl["url"]
    rows = query(db, "SELECT canonical_url, last_seen < ?::TIMESTAMPTZ, gone_at >= ?::TIMESTAMPTZ "
                     "FROM articles WHERE gone_at IS NOT NULL ORDER BY 1",
                 [recrawl["second"]["started"], recrawl["second"]["started"]])
    assert rows == [(u, True, True) for u in urls(base, REPORT.removed)]


def test_unchanged_pages_answered_by_304_with_no_new_version(recrawl: dict) -> None:
    db = recrawl["db"]
    second = recrawl["second"]["crawl_id"]
    revisited = query(db, "SELECT count(*) FROM captures c JOIN articles a ON a.canonical_url = c.url "
                          "WHERE c.crawl_id = ? AND c.record_type = 'revisit' AND c.status = 304", [second])
    assert revisited == [(302 - 10 - 5,)]  # every live article but the edited and the new ones
    assert query(db, "SELECT count(*) FROM article_versions WHERE crawl_id = ?", [second]) == [(15,)]
    unchanged_seen = query(db, "SELECT count(*) FROM articles WHERE last_seen >= ?::TIMESTAMPTZ AND version = 1 "
                               "AND crawl_id <> ?", [recrawl["second"]["started"], second])
    assert unchanged_seen == [(287,)]


def test_full_bodies_fetched_are_reported(recrawl: dict) -> None:
    db, summary = recrawl["db"], recrawl["second"]
    bodies = query(db, "SELECT count(*) FROM captures WHERE crawl_id = ? AND status = 200 AND "
                       "record_type = 'response' AND content_type LIKE 'text/html%'", [summary["crawl_id"]])
    assert summary["bodies_fetched"] == bodies[0][0]
    assert 15 <= summary["bodies_fetched"] < 40  # 15 changed articles + listings that list the new ones
    assert recrawl["first"]["bodies_fetched"] > 300


def test_revisit_records_point_at_the_first_capture(recrawl: dict) -> None:
    db = recrawl["db"]
    rows = query(db, "SELECT count(*) FROM captures r JOIN captures o ON o.warc_record_id = r.refers_to "
                     "WHERE r.record_type = 'revisit' AND o.payload_sha256 = r.payload_sha256")
    total = query(db, "SELECT count(*) FROM captures WHERE record_type = 'revisit'")
    assert rows == total and total[0][0] > 287


def test_the_archive_as_of_a_time_between_the_crawls(recrawl: dict) -> None:
    db, base = recrawl["db"], recrawl["url"]
    edited = base + REVISED.articles[REPORT.edited[0]].path
    between = recrawl["second"]["started"]
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute(named_query("article_as_of").sql, {"url": edited, "as_of": between}).fetchone()
        now = con.execute(named_query("article_as_of").sql,
                          {"url": edited, "as_of": "2100-01-01 00:00:00+00"}).fetchone()
        history = con.execute(named_query("article_history").sql, {"url": edited}).fetchall()
    assert before[0] == 1 and now[0] == 2 and before[8] != now[8]
    assert [h[0] for h in history] == [1, 2] and history[0][3] == ["new"]


def test_sections_of_every_version_are_kept(recrawl: dict) -> None:
    db, base = recrawl["db"], recrawl["url"]
    edited = base + REVISED.articles[REPORT.edited[0]].path
    versions = query(db, "SELECT version, count(*) > 0 FROM sections WHERE canonical_url = ? GROUP BY ALL ORDER BY 1", [edited])
    assert versions == [(1, True), (2, True)]
    current = query(db, "SELECT DISTINCT version FROM current_sections WHERE canonical_url = ?", [edited])
    assert current == [(2,)]


def test_search_index_follows_the_recrawl(recrawl: dict, tmp_path: Path) -> None:
    """The second load re-indexed only the 15 articles that changed or appeared and took out the
    removed ones, and the index it left is exactly the one a rebuild from scratch makes."""
    db, base = recrawl["db"], recrawl["url"]
    indexed = query(db, "SELECT s.canonical_url FROM search_articles s JOIN articles a USING (canonical_url) "
                        "WHERE a.gone_at IS NULL AND s.content_hash = "
                        "hash(a.title, a.description, a.body, a.site, a.category, a.published, 3)")
    assert len(indexed) == 302 == query(db, "SELECT count(*) FROM search_articles")[0][0]
    assert not set(urls(base, REPORT.removed)) & {r[0] for r in indexed}
    renumbered = query(db, "SELECT canonical_url FROM search_articles WHERE docid > 300 ORDER BY 1")
    assert [r[0] for r in renumbered] == sorted(urls(base, REPORT.edited) + urls(base, REPORT.added))
    assert query(db, "SELECT count(*) FROM search_vocabulary v WHERE df <> "
                     "(SELECT count(*) FROM search_postings p WHERE p.termid = v.termid)") == [(0,)]
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(db, rebuilt)
    queries = [REVISED.articles[i].title for i in REPORT.edited + REPORT.added] + ["pilot episode", "cast chemistry"]
    with connect(db, read_only=True) as con:
        incremental = index_facts(con)
        incremental_hits = [search(con, q) for q in queries]
    with connect(rebuilt) as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM search_postings; DELETE FROM search_articles; DELETE FROM search_vocabulary")
        refresh_search_index(con)
        con.execute("COMMIT")
        assert index_facts(con) == incremental
        assert [search(con, q) for q in queries] == incremental_hits
        assert len(incremental["postings"]) > 30_000 and all(hits for _, hits in incremental_hits)
