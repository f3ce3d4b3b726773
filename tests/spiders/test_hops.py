"""A page's hop count is its shortest distance from a start page, sitemap or feed entry, whatever
order the responses arrive in, so the pages within `depth` are the same in every crawl.

This was the resume tests' intermittent failure: the sample site's sitemap lists each category's
first page (0 hops) and the home page links it (1 hop). Whichever the crawl read first set the
page's hops, so when the home page won the race the third page of each category was 3 hops away
and never fetched. The site below forces the home page to win: its sitemap answers only once
the second list page has been requested (its links already followed from 1 hop away).
"""
from __future__ import annotations

import gzip
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from spiders.hops import Distances
from spiders.params import CrawlParams
from spiders.run import LOCAL_SITE_SETTINGS, run_crawl
from tests.spiders.conftest import read_jsonl

LISTS = 4  # /list/1/ .. /list/4/, each linking the next


def list_page(n: int) -> bytes:
    older = f'<nav class="pager"><a rel="next" href="/list/{n + 1}/">Older</a></nav>' if n < LISTS else ""
    teasers = "".join(f"<li><p>Teaser {n}.{i}: a short line about the week's reviews.</p></li>" for i in range(5))
    return (f"<html><head><title>Reviews, page {n}</title></head><body><main><h1>Reviews, page {n}</h1>"
            f"<ul>{teasers}</ul>{older}</main></body></html>").encode()


class RacingSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.second_list_requested = threading.Event()
        self.base = f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: RacingSite

    def do_GET(self) -> None:  # noqa: N802
        base, path = self.server.base, self.path
        if path == "/robots.txt":
            body, kind = f"User-agent: *\nSitemap: {base}/sitemap.xml\n".encode(), "text/plain"
        elif path == "/sitemap.xml":
            # A deadline for a broken crawl, not a measurement: the crawl requests /list/2/ first.
            self.server.second_list_requested.wait(60)
            body = (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9"><url><loc>{base}/list/1/</loc></url></urlset>').encode()
            kind = "application/xml"
        elif path == "/":
            body = (b'<html><head><title>Home</title></head><body><nav><a href="/list/1/">Reviews</a></nav>'
                    b"<main><h1>Home</h1><p>Welcome to the reviews.</p></main></body></html>")
            kind = "text/html; charset=utf-8"
        elif path.startswith("/list/") and path[6:-1].isdigit() and 1 <= int(path[6:-1]) <= LISTS:
            if path == "/list/2/":
                self.server.second_list_requested.set()
            # Gzipped on the wire: a replay from the WARC record must decode it as the fetch did.
            body, kind = gzip.compress(list_page(int(path[6:-1]))), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if path.startswith("/list/"):
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def racing_site() -> Iterator[RacingSite]:
    site = RacingSite()
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield site
    site.shutdown()
    site.server_close()


def test_a_page_found_nearer_later_is_followed_from_its_shortest_distance(racing_site: RacingSite,
                                                                         tmp_path: Path) -> None:
    base = racing_site.base
    result = run_crawl(CrawlParams((base + "/",), tmp_path, crawl_id="race", depth=2), LOCAL_SITE_SETTINGS)
    captures = read_jsonl(result.staging_path / "captures.jsonl")
    fetched = Counter(c["url"].removeprefix(base) for c in captures)
    # /list/1/ is 0 hops away (the sitemap), so /list/3/ is 2 and /list/4/ 3: out of reach.
    # Each page is fetched once: the pages found nearer again are re-read from their WARC record.
    assert fetched == {"/robots.txt": 2, "/sitemap.xml": 1, "/": 1, "/list/1/": 1, "/list/2/": 1, "/list/3/": 1}
    assert result.summary.pages_fetched == 7
    assert result.summary.decisions["pages/reexpanded"] >= 1


def test_distances_keep_the_shortest_and_name_pages_to_follow_again() -> None:
    distances = Distances(depth=2)
    distances.claimed("a", 1)
    assert distances.hops_for("a", 1) == 1
    assert distances.nearer("a", 2) is None and distances.hops_for("a", 2) == 1  # farther: ignored
    assert distances.nearer("a", 0) is None  # nearer, but its links were not followed yet
    assert distances.hops_for("a", 1) == 0  # so they will be, from 0 hops
    distances.claimed("b", 2)
    distances.expanded("b", "http://x/b", ("f.warc.gz", 10))
    assert distances.nearer("b", 1) == ("http://x/b", ("f.warc.gz", 10))  # followed from 2: again from 1
    assert distances.nearer("b", 1) is None  # not twice for the same distance
    distances.claimed("c", 3)
    distances.expanded("c", "http://x/c", ("f.warc.gz", 20))
    assert distances.nearer("c", 2) is None  # at the depth limit its links are not followed anyway
    assert distances.nearer("unknown", 0) is None  # not requested by this crawl (e.g. done before a resume)
    distances.claimed("d", 0)
    distances.expanded("d", "http://x/d", ("f.warc.gz", 30))
    assert "d" not in distances.locations  # nothing is nearer than 0 hops: nothing to remember
    resumed = Distances(depth=2)  # a resumed crawl knows where the killed one staged its articles
    resumed.resumed([("e", 1, "http://x/e", ("f.warc.gz", 40))])
    assert resumed.nearer("e", 0) == ("http://x/e", ("f.warc.gz", 40))
