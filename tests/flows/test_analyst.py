"""The demo archive as an analyst meets it: the duckdb CLI from the package index opens it,
`clippings search` finds the seed article."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from spiders.sample_site import build_site
from tests.flows.conftest import clippings

DemoRun = tuple[Path, str, subprocess.CompletedProcess[str]]
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"  # the duckdb-cli wheel of the dev extra


def test_demo_archive_opens_in_the_duckdb_cli(demo_run: DemoRun) -> None:
    db, _, demo = demo_run
    assert demo.returncode == 0, demo.stderr[-3000:]
    result = subprocess.run([str(DUCKDB_CLI), "-readonly", "-csv", str(db), "-c",
                             "SELECT version() AS v, count(*) AS n FROM articles WHERE category = 'TV series reviews'"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    reviews = sum(a.category == "TV series reviews" for a in build_site().articles)
    assert reviews == 67
    assert result.stdout.splitlines() == ["v,n", f"v1.5.6,{reviews}"]


def test_search_on_the_demo_archive_puts_the_seed_first(demo_run: DemoRun) -> None:
    db, port, _ = demo_run
    seed_url = f"http://127.0.0.1:{port}{build_site().articles[0].path}"
    found = clippings("search", "production soundtracks leitmotif", "--db", str(db), "--format", "json")
    assert found.returncode == 0, found.stderr
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert [(h["rank"], h["url"], h["published"]) for h in hits] == [(1, seed_url, "2025-07-29")]
    assert "leitmotif" in hits[0]["snippet"].lower() or "soundtracks" in hits[0]["snippet"].lower()
    named = clippings("sql", "--db", str(db), "--query", "search", "--param", "q=soundtrack leitmotif",
                      "--param", "limit=1", "--format", "csv")
    assert named.returncode == 0, named.stderr
    assert named.stdout.splitlines()[0] == "rank,title,published,url,snippet,score"
    assert named.stdout.splitlines()[1].startswith(f"1,{build_site().articles[0].title},2025-07-29,{seed_url},")
    bad = clippings("search", "x", "--db", str(db), "--since", "last week")
    assert bad.returncode == 2 and "invalid date" in bad.stderr and "Traceback" not in bad.stderr


def test_graph_tables_exist_after_the_demo(demo_run: DemoRun) -> None:
    db, _, demo = demo_run
    assert demo.returncode == 0, demo.stderr[-3000:]
    central = clippings("sql", "--db", str(db), "--query", "most_central", "--param", "limit=1", "--format", "csv")
    assert central.returncode == 0, central.stderr
    assert central.stdout.splitlines()[1].startswith("What the pilot teaches us about years of accumulated habit,")
    counts = clippings("sql", "--db", str(db), "--format", "csv",
                       "SELECT (SELECT count(*) FROM article_metrics) AS articles, "
                       "(SELECT count(*) FROM graph_runs) AS runs, (SELECT count(*) FROM link_hosts) AS hosts")
    assert counts.stdout.splitlines() == ["articles,runs,hosts", "300,1,5"]
