"""The link graph for Gephi and other tools: GEXF 1.3 (static or dynamic) and GraphML.

Written as a stream (lxml's incremental writer, rows fetched in batches from DuckDB), so memory
stays flat however large the archive. Nodes are articles, their id the canonical URL, with typed
attributes (title, site, category, published, pagerank, community); edges carry their link
kind and weight (number of links). Dynamic GEXF gives each node its publication day as start
and each edge its source's, so Gephi's timeline replays how the graph grew.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from lxml import etree

from warehouse.sql import run_statements

GEXF_NS = "http://gexf.net/1.3"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
BATCH = 10_000
# (name, GEXF type, GraphML type), in the order of export_nodes' columns after the URL
NODE_ATTRIBUTES = (("title", "string", "string"), ("site", "string", "string"),
                   ("category", "string", "string"), ("published", "string", "string"),
                   ("pagerank", "double", "double"), ("community", "integer", "int"))
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class ExportFilter:
    kinds: tuple[str, ...] = ("related", "body")
    site: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class ExportResult:
    path: Path
    nodes: int
    edges: int


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return NOT_XML.sub("", str(value))


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[tuple[Any, ...]]:
    cursor = con.execute(sql)
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def select_subgraph(con: duckdb.DuckDBPyConnection, selection: ExportFilter) -> tuple[int, int]:
    """Fill the temporary export_nodes and export_edges tables; returns their row counts."""
    run_statements(con, "warehouse", "graph_export.sql",
                   {"kinds": list(selection.kinds), "site": selection.site, "since": selection.since,
                    "until": selection.until})
    counts = con.execute("SELECT (SELECT count(*) FROM export_nodes), (SELECT count(*) FROM export_edges)").fetchone()
    assert counts is not None
    return int(counts[0]), int(counts[1])


NODES_SQL = ("SELECT canonical_url, title, site, category, published, pagerank, community "
             "FROM export_nodes ORDER BY canonical_url")
EDGES_SQL = "SELECT source_url, target_url, kind, weight, source_published FROM export_edges ORDER BY ALL"


def _write_gexf(con: duckdb.DuckDBPyConnection, out: Path, dynamic: bool) -> None:
    with etree.xmlfile(str(out), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("gexf", nsmap={None: GEXF_NS}, version="1.3"):
            meta = etree.Element("meta", lastmodifieddate=dt.date.today().isoformat())
            etree.SubElement(meta, "creator").text = "Clippings"
            etree.SubElement(meta, "description").text = "Articles and the links between them"
            xf.write(meta)
            graph_attrs = {"defaultedgetype": "directed", "mode": "dynamic" if dynamic else "static"}
            if dynamic:
                graph_attrs["timeformat"] = "date"
            with xf.element("graph", **graph_attrs):
                nodes_attrs = etree.Element("attributes", {"class": "node"})
                for index, (name, gexf_type, _) in enumerate(NODE_ATTRIBUTES):
                    etree.SubElement(nodes_attrs, "attribute", id=str(index), title=name, type=gexf_type)
                edge_attrs = etree.Element("attributes", {"class": "edge"})
                etree.SubElement(edge_attrs, "attribute", id="kind", title="kind", type="string")
                xf.write(nodes_attrs)
                xf.write(edge_attrs)
                with xf.element("nodes"):
                    for url, *values in _rows(con, NODES_SQL):
                        node = etree.Element("node", id=_text(url), label=_text(values[0] or url))
                        if dynamic and values[3] is not None:
                            node.set("start", _text(values[3]))
                        attvalues = etree.SubElement(node, "attvalues")
                        for index, value in enumerate(values):
                            if value is not None:
                                etree.SubElement(attvalues, "attvalue", {"for": str(index), "value": _text(value)})
                        xf.write(node)
                with xf.element("edges"):
                    for number, (source, target, kind, weight, published) in enumerate(_rows(con, EDGES_SQL)):
                        edge = etree.Element("edge", id=str(number), source=_text(source), target=_text(target),
                                             weight=str(weight), label=_text(kind))
                        if dynamic and published is not None:
                            edge.set("start", _text(published))
                        attvalues = etree.SubElement(edge, "attvalues")
                        etree.SubElement(attvalues, "attvalue", {"for": "kind", "value": _text(kind)})
                        xf.write(edge)


def _write_graphml(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    with etree.xmlfile(str(out), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("graphml", nsmap={None: GRAPHML_NS}):
            for name, _, graphml_type in NODE_ATTRIBUTES:
                xf.write(etree.Element("key", {"id": name, "for": "node", "attr.name": name,
                                               "attr.type": graphml_type}))
            xf.write(etree.Element("key", {"id": "kind", "for": "edge", "attr.name": "kind", "attr.type": "string"}))
            xf.write(etree.Element("key", {"id": "weight", "for": "edge", "attr.name": "weight",
                                           "attr.type": "double"}))
            with xf.element("graph", id="links", edgedefault="directed"):
                for url, *values in _rows(con, NODES_SQL):
                    node = etree.Element("node", id=_text(url))
                    for (name, _, _), value in zip(NODE_ATTRIBUTES, values):
                        if value is not None:
                            etree.SubElement(node, "data", key=name).text = _text(value)
                    xf.write(node)
                for source, target, kind, weight, _ in _rows(con, EDGES_SQL):
                    edge = etree.Element("edge", source=_text(source), target=_text(target))
                    etree.SubElement(edge, "data", key="kind").text = _text(kind)
                    etree.SubElement(edge, "data", key="weight").text = str(weight)
                    xf.write(edge)


def export_graph(con: duckdb.DuckDBPyConnection, out: Path, selection: ExportFilter = ExportFilter(),
                 dynamic: bool = False) -> ExportResult:
    """Write the selected subgraph to `out`: GraphML for a .graphml name, GEXF 1.3 otherwise."""
    nodes, edges = select_subgraph(con, selection)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".graphml":
        _write_graphml(con, out)
    else:
        _write_gexf(con, out, dynamic)
    return ExportResult(out, nodes, edges)
