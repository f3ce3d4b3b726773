"""The sample site in a child process, for tests, the demo's callers and the benchmarks.

Like Scrapy's own mock server, it binds a free port on 127.0.0.1 and prints its base URL on its
first line, which is read here.
"""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from spiders.lifeline import die_with_parent


@contextmanager
def serve_sample(articles: int = 300, seed: int = 7, port: int = 0, *options: str) -> Iterator[str]:
    """Serve the sample site in a child process; `options` go to `clippings serve-sample`."""
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve-sample", "--port", str(port),
         "--articles", str(articles), "--seed", str(seed), *options],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        preexec_fn=die_with_parent)  # a caller killed with SIGKILL leaves no server behind
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        if not base_url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"sample site did not start: {base_url!r}")
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
