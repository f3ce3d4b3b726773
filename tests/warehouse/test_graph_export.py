"""The GEXF and GraphML exports read back by networkx, counted against the `edges` view."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import networkx as nx
from lxml import etree

from tests.warehouse.conftest import rows
from warehouse.graph_export import ExportFilter, export_graph

EDGE_COUNTS = ("SELECT count(*) AS links, count(DISTINCT (e.source_url, e.target_url, e.kind)) AS edges "
               "FROM edges e JOIN articles s ON s.canonical_url = e.source_url WHERE e.kind IN {kinds} {extra}")


def export(db: Path, out: Path, selection: ExportFilter = ExportFilter(), dynamic: bool = False) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        result = export_graph(con, out, selection, dynamic)
    return result.nodes, result.edges


def test_gexf_from_the_command_line_loads_in_networkx(graph_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "links.gexf"
    done = subprocess.run([sys.executable, "-m", "flows.cli", "graph", "export", "--db", str(graph_db),
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{out}: 300 nodes, 3542 edges (related, body links)"
    assert etree.parse(str(out)).getroot().tag == "{http://gexf.net/1.3}gexf"
    graph = nx.read_gexf(out)
    links, edges = rows(graph_db, EDGE_COUNTS.format(kinds="('related', 'body')", extra=""))[0]
    assert graph.number_of_nodes() == rows(graph_db, "SELECT count(*) FROM articles")[0][0] == 300
    assert graph.number_of_edges() == edges == 3542
    assert sum(w for *_, w in graph.edges(data="weight")) == links
    assert {k for *_, k in graph.edges(data="kind")} == {"related", "body"}
    url, title, pagerank, community, published = rows(
        graph_db, "SELECT canonical_url, title, pagerank, community, published FROM article_metrics "
                  "JOIN articles USING (canonical_url) ORDER BY pagerank DESC LIMIT 1")[0]
    node = graph.nodes[url]
    assert (node["title"], node["pagerank"], node["community"], node["published"], node["site"]) == \
        (title, pagerank, community, published.isoformat(), "127.0.0.1")
    assert "start" not in node


def test_filtered_dynamic_gexf(graph_db: Path, tmp_path: Path) -> None:
    since, until = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
    out = tmp_path / "related-2025h1.gexf"
    nodes, edges = export(graph_db, out, ExportFilter(("related",), "127.0.0.1", since, until), dynamic=True)
    links, expected = rows(graph_db, EDGE_COUNTS.format(
        kinds="('related',)", extra="AND s.site = '127.0.0.1' AND s.published BETWEEN ? AND ?"), [since, until])[0]
    graph = nx.read_gexf(out)
    assert (graph.number_of_edges(), edges) == (expected, expected) and expected == links == 950
    endpoints = rows(graph_db, "SELECT count(*) FROM articles WHERE (published BETWEEN ? AND ? AND site = '127.0.0.1') "
                               "OR canonical_url IN (SELECT e.target_url FROM edges e JOIN articles s ON "
                               "s.canonical_url = e.source_url WHERE e.kind = 'related' AND s.published BETWEEN ? AND ?)",
                     [since, until, since, until])[0][0]
    assert graph.number_of_nodes() == nodes == endpoints
    assert graph.graph["mode"] == "dynamic"
    assert all(data["start"] == data["published"] for _, data in graph.nodes(data=True) if "published" in data)
    assert all(since.isoformat() <= start <= until.isoformat() for *_, start in graph.edges(data="start"))


def test_graphml_loads_in_networkx(graph_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "links.graphml"
    nodes, edges = export(graph_db, out, ExportFilter(("body",)))
    graph = nx.read_graphml(out)
    links, expected = rows(graph_db, EDGE_COUNTS.format(kinds="('body',)", extra=""))[0]
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, edges) == (300, expected)
    assert expected == links == 282
    assert {type(v) for _, v in graph.nodes(data="pagerank")} == {float}
    assert {type(v) for _, v in graph.nodes(data="community")} == {int}
