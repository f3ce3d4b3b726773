"""Scaling out: what the Redis frontier costs one worker, and what more workers buy.

(a) Frontier overhead: the same sample site crawled by one worker on Scrapy's own scheduler and
    by one worker on the Redis frontier (a local redis-server), in turn, --rounds times each, in
    one run. Prints `frontier overhead: R` (median frontier pages/s over Scrapy's; 1.0 is free).
(b) Scaling: four sample sites whose server adds 100 ms to every answer (distant publishers),
    crawled as one crawl by 1, 2 and 4 workers sharing a frontier, each worker capped at
    CONCURRENT_REQUESTS=2 as a small machine would be and each site at 4 (across workers).
    Prints pages/s for each, then `scaling: R` (4 workers over 1) and `duplicates: N` (200
    responses beyond what one worker fetches, over every URL).
(c) With --memory 5000,50000: one frontier worker's peak memory on sites of those sizes, with
    Redis's own memory beside it, and `memory ratio: R` (largest over smallest).

Rates are pages over the span between the first and the last response fetched, so process
start-up (the same for every run) does not count.

    python bench/scale.py [--articles 2000] [--rounds 5] [--site-articles 60] [--memory 5000,50000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import signal
import statistics
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from bench.crawl import children_cpu_seconds  # noqa: E402
from spiders.params import CrawlParams  # noqa: E402
from spiders.parts import jsonl_rows  # noqa: E402
from spiders.redis_server import local_redis  # noqa: E402
from spiders.run import LOCAL_SITE_SETTINGS, CrawlResult, run_crawl, run_workers  # noqa: E402
from spiders.sample_site.process import serve_sample  # noqa: E402

QUIET = {**LOCAL_SITE_SETTINGS, "LOG_LEVEL": "WARNING"}
MACHINE = {**QUIET, "CONCURRENT_REQUESTS": 2, "CONCURRENT_REQUESTS_PER_DOMAIN": 4}


def rate(result: CrawlResult) -> tuple[int, float]:
    """(pages, pages/s between the first and the last response)."""
    captures = jsonl_rows(result.staging_path, "captures")
    moments = sorted(dt.datetime.fromisoformat(c["fetched_at"]) for c in captures)
    span = (moments[-1] - moments[0]).total_seconds()
    return len(captures), len(captures) / span if span else float("nan")


def fetched_ok(result: CrawlResult) -> Counter[str]:
    return Counter(c["url"] for c in jsonl_rows(result.staging_path, "captures") if c["status"] == 200)


def overhead(articles: int, workdir: Path, rounds: int) -> float:
    """The two schedulers crawl the same site in turn, `rounds` times each, and the medians are
    compared: on a shared machine two runs of the same crawl differ by 10-20 %, so one pair of
    runs says little. Also CPU seconds per page (the crawler's process tree, and for the frontier
    its redis-server too), which moves much less than wall time with other people's load."""
    runs: dict[str, list[tuple[int, float, float]]] = {"scrapy": [], "frontier": []}
    with serve_sample(articles) as url:
        run_crawl(CrawlParams((url + "/",), workdir / "warm"), QUIET)  # the server renders and caches
        for n in range(rounds):
            for side in runs:
                out = workdir / f"{side}-{n}"
                cpu = children_cpu_seconds()
                if side == "scrapy":
                    result = run_crawl(CrawlParams((url + "/",), out), QUIET)
                else:
                    with local_redis(workdir / f"redis-a{n}") as redis_url:
                        result = run_workers(CrawlParams((url + "/",), out), 1, QUIET, redis_url)
                pages, pages_per_s = rate(result)
                runs[side].append((pages, pages_per_s, 1000 * (children_cpu_seconds() - cpu) / pages))
    print(f"(a) one worker, {articles}-article site, {rounds} runs each, alternating; medians")
    print(f"{'scheduler':<26}{'pages':>8}{'pages/s':>10}{'CPU ms/page':>13}   pages/s of each run")
    medians = {}
    for side, label in (("scrapy", "Scrapy (memory)"), ("frontier", "Redis frontier")):
        pages = runs[side][0][0]
        medians[side] = (statistics.median(r[1] for r in runs[side]), statistics.median(r[2] for r in runs[side]))
        each = " ".join(f"{r[1]:.0f}" for r in runs[side])
        print(f"{label:<26}{pages:>8}{medians[side][0]:>10.1f}{medians[side][1]:>13.2f}   {each}")
    ratio = medians["frontier"][0] / medians["scrapy"][0]
    print(f"frontier overhead: {ratio:.2f}")
    print(f"frontier overhead (cpu): {medians['scrapy'][1] / medians['frontier'][1]:.2f}")
    return ratio


def scaling(site_articles: int, workdir: Path) -> tuple[float, int]:
    rates: dict[int, float] = {}
    baseline: Counter[str] | None = None
    duplicates = 0
    with ExitStack() as stack:
        urls = [stack.enter_context(serve_sample(site_articles, seed, 0, "--latency", "0.1"))
                for seed in (1, 2, 3, 4)]
        redis_url = stack.enter_context(local_redis(workdir / "redis-b"))
        print(f"\n(b) four {site_articles}-article sites, +100 ms a response; "
              "2 requests at once per worker, 4 per site")
        print(f"{'workers':<26}{'pages':>8}{'pages/s':>10}")
        for workers in (1, 2, 4):
            params = CrawlParams(tuple(u + "/" for u in urls), workdir / f"scale-{workers}")
            result = run_workers(params, workers, MACHINE, redis_url)
            pages, rates[workers] = rate(result)
            fetched = fetched_ok(result)
            baseline = baseline or fetched
            duplicates += sum((fetched - baseline).values())
            print(f"{workers:<26}{pages:>8}{rates[workers]:>10.1f}")
    print(f"scaling: {rates[4] / rates[1]:.2f}")
    print(f"duplicates: {duplicates}")
    return rates[4] / rates[1], duplicates


def memory(sizes: list[int], workdir: Path) -> None:
    print("\n(c) one frontier worker's peak memory by site size")
    print(f"{'articles':<12}{'pages':>8}{'worker peak MB':>16}{'redis MB':>10}")
    peaks: list[float] = []
    for size in sizes:
        with serve_sample(size) as url, local_redis(workdir / f"redis-m{size}") as redis_url:
            result = run_workers(CrawlParams((url + "/",), workdir / f"mem-{size}"), 1, QUIET, redis_url)
            info: dict[str, Any] = redis.Redis.from_url(redis_url).info("memory")
        part = result.summary.peak_memory_bytes / 2**20
        peaks.append(part)
        print(f"{size:<12}{result.summary.pages_fetched:>8}{part:>16.0f}"
              f"{info['used_memory_peak'] / 2**20:>10.0f}")
    print(f"memory ratio: {peaks[-1] / peaks[0]:.2f}")


def stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so every `with` below stops what it started: workers (killed
    by run_workers), redis-servers and sample sites. Python's default SIGTERM ends the process
    at once and leaves them running."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="site size for (a)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each scheduler in (a)")
    parser.add_argument("--site-articles", type=int, default=60, help="size of each site in (b)")
    parser.add_argument("--memory", help="comma-separated site sizes for (c), e.g. 5000,50000")
    parser.add_argument("--only", choices=("overhead", "scaling", "memory"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.only in (None, "overhead"):
            overhead(args.articles, workdir, args.rounds)
        if args.only in (None, "scaling"):
            scaling(args.site_articles, workdir)
        if args.memory and args.only in (None, "memory"):
            memory([int(n) for n in args.memory.split(",")], workdir)


if __name__ == "__main__":
    main()
