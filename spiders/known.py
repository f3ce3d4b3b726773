"""What earlier crawls captured, read by an incremental crawl.

The warehouse writes it (`warehouse.known_state.write_known_state`) as JSON Lines, one row per canonical
URL; the spider keeps it in memory as PreviousCapture records.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from spiders.parsers.urls import canonicalize_url
from spiders.warc import PreviousCapture

FIELDS = ("url", "payload_sha256", "warc_record_id", "warc_date", "etag", "last_modified",
          "sitemap_lastmod", "fetched_at", "is_article")


def read_known(path: Path | None) -> dict[str, PreviousCapture]:
    if path is None or not path.exists():
        return {}
    known: dict[str, PreviousCapture] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            known[canonicalize_url(row["url"])] = PreviousCapture(**{k: row.get(k) for k in FIELDS})
    return known


def due_for_revisit(previous: PreviousCapture, revisit_days: float, now: dt.datetime) -> bool:
    if revisit_days == 0 or not previous.fetched_at:
        return True
    last = dt.datetime.fromisoformat(previous.fetched_at)
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.timezone.utc)
    return now - last >= dt.timedelta(days=revisit_days)
