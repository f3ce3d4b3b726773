"""Several workers on one Redis frontier crawl the sample site as one crawler would: the same
archive as a single worker, no page fetched twice, a killed worker's leases fetched once by the
others, and never more concurrent requests than the site's cap."""
from __future__ import annotations

import json
import os
import pickle
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from spiders.frontier import RedisFrontier
from spiders.params import CrawlParams
from spiders.redis_server import local_redis
from spiders.parsers import canonicalize_url
from spiders.parts import jsonl_rows
from spiders.run import LOCAL_SITE_SETTINGS, CrawlResult, part_counts, run_workers, staged_counts
from spiders.sample_site.server import CONCURRENCY_PATH
from tests.conftest import serve_sample
from warehouse.load import load_path

SLOWER = {**LOCAL_SITE_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "CONCURRENT_REQUESTS": 2}


def crawl_view(staging: Path) -> dict[str, object]:
    """What must be equal between two crawls of the same site, however many workers ran them."""
    rows = {t: jsonl_rows(staging, t) for t in ("articles", "sections", "links", "aliases", "rejects")}
    return {
        "articles": sorted((a["canonical_url"], a["content_sha256"]) for a in rows["articles"]),
        "sections": Counter((s["canonical_url"], s["ordinal"], s["heading"], s["text"]) for s in rows["sections"]),
        "links": Counter((l["source_url"], l["ordinal"], l["target_url"], l["kind"]) for l in rows["links"]),
        "aliases": sorted((a["alias_url"], a["canonical_url"], a["reason"]) for a in rows["aliases"]),
        "rejects": sorted((r["url"], r["stage"], r["reason"]) for r in rows["rejects"]),
    }


def fetched_ok(staging: Path) -> Counter[str]:
    """How many 200 responses each URL got, over every worker's captures."""
    return Counter(c["url"] for c in jsonl_rows(staging, "captures") if c["status"] == 200)


def test_three_workers_archive_what_one_does(sample_site_url: str, sample_crawl: CrawlResult,
                                             redis_url: str, tmp_path: Path) -> None:
    params = CrawlParams((sample_site_url + "/",), tmp_path, crawl_id="three-workers")
    result = run_workers(params, 3, LOCAL_SITE_SETTINGS, redis_url)
    assert result.summary.workers == ["w1", "w2", "w3"] and result.summary.workers_died == []
    assert crawl_view(result.staging_path) == crawl_view(sample_crawl.staging_path)
    assert len(crawl_view(result.staging_path)["articles"]) == 300
    per_worker = [staged_counts(result.staging_path / "parts" / w)["captures"] for w in ("w1", "w2", "w3")]
    assert all(n > 30 for n in per_worker) and sum(per_worker) == result.summary.pages_fetched == 334

    fetched = fetched_ok(result.staging_path)
    assert fetched == fetched_ok(sample_crawl.staging_path)
    # Only what one worker fetches twice by design: robots.txt (its rules, then its sitemap
    # lines) and pages an old URL redirects to after they were archived (to record the alias).
    redirected_to = {a["canonical_url"] for a in jsonl_rows(result.staging_path, "aliases")
                     if a["reason"] == "redirect"}
    assert {url for url, n in fetched.items() if n > 1} == {sample_site_url + "/robots.txt", *redirected_to}
    assert max(fetched.values()) == 2
    names = sorted(p.name for p in params.warc_dir.glob("*.warc.gz"))
    assert names == [f"clippings-three-workers-w{n}-00001.warc.gz" for n in (1, 2, 3)]

    db = tmp_path / "news.duckdb"
    loaded = load_path(db, result.staging_path)
    assert loaded.loaded and load_path(db, result.staging_path).loaded is False  # idempotent
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        counts = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sections), "
                             "(SELECT count(*) FROM links), (SELECT count(*) FROM captures), "
                             "(SELECT count(*) FROM rejects)").fetchone()
    assert counts == (300, 1496, 9543, 334, 2)


def _kill_midway(redis_url: str, params: CrawlParams, processes: dict[str, subprocess.Popen],
                 at_captures: int, seen: dict) -> None:
    part = params.staging_dir / "parts" / "w2"
    deadline = time.monotonic() + 60
    while staged_counts(part)["captures"] < at_captures and time.monotonic() < deadline:
        time.sleep(0.01)
    victim = processes["w2"]
    os.killpg(victim.pid, signal.SIGSTOP)  # frozen: what it holds now is what it dies holding
    frontier = RedisFrontier(redis_url, params.crawl_id, "test")
    seen["in_flight"] = frontier.leases_of("w2")
    frontier.close()
    os.killpg(victim.pid, signal.SIGKILL)


def test_killed_worker_leases_are_fetched_once_by_the_others(
        sample_site_url: str, sample_crawl: CrawlResult, redis_url: str, tmp_path: Path) -> None:
    params = CrawlParams((sample_site_url + "/",), tmp_path, crawl_id="one-killed", lease_seconds=3)
    seen: dict = {}

    def on_start(url: str, processes: dict[str, subprocess.Popen]) -> None:
        threading.Thread(target=_kill_midway, args=(url, params, processes, 40, seen), daemon=True).start()

    result = run_workers(params, 3, SLOWER, redis_url, on_start=on_start)
    assert result.summary.workers_died == ["w2"]
    assert seen["in_flight"], "the killed worker held no lease: kill it earlier"
    view, uninterrupted = crawl_view(result.staging_path), crawl_view(sample_crawl.staging_path)
    assert view["articles"] == uninterrupted["articles"]
    assert view == uninterrupted
    extra = fetched_ok(result.staging_path) - fetched_ok(sample_crawl.staging_path)
    assert sum(extra.values()) <= len(seen["in_flight"])  # refetched: at most its unacknowledged leases
    assert result.summary.decisions  # the finished workers' decisions are kept


@pytest.mark.parametrize("cap", [2, 1])  # 1: a request waiting for robots.txt lends its slot to that fetch
def test_workers_never_exceed_the_sites_cap(cap: int, redis_url: str, tmp_path: Path) -> None:
    settings = {**LOCAL_SITE_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": cap, "CONCURRENT_REQUESTS": 8}
    with serve_sample(60, 7, 0, "--latency", "0.02") as url:
        params = CrawlParams((url + "/",), tmp_path, crawl_id="capped")
        result = run_workers(params, 3, settings, redis_url)
        with urllib.request.urlopen(url + CONCURRENCY_PATH, timeout=10) as answer:
            counts = json.load(answer)
    assert result.summary.articles == 60
    assert counts["answered"] == result.summary.pages_fetched  # every request the server saw
    assert 1 <= counts["most_in_flight"] <= cap
    assert result.summary.decisions["site_slot/with_lease"] > 0  # most slots came with their leases


def test_max_pages_is_one_budget_for_all_workers(sample_site_url: str, redis_url: str,
                                                 tmp_path: Path) -> None:
    params = CrawlParams((sample_site_url + "/",), tmp_path, max_pages=40, crawl_id="budget")
    result = run_workers(params, 2, LOCAL_SITE_SETTINGS, redis_url)
    frontier = RedisFrontier(redis_url, params.crawl_id, "test")
    try:
        assert frontier.counter("pages") == 40  # pages requested, by both workers together
    finally:
        frontier.close()
    assert result.summary.decisions["skipped/max_pages"] > 0
    assert result.summary.articles < 40


def _dead_worker_claims(redis_url: str, crawl_id: str, sitemap_url: str, claimed: list[str]) -> None:
    """Leave Redis as a worker leaves it when killed inside a sitemap's callback: the sitemap's
    lease held (expired at once: lease_seconds is 0), some of its entries claimed, their
    requests never pushed."""
    from scrapy import Request
    from scrapy.utils.request import fingerprint

    dead = RedisFrontier(redis_url, crawl_id, "w-dead", lease_seconds=0)
    try:
        request = Request(sitemap_url, priority=80, meta={"hops": 0, "kind": "sitemap"})
        assert not dead.fingerprint_seen(fingerprint(request).hex())  # the live worker won't queue it again
        fields = {**request.to_dict(), "callback": "parse_sitemap", "errback": "on_error"}
        dead.push(pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL), request.priority)
        lease = dead.lease()
        assert lease is not None
        for url in claimed:
            assert dead.claim(canonicalize_url(url), True, None, lease.request_id) == "new"
    finally:
        dead.close()


def test_claims_of_a_dead_workers_lease_return_with_it(sample_site_url: str, sample_crawl: CrawlResult,
                                                      redis_url: str, tmp_path: Path) -> None:
    """Deterministic form of a loss once seen with SIGKILL: a worker claimed the canonical URLs of
    a sitemap's entries, then died before their requests reached the queue. When the sitemap's
    lease is requeued and parsed again by another worker, those URLs must be claimable again."""
    sitemap_url = sample_site_url + "/sitemaps/articles-1.xml"
    with urllib.request.urlopen(sitemap_url, timeout=10) as answer:
        locs = re.findall(r"<loc>([^<]+)</loc>", answer.read().decode())
    params = CrawlParams((sample_site_url + "/",), tmp_path, crawl_id="dead-claims")
    _dead_worker_claims(redis_url, params.crawl_id, sitemap_url, locs[:5])
    result = run_workers(params, 1, LOCAL_SITE_SETTINGS, redis_url)
    # Not the fetched URLs: a frontier worker's depth is the first path found, so a listing page
    # at the depth limit may or may not be reached, as the order of responses goes.
    assert crawl_view(result.staging_path) == crawl_view(sample_crawl.staging_path)


class Interrupted(Exception):
    """Stands for Ctrl-C or a SIGTERM turned into an exception in the coordinator."""


def test_an_interrupted_crawl_leaves_no_worker_or_redis_running(redis_url: str, sample_site_url: str,
                                                               tmp_path: Path) -> None:
    import redis

    started: dict = {}

    def on_start(url: str, processes: dict[str, subprocess.Popen]) -> None:
        started.update(url=url, processes=dict(processes))
        raise Interrupted

    params = CrawlParams((sample_site_url + "/",), tmp_path, crawl_id="interrupted")
    with pytest.raises(Interrupted):
        run_workers(params, 2, LOCAL_SITE_SETTINGS, None, on_start=on_start)  # its own local redis
    assert {w: p.returncode for w, p in started["processes"].items()} == {"w1": -9, "w2": -9}
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(started["url"], socket_connect_timeout=5).ping()


def _processes_using(path: Path) -> list[int]:
    """PIDs whose command line names `path` (the workers' -a out=...) or that run in a folder
    under it (redis-server, which rewrites its command line, runs in its --dir)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (str(path).encode() in (entry / "cmdline").read_bytes()
                                         or str(path) in os.readlink(entry / "cwd")):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_crawl_whose_every_process_was_killed_resumes_under_its_crawl_id(
        sample_site_url: str, sample_crawl: CrawlResult, redis_url: str, tmp_path: Path) -> None:
    """The coordinator (with its local redis-server, whose append-only file is in state/) and all
    three workers are SIGKILLed midway; the same crawl run again finishes the crawl from Redis's
    saved frontier, with the same archive as an uninterrupted crawl."""
    params = CrawlParams((sample_site_url + "/",), tmp_path / "archive", crawl_id="all-killed",
                         lease_seconds=3)
    coordinator = subprocess.Popen([sys.executable, "-c", (
        "import sys; from pathlib import Path; from spiders.params import CrawlParams; "
        "from spiders.run import run_workers; "
        f"run_workers(CrawlParams(({sample_site_url + '/'!r},), Path({str(params.out)!r}), "
        f"crawl_id='all-killed', lease_seconds=3), 3, {SLOWER!r})")],
        cwd=Path(__file__).resolve().parents[2])
    deadline = time.monotonic() + 120
    while part_counts(params)["captures"] < 60 and coordinator.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    coordinator.kill()  # its workers and redis-server die with it
    coordinator.wait()
    deadline = time.monotonic() + 60
    while _processes_using(params.out) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_using(params.out) == []
    killed = part_counts(params)["captures"]
    assert 60 <= killed < 334 and not (params.staging_dir / "crawl.json").exists()
    with local_redis(params.layout.redis_state_dir(params.crawl_id)) as saved:  # what the AOF kept
        frontier = RedisFrontier(saved, params.crawl_id, "test")
        unacknowledged, queued = frontier.redis.zcard(frontier.key("leases")), frontier.pending()
        frontier.close()
    assert unacknowledged > 0 and queued > unacknowledged

    result = run_workers(params, 3, SLOWER)  # no redis given: the crawl's own, from state/ again
    assert result.summary.workers == ["w1", "w2", "w3", "w4", "w5", "w6"]
    assert result.summary.workers_died == ["w1", "w2", "w3"]
    assert crawl_view(result.staging_path) == crawl_view(sample_crawl.staging_path)
    extra = fetched_ok(result.staging_path) - fetched_ok(sample_crawl.staging_path)
    assert sum(extra.values()) <= unacknowledged  # fetched again: only what the killed run held
    assert not params.layout.redis_state_dir(params.crawl_id).exists()
