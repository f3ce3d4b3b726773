"""What a crawl-site run shows under it in the Prefect UI: read back from the Prefect API."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tests.flows.conftest import REPORT, REVISED


def artifacts_of(run_id) -> dict:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
    return {a.type: a for a in found}


def test_a_crawl_run_publishes_its_summary_and_changes(recrawl: dict) -> None:
    second, base = recrawl["second"], recrawl["url"]
    artifacts = artifacts_of(recrawl["second_run"])
    assert set(artifacts) == {"markdown", "table"}
    key = second["crawl_id"].lower()
    assert artifacts["markdown"].key == f"crawl-summary-{key}" and artifacts["table"].key == f"crawl-changes-{key}"
    markdown = artifacts["markdown"].data
    with duckdb.connect(str(recrawl["db"]), read_only=True) as con:
        rejects = con.execute("SELECT stage, reason, count(*) FROM rejects WHERE crawl_id = ? GROUP BY ALL",
                              [second["crawl_id"]]).fetchall()
    for stage, reason, count in rejects:
        assert f"| {stage} | {reason} | {count} |" in markdown
    assert f"| {second['pages_fetched']:,} | {second['bodies_fetched']:,} |" in markdown
    report = Path(second["report_path"])
    assert f"`{report}`" in markdown and report.is_file() and report.parent.name == "reports"
    assert f"{second['crawl_id']}.log" in markdown
    rows = artifacts["table"].data
    rows = json.loads(rows) if isinstance(rows, str) else rows
    new = sorted(r["url"] for r in rows if r["change"] == "new")
    changed = sorted(r["url"] for r in rows if r["change"] == "changed")
    assert new == sorted(base + REVISED.articles[i].path for i in REPORT.added)
    assert changed == sorted(base + REVISED.articles[i].path for i in REPORT.edited)
    assert all("body" in r["changed_fields"] for r in rows if r["change"] == "changed")
