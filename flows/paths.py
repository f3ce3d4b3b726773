"""Where an archive lives: one folder beside the database file holds WARC files, staging and logs."""
from __future__ import annotations

from pathlib import Path

from spiders.layout import ArchiveLayout

DEFAULT_DB = Path("data/clippings.duckdb")
DEMO_DB = Path("data/demo.duckdb")


def archive_dir_for(db_path: Path | str, archive_dir: Path | str | None = None) -> Path:
    """`data/news.duckdb` -> `data/news-archive/`, unless an archive folder is given
    (`spiders.layout.ArchiveLayout` says what is inside)."""
    return ArchiveLayout.beside(db_path, archive_dir).root
