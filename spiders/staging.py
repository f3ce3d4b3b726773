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

    def finish(self, summary: CrawlSummary, name: str = SUMMARY_FILE) -> None:
        """Close the JSON Lines files, write Parquet beside them, then the summary last
        (crawl.json; part.json for one worker's part of a crawl)."""
        self.close()
        to_parquet(self.folder)
        summary.write(self.folder / name)


def count_lines(path: Path) -> int:
    """Rows staged so far in a JSON Lines file (0 when it does not exist yet)."""
    if not path.exists():
        return 0
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


# Constant text, values bound: the staged types come in as a struct parameter.
TO_PARQUET = ("COPY (SELECT * FROM read_json($source, format='newline_delimited', columns=$columns)) "
              "TO $target (FORMAT parquet)")


def to_parquet(folder: Path) -> None:
    """Convert each staged table to Parquet with DuckDB, typed by its row definition (an empty
    table too: its file is created empty, and the Parquet file still has every column)."""
    import duckdb

    with duckdb.connect() as con:
        for table, row_type in STAGED_TABLES.items():
            source = folder / f"{table}.jsonl"
            source.touch()
            con.execute(TO_PARQUET, {"source": str(source), "columns": staged_columns(row_type),
                                     "target": str(folder / f"{table}.parquet")})


def read_rows(path: Path, row_type: type[T]) -> list[T]:
    """The rows of a staged JSON Lines file as their dataclass (`crawl_id` is the folder's)."""
    if not path.exists():
        return []
    names = {f.name for f in fields(row_type)}  # type: ignore[arg-type]
    with open(path, encoding="utf-8") as handle:
        return [row_type(**{k: v for k, v in json.loads(line).items() if k in names}) for line in handle]
