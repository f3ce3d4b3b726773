"""Incremental recrawl cost: first crawl of a sample site against a recrawl after 1% changed.

Serves a 5,000-article sample site, crawls and loads it (export known state, crawl, load: what
the crawl-site flow does, without Prefect's overhead), restarts the site on the same port with
1% of its articles edited, and recrawls incrementally with the default revisit policy (unchanged
sitemap entries are not fetched until 7 days old). Prints both timings, what the recrawl
fetched, and last a line `ratio: R` (recrawl time over first-crawl time).

    python bench/recrawl.py [--articles 5000] [--changed-percent 1]
"""
from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spiders.params import CrawlParams  # noqa: E402
from spiders.run import LOCAL_SITE_SETTINGS, run_crawl  # noqa: E402
from spiders.sample_site.process import serve_sample  # noqa: E402
from warehouse.known_state import write_known_state  # noqa: E402
from warehouse.load import load_path  # noqa: E402

SETTINGS = {**LOCAL_SITE_SETTINGS, "LOG_LEVEL": "WARNING"}


def crawl_and_load(url: str, work: Path, crawl_id: str) -> tuple[float, dict]:
    started = time.perf_counter()
    db, archive = work / "news.duckdb", work / "news-archive"
    known = archive / "state" / f"known-{crawl_id}.jsonl"
    rows = write_known_state(db, known)
    params = CrawlParams((url + "/",), archive, crawl_id=crawl_id, known=known if rows else None)
    summary = run_crawl(params, SETTINGS).summary
    load_path(db, params.staging_dir)
    return time.perf_counter() - started, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--changed-percent", type=float, default=1.0)
    args = parser.parse_args()
    edited = max(1, round(args.articles * args.changed_percent / 100))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with serve_sample(args.articles, 7, port) as url:
            first_s, first = crawl_and_load(url, work, "first")
        with serve_sample(args.articles, 7, port, "--revision", "1", "--edit", str(edited),
                          "--add", "0", "--remove", "0") as url:
            again_s, again = crawl_and_load(url, work, "recrawl")
    print(f"site: {args.articles} articles, {edited} edited before the recrawl")
    print(f"{'crawl':<12}{'seconds':>9}{'pages':>8}{'bodies':>8}{'revisits':>10}{'articles':>10}")
    for name, seconds, s in (("first", first_s, first), ("recrawl", again_s, again)):
        print(f"{name:<12}{seconds:>9.1f}{s['pages_fetched']:>8}{s['bodies_fetched']:>8}"
              f"{s['revisits']:>10}{s['articles']:>10}")
    print(f"recrawl skipped unchanged by lastmod: {again['decisions'].get('skipped/unchanged_lastmod', 0)}")
    print(f"ratio: {again_s / first_s:.3f}")


if __name__ == "__main__":
    main()
