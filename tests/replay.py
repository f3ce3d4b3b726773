"""The two web-archive players, serving a WACZ on 127.0.0.1 for tests.

Both come from the registries through the project's own files: `make players` builds
`.players/pywb/` (a venv of its own: pywb pins old redis and dateutil releases, see
tests/players/pywb-constraints.txt) and unpacks ReplayWeb.page's static files from npm into
`.players/replaywebpage/` (version in tests/players/replaywebpage-version.txt).
ReplayWeb.page runs in a service worker, so it is served from http://127.0.0.1 (a secure
context) by a small static server that answers Range requests, as the player reads a WACZ in parts.
"""
from __future__ import annotations

import html
import os
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.browser import missing
from tests.flows.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
PLAYERS = Path(os.environ.get("CLIPPINGS_PLAYERS", ROOT / ".players"))
PYWB_BIN = PLAYERS / "pywb" / "bin"
REPLAYWEBPAGE = PLAYERS / "replaywebpage" / "package"


def _wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{url}: the server exited with {process.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout:.0f} s") from None
            time.sleep(0.3)


@contextmanager
def pywb(wacz: Path, workdir: Path) -> Iterator[str]:
    """pywb's `wayback` over a collection made from the WACZ; yields the collection's URL."""
    if not (PYWB_BIN / "wayback").exists():
        missing(f"pywb is not installed in {PYWB_BIN.parent} (run `make players`)")
    workdir.mkdir(parents=True, exist_ok=True)
    manager = [str(PYWB_BIN / "wb-manager")]
    for args in (["init", "snapshot"], ["add", "snapshot", str(wacz), "--unpack-wacz"]):
        subprocess.run(manager + args, cwd=workdir, check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen([str(PYWB_BIN / "wayback"), "-p", str(port), "-b", "127.0.0.1"], cwd=workdir,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/", server)
        yield f"http://127.0.0.1:{port}/snapshot"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with single byte-range answers (206), which ReplayWeb.page asks for."""

    def log_message(self, *args) -> None:  # quiet
        pass

    def send_head(self):
        spec = self.headers.get("Range", "")
        path = Path(self.translate_path(self.path))
        if not spec.startswith("bytes=") or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first, _, last = spec[len("bytes="):].partition("-")
        start = int(first) if first else max(0, size - int(last))
        end = min(int(last), size - 1) if first and last else size - 1
        if start >= size:
            self.send_error(416)
            return None
        handle = open(path, "rb")
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Limited(handle, end - start + 1)

    def copyfile(self, source, outputfile) -> None:
        if isinstance(source, _Limited):
            while chunk := source.read(1 << 16):
                outputfile.write(chunk)
            source.close()
        else:
            super().copyfile(source, outputfile)


class _Limited:
    def __init__(self, handle, left: int) -> None:
        self.handle, self.left = handle, left

    def read(self, size: int) -> bytes:
        data = self.handle.read(min(size, self.left))
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


EMBED = """<!doctype html>
<html><head><meta charset="utf-8"><title>snapshot</title><script src="ui.js"></script></head>
<body style="margin:0"><replay-web-page style="height:100vh;display:block" source="{source}"
 url="{url}"{ts} embed="replayonly" replayBase="./replay/"></replay-web-page></body></html>
"""


@contextmanager
def replaywebpage(wacz: Path, workdir: Path) -> Iterator["ReplayWebPage"]:
    """ReplayWeb.page's static files and the WACZ, served from one 127.0.0.1 origin."""
    if not (REPLAYWEBPAGE / "sw.js").exists():
        missing(f"ReplayWeb.page is not unpacked in {REPLAYWEBPAGE} (run `make players`)")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "replay").mkdir(exist_ok=True)
    shutil.copyfile(REPLAYWEBPAGE / "ui.js", workdir / "ui.js")
    shutil.copyfile(REPLAYWEBPAGE / "sw.js", workdir / "replay" / "sw.js")
    shutil.copyfile(wacz, workdir / "snapshot.wacz")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(workdir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ReplayWebPage(workdir, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


class ReplayWebPage:
    def __init__(self, folder: Path, base_url: str) -> None:
        self.folder, self.base_url = folder, base_url

    def page_for(self, url: str, name: str, timestamp: str | None = None) -> str:
        """An embedding page replaying `url` (as of `timestamp`, default the latest); its address."""
        ts = f' ts="{timestamp}"' if timestamp else ""
        (self.folder / f"{name}.html").write_text(
            EMBED.format(source="snapshot.wacz", url=html.escape(url, quote=True), ts=ts), "utf-8")
        return f"{self.base_url}/{name}.html"
