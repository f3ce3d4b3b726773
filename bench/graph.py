"""The analyst's archive at scale: link-graph analytics, GEXF export and full-text search.

Builds an archive of a generated sample site (100,000 articles by default: the generator the
tests crawl, same categories, related lists, body links, prose and share bar), its article and
link records written straight into the warehouse tables: crawling and parsing that many pages
would take about half an hour on this machine, and the graph and the text are the generator's
either way. Then, in one run:
  1. the search index: built for every article (warehouse.search.refresh_search_index, as the
     first load or a migration runs it), then refreshed after --changed articles were edited
     (and a twentieth as many taken down), as a load of those articles runs it;
  2. the analytics of one run with igraph (the chosen library), networkx and rustworkx, each in
     its own child process over the same edges (saved as arrays): seconds, and peak memory
     (VmHWM) above the process's size with the arrays loaded; the ratio networkx / igraph;
     rustworkx has no community detection, so it does PageRank and HITS only;
  3. the graph task as the flow runs it (igraph, reading edges and writing article_metrics);
  4. the GEXF export of the whole editorial graph;
  5. search latency: the median of 100 queries (two or three words of random titles), wall
     and CPU time of this process (DuckDB's threads included), on the refreshed index.

    python bench/graph.py [--articles 100000] [--changed 2000] [--queries 100] [--budget 600] [--keep DIR]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spiders.sample_site import build_site  # noqa: E402
from spiders.sample_site.pages import body_blocks  # noqa: E402
from spiders.sample_site.site import SampleSite  # noqa: E402
from warehouse.connect import connect_read_only  # noqa: E402
from warehouse.graph import LinkGraph, compute_scores, read_graph  # noqa: E402
from warehouse.graph_export import export_graph  # noqa: E402
from warehouse.migrate import migrate  # noqa: E402
from warehouse.search import refresh_search_index, search  # noqa: E402

BASE = "https://evergreen-review.example"
SHARE = ("https://www.facebook.com/sharer/sharer.php?u=", "https://x.com/intent/post?url=")


def records(site: SampleSite) -> tuple[pa.Table, pa.Table]:
    """The articles and links tables of the site, as a crawl of it would load them."""
    now = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    url = {spec.id: f"{BASE}{spec.path}" for spec in site.articles}
    articles: dict[str, list[Any]] = {k: [] for k in ("canonical_url", "title", "description", "category",
                                                      "published", "body", "word_count")}
    links: dict[str, list[Any]] = {k: [] for k in ("source_url", "ordinal", "target_url", "kind")}
    for spec in site.articles:
        blocks = body_blocks(site, spec)
        body = "\n\n".join(b["p"] for b in blocks if "p" in b)
        for key, value in zip(articles, (url[spec.id], spec.title, spec.standfirst, spec.category,
                                         spec.published, body, len(body.split()))):
            articles[key].append(value)
        targets = [(url[b["link"]], "body") for b in blocks if b.get("link", -1) >= 0]
        targets += [(url[i], "related") for i in spec.related]
        targets += [(share + url[spec.id], "share") for share in SHARE]
        for ordinal, (target, kind) in enumerate(targets):
            for key, value in zip(links, (url[spec.id], ordinal, target, kind)):
                links[key].append(value)
    n = len(site.articles)
    articles_table = pa.table({**articles, "url": articles["canonical_url"], "site": ["evergreen-review.example"] * n,
                               "language": ["en"] * n, "crawl_id": ["bench"] * n, "first_seen": [now] * n,
                               "last_seen": [now] * n, "version": [1] * n})
    return articles_table, pa.table(links)


def timed_refresh(con: duckdb.DuckDBPyConnection) -> tuple[float, float]:
    """Wall and CPU seconds (this process, DuckDB's threads included) of one index refresh."""
    started, cpu = time.perf_counter(), time.process_time()
    con.execute("BEGIN TRANSACTION")
    refresh_search_index(con)
    con.execute("COMMIT")
    return time.perf_counter() - started, time.process_time() - cpu


def build_archive(db: Path, articles: int, changed: int) -> dict[str, Any]:
    started = time.perf_counter()
    articles_table, links_table = records(build_site(articles))
    generated = time.perf_counter() - started
    with duckdb.connect(str(db)) as con:
        migrate(con)
        con.register("new_articles", articles_table)
        con.register("new_links", links_table)
        con.execute("INSERT INTO articles BY NAME SELECT * FROM new_articles")
        con.execute("INSERT INTO links BY NAME SELECT *, 1 AS version, "
                    "CASE WHEN kind IN ('body', 'related') THEN target_url END AS target_article FROM new_links")
        indexed = timed_refresh(con)
        # A later load: `changed` articles edited (a sentence added to the body), a twentieth
        # as many taken down, spread over the archive.
        con.execute("UPDATE articles SET body = body || ' A later revision adds this sentence.' "
                    "WHERE canonical_url IN (SELECT canonical_url FROM articles ORDER BY hash(canonical_url) "
                    "LIMIT ?)", [changed])
        con.execute("UPDATE articles SET gone_at = last_seen WHERE canonical_url IN "
                    "(SELECT canonical_url FROM articles ORDER BY hash(canonical_url) DESC LIMIT ?)", [changed // 20])
        refreshed = timed_refresh(con)
        edges = con.execute("SELECT count(*) FROM edges").fetchone()[0]
        postings = con.execute("SELECT count(*) FROM search_postings").fetchone()[0]
    return {"generate_s": generated, "index_s": indexed, "refresh_s": refreshed, "links": len(links_table),
            "edges": edges, "postings": postings}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def save_graph(db: Path, target: Path) -> None:
    """The editorial graph as arrays, so each library's process starts from the same small input."""
    with duckdb.connect(str(db), read_only=True) as con:
        graph = read_graph(con)
    np.savez(target, nodes=graph.nodes, sources=graph.sources, targets=graph.targets, weights=graph.weights)


def stage(name: str, started: float) -> None:
    """A step a library finished, so that a run stopped by its time budget says how far it got."""
    print(json.dumps({"stage": name, "seconds": round(time.perf_counter() - started, 1)}), flush=True)


def worker(library: str, arrays: Path) -> dict[str, Any]:
    """One library's analytics over the archive's editorial graph (run in a child process)."""
    saved = np.load(arrays)
    graph = LinkGraph(int(saved["nodes"]), saved["sources"], saved["targets"], saved["weights"])
    before = peak_rss_mb()
    started = time.perf_counter()
    if library == "igraph":
        scores = compute_scores(graph)
        result = {"communities": scores.communities, "modularity": round(scores.modularity, 3),
                  "top": int(scores.pagerank.argmax())}
    elif library == "networkx":
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(range(graph.nodes))
        g.add_weighted_edges_from(zip(graph.sources.tolist(), graph.targets.tolist(), graph.weights.tolist()))
        stage("graph built", started)
        pagerank = nx.pagerank(g, alpha=0.85, weight="weight")
        stage("PageRank", started)
        nx.hits(g)
        stage("HITS", started)
        communities = nx.community.louvain_communities(g.to_undirected(), weight="weight", seed=14)
        stage("Louvain", started)
        result = {"communities": sum(len(c) >= 2 for c in communities),
                  "modularity": round(nx.community.modularity(g.to_undirected(), communities, weight="weight"), 3),
                  "top": max(pagerank, key=pagerank.get)}
    else:
        import rustworkx as rx

        g = rx.PyDiGraph()
        g.add_nodes_from(range(graph.nodes))
        g.add_edges_from(list(zip(graph.sources.tolist(), graph.targets.tolist(), graph.weights.tolist())))
        pagerank = rx.pagerank(g, alpha=0.85, weight_fn=float)
        rx.hits(g, weight_fn=float, max_iter=1000)
        result = {"communities": None, "modularity": None, "top": max(pagerank.items(), key=lambda kv: kv[1])[0]}
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    return {**result, "library": library, "seconds": seconds, "peak_mb": peak,
            "added_mb": peak - before, "nodes": graph.nodes, "edges": len(graph.sources)}


def run_worker(library: str, db: Path, budget: float) -> dict[str, Any]:
    """One library's analytics in a child process, stopped after `budget` seconds (then the
    error says which steps it had finished, and when)."""
    command = [sys.executable, __file__, "--worker", library, "--db", str(db.with_suffix(".npz"))]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=budget)
    except subprocess.TimeoutExpired as stopped:
        output = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else (stopped.stdout or "")
        stages = [json.loads(line) for line in output.splitlines() if line.startswith('{"stage"')]
        got = ", ".join(f"{s['stage']} done at {s['seconds']} s" for s in stages) or "no step done"
        return {"library": library, "error": f"stopped at its {budget:.0f} s budget ({got})"}
    if done.returncode != 0:
        return {"library": library, "error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def graph_task_seconds(db: Path) -> float:
    from flows.tasks import graph_task

    started = time.perf_counter()
    graph_task.fn(str(db), "bench")
    return time.perf_counter() - started


def search_latency(db: Path, queries: int) -> tuple[float, float, float, int]:
    with connect_read_only(db) as con:
        titles = [r[0] for r in con.execute("SELECT title FROM articles ORDER BY canonical_url").fetchall()]
        rng = random.Random(14)
        words = [[w for w in t.lower().replace(":", " ").split() if len(w) > 3] for t in rng.sample(titles, queries)]
        texts = [" ".join(rng.sample(w, min(len(w), rng.choice((2, 3))))) for w in words if w]
        search(con, texts[0])  # warm: the first query reads the index into memory
        times, cpu_times, hits = [], [], 0
        for text in texts:
            started, cpu = time.perf_counter(), time.process_time()
            _, rows = search(con, text, limit=10)
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu)
            hits += bool(rows)
    return statistics.median(times), max(times), statistics.median(cpu_times), hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--budget", type=float, default=600, help="seconds each library may take (default 600)")
    parser.add_argument("--keep", help="build the archive in this folder and keep it")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.db))))
        return
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-graph-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "archive.duckdb"
    db.unlink(missing_ok=True)
    print(f"building an archive of {args.articles} generated articles in {db} ...", flush=True)
    built = build_archive(db, args.articles, args.changed)
    print(f"  records generated in {built['generate_s']:.1f} s: {built['links']} links, {built['edges']} edges "
          f"between articles", flush=True)
    print(f"  search index built in {built['index_s'][0]:.1f} s (CPU {built['index_s'][1]:.1f} s); refreshed "
          f"after {args.changed} edits and {args.changed // 20} take-downs in {built['refresh_s'][0]:.1f} s "
          f"(CPU {built['refresh_s'][1]:.1f} s); {built['postings']} postings", flush=True)
    save_graph(db, db.with_suffix(".npz"))
    results = {}
    for library in ("igraph", "networkx", "rustworkx"):
        results[library] = run_worker(library, db, args.budget)
        r = results[library]
        print(f"  {library:<10} " + (f"ERROR {r['error']}" if "error" in r else
              f"{r['seconds']:7.1f} s, peak {r['peak_mb']:6.0f} MB (+{r['added_mb']:.0f} MB computing), "
              f"communities {r['communities']}, modularity {r['modularity']}"), flush=True)
    task = graph_task_seconds(db)
    print(f"  graph task (igraph, read edges + compute + write article_metrics): {task:.1f} s", flush=True)
    started = time.perf_counter()
    with duckdb.connect(str(db), read_only=True) as con:
        exported = export_graph(con, folder / "links.gexf")
    export_s = time.perf_counter() - started
    size_mb = exported.path.stat().st_size / 1e6
    print(f"  GEXF export: {exported.nodes} nodes, {exported.edges} edges, {size_mb:.0f} MB in {export_s:.1f} s",
          flush=True)
    median, worst, cpu, hits = search_latency(db, args.queries)
    print(f"  search: median {median * 1000:.1f} ms (CPU {cpu * 1000:.1f} ms), slowest {worst * 1000:.1f} ms "
          f"over {args.queries} queries ({hits} with hits)")
    ig, nx_ = results["igraph"], results["networkx"]
    if "error" not in ig and "error" not in nx_:
        print(f"ratio: {nx_['seconds'] / ig['seconds']:.1f} (networkx / igraph seconds), "
              f"{nx_['added_mb'] / max(ig['added_mb'], 1):.1f} (memory added computing)")


if __name__ == "__main__":
    main()
