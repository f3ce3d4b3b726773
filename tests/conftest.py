"""Shared fixtures: the sample publisher site served over real HTTP on 127.0.0.1.

Like Scrapy's own mock server, it runs in a child process on a free port and prints its URL,
so crawls in tests go through real sockets.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from spiders.sample_site.process import serve_sample

# Prefect in the tests keeps to a home of its own and never reaches an operator's server: their
# ~/.prefect and UI show only their own runs.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="clippings-tests-prefect-")
os.environ.pop("PREFECT_API_URL", None)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], True)

__all__ = ["serve_sample"]


@pytest.fixture(scope="session")
def sample_site_url() -> Iterator[str]:
    with serve_sample() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server on 127.0.0.1 (a free port, data in a temp folder), stopped at the end.

    Without one on this machine the tests that need it skip saying why; under CI=true they fail,
    since .ci/run installs it.
    """
    import os

    from spiders.redis_server import RedisUnavailable, local_redis, redis_server_binary

    try:
        redis_server_binary()
    except RedisUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have a redis-server (.ci/run installs it): {error}")
        pytest.skip(str(error))
    with local_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (slow to start); tests open tabs in it."""
    from tests.browser import chromium

    with chromium() as running:
        yield running
