"""Each named query answers its question on the loaded sample crawl."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from spiders.sample_site import QUIRKS, build_site
from spiders.sample_site.site import DEAD_PATH
from warehouse.queries import named_queries, named_query

SITE = build_site()


def run(db: Path, name: str, **params: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(named_query(name).sql, params or None).fetchall()


def test_every_query_says_what_it_answers() -> None:
    queries = named_queries()
    assert set(queries) >= {"most_linked", "articles_per_category_month", "category_link_flows",
                            "dangling_links", "neighbourhood", "rejects_by_reason"}
    for query in queries.values():
        assert query.question.endswith("?"), query.name


def test_most_linked(loaded_db: Path) -> None:
    rows = run(loaded_db, "most_linked")
    assert len(rows) == 10
    in_links = [r[2] for r in rows]
    assert in_links == sorted(in_links, reverse=True) and in_links[0] == 27
    with duckdb.connect(str(loaded_db), read_only=True) as con:
        top = con.execute("SELECT max(n) FROM (SELECT count(*) n FROM edges GROUP BY target_url)").fetchone()
    assert top == (27,)


def test_articles_per_category_month(loaded_db: Path) -> None:
    rows = run(loaded_db, "articles_per_category_month")
    assert sum(r[2] for r in rows) == 300
    undated = [r for r in rows if r[1] == "(undated)"]
    assert undated == [(SITE.articles[QUIRKS["no-date"]].category, "(undated)", 1)]
    seed_month = [r for r in rows if r[:2] == ("TV series reviews", "2025-07")]
    assert seed_month and seed_month[0][2] >= 18  # the seed and most of its related articles


def test_category_link_flows(loaded_db: Path) -> None:
    rows = run(loaded_db, "category_link_flows")
    assert rows[0] == ("TV series reviews", "TV series reviews", "related", 713)
    assert sum(r[3] for r in rows) == 3542  # every edge counted once


def test_dangling_links(loaded_db: Path, sample_site_url: str) -> None:
    assert run(loaded_db, "dangling_links") == [
        (sample_site_url + DEAD_PATH, "fetch: HTTP 404", "related", 1,
         sample_site_url + SITE.articles[QUIRKS["links-404"]].path)]


@pytest.mark.parametrize("via_alias", [False, True])
def test_neighbourhood(loaded_db: Path, sample_site_url: str, via_alias: bool) -> None:
    target = SITE.articles[QUIRKS["redirect-target"]]
    url = f"{sample_site_url}/old/{target.id}.html" if via_alias else sample_site_url + target.path
    rows = run(loaded_db, "neighbourhood", url=url)
    outgoing = [r for r in rows if r[0] == "links to"]
    assert len([r for r in outgoing if r[1] == "related"]) == len(target.related)
    incoming = {r[4] for r in rows if r[0] == "linked from"}
    assert sample_site_url + SITE.articles[QUIRKS["links-redirect"]].path in incoming


def test_rejects_by_reason(loaded_db: Path) -> None:
    assert [r[:3] for r in run(loaded_db, "rejects_by_reason")] == [
        ("fetch", "HTTP 404", 1), ("robots", "forbidden by robots.txt", 1)]
