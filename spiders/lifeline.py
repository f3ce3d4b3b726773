"""Children end with their parent: a crawl killed from outside (kill -9, the OOM killer) must not
leave its crawler holding the archive lock, or Prefect's temporary server running.

Two mechanisms, because the parent cannot clean up after SIGKILL:
- `die_with_parent()` asks Linux (prctl PR_SET_PDEATHSIG) to SIGKILL this process when its
  parent dies; the crawler child and its parse workers use it.
- `start_reaper()` starts a small watcher holding a pipe from this process. When this process
  dies, the pipe closes and the watcher SIGKILLs every process carrying this process's lifeline
  mark in its environment, which every descendant inherits, Prefect's server included.
SIGKILL rather than SIGTERM: a gracefully stopped crawl writes its summary and would look
finished, while a killed one stays resumable (`clippings crawl --resume`).
"""
from __future__ import annotations

import ctypes
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

MARK = "CLIPPINGS_LIFELINE"
PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_PRCTL = _LIBC.prctl if _LIBC is not None else None  # looked up before any fork
_reaper: subprocess.Popen[bytes] | None = None


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies (Linux; elsewhere nothing happens)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


def start_reaper() -> str:
    """Mark this process's future descendants and start their reaper; returns the mark."""
    global _reaper
    mark = os.environ.setdefault(MARK, secrets.token_hex(8))
    if _reaper is None and Path("/proc/self/environ").exists():
        _reaper = subprocess.Popen([sys.executable, "-m", "spiders.lifeline", mark],
                                   stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True)
    return mark


def marked_processes(mark: str) -> list[int]:
    """PIDs of the processes whose environment carries `mark` (readable ones: our own user's)."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _reap(mark: str) -> None:
    """Wait for the parent's end (our stdin closes), then kill what it leaves behind."""
    while sys.stdin.buffer.read(65536):
        pass
    for _ in range(3):  # a process may be forking as we look: look again
        pids = marked_processes(mark)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


if __name__ == "__main__":
    _reap(sys.argv[1])
