"""`clippings demo`: the sample site, crawled, loaded and queried, in one command."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from flows.output import print_rows
from flows.paths import archive_dir_for
from warehouse.connect import connect, scalar
from warehouse.migrate import database_version
from warehouse.sql import read_sql
from warehouse.queries import named_query

DEMO_QUERIES = ("most_linked", "category_link_flows", "dangling_links")


def demo_crawl_id(articles: int, seed: int, port: int) -> str:
    """The demo's crawl id is fixed per site (its URLs include the port), so a second run
    against the same database finds it already archived."""
    return f"demo-{articles}-articles-seed-{seed}-port-{port}"


def _already_loaded(db_path: Path, crawl_id: str) -> bool:
    if not db_path.exists():
        return False
    with connect(db_path, read_only=True) as con:
        if not database_version(con):
            return False
        return bool(scalar(con, "SELECT count(*) FROM crawls WHERE crawl_id = ?", [crawl_id]))


def print_summary(db_path: Path, seconds: float | None) -> None:
    with connect(db_path, read_only=True) as con:
        cursor = con.execute(read_sql("warehouse", "archive_counts.sql"))
        counts = dict(zip([d[0] for d in cursor.description], cursor.fetchone() or ()))
        print("\nArchive:", db_path, "and", archive_dir_for(db_path))
        print(f"  pages fetched {counts['captures']}, articles {counts['articles']}, sections "
              f"{counts['sections']}, links {counts['links']}, edges {counts['edges']}, "
              f"rejects {counts['rejects']}, aliases {counts['aliases']}"
              + (f", {seconds:.1f} s" if seconds is not None else ""))
        for name in DEMO_QUERIES:
            query = named_query(name)
            print(f"\n== {name}: {query.question}")
            cursor = con.execute(query.sql)
            print_rows([d[0] for d in cursor.description], cursor.fetchmany(5), max_width=48)
    print(f"\nQuery further: clippings sql --db {db_path}            (lists the named queries)\n"
          f"               clippings sql --db {db_path} --query neighbourhood --param url=URL\n"
          f"               clippings search --db {db_path} \"production soundtracks leitmotif\"\n"
          f"               clippings sql --db {db_path} --query most_central    (the link graph: also communities, sites_cited, cited_together)\n"
          f"               clippings sql --db {db_path} \"SELECT title, published FROM articles LIMIT 5\"")


def run_demo(db_path: Path, articles: int, seed: int, port: int, recrawl: bool) -> int:
    from flows.crawl_flow import crawl_site
    from spiders.sample_site import build_site
    from spiders.sample_site.server import SampleSiteServer

    crawl_id = demo_crawl_id(articles, seed, port)
    if _already_loaded(db_path, crawl_id) and not recrawl:
        print(f"{db_path} already holds the demo crawl {crawl_id}: nothing to fetch or load "
              "(pass --recrawl to crawl again under a new crawl id).")
        print_summary(db_path, None)
        return 0
    try:
        server = SampleSiteServer(build_site(articles, seed), port=port)
    except OSError as error:
        print(f"clippings demo: cannot serve the sample site on 127.0.0.1:{port} ({error.strerror}); "
              "free that port or pass --port N", file=sys.stderr)
        return 2
    server.start_in_thread()
    print(f"Sample site ({articles} articles) at {server.base_url}; crawling it into {db_path} ...",
          flush=True)
    started = time.perf_counter()
    try:
        crawl_site([server.base_url + "/"], str(db_path), local_site=True,
                   crawl_id=None if recrawl else crawl_id)
    finally:
        server.shutdown()
        server.server_close()
    print_summary(db_path, time.perf_counter() - started)
    return 0
