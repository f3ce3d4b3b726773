"""Warehouse load speed: `warehouse.load` against DuckDB's own INSERT ... SELECT * FROM read_parquet.

Crawls a generated sample site once (2,000 articles by default) to get real staged Parquet
files, then, in one run and on fresh database files, times
  1. DuckDB's own copy: for each staged table, INSERT INTO a table of the same columns
     SELECT * FROM read_parquet(...): the floor, no keys, no upserts, no link resolution;
  2. the same copy followed, in its transaction, by DuckDB's own full-text index over the
     articles (PRAGMA create_fts_index with its English stemmer): the floor for the same scope,
     since each Clippings load also refreshes the search index inside its transaction;
  3. the Clippings load (warehouse.load.load_path): migration, upserts, section/link
     replacement, alias and link-target resolution, the search index (its own postings, each
     article stemmed in its language: on these fresh files every article is new, so it is
     built whole, as DuckDB's is in 2), one transaction.
Prints staged rows per second for each and last a line `ratio: R` (the same-scope floor, 2,
over Clippings, 3); `ratio without the index` compares 3 with 1, the scope before search existed.

    python bench/load.py [--articles 2000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spiders.params import CrawlParams  # noqa: E402
from spiders.run import LOCAL_SITE_SETTINGS, run_crawl  # noqa: E402
from spiders.staging import TABLES  # noqa: E402
from spiders.sample_site.process import serve_sample  # noqa: E402
from warehouse.load import load_path  # noqa: E402


def staged_rows(staging: Path) -> int:
    with duckdb.connect() as con:
        return sum(con.execute("SELECT count(*) FROM read_parquet(?)", [str(staging / f"{t}.parquet")]).fetchone()[0]
                   for t in TABLES)


def duckdb_copy(db: Path, staging: Path, index: bool = False) -> float:
    """Open the file, INSERT ... SELECT * FROM read_parquet for each table (and, with `index`,
    DuckDB's own BM25 index over the articles' title, description and body), close (checkpoint)."""
    from warehouse.connect import load_extension

    with duckdb.connect(str(db)) as con:
        for table in TABLES:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet(?) LIMIT 0",
                        [str(staging / f"{table}.parquet")])
    started = time.perf_counter()
    with duckdb.connect(str(db)) as con:
        load_extension(con, "fts")
        con.execute("BEGIN TRANSACTION")
        for table in TABLES:
            con.execute(f"INSERT INTO {table} SELECT * FROM read_parquet(?)", [str(staging / f"{table}.parquet")])
        if index:
            con.execute("PRAGMA create_fts_index('articles', 'canonical_url', 'title', 'description', "
                        "'body', stemmer = 'english')")
        con.execute("COMMIT")
    return time.perf_counter() - started


def clippings_load(db: Path, staging: Path) -> float:
    """Open the file, load the staged crawl, close (checkpoint): what `load_path` does."""
    from warehouse.connect import connect
    from warehouse.migrate import migrate

    with connect(db) as con:
        migrate(con)  # both start from empty tables: schema creation is not compared
    started = time.perf_counter()
    assert load_path(db, staging).loaded
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with serve_sample(args.articles) as base_url, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        crawl = run_crawl(CrawlParams((base_url + "/",), work / "archive", crawl_id="bench"),
                          LOCAL_SITE_SETTINGS)
        rows = staged_rows(crawl.staging_path)
        copy_times, indexed_times, load_times = [], [], []
        for i in range(args.repeat):  # interleaved, so the machine's load falls on all three alike
            copy_times.append(duckdb_copy(work / f"copy-{i}.duckdb", crawl.staging_path))
            indexed_times.append(duckdb_copy(work / f"indexed-{i}.duckdb", crawl.staging_path, index=True))
            load_times.append(clippings_load(work / f"load-{i}.duckdb", crawl.staging_path))
    copy_s, indexed_s, load_s = (statistics.median(t) for t in (copy_times, indexed_times, load_times))
    print(f"staged rows: {rows} ({args.articles} articles; median of {args.repeat} runs)")
    print(f"{'load':<52}{'seconds':>10}{'rows/s':>12}")
    print(f"{'DuckDB INSERT ... SELECT read_parquet':<52}{copy_s:>10.3f}{rows / copy_s:>12.0f}")
    print(f"{'DuckDB INSERT ... SELECT + create_fts_index':<52}{indexed_s:>10.3f}{rows / indexed_s:>12.0f}")
    print(f"{'Clippings load (upserts, links, search index)':<52}{load_s:>10.3f}{rows / load_s:>12.0f}")
    print(f"ratio without the index: {copy_s / load_s:.2f}")
    print(f"ratio: {indexed_s / load_s:.2f}")


if __name__ == "__main__":
    main()
