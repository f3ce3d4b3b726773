"""The multi-site flow for real: three sample sites (three servers on 127.0.0.1) in a sites file,
`prefect deploy --all` on a live Prefect server, two workers on one process pool. Every site is
archived, each by its own crawl-site run, and no two loads ever overlap."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import duckdb
import pytest

from tests.conftest import serve_sample
from tests.flows.test_deployments import PREFECT, ROOT, prefect, prefect_env, stop_worker

__all__ = ["prefect_env"]  # the live server fixture, shared with the single-site deployment test

SITE = """\
  - name: {name}
    start_urls: ["{url}/"]
    local: true
    workers: {workers}
    politeness: {{concurrency: 4}}
"""


def api(env: dict[str, str], path: str, body: dict) -> list[dict]:
    request = urllib.request.Request(env["PREFECT_API_URL"] + path, json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.slow
def test_sites_flow_archives_every_site_loads_one_at_a_time(
        prefect_env: dict[str, str], redis_url: str, tmp_path: Path) -> None:
    # redis_url: one site runs two workers, which start their own redis-server (skip without one)
    env = {**prefect_env, "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_PREFETCH_SECONDS": "1"}
    prefect(env, "work-pool", "create", "clippings-local", "--type", "process")
    deployed = prefect(env, "--no-prompt", "deploy", "--all")
    assert "crawl-sites/sites" in deployed.stdout and "crawl-site/site-crawl" in deployed.stdout
    prefect(env, "deployment", "schedule", "pause", "--all")  # only the runs started here
    db = tmp_path / "news.duckdb"
    with ExitStack() as stack:
        workers = [subprocess.Popen([*PREFECT, "worker", "start", "--pool", "clippings-local", "--name", name],
                                    env=env, cwd=ROOT, start_new_session=True,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for name in ("worker-a", "worker-b")]
        for worker in workers:
            stack.callback(stop_worker, worker)
        urls = [stack.enter_context(serve_sample(40, seed)) for seed in (1, 2, 3)]
        sites = tmp_path / "sites.yaml"
        sites.write_text("sites:\n" + "".join(SITE.format(name=f"site-{n}", url=url, workers=2 if n == 3 else 1)
                                              for n, url in enumerate(urls, 1)), "utf-8")
        params = {"sites_file": str(sites), "db_path": str(db)}
        run = subprocess.run([*PREFECT, "deployment", "run", "crawl-sites/sites", "--params",
                              json.dumps(params), "--watch", "--watch-timeout", "300"],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=330)
        assert run.returncode == 0, "the sites run failed; its errors:\n" + "\n".join(
            entry["message"][-1500:] for entry in api(env, "/logs/filter", {"logs": {"level": {"ge_": 40}}}))
    with duckdb.connect(str(db), read_only=True) as con:
        crawls = con.execute("SELECT summary->>'site', summary->>'mode', articles FROM crawls ORDER BY 1").fetchall()
        per_site = con.execute("SELECT c.summary->>'site', count(*) FROM articles a JOIN crawls c "
                               "USING (crawl_id) GROUP BY ALL ORDER BY 1").fetchall()
    assert crawls == [("site-1", "full", 40), ("site-2", "full", 40), ("site-3", "full", 40)]
    assert per_site == [("site-1", 40), ("site-2", 40), ("site-3", 40)]

    runs = api(env, "/flow_runs/filter", {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}})
    site_runs = [r for r in runs if r["parameters"].get("site")]
    assert sorted(r["parameters"]["site"] for r in site_runs) == ["site-1", "site-2", "site-3"]
    loads = api(env, "/task_runs/filter", {"task_runs": {"name": {"like_": "load"}}})
    spans = sorted((moment(t["start_time"]), moment(t["end_time"])) for t in loads if t["state_type"] == "COMPLETED")
    assert len(spans) == 3
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert start >= end, f"two loads overlapped: one ended at {end}, the next started at {start}"
