"""Link-graph analytics on the loaded sample crawl, checked against networkx and plain Python."""
from __future__ import annotations

import itertools
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import networkx as nx
import numpy as np
import pytest

from tests.warehouse.conftest import rows
from warehouse.graph import LinkGraph, compute_scores
from warehouse.queries import named_query

TOP_TITLE = "What the pilot teaches us about years of accumulated habit"


def named(db: Path, name: str, **params: str | None) -> list[tuple]:
    query = named_query(name)
    return rows(db, query.sql, {**dict.fromkeys(query.params), **params})


def editorial_graph(db: Path) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(r[0] for r in rows(db, "SELECT canonical_url FROM articles"))
    for source, target, weight in rows(db, "SELECT source_url, target_url, count(*) FROM edges "
                                           "WHERE kind IN ('body', 'related') GROUP BY ALL"):
        graph.add_edge(source, target, weight=weight)
    return graph


def test_pagerank_and_hits_agree_with_networkx(graph_db: Path) -> None:
    graph = editorial_graph(graph_db)
    ours = {r[0]: r[1:] for r in rows(graph_db, "SELECT canonical_url, pagerank, hub, authority FROM article_metrics")}
    assert len(ours) == 300
    reference = nx.pagerank(graph, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    assert {u: v[0] for u, v in ours.items()} == pytest.approx(reference, abs=1e-7)
    hubs, authorities = nx.hits(graph, max_iter=10_000, tol=1e-12)
    top_hub, top_authority = max(hubs.values()), max(authorities.values())
    # networkx's HITS ignores weights; the editorial graph has few repeated pairs (3542 links,
    # 3532 pairs), so the rankings agree at the top.
    assert max(ours, key=lambda u: ours[u][2]) == max(authorities, key=authorities.get)
    assert max(ours, key=lambda u: ours[u][1]) == max(hubs, key=hubs.get)
    assert top_hub > 0 and top_authority > 0


def test_degrees_and_reciprocity(graph_db: Path) -> None:
    graph = editorial_graph(graph_db)
    metrics = {r[0]: r[1:] for r in rows(graph_db, "SELECT canonical_url, in_degree, out_degree, reciprocated, "
                                                   "in_by_kind, out_by_kind FROM article_metrics")}
    top = rows(graph_db, "SELECT a.title, m.in_degree, m.in_by_kind FROM article_metrics m JOIN articles a "
                         "USING (canonical_url) ORDER BY m.pagerank DESC LIMIT 1")
    assert top == [(TOP_TITLE, 27, {"body": 7, "related": 20})]
    assert sum(m[0] for m in metrics.values()) == sum(m[1] for m in metrics.values()) == 3542
    for url, (in_degree, out_degree, reciprocated, *_ ) in metrics.items():
        assert in_degree == sum(d["weight"] for *_, d in graph.in_edges(url, data=True))
        assert reciprocated == sum(graph.has_edge(t, url) for t in graph.successors(url))
    assert sum(m[2] for m in metrics.values()) == 736


def test_communities_follow_the_categories(graph_db: Path) -> None:
    found = named(graph_db, "communities")
    assert [(r[0], r[1], r[3]) for r in found] == [
        (1, 67, ["TV series reviews (67)"]), (2, 47, ["Books (47)"]), (3, 47, ["Science (47)"]),
        (4, 47, ["Technology (47)"]), (5, 46, ["Film criticism (46)"]), (6, 46, ["Music (46)"])]
    assert found[0][2][0] == TOP_TITLE
    assert sum(r[4] for r in found) == pytest.approx(1.0, abs=1e-3)
    assert rows(graph_db, "SELECT library LIKE 'igraph %', nodes, edges, links, communities, modularity > 0.7 "
                          "FROM graph_runs") == [(True, 300, 3532, 3542, 6, True)]


def test_most_central_in_a_period(graph_db: Path) -> None:
    overall = named(graph_db, "most_central", limit="3")
    assert [(r[0], r[5]) for r in overall][:1] == [(TOP_TITLE, 27)]
    july = named(graph_db, "most_central", since="2025-07-01", until="2025-07-31", limit="1")
    expected = rows(graph_db, "SELECT count(*) FROM editorial_edges e JOIN articles s ON s.canonical_url = e.source_url "
                              "JOIN articles t ON t.canonical_url = e.target_url WHERE t.title = ? "
                              "AND s.published BETWEEN DATE '2025-07-01' AND DATE '2025-07-31'", [TOP_TITLE])
    assert [(r[0], r[5]) for r in july] == [(TOP_TITLE, expected[0][0])] == [(TOP_TITLE, 9)]


def test_sites_cited(graph_db: Path) -> None:
    found = named(graph_db, "sites_cited", site="127.0.0.1")
    # The site's own links (its host with the port is the same registrable domain); the share
    # bar's external sites; a mailto: share link is not a link to a site.
    assert [(r[1], r[2], r[3], r[4]) for r in found] == [
        ("127.0.0.1", "related", 3261, 300), ("127.0.0.1", "navigation", 3000, 300),
        ("127.0.0.1", "footer", 1200, 300), ("127.0.0.1", "other", 300, 300),
        ("facebook.com", "share", 300, 300), ("pinterest.com", "share", 300, 300),
        ("reddit.com", "share", 300, 300), ("x.com", "share", 300, 300), ("127.0.0.1", "body", 282, 185)]
    assert named(graph_db, "sites_cited", site="example.org") == []


def pair_counts(db: Path, by: str) -> Counter:
    links = rows(db, "SELECT DISTINCT source_url, target_url FROM editorial_edges")
    groups: dict[str, set[str]] = {}
    for source, target in links:
        key, member = (source, target) if by == "source" else (target, source)
        groups.setdefault(key, set()).add(member)
    return Counter(pair for members in groups.values() for pair in itertools.combinations(sorted(members), 2))


def test_co_citation_and_bibliographic_coupling(graph_db: Path) -> None:
    cited = named(graph_db, "cited_together", limit="5")
    co_citation = pair_counts(graph_db, "source")
    assert [(r[3], r[4], r[0]) for r in cited] == \
        [(a, b, n) for (a, b), n in sorted(co_citation.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    assert cited[0][0] == 11
    coupled = named(graph_db, "citing_alike", limit="5")
    coupling = pair_counts(graph_db, "target")
    assert [(r[3], r[4], r[0]) for r in coupled] == \
        [(a, b, n) for (a, b), n in sorted(coupling.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    assert coupled[0][0] == 14
    url = cited[0][3]
    assert all(url in (r[3], r[4]) for r in named(graph_db, "cited_together", url=url))


def test_analytics_are_the_same_every_run(graph_db: Path, tmp_path: Path) -> None:
    from flows.tasks import graph_task

    again = tmp_path / "again.duckdb"
    shutil.copy(graph_db, again)
    graph_task.fn(str(again))
    sql = "SELECT canonical_url, community, round(pagerank, 12) FROM article_metrics ORDER BY 1"
    assert rows(again, sql) == rows(graph_db, sql)
    assert rows(again, "SELECT count(*) FROM graph_runs") == [(2,)]


def test_articles_without_links_have_no_hubs_and_no_authorities() -> None:
    """A crawl whose articles link nowhere (igraph's HITS warns and answers ones there)."""
    empty = np.array([], dtype=np.int64)
    scores = compute_scores(LinkGraph(3, empty, empty, np.array([], dtype=np.float64)))
    assert scores.hub.tolist() == [0.0, 0.0, 0.0] and scores.authority.tolist() == [0.0, 0.0, 0.0]
    assert scores.pagerank.round(6).tolist() == [0.333333] * 3
    assert sorted(scores.community.tolist()) == [1, 2, 3]
