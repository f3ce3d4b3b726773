"""The per-crawl staging folder the warehouse loads: JSON Lines while crawling, Parquet at the end.

JSON Lines is appended row by row during the crawl (a killed crawl loses at most a line); at
close DuckDB converts each table to Parquet so the loader reads it set-based. Columns are
documented in docs/staging.md.
"""
from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import IO, Any

# Staged tables and their column types (DuckDB types). The staging format is the spider's
# output contract; warehouse/schema.sql declares the tables these rows are loaded into.
STAGED_COLUMNS: dict[str, dict[str, str]] = {
    "captures": {"crawl_id": "VARCHAR", "url": "VARCHAR", "status": "INTEGER",
                 "fetched_at": "TIMESTAMPTZ", "content_type": "VARCHAR", "content_length": "BIGINT",
                 "payload_sha256": "VARCHAR", "warc_file": "VARCHAR", "warc_offset": "BIGINT",
                 "warc_length": "BIGINT", "depth": "INTEGER", "referrer": "VARCHAR",
                 "location": "VARCHAR", "record_type": "VARCHAR", "warc_record_id": "VARCHAR",
                 "refers_to": "VARCHAR", "etag": "VARCHAR", "last_modified": "VARCHAR",
                 "sitemap_lastmod": "VARCHAR"},
    "articles": {"crawl_id": "VARCHAR", "url": "VARCHAR", "canonical_url": "VARCHAR",
                 "site": "VARCHAR", "title": "VARCHAR", "description": "VARCHAR",
                 "authors": "VARCHAR[]", "category": "VARCHAR", "tags": "VARCHAR[]",
                 "language": "VARCHAR", "published": "VARCHAR", "modified": "VARCHAR",
                 "body": "VARCHAR", "word_count": "INTEGER", "content_sha256": "VARCHAR",
                 "payload_sha256": "VARCHAR", "fetched_at": "TIMESTAMPTZ", "depth": "INTEGER",
                 "parser_version": "VARCHAR"},
    "sections": {"crawl_id": "VARCHAR", "canonical_url": "VARCHAR", "ordinal": "INTEGER",
                 "heading": "VARCHAR", "level": "INTEGER", "text": "VARCHAR"},
    "links": {"crawl_id": "VARCHAR", "source_url": "VARCHAR", "ordinal": "INTEGER",
              "target_url": "VARCHAR", "anchor_text": "VARCHAR", "kind": "VARCHAR",
              "related_title": "VARCHAR", "related_category": "VARCHAR",
              "related_summary": "VARCHAR", "related_published": "VARCHAR"},
    "aliases": {"crawl_id": "VARCHAR", "alias_url": "VARCHAR", "canonical_url": "VARCHAR",
                "reason": "VARCHAR"},
    "rejects": {"crawl_id": "VARCHAR", "url": "VARCHAR", "stage": "VARCHAR", "reason": "VARCHAR",
                "status": "INTEGER", "referrer": "VARCHAR"},
    "revisits": {"crawl_id": "VARCHAR", "url": "VARCHAR", "reason": "VARCHAR"},
}
TABLES = tuple(STAGED_COLUMNS)


class Staging:
    def __init__(self, folder: Path, crawl_id: str) -> None:
        self.folder = folder
        self.crawl_id = crawl_id
        folder.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self.counts = {table: count_lines(folder / f"{table}.jsonl") for table in TABLES}

    def write(self, table: str, row: Any) -> None:
        if table not in self._files:
            # Line-buffered: a crawl killed with SIGKILL loses at most the line being written.
            self._files[table] = open(self.folder / f"{table}.jsonl", "a", encoding="utf-8", buffering=1)
        data = asdict(row) if is_dataclass(row) and not isinstance(row, type) else dict(row)
        data["crawl_id"] = self.crawl_id
        self._files[table].write(json.dumps(data, ensure_ascii=False) + "\n")
        self.counts[table] += 1

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()

    def finish(self, summary: dict[str, Any], name: str = "crawl.json") -> None:
        """Close the JSON Lines files, write Parquet beside them, then the summary last
        (crawl.json; part.json for one worker's part of a crawl)."""
        self.close()
        to_parquet(self.folder)
        (self.folder / name).write_text(json.dumps(summary, indent=2) + "\n", "utf-8")


def count_lines(path: Path) -> int:
    """Rows staged so far in a JSON Lines file (0 when it does not exist yet)."""
    if not path.exists():
        return 0
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def to_parquet(folder: Path) -> None:
    """Convert each staged table to Parquet with DuckDB (typed by the warehouse schema on load)."""
    import duckdb

    with duckdb.connect() as con:
        for table, columns in STAGED_COLUMNS.items():
            source = folder / f"{table}.jsonl"
            target = str(folder / f"{table}.parquet").replace("'", "''")
            spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
            if source.exists() and source.stat().st_size:
                select = f"SELECT * FROM read_json(?, format='newline_delimited', columns={spec})"
                con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet)", [str(source)])
            else:
                nulls = ", ".join(f"CAST(NULL AS {kind}) AS \"{name}\"" for name, kind in columns.items())
                con.execute(f"COPY (SELECT {nulls} LIMIT 0) TO '{target}' (FORMAT parquet)")
