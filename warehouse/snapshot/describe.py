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
# A snapshot's articles are versions: their columns are described where article_versions is.
DESCRIBED_IN = {"articles": ("articles", "article_versions")}
# Table Schema (Frictionless) types of DuckDB's: the first whose prefix matches.
FIELD_TYPES = (("VARCHAR", "string"), ("BIGINT", "integer"),
               ("INTEGER", "integer"), ("HUGEINT", "integer"), ("DOUBLE", "number"), ("FLOAT", "number"),
               ("DECIMAL", "number"), ("BOOLEAN", "boolean"), ("DATE", "date"),
               ("TIMESTAMP WITH TIME ZONE", "datetime"), ("TIMESTAMP", "datetime"), ("JSON", "object"),
               ("STRUCT", "object"), ("MAP", "object"))


def field_type(duckdb_type: str, holds_nulls: bool = False) -> str:
    """The Table Schema type of a column, or "any" where `frictionless validate` could not check
    it: it reads Parquet through pandas, which gives lists as numpy arrays and turns the nulls
    of an integer column into NaN. The DuckDB type is kept beside it (`duckdbType`)."""
    kind = next((kind for prefix, kind in FIELD_TYPES if duckdb_type.startswith(prefix)), "any")
    if duckdb_type.endswith("[]") or (kind == "integer" and holds_nulls):
        return "any"
    return kind


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


def describe(tables: dict[str, list[tuple[str, str, bool]]], files: dict[str, str], info: dict[str, str]) -> tuple[str, dict]:
    """README.md text and a datapackage.json-style dict for the snapshot's payload."""
    comments = column_comments()
    resources = []
    lines = ["# Clippings snapshot", "", *(f"- {k}: {v}" for k, v in info.items()), "",
             "## Files", "", *(f"- `{path}`: {what}" for path, what in files.items()), "", "## Tables", ""]
    for name, columns in tables.items():
        lines += [f"### `tables/{name}.parquet`", "", TABLE_DOCS[name], "", "| column | type | meaning |",
                  "| --- | --- | --- |"]
        fields = []
        for column, kind, holds_nulls in columns:
            meaning = next((comments.get(t, {})[column] for t in DESCRIBED_IN.get(name, (name,))
                            if column in comments.get(t, {})), "")
            lines.append(f"| `{column}` | {kind} | {meaning} |")
            fields.append({"name": column, "type": field_type(kind, holds_nulls), "duckdbType": kind,
                           "description": meaning})
        lines.append("")
        resources.append({"name": name, "type": "table", "path": f"tables/{name}.parquet",
                          "format": "parquet", "description": TABLE_DOCS[name], "schema": {"fields": fields}})
    summary = "; ".join(f"{k}: {v}" for k, v in info.items())
    package = {"name": "clippings-snapshot", "title": "Clippings archive snapshot",
               "description": f"Clippings archive snapshot ({summary})", "clippings": info,
               "resources": resources + [{"name": re.sub(r"[^a-z0-9_.-]", "-", Path(p).name.lower()),
                                          "type": "file", "path": p, "description": d}
                                         for p, d in files.items() if not p.startswith("tables/")]}
    return "\n".join(lines) + "\n", package


def write_description(folder: Path, tables: dict[str, list[tuple[str, str, bool]]], files: dict[str, str],
                      info: dict[str, str]) -> None:
    readme, package = describe(tables, files, info)
    (folder / "README.md").write_text(readme, "utf-8")
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, sort_keys=True) + "\n", "utf-8")
