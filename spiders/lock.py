"""One crawl at a time per archive folder (per site of a sites file, when the crawl names one):
an advisory lock the kernel releases if we die."""
from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from spiders.layout import ArchiveLayout


class ArchiveBusy(RuntimeError):
    """Another crawl holds the archive; the message names it and says what to do."""


class ArchiveLock:
    def __init__(self, archive: Path, key: str | None = None) -> None:
        # one per archive, or per site of it; a worker of a shared crawl locks its own
        self.path = ArchiveLayout(archive).lock_path(key)
        self._handle: IO[str] | None = None

    def acquire(self, crawl_id: str) -> "ArchiveLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise ArchiveBusy(f"another crawl is running on {self.path.parent} ({holder}); wait for it "
                              "to finish, or stop that process, then run this crawl again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"crawl {crawl_id}, process {os.getpid()}")
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def check_free(archive: Path, crawl_id: str, key: str | None = None) -> None:
    """Raise ArchiveBusy now, in the caller's process, rather than from inside a child crawl."""
    ArchiveLock(archive, key).acquire(crawl_id).release()
