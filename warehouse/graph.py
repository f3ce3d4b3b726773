"""Link-graph analytics after each load: PageRank, HITS, Leiden communities, degrees, reciprocity.

The graph is built once per run from the `editorial_edges` view (body and related links, each
pair weighted by its number of links), every archived article a node, and the results are written
back as tables (`article_metrics`, `graph_runs`, schema.sql). igraph does the computing: at
100,000 articles it is several times faster than networkx with a fraction of its memory, and
rustworkx has no community detection (bench/graph.py, docs/benchmarks.md).
"""
from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

import duckdb
import igraph
import numpy as np
import pyarrow as pa

from warehouse.sql import run_statements

DAMPING = 0.85
COMMUNITY_SEED = 14  # Leiden is randomised: a fixed seed makes every run's communities the same

EDGE_SQL = """
SELECT s.node AS source, t.node AS target, count(*) AS weight
FROM editorial_edges e
JOIN article_nodes s ON s.canonical_url = e.source_url
JOIN article_nodes t ON t.canonical_url = e.target_url
GROUP BY ALL ORDER BY ALL
"""


@dataclass(frozen=True)
class LinkGraph:
    """Nodes 0..n-1 (articles in canonical URL order) and weighted directed edges between them."""
    nodes: int
    sources: np.ndarray
    targets: np.ndarray
    weights: np.ndarray


@dataclass(frozen=True)
class Scores:
    pagerank: np.ndarray
    hub: np.ndarray
    authority: np.ndarray
    community: np.ndarray  # 1 = the largest community
    communities: int       # with two or more articles
    modularity: float


@dataclass(frozen=True)
class GraphRun:
    computed_at: dt.datetime
    nodes: int
    edges: int
    links: int
    communities: int
    modularity: float
    seconds: float


def read_graph(con: duckdb.DuckDBPyConnection) -> LinkGraph:
    nodes = con.execute("SELECT count(*) FROM articles").fetchone()
    columns = con.execute(EDGE_SQL).fetchnumpy()
    return LinkGraph(int(nodes[0]) if nodes else 0, columns["source"].astype(np.int64),
                     columns["target"].astype(np.int64), columns["weight"].astype(np.float64))


def _numbered_by_size(membership: list[int]) -> tuple[np.ndarray, int]:
    """Community ids renumbered 1, 2, ... from the largest (ties: the one holding the lowest node)."""
    labels = np.asarray(membership, dtype=np.int64)
    sizes = np.bincount(labels)
    first = np.full(len(sizes), len(labels), dtype=np.int64)
    np.minimum.at(first, labels, np.arange(len(labels)))
    order = sorted(range(len(sizes)), key=lambda c: (-sizes[c], first[c]))
    rank = np.empty(len(sizes), dtype=np.int64)
    rank[order] = np.arange(1, len(sizes) + 1)
    return rank[labels], int((sizes >= 2).sum())


def compute_scores(graph: LinkGraph) -> Scores:
    """PageRank, HITS and Leiden communities with igraph."""
    g = igraph.Graph(n=graph.nodes, edges=np.column_stack([graph.sources, graph.targets]).tolist(),
                     directed=True, edge_attrs={"weight": graph.weights.tolist()})
    pagerank = g.pagerank(damping=DAMPING, weights="weight")
    if g.ecount():
        hub, authority = g.hub_score(weights="weight"), g.authority_score(weights="weight")
    else:  # HITS means nothing without links (igraph warns and returns ones): no hubs, no authorities
        hub = authority = [0.0] * graph.nodes
    undirected = g.as_undirected(mode="collapse", combine_edges={"weight": "sum"})
    igraph.set_random_number_generator(random.Random(COMMUNITY_SEED))
    try:
        clusters = undirected.community_leiden(objective_function="modularity", weights="weight",
                                               n_iterations=-1)
    finally:
        igraph.set_random_number_generator(random)
    community, communities = _numbered_by_size(clusters.membership)
    modularity = undirected.modularity(clusters.membership, weights="weight") if graph.nodes else 0.0
    return Scores(np.asarray(pagerank), np.asarray(hub), np.asarray(authority), community,
                  communities, float(modularity))


def write_scores(con: duckdb.DuckDBPyConnection, scores: Scores, computed_at: dt.datetime) -> None:
    table = pa.table({"node": np.arange(len(scores.pagerank), dtype=np.int64),
                      "pagerank": scores.pagerank, "hub": scores.hub, "authority": scores.authority,
                      "community": scores.community})
    con.register("graph_scores", table)
    try:
        run_statements(con, "warehouse", "graph.sql", {"computed_at": computed_at})
    finally:
        con.unregister("graph_scores")


def write_hosts(con: duckdb.DuckDBPyConnection, host_sites: dict[str, str]) -> None:
    con.execute("DELETE FROM link_hosts")
    if host_sites:
        con.register("hosts_now", pa.table({"host": list(host_sites), "site": list(host_sites.values())}))
        try:
            con.execute("INSERT INTO link_hosts SELECT host, site FROM hosts_now")
        finally:
            con.unregister("hosts_now")


def link_hosts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every host the current links point to (lower case, port kept), for the site mapping."""
    rows = con.execute("SELECT DISTINCT lower(split_part(target_url, '/', 3)) FROM current_links "
                       "WHERE target_url LIKE 'http%' ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0]]


def analyse(con: duckdb.DuckDBPyConnection, host_sites: dict[str, str], crawl_id: str | None) -> GraphRun:
    """Compute and write one analytics run in one transaction; `host_sites` maps link hosts to sites."""
    started, computed_at = time.perf_counter(), dt.datetime.now(dt.timezone.utc)
    graph = read_graph(con)
    scores = compute_scores(graph)
    con.execute("BEGIN TRANSACTION")
    try:
        write_scores(con, scores, computed_at)
        write_hosts(con, host_sites)
        run = GraphRun(computed_at, graph.nodes, len(graph.sources), int(graph.weights.sum()),
                       scores.communities, scores.modularity, time.perf_counter() - started)
        con.execute("INSERT INTO graph_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [computed_at, crawl_id, f"igraph {igraph.__version__}", run.nodes, run.edges,
                     run.links, run.communities, run.modularity, run.seconds])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return run
