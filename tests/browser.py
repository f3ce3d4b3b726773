"""Headless Debian Chromium driven over the DevTools protocol, for tests that look at pages.

One browser per test session (it is slow to start); each test opens its own tab. The protocol
is spoken with the `websockets` package's synchronous client: commands are sent with an id and
their answers awaited, events (console errors, exceptions) are kept per tab. Where Chromium is
missing the tests skip saying so, except under CI=true, where they fail.
"""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--remote-debugging-port=0", "--window-size=1280,1600"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing(what: str) -> None:
    """Skip (fail under CI=true) because a component the test needs cannot be had."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI=true: .ci/run should have installed it)")
    pytest.skip(what)


class Tab:
    """One page target, attached in flattened mode to the browser's connection."""

    def __init__(self, browser: "Chromium", session_id: str, target_id: str) -> None:
        self.browser, self.session_id, self.target_id = browser, session_id, target_id
        self.errors: list[str] = []
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def send(self, method: str, **params: Any) -> dict:
        return self.browser.send(method, session_id=self.session_id, **params)

    def navigate(self, url: str) -> None:
        self.send("Page.navigate", url=url)

    def evaluate(self, expression: str, frame_id: str | None = None) -> Any:
        context = {}
        if frame_id:
            world = self.send("Page.createIsolatedWorld", frameId=frame_id, worldName="test")
            context = {"contextId": world["executionContextId"]}
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, **context)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} raised {result['exceptionDetails']}")
        return result["result"].get("value")

    def frames(self) -> list[dict]:
        """Every frame of the page, nested ones (iframes in shadow DOM too) included."""
        out, stack = [], [self.send("Page.getFrameTree")["frameTree"]]
        while stack:
            node = stack.pop()
            out.append(node["frame"])
            stack.extend(node.get("childFrames", []))
        return out

    def wait_for(self, probe, what: str, timeout: float = 60) -> Any:
        """Poll `probe()` until it returns something truthy; fail saying `what` did not happen."""
        deadline, last_error = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            try:
                if value := probe():
                    return value
            except RuntimeError as error:  # a frame navigating away while probed
                last_error = error
            self.browser.pump(0.25)
        frames = [f["url"][:150] for f in self.frames()]
        raise AssertionError(f"{what} did not happen within {timeout:.0f} s ({last_error or 'no error'}); "
                             f"frames: {frames}; console errors: {self.errors[:5]}")

    def screenshot(self, target: Path, full_page: bool = False) -> None:
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=full_page)["data"]
        target.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", targetId=self.target_id)


class Chromium:
    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="clippings-chromium-")
        self.process = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = self._devtools_url()
        from websockets.sync.client import connect

        self.socket = connect(url, max_size=64 * 1024 * 1024, open_timeout=30)
        self.next_id, self.tabs = 0, {}

    def _devtools_url(self) -> str:
        assert self.process.stderr is not None
        for line in self.process.stderr:  # Chromium prints the address once it listens
            if match := re.search(r"DevTools listening on (ws://\S+)", line):
                # keep draining its stderr, or a full pipe would stall the browser
                self._drain = threading.Thread(target=self.process.stderr.read, daemon=True)
                self._drain.start()
                return match.group(1)
        raise RuntimeError(f"chromium exited ({self.process.wait()}) before opening DevTools")

    def _dispatch(self, message: dict) -> None:
        tab = self.tabs.get(message.get("sessionId"))
        if tab is None:
            return
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            tab.errors.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            tab.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            tab.errors.append(params["entry"]["text"])

    def send(self, method: str, session_id: str | None = None, **params: Any) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session_id:
            message["sessionId"] = session_id
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=120))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self._dispatch(reply)

    def pump(self, seconds: float) -> None:
        """Handle events for a while (between polls)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self._dispatch(json.loads(self.socket.recv(timeout=left)))
            except TimeoutError:
                return

    @contextmanager
    def tab(self, url: str = "about:blank") -> Iterator[Tab]:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        tab = self.tabs[session] = Tab(self, session, target)
        try:
            if url != "about:blank":
                tab.navigate(url)
            yield tab
        finally:
            tab.close()
            del self.tabs[session]

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self._drain.join(timeout=10)
            if self.process.stderr:
                self.process.stderr.close()
            shutil.rmtree(self.profile, ignore_errors=True)


@contextmanager
def chromium() -> Iterator[Chromium]:
    executable = chromium_path()
    if executable is None:
        missing("Debian's chromium is not installed (apt-get install -y chromium)")
    browser = Chromium(executable)
    try:
        yield browser
    finally:
        browser.close()


if __name__ == "__main__":  # python -m tests.browser PAGE.html OUT.png: the docs' screenshots
    import sys

    page, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    with chromium() as running, running.tab(page.as_uri()) as shot:
        shot.wait_for(lambda: shot.evaluate("document.readyState") == "complete", "the page loading")
        shot.screenshot(out)
    print(f"{out}: {page} as Chromium shows it")
