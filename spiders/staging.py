"""The per-crawl staging folder the warehouse loads: JSON Lines while crawling, Parquet at the end.

JSON Lines is appended row by row during the crawl (a killed crawl loses at most a line); at
close DuckDB converts each table to Parquet, typed by `spiders.rows.staged_columns`, so the
loader reads it set-based. Rows are the dataclasses of `spiders.rows`, written from their fields.
Columns are documented in docs/staging.md.
"""
from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import IO, Any, TypeVar

from spiders.layout import SUMMARY_FILE
from spiders.rows import STAGED_TABLES, TABLE_OF, StagedArticle, article_rows, staged_columns
from spiders.summary import CrawlSummary

TABLES = tuple(STAGED_TABLES)
T = TypeVar("T")


class Staging:
    def __init__(self, folder: Path, crawl_id: str) -> None:
        self.folder = folder
        self.crawl_id = crawl_id
        folder.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self.counts = {table: count_lines(folder / f"{table}.jsonl") for table in TABLES}

    def write(self, row: Any) -> None:
        """Append one row (a dataclass of spiders.rows) to its table."""
        table = TABLE_OF[type(row)]
        if table not in self._files:
            # Line-buffered: a crawl killed with SIGKILL loses at most the line being written.
            self._files[table] = open(self.folder / f"{table}.jsonl", "a", encoding="utf-8", buffering=1)
        data = {**vars(row), "crawl_id": self.crawl_id}
        self._files[table].write(json.dumps(data, ensure_ascii=False) + "\n")
        self.counts[table] += 1

    def write_article(self, item: StagedArticle) -> None:
        """Stage one article; its own row comes last, because resume drops rows without it."""
        row, sections, links = article_rows(item)
        for section in sections:
            self.write(section)
        for link in links:
            self.write(link)
        self.write(row)

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()

    def convert(self) -> None:
        """Close the JSON Lines files and write Parquet beside them."""
        self.close()
        to_parquet(self.folder)

    def finish(self, summary: CrawlSummary, name: str = SUMMARY_FILE) -> None:
        """Convert, then write the summary last (crawl.json; part.json for one worker's part of
        a crawl): a folder with its summary is complete."""
        self.convert()
        summary.write(self.folder / name)


def count_lines(path: Path) -> int:
    """Rows staged so far in a JSON Lines file (0 when it does not exist yet)."""
    if not path.exists():
        return 0
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


# How DuckDB converts, measured on the staging of a 5,000-article crawl (crawl process peak):
# - through DuckDB's relational API, not a COPY statement with bound parameters: binding any
#   parameter makes DuckDB's Python client import numpy, pandas and pyarrow (500 modules,
#   +86 MB) to check the value's type, in a process that has no other use for them;
# - row groups of a few MB, not DuckDB's 122,880 rows, which held a whole crawl's articles and
#   links in memory before the first flush. ROW_GROUP_SIZE_BYTES needs insertion order off:
#   the loader reads the files set-based, and rows whose order matters carry their ordinal;
# - one thread: less buffered at once, on a machine whose cores the crawl has just used.
# A process holding what the crawl process imports (72 MB) peaked at 419 MB converting with
# bound parameters and DuckDB's defaults, and at 611 MB with four times the rows; with these
# choices at 148 MB and 168 MB.
CONVERSION_SETTINGS = ("SET threads = 1", "SET preserve_insertion_order = false")
ROW_GROUP_BYTES = "4MB"


def to_parquet(folder: Path) -> None:
    """Convert each staged table to Parquet with DuckDB, typed by its row definition (an empty
    table too: its file is created empty, and the Parquet file still has every column)."""
    import duckdb

    with duckdb.connect() as con:
        for setting in CONVERSION_SETTINGS:
            con.execute(setting)
        for table, row_type in STAGED_TABLES.items():
            source = folder / f"{table}.jsonl"
            source.touch()
            con.read_json(str(source), format="newline_delimited", columns=staged_columns(row_type)) \
                .write_parquet(str(folder / f"{table}.parquet"), row_group_size_bytes=ROW_GROUP_BYTES)


def read_rows(path: Path, row_type: type[T]) -> list[T]:
    """The rows of a staged JSON Lines file as their dataclass (`crawl_id` is the folder's)."""
    if not path.exists():
        return []
    names = {f.name for f in fields(row_type)}  # type: ignore[arg-type]
    with open(path, encoding="utf-8") as handle:
        return [row_type(**{k: v for k, v in json.loads(line).items() if k in names}) for line in handle]
