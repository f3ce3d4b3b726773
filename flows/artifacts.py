"""What a `crawl-site` run shows under it in the Prefect UI: a markdown summary and a table.

Both are built from the crawl's report data (warehouse.report), so the UI, the HTML report and
`clippings sql` agree. The builders are pure; `publish` is the one call that talks to Prefect.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from warehouse.report import ReportData

TABLE_LIMIT = 500  # rows of the new/changed table; the markdown gives the exact counts


def artifact_key(kind: str, crawl_id: str) -> str:
    """Prefect keys allow lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", f"{kind}-{crawl_id}".lower()).strip("-")


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return "" if value is None else str(value)


def summary_markdown(summary: dict[str, Any], data: ReportData, report: Path) -> str:
    t = data.totals
    lines = [f"# Crawl {summary['crawl_id']}", "",
             f"Started {summary.get('started', '')}, finished {summary.get('finished', '')} "
             f"({summary.get('finish_reason', '')}); start URLs: {', '.join(summary.get('start_urls', []))}.", "",
             "| pages fetched | full bodies | revisits | articles | new | changed | gone | rejects | bytes archived |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
             f"| {t['pages_fetched']:,} | {summary.get('bodies_fetched', 0):,} | {t['revisits']:,} | "
             f"{t['articles']:,} | {t['new_articles']:,} | {t['changed_articles']:,} | {t['gone']:,} | "
             f"{t['rejects']:,} | {t['bytes_archived']:,} |", "", "## Rejects by reason", ""]
    rejects = data.figures["rejects"].dicts()
    if rejects:
        lines += ["| stage | reason | URLs | example |", "| --- | --- | ---: | --- |"]
        lines += [f"| {r['stage']} | {r['reason']} | {r['urls']:,} | {(r['examples'] or [''])[0]} |" for r in rejects]
    else:
        lines.append("None.")
    lines += ["", "## Where to look next", "",
              f"- The full report (open in a browser): `{report}`",
              f"- Scrapy's log and stats: `{summary.get('log_path') or 'logs/<crawl id>.log in the archive folder'}`",
              f"- Staged files: `{summary.get('staging_path', '')}`"]
    return "\n".join(lines) + "\n"


def changes_table(data: ReportData) -> list[dict[str, Any]]:
    rows = [{"change": "new", "url": r["canonical_url"], "title": r["title"] or "", "version": 1,
             "changed_fields": "", "captured_at": _when(r["captured_at"])}
            for r in data.figures["new_articles"].dicts()]
    rows += [{"change": "changed", "url": r["canonical_url"], "title": r["title"] or "", "version": r["version"],
              "changed_fields": ", ".join(r["changed_fields"] or []), "captured_at": _when(r["captured_at"])}
             for r in data.figures["changed_articles"].dicts()]
    return rows[:TABLE_LIMIT]


def publish(summary: dict[str, Any], data: ReportData, report: Path) -> None:
    """Attach both artifacts to the current flow run (keys name the crawl, so runs keep a history)."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    crawl_id = summary["crawl_id"]
    create_markdown_artifact(summary_markdown(summary, data, report), key=artifact_key("crawl-summary", crawl_id),
                             description=f"Crawl {crawl_id}: summary, rejects by reason, where the report is")
    rows = changes_table(data)
    create_table_artifact(rows or [{"change": "none", "url": "", "title": "no new or changed articles"}],
                          key=artifact_key("crawl-changes", crawl_id),
                          description=f"Crawl {crawl_id}: {len(rows)} new and changed articles")
