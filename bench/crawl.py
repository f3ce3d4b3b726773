"""Crawl throughput: a bare Scrapy spider against the real Clippings crawl, in one run.

Serves a generated sample site (5,000 articles by default) in a child process, warms it up,
then crawls it with the bare spider (bench/bare_spider.py: same discovery, nothing else) and
with the real pipeline (fetch, WARC, discovery, parsing in a worker process, staging). Prints
pages/s for both, parsed articles staged per second end to end, peak memory, and last a line
`ratio: R` (real crawl pages/s over bare pages/s).

The machine is shared, so wall time moves with other people's load; CPU time does much less.
Each crawl runs as a child process tree (the Clippings crawl with its parse worker), and the
CPU seconds it used (user + system, from RUSAGE_CHILDREN once it has been waited for) are printed
per page beside the wall time, with `cpu ratio: R` (bare CPU per page over Clippings CPU per
page: 1.0 would mean Clippings costs no more CPU per page than bare Scrapy). Peak memory is each
crawling process's own high-water mark (ru_maxrss at its end; the parse worker is apart).

    python bench/crawl.py [--articles 5000]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spiders.params import CrawlParams  # noqa: E402
from spiders.run import LOCAL_SITE_SETTINGS, run_crawl  # noqa: E402
from spiders.sample_site.process import serve_sample  # noqa: E402
from spiders.summary import CrawlSummary  # noqa: E402

SETTINGS = {**LOCAL_SITE_SETTINGS, "LOG_LEVEL": "WARNING"}


def children_cpu_seconds() -> float:
    """CPU time of every child process waited for so far (and of the children they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_crawl(base_url: str, workdir: Path) -> tuple[float, float, dict]:
    stats_file = workdir / "bare-stats.json"
    code = (
        "import json, sys; from scrapy.crawler import CrawlerProcess; "
        "sys.path.insert(0, 'bench'); from bare_spider import BareSpider; "
        f"p = CrawlerProcess({{'LOG_LEVEL': 'WARNING', 'ROBOTSTXT_OBEY': True, "
        "'CONCURRENT_REQUESTS': 16, 'CONCURRENT_REQUESTS_PER_DOMAIN': 16, 'DOWNLOAD_DELAY': 0, "
        "'TELNETCONSOLE_ENABLED': False, 'REMOTE_CONTROL_ENABLED': False}); "
        f"c = p.create_crawler(BareSpider); p.crawl(c, start_url={base_url!r}); p.start(); "
        "import resource; stats = {k: str(v) for k, v in c.stats.get_stats().items()}; "
        "stats['peak_rss'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024; "
        f"json.dump(stats, open({str(stats_file)!r}, 'w'))")
    cpu, started = children_cpu_seconds(), time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                   env={**os.environ, "SCRAPY_SETTINGS_MODULE": ""})
    return time.perf_counter() - started, children_cpu_seconds() - cpu, json.loads(stats_file.read_text())


def real_crawl(base_url: str, workdir: Path, name: str) -> tuple[float, float, CrawlSummary]:
    cpu, started = children_cpu_seconds(), time.perf_counter()
    result = run_crawl(CrawlParams((base_url + "/",), workdir / name, crawl_id=name), SETTINGS)
    return time.perf_counter() - started, children_cpu_seconds() - cpu, result.summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args()
    with serve_sample(args.articles) as base_url, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        bare_crawl(base_url, workdir)  # warm-up: the server renders and caches every page
        bare_seconds, bare_cpu, bare_stats = bare_crawl(base_url, workdir)
        real_seconds, real_cpu, summary = real_crawl(base_url, workdir, "real")
    bare_pages = int(bare_stats["response_received_count"])
    bare_rate = bare_pages / bare_seconds
    real_rate = summary.pages_fetched / real_seconds
    e2e_rate = summary.articles / real_seconds
    print(f"site: {args.articles} articles, 2 cores shared by server and crawler")
    bare_cpu_ms, real_cpu_ms = 1000 * bare_cpu / bare_pages, 1000 * real_cpu / summary.pages_fetched
    print(f"{'crawl':<28}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'CPU s':>8}{'CPU ms/page':>13}"
          f"{'peak MB':>10}")
    print(f"{'bare Scrapy spider':<28}{bare_pages:>8}{bare_seconds:>10.1f}{bare_rate:>10.1f}"
          f"{bare_cpu:>8.1f}{bare_cpu_ms:>13.2f}{int(bare_stats['peak_rss']) / 2**20:>10.0f}")
    print(f"{'clippings crawl':<28}{summary.pages_fetched:>8}{real_seconds:>10.1f}{real_rate:>10.1f}"
          f"{real_cpu:>8.1f}{real_cpu_ms:>13.2f}{summary.peak_memory_bytes / 2**20:>10.0f}")
    print(f"{'end to end (articles/s)':<28}{summary.articles:>8}{real_seconds:>10.1f}{e2e_rate:>10.1f}")
    print(f"end-to-end over bare: {e2e_rate / bare_rate:.2f}")
    print(f"load average (1, 5, 15 min) at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"cpu ratio: {bare_cpu_ms / real_cpu_ms:.2f}")
    print(f"ratio: {real_rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
