"""A multi-worker crawl's staging: one part per worker, gathered into one crawl summary.

Layout: `staging/<crawl id>/parts/<worker id>/` holds that worker's tables (JSON Lines, then
Parquet) and `part.json`; `staging/<crawl id>/crawl.json` is written last, when every part is
finished, and says which parts make the crawl. The loader reads all parts in one transaction.

A worker killed midway leaves a part without part.json. Finishing repairs it as a resumed crawl
would (torn lines, sections and links without their article, WARC records no row points to),
then drops what another worker staged again after the dead worker's leases were requeued: an
article (with its sections and links), alias, reject or revisit row also in a finished part.
Its captures stay: those fetches happened and their WARC records exist.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from spiders.layout import PART_SUMMARY, SUMMARY_FILE, ArchiveLayout, warc_glob
from spiders.resume import _keep, _read, repair
from spiders.staging import TABLES, count_lines, to_parquet
from spiders.summary import CrawlSummary

DEDUPED = ("aliases", "rejects", "revisits")


def part_dirs(staging: Path) -> list[Path]:
    parts = staging / "parts"
    return sorted(p for p in parts.iterdir() if p.is_dir()) if parts.is_dir() else []


def _row_key(row: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in row.items() if k != "crawl_id"}, sort_keys=True)


def _drop_restaged(dead: Path, finished: list[Path]) -> None:
    staged = {a["canonical_url"] for p in finished for a in _read(p / "articles.jsonl")}
    for table, key in (("articles", "canonical_url"), ("sections", "canonical_url"),
                       ("links", "source_url")):
        rows = _read(dead / f"{table}.jsonl")
        _keep(dead / f"{table}.jsonl", [r for r in rows if r[key] not in staged])
    for table in DEDUPED:
        seen = {_row_key(r) for p in finished for r in _read(p / f"{table}.jsonl")}
        rows = _read(dead / f"{table}.jsonl")
        _keep(dead / f"{table}.jsonl", [r for r in rows if _row_key(r) not in seen])


def finish_dead_part(part: Path, warc_dir: Path, crawl_id: str, finished: list[Path]) -> dict[str, Any]:
    worker_id = part.name
    prefix = ArchiveLayout.warc_prefix(crawl_id, worker_id)
    repair(part, warc_dir, prefix, set(), 0)  # files only
    _drop_restaged(part, finished)
    to_parquet(part)
    counts = {t: count_lines(part / f"{t}.jsonl") for t in TABLES}
    summary = {"crawl_id": crawl_id, "worker_id": worker_id, "finish_reason": "worker died",
               "pages_fetched": counts["captures"], **{t: counts[t] for t in TABLES if t != "captures"},
               "warc_files": sorted(p.name for p in warc_dir.glob(warc_glob(prefix))),
               "bytes": 0, "decisions": {}}
    (part / PART_SUMMARY).write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    return summary


def gather(staging: Path, warc_dir: Path, crawl_id: str, extra: dict[str, Any]) -> CrawlSummary:
    """Finish dead parts, then write crawl.json summing every part; return it."""
    parts = part_dirs(staging)
    finished = [p for p in parts if (p / PART_SUMMARY).exists()]
    if not finished:
        raise RuntimeError(f"{staging} has no finished worker part: no worker of crawl {crawl_id} "
                           "finished; run it again under the same crawl id to resume")
    first = CrawlSummary.read(finished[0] / PART_SUMMARY)
    for part in parts:
        if part not in finished:
            finish_dead_part(part, warc_dir, crawl_id, finished)
    summaries = [json.loads((p / PART_SUMMARY).read_text("utf-8")) for p in parts]
    decisions: Counter[str] = Counter()
    for part_summary in summaries:
        decisions.update(part_summary.get("decisions", {}))
    died = [s["worker_id"] for s in summaries if s["finish_reason"] == "worker died"]
    total = {name: sum(s.get(name, 0) for s in summaries)
             for name in ("pages_fetched", "articles", "sections", "links", "aliases", "rejects",
                          "bytes", "bodies_fetched", "revisits", "unchanged")}
    summary = dataclasses.replace(
        first, **total, worker_id=None,
        started=min(s["started"] for s in summaries if "started" in s),
        finished=dt.datetime.now(dt.timezone.utc).isoformat(),
        finish_reason="finished" if not died else f"finished; worker(s) {', '.join(died)} died "
                                                  "and their leases were requeued",
        workers=[s["worker_id"] for s in summaries], workers_died=died,
        parts=[f"parts/{p.name}" for p in parts],
        warc_files=sorted(f for s in summaries for f in s.get("warc_files", [])),
        peak_memory_bytes=max(s.get("peak_memory_bytes", 0) for s in summaries),
        decisions=dict(sorted(decisions.items())), **extra)
    summary.write(staging / SUMMARY_FILE)
    return summary


def jsonl_rows(staging: Path, table: str) -> list[dict[str, Any]]:
    """Every staged row of a table across a crawl's parts (reparse reads captures this way)."""
    folders = part_dirs(staging) or [staging]
    return [row for folder in folders for row in _read(folder / f"{table}.jsonl")]
