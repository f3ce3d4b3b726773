"""One Prefect test harness (a temporary local API) for the whole session."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from spiders.sample_site import build_site
from spiders.sample_site.revisions import revise
from tests.conftest import serve_sample

REVISED, (REPORT,) = revise(build_site(), 1)

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def recrawl(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> dict:
    from flows.crawl_flow import crawl_site

    db, port = tmp_path_factory.mktemp("incremental") / "news.duckdb", free_port()
    with serve_sample(300, 7, port) as url:
        first = crawl_site([url + "/"], str(db), local_site=True, revisit_days=0)
    with serve_sample(300, 7, port, "--revision", "1") as url:
        state = crawl_site([url + "/"], str(db), local_site=True, revisit_days=0, return_state=True)
    second = state.result()
    return {"db": db, "url": url, "first": first, "second": second, "second_run": state.state_details.flow_run_id}


def clippings(*args: str, timeout: float = 300, own_prefect: bool = False) -> subprocess.CompletedProcess[str]:
    """The `clippings` command line, run as an analyst would, in a child process. A loaded machine
    can take longer than Prefect's default 20 s to start the temporary API a flow run needs.
    With `own_prefect`, as a user who set no PREFECT_HOME (Prefect would use ~/.prefect)."""
    env = {**os.environ, "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
    if own_prefect:
        env.pop("PREFECT_HOME", None)
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, subprocess.CompletedProcess[str]]:
    """One `clippings demo` for the session (as a user who set no PREFECT_HOME): its database,
    the site's port, and what it printed."""
    db, port = tmp_path_factory.mktemp("demo") / "demo.duckdb", str(free_port())
    return db, port, clippings("demo", "--db", str(db), "--port", port, own_prefect=True)
