"""Shared fixtures: the sample publisher site served over real HTTP on 127.0.0.1.

Like Scrapy's own mock server, it runs in a child process on a free port and prints its URL,
so crawls in tests go through real sockets.
"""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def serve_sample(articles: int = 300, seed: int = 7, port: int = 0, *options: str) -> Iterator[str]:
    """Serve the sample site in a child process; `options` go to `clippings serve-sample`."""
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve-sample", "--port", str(port),
         "--articles", str(articles), "--seed", str(seed), *options],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        if not base_url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"sample site did not start: {base_url!r}")
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def sample_site_url() -> Iterator[str]:
    with serve_sample() as base_url:
        yield base_url
