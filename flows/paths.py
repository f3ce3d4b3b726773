"""Where an archive lives: one folder beside the database file holds WARC files, staging and logs."""
from __future__ import annotations

from pathlib import Path

DEFAULT_DB = Path("data/clippings.duckdb")
DEMO_DB = Path("data/demo.duckdb")


def archive_dir_for(db_path: Path | str, archive_dir: Path | str | None = None) -> Path:
    """`data/news.duckdb` -> `data/news-archive/`, unless an archive folder is given."""
    if archive_dir is not None:
        return Path(archive_dir)
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}-archive"
