"""Progress people can see: a live bar (rich) when the output is a terminal, plain lines when not.

One `progress(...)` per long task (crawl, reparse, export, report, graph export). On a terminal
rich draws a bar (or a spinner when the total is unknown) with the count, a detail and the time
spent; in a log, a pipe or a Prefect worker a plain line is written every few seconds and at
the end, through `emit` (a logger's info, or print to stderr).
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

PLAIN_EVERY = 2.0  # seconds between plain lines


class PlainProgress:
    """Lines like `export: 1,200/5,000 records (24%)`, at most one every `every` seconds."""

    def __init__(self, what: str, total: int | None, unit: str, emit: Callable[[str], None],
                 every: float = PLAIN_EVERY) -> None:
        self.what, self.total, self.unit, self.emit, self.every = what, total, unit, emit, every
        self.completed, self.detail, self._last = 0, "", 0.0

    def line(self) -> str:
        count = f"{self.completed:,}" + (f"/{self.total:,}" if self.total else "")
        share = f" ({100 * self.completed // self.total}%)" if self.total else ""
        return f"{self.what}: {count} {self.unit}{share}" + (f", {self.detail}" if self.detail else "")

    def update(self, completed: int, detail: str = "", total: int | None = None) -> None:
        self.completed, self.detail, self.total = completed, detail or self.detail, total or self.total
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self.emit(self.line())

    def finish(self) -> None:
        self.emit(self.line() + " (done)")

    def stop(self) -> None:
        pass


class LiveProgress:
    """rich's bar on the terminal; the same line as PlainProgress stays when it finishes."""

    def __init__(self, what: str, total: int | None, unit: str, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.unit, self.detail = unit, ""
        self.bar = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                            TextColumn("{task.fields[count]}"), TextColumn("{task.fields[detail]}"),
                            TimeElapsedColumn(), console=Console(file=stream, force_terminal=True))
        self.task = self.bar.add_task(what, total=total, count=self._count(0, total), detail="")
        self.bar.start()

    def _count(self, completed: int, total: int | None) -> str:
        return f"{completed:,}" + (f"/{total:,}" if total else "") + f" {self.unit}"

    def update(self, completed: int, detail: str = "", total: int | None = None) -> None:
        known = total or self.bar.tasks[0].total
        total = int(known) if known else None
        self.detail = detail or self.detail
        self.bar.update(self.task, completed=completed, total=total, count=self._count(completed, total),
                        detail=self.detail)

    def finish(self) -> None:
        task = self.bar.tasks[0]
        if task.total is None:
            self.bar.update(self.task, total=task.completed or 1, completed=task.completed or 1)
        self.bar.stop()

    def stop(self) -> None:
        self.bar.stop()


@contextmanager
def progress(what: str, total: int | None = None, unit: str = "", emit: Callable[[str], None] | None = None,
             stream: TextIO | None = None) -> Iterator[PlainProgress | LiveProgress]:
    stream = stream or sys.stderr
    shown: PlainProgress | LiveProgress
    if stream.isatty():
        shown = LiveProgress(what, total, unit, stream)
    else:
        shown = PlainProgress(what, total, unit, emit or (lambda line: print(line, file=stream, flush=True)))
    try:
        yield shown
    except BaseException:
        shown.stop()  # the error says what happened; no "done" line
        raise
    shown.finish()
