"""Self-description of a snapshot: every file and every column, from warehouse/schema.sql's comments."""
from __future__ import annotations

import json
import re
from pathlib import Path

from warehouse.migrate import schema_sql

TABLE_DOCS = {
    "crawls": "One row per crawl (or re-extraction) finished by the snapshot's moment.",
    "captures": "One row per HTTP response captured by then; warc_file/warc_offset/warc_length point "
                "into this snapshot's own WARC files.",
    "articles": "Each article in the version current at the snapshot's moment (articles gone by then left out).",
    "sections": "Sections of those article versions, in reading order.",
    "links": "Links of those article versions; target_article is set only when the target is in this snapshot.",
    "aliases": "Other URLs of the snapshot's articles.",
    "rejects": "URLs the snapshot's crawls could not archive, with the stage and reason.",
}
EXTRA_COLUMNS = {"captured_at": "when the page holding this version was fetched",
                 "version": "the article version (1, 2, ...)"}


def column_comments() -> dict[str, dict[str, str]]:
    """{table: {column: comment}} from the `name TYPE, -- comment` lines of schema.sql."""
    comments: dict[str, dict[str, str]] = {}
    table = None
    for line in schema_sql().splitlines():
        if match := re.match(r"CREATE TABLE IF NOT EXISTS (\w+)", line):
            table = match.group(1)
            comments[table] = {}
        elif table and (match := re.match(r"\s+(\w+)\s+[A-Z][^-]*--\s*(.+)$", line)):
            comments[table][match.group(1)] = match.group(2).strip()
        elif line.startswith(")"):
            table = None
    return comments


def describe(tables: dict[str, list[tuple[str, str]]], files: dict[str, str], info: dict[str, str]) -> tuple[str, dict]:
    """README.md text and a datapackage.json-style dict for the snapshot's payload."""
    comments = column_comments()
    resources = []
    lines = ["# Clippings snapshot", "", *(f"- {k}: {v}" for k, v in info.items()), "",
             "## Files", "", *(f"- `{path}`: {what}" for path, what in files.items()), "", "## Tables", ""]
    for name, columns in tables.items():
        lines += [f"### `tables/{name}.parquet`", "", TABLE_DOCS[name], "", "| column | type | meaning |",
                  "| --- | --- | --- |"]
        fields = []
        for column, kind in columns:
            meaning = comments.get(name, {}).get(column) or EXTRA_COLUMNS.get(column, "")
            lines.append(f"| `{column}` | {kind} | {meaning} |")
            fields.append({"name": column, "type": kind, "description": meaning})
        lines.append("")
        resources.append({"name": name, "path": f"tables/{name}.parquet", "format": "parquet",
                          "description": TABLE_DOCS[name], "schema": {"fields": fields}})
    package = {"profile": "data-package", "name": "clippings-snapshot", "description": info,
               "resources": resources + [{"name": Path(p).stem.replace(".", "-"), "path": p,
                                          "description": d} for p, d in files.items()
                                         if not p.startswith("tables/")]}
    return "\n".join(lines) + "\n", package


def write_description(folder: Path, tables: dict[str, list[tuple[str, str]]], files: dict[str, str],
                      info: dict[str, str]) -> None:
    readme, package = describe(tables, files, info)
    (folder / "README.md").write_text(readme, "utf-8")
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, sort_keys=True) + "\n", "utf-8")
