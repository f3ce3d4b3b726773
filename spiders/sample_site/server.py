"""A small threaded HTTP server for the sample site (standard library only).

It binds to 127.0.0.1 by default and to a free port when asked for port 0, and it prints its
base URL on the first line so that a test or the demo can start it as a child process.

It counts the requests it is answering at once (the most ever is at CONCURRENCY_PATH, as JSON),
so tests can check a crawl's politeness from the publisher's side, and it can add a fixed
latency to every answer, as a distant publisher would.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from email.utils import parsedate_to_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from spiders.sample_site.routes import Response, respond
from spiders.sample_site.site import SampleSite

CONCURRENCY_PATH = "/__clippings/concurrency"  # linked from nowhere: only tests ask for it


class SampleSiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, site: SampleSite, host: str = "127.0.0.1", port: int = 0,
                 latency: float = 0.0) -> None:
        super().__init__((host, port), _Handler)
        self.site = site
        self.latency = latency
        self.in_flight = self.most_in_flight = self.answered = 0
        self._count_lock = threading.Lock()
        self.base_url = f"http://{host}:{self.server_address[1]}"
        self.respond = lru_cache(maxsize=1 << 16)(self._respond)

    def _respond(self, path: str) -> Response:
        return respond(self.site, path, self.base_url)

    def entered(self) -> None:
        with self._count_lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def left(self) -> None:
        with self._count_lock:
            self.in_flight -= 1
            self.answered += 1

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="sample-site", daemon=True)
        thread.start()
        return thread


def etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def not_modified(request_headers, response_headers: dict[str, str]) -> bool:
    """Conditional GET as RFC 9110 orders it: If-None-Match wins over If-Modified-Since."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match:
        return response_headers["ETag"] in [t.strip() for t in if_none_match.split(",")]
    since, modified = request_headers.get("If-Modified-Since"), response_headers.get("Last-Modified")
    if since and modified:
        try:
            return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


class _Handler(BaseHTTPRequestHandler):
    server: SampleSiteServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        if urlsplit(self.path).path == CONCURRENCY_PATH:
            return self._send_counts()
        self.server.entered()
        try:
            if self.server.latency:
                time.sleep(self.server.latency)
            self._answer_page(send_body)
        finally:
            self.server.left()

    def _send_counts(self) -> None:
        body = json.dumps({"most_in_flight": self.server.most_in_flight,
                           "answered": self.server.answered}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer_page(self, send_body: bool) -> None:
        response = self.server.respond(urlsplit(self.path).path)
        if response.delay:
            time.sleep(response.delay)
        headers = dict(response.headers)
        if response.status == 200:
            headers["ETag"] = etag(response.body)
            if not_modified(self.headers, headers):
                self.send_response(304)
                for name in ("ETag", "Last-Modified"):
                    if name in headers:
                        self.send_header(name, headers[name])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: crawls log their own view
        pass
