"""What `clippings crawl --resume` needs: each crawl's own arguments, and which crawls are unfinished.

A crawl's staging folder without crawl.json is unfinished (killed, or still running). The CLI
writes the arguments of every crawl it starts to `<archive>/state/crawl-<id>.json`, so a resume
needs no URL again and crawls exactly what the killed crawl was crawling.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spiders.layout import SUMMARY_FILE


class NothingToResume(RuntimeError):
    pass


def _arguments_file(archive: Path, crawl_id: str) -> Path:
    return archive / "state" / f"crawl-{crawl_id}.json"


def save_arguments(archive: Path, crawl_id: str, arguments: dict[str, Any]) -> None:
    path = _arguments_file(archive, crawl_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(arguments, indent=2), "utf-8")


def unfinished_crawl(archive: Path, crawl_id: str | None) -> tuple[str, dict[str, Any] | None]:
    """(crawl id, its saved arguments or None): the given crawl, or the newest unfinished one."""
    staging = archive / "staging"
    if crawl_id is None:
        folders = sorted(f.name for f in staging.iterdir() if f.is_dir() and not (f / SUMMARY_FILE).exists()) \
            if staging.is_dir() else []
        if not folders:
            raise NothingToResume(f"no unfinished crawl in {archive}; start one with clippings crawl URL")
        crawl_id = folders[-1]  # crawl ids start with their UTC start time
    folder = staging / crawl_id
    if (folder / SUMMARY_FILE).exists():
        raise NothingToResume(f"crawl {crawl_id} already finished; load it with clippings load {crawl_id}")
    if not folder.is_dir():
        raise NothingToResume(f"no crawl {crawl_id} in {staging}; see the folders there")
    path = _arguments_file(archive, crawl_id)
    return crawl_id, json.loads(path.read_text("utf-8")) if path.exists() else None
