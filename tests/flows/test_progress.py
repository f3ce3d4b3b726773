"""Progress people can see: rich's live bar on a terminal (a real pseudo-terminal here), plain
lines in a pipe or a log."""
from __future__ import annotations

import fcntl
import io
import os
import pty
import struct
import termios
import subprocess
import sys
from pathlib import Path

from flows.progress import PlainProgress, progress
from warehouse.report import figure_queries

FIGURES = len(figure_queries()) - 1  # all but the span, read before the others


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_say_count_total_and_detail() -> None:
    lines: list[str] = []
    shown = PlainProgress("crawl x", 10, "pages", lines.append, every=0)
    shown.update(5, "2 articles staged")
    shown.update(7)
    shown.finish()
    assert lines == ["crawl x: 5/10 pages (50%), 2 articles staged", "crawl x: 7/10 pages (70%), 2 articles staged",
                     "crawl x: 7/10 pages (70%), 2 articles staged (done)"]


def test_a_terminal_gets_a_live_bar() -> None:
    screen = Terminal()
    with progress("export", unit="records", stream=screen) as shown:
        for done in range(0, 1001, 250):
            shown.update(done, total=1000)
    assert "━" in screen.getvalue() and "1,000/1,000 records" in screen.getvalue()


def test_report_command_on_a_terminal_and_in_a_pipe(recrawl: dict, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "flows.cli", "report", "--db", str(recrawl["db"])]
    piped = subprocess.run(command + ["--out", str(tmp_path / "piped.html")], capture_output=True, text=True,
                           timeout=300)
    assert piped.returncode == 0, piped.stderr
    assert f"report piped.html: {FIGURES}/{FIGURES} figures (100%) (done)" in piped.stderr
    assert "━" not in piped.stderr
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # 120 columns
    run = subprocess.Popen(command + ["--out", str(tmp_path / "tty.html")], stdout=subprocess.DEVNULL,
                           stderr=terminal, stdin=subprocess.DEVNULL)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        seen += chunk
    assert run.wait(timeout=300) == 0
    os.close(controller)
    assert "━".encode() in seen and f"{FIGURES}/{FIGURES} figures".encode() in seen
