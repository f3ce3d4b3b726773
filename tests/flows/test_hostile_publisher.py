"""A hostile publisher crawled end to end by `clippings crawl`, as a user would run it.

The site (tests/spiders/hostile_site.py, on 127.0.0.2) points off-scope in every way it can and
serves every trap; the off-scope server (on 127.0.0.1 and on another port of 127.0.0.2) logs
each request it receives. The crawl is given a large depth so that the trap limits, not the
depth, are what stop it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.spiders.hostile_site import ARTICLES, BOMB_BYTES, CHARSET_TITLE
from tests.spiders.conftest import read_jsonl


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("hostile")
    log = folder / "offscope-requests.log"
    server = subprocess.Popen([sys.executable, "-m", "tests.spiders.hostile_site", str(log)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        site, off, other_port = (server.stdout.readline().strip() for _ in range(3))
        off_port = off.rsplit(":", 1)[1]
        env = {**os.environ, "PREFECT_HOME": str(folder / "prefect"), "DO_NOT_TRACK": "1",
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        db = folder / "hostile.duckdb"
        crawl = subprocess.run(
            [sys.executable, "-m", "flows.cli", "crawl", site + "/", "--db", str(db), "--depth", "60",
             "--domains", f"localhost:{off_port}",
             "--set", "DOWNLOAD_TIMEOUT=3", "--set", "RETRY_TIMES=0", "--set", "AUTOTHROTTLE_ENABLED=false",
             "--set", "DOWNLOAD_DELAY=0", "--set", "CLIPPINGS_TRAP_MAX_CALENDAR_PAGES=12",
             "--set", "CLIPPINGS_TRAP_MAX_QUERY_VARIANTS=10"],
            capture_output=True, text=True, env=env, timeout=300)
        assert crawl.returncode == 0, crawl.stderr[-3000:]
        staging = next((folder / "hostile-archive" / "staging").iterdir())
        yield {"site": site, "off": off, "off_port": off_port, "other_port": other_port, "log": log,
               "stdout": crawl.stdout, "staging": staging,
               "summary": json.loads((staging / "crawl.json").read_text()),
               "rejects": read_jsonl(staging / "rejects.jsonl"),
               "articles": read_jsonl(staging / "articles.jsonl")}
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout:
            server.stdout.close()


def test_no_request_reaches_the_off_scope_server(hostile: dict) -> None:
    assert hostile["log"].read_text() == ""


def test_every_real_article_is_staged_with_its_title(hostile: dict) -> None:
    titles = {a["url"].removeprefix(hostile["site"]): a["title"] for a in hostile["articles"]}
    assert titles == {**ARTICLES, "/charset.html": CHARSET_TITLE}


def _reasons(hostile: dict) -> dict[str, tuple[str, str]]:
    site, off = hostile["site"], hostile["off"]
    return {r["url"].replace(site, "SITE").replace(off, "OFF").replace(hostile["other_port"], "OTHER"):
            (r["stage"], r["reason"]) for r in hostile["rejects"]}


def test_off_scope_discovery_and_redirects_are_rejects(hostile: dict) -> None:
    reasons, port = _reasons(hostile), hostile["off_port"]
    off_scope = "off scope: 127.0.0.1:{} is not a start URL's site (widen with --domains)".format(port)
    for url in ("OFF/robots-sitemap.xml", "OFF/index-sitemap.xml", "OFF/from-sitemap.html",
                "OFF/landing.html", f"http://2130706433:{port}/numeric-sitemap.xml"):
        assert reasons[url] == ("scope", off_scope), url
    other = hostile["other_port"].removeprefix("http://")
    assert reasons["OTHER/feed-item.html"] == (
        "scope", f"off scope: {other} is not a start URL's site (widen with --domains)")
    assert reasons["http://169.254.169.254/latest/"][0] == "scope"
    assert reasons["http://10.0.0.1/"][0] == "scope"


def test_the_address_guard_refuses_a_widened_name_on_loopback(hostile: dict) -> None:
    reasons, port = _reasons(hostile), hostile["off_port"]
    refused = ("guard", "address guard: localhost resolves to 127.0.0.1, a loopback address, is refused "
                        "(not a start URL's address; allow it with -s CLIPPINGS_ALLOW_ADDRESSES=CIDR)")
    assert reasons[f"http://localhost:{port}/guarded.html"] == refused
    assert reasons[f"http://localhost:{port}/by-name.html"] == refused
    assert reasons[f"http://localhost.:{port}/by-name-2.html"] == refused  # LOCALHOST. is the same host


def test_each_trap_is_a_reject_with_its_reason(hostile: dict) -> None:
    reasons = _reasons(hostile)
    by_kind = {}
    for url, (stage, reason) in reasons.items():
        by_kind.setdefault((stage, reason.split(":")[0].split(" (")[0]), []).append(url)
    assert by_kind[("fetch", "too large")] == ["SITE/bomb.html"]
    assert by_kind[("fetch", "timeout")] == ["SITE/drip.html"]
    assert by_kind[("fetch", "HTTP 500")] == ["SITE/always-500.html"]
    assert reasons["SITE/report.html"] == ("validate", "not a page: a PDF document")
    assert reasons["SITE/empty.html"] == ("validate", "not a page: empty body")
    assert reasons["SITE/sitemap-bomb.xml.gz"] == (
        "parse", "sitemap refused: sitemap inflates to more than 52428800 bytes (gzip bomb?)")
    assert reasons["SITE/sitemap-lol.xml"] == (
        "parse", "sitemap refused: it declares XML entities (entity expansion)")
    traps = {url: reason for url, (stage, reason) in reasons.items() if stage == "trap"}
    assert traps["SITE/" + "x" * 2100] == "trap: URL is 2127 characters (limit 2048)".replace(
        "2127", str(len(hostile["site"]) + 2101))
    assert traps["SITE/" + "/".join(f"d{i}" for i in range(20)) + "/"] == \
        "trap: path is 20 segments deep (limit 16)"
    assert "trap: path segment 'more' repeats 4 times (limit 3)" in traps.values()
    assert "trap: more than 10 query variants of {}/filters".format(
        hostile["site"].removeprefix("http://")) in traps.values()
    assert any(r.startswith("trap: more than 12 calendar pages shaped /calendar/N/N/") for r in traps.values())
    decisions = hostile["summary"]["decisions"]
    for limit in ("max_url_length", "max_path_depth", "max_segment_repeats", "max_query_variants",
                  "max_calendar_pages"):
        assert decisions[f"trap/{limit}"] >= 1, limit


def test_peak_memory_is_reported_and_bounded(hostile: dict) -> None:
    peak = hostile["summary"]["peak_memory_bytes"]
    assert 0 < peak < BOMB_BYTES  # neither 300 MB bomb was inflated in memory
    assert f"peak memory {peak / 2**20:.0f} MiB" in hostile["stdout"]
