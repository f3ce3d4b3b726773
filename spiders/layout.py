"""The archive folder layout, defined once: spiders, warehouse and flows all ask it for paths.

An archive is one folder, by default beside its database (`data/news.duckdb` ->
`data/news-archive/`), so moving or backing up an archive is copying one folder:

    warc/clippings-<crawl id>-NNNNN.warc.gz   every response, as WARC
    staging/<crawl id>/<table>.jsonl|.parquet  what the crawl hands the warehouse, crawl.json last
    staging/<crawl id>/parts/<worker id>/      the same, per worker of a multi-worker crawl (part.json)
    logs/<crawl id>[-<worker id>].log          Scrapy's log of the crawl (and .stderr beside it)
    state/known-<crawl id>.jsonl               what the warehouse held before an incremental crawl
    state/redis-<crawl id>/                    a multi-worker crawl's local Redis data, while it runs
    crawl.lock, crawl-<site>.lock              one crawl at a time per archive, or per site of it
    crawl-<crawl id>-<worker id>.lock          one process per worker of a multi-worker crawl

It imports nothing of the project, so any module may import it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

WARC_SUFFIX = ".warc.gz"
SUMMARY_FILE = "crawl.json"
PART_SUMMARY = "part.json"  # one worker's part of a multi-worker crawl


def warc_name(prefix: str, sequence: int) -> str:
    """`<prefix>-00001.warc.gz`: the name of each rotated WARC file, crawl or snapshot."""
    return f"{prefix}-{sequence:05d}{WARC_SUFFIX}"


def warc_glob(prefix: str) -> str:
    return f"{prefix}-*{WARC_SUFFIX}"


@dataclass(frozen=True)
class ArchiveLayout:
    root: Path

    @classmethod
    def beside(cls, db_path: Path | str, archive_dir: Path | str | None = None) -> ArchiveLayout:
        """`data/news.duckdb` -> `data/news-archive/`, unless an archive folder is given."""
        if archive_dir is not None:
            return cls(Path(archive_dir))
        db_path = Path(db_path)
        return cls(db_path.parent / f"{db_path.stem}-archive")

    @property
    def warc_dir(self) -> Path:
        return self.root / "warc"

    @property
    def staging_root(self) -> Path:
        return self.root / "staging"

    def staging_dir(self, crawl_id: str) -> Path:
        return self.staging_root / crawl_id

    def part_dir(self, crawl_id: str, worker_id: str) -> Path:
        return self.staging_dir(crawl_id) / "parts" / worker_id

    def log_path(self, crawl_id: str, worker_id: str | None = None) -> Path:
        return self.root / "logs" / f"{crawl_id}{_worker(worker_id)}.log"

    def report_path(self, crawl_id: str) -> Path:
        """The crawl's HTML report (`clippings report`), written by the crawl-site flow."""
        return self.root / "reports" / f"{crawl_id}.html"

    def prefect_home(self) -> Path:
        """PREFECT_HOME for runs with no Prefect server configured (the demo's, the CLI's)."""
        return self.root / "prefect"

    def known_state_path(self, crawl_id: str) -> Path:
        return self.root / "state" / f"known-{crawl_id}.jsonl"

    def redis_state_dir(self, crawl_id: str) -> Path:
        return self.root / "state" / f"redis-{crawl_id}"

    def lock_path(self, key: str | None = None) -> Path:
        """crawl.lock for the archive; crawl-<site>.lock, crawl-<crawl id>-<worker id>.lock."""
        return self.root / f"crawl{_worker(key)}.lock"

    @staticmethod
    def warc_prefix(crawl_id: str, worker_id: str | None = None) -> str:
        """A crawl's WARC files are `clippings-<crawl id>[-<worker id>]-NNNNN.warc.gz`."""
        return f"clippings-{crawl_id}{_worker(worker_id)}"


def _worker(worker_id: str | None) -> str:
    return f"-{worker_id}" if worker_id else ""
