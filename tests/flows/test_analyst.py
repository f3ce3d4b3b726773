"""The demo archive as an analyst meets it: the duckdb CLI from the package index opens it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from spiders.sample_site import build_site

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
