"""Shared fixtures: the sample publisher site served over real HTTP on 127.0.0.1.

Like Scrapy's own mock server, it runs in a child process on a free port and prints its URL,
so crawls in tests go through real sockets.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from spiders.sample_site.process import serve_sample

__all__ = ["serve_sample"]


@pytest.fixture(scope="session")
def sample_site_url() -> Iterator[str]:
    with serve_sample() as base_url:
        yield base_url
