"""Which bytes the sample site answers for each path: pages, robots.txt, sitemaps and the feed.

Pure functions of (site, path, base URL), so tests can read any page without a server and the
server stays a thin shell.
"""
from __future__ import annotations

import datetime as dt
import gzip
import math
from dataclasses import dataclass, field
from email.utils import format_datetime
from html import escape

from spiders.sample_site import pages
from spiders.sample_site.site import (FEED_SIZE, LISTING_PAGE_SIZE, PAGES, QUIRKS, SITE_NAME,
                                      SITEMAP_CHUNK, SampleSite, slugify)

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds the server waits before answering


# Pages that misbehave on purpose, linked from nowhere: tests start crawls at them directly.
TROUBLE_UNTITLED = ('<html><head><meta property="og:type" content="article"></head><body>'
                    '<nav><a href="/">Home</a></nav></body></html>')
TROUBLE: dict[str, Response] = {
    "/trouble/slow/": Response(200, b"<html><body><p>late</p></body></html>", delay=5.0),
    "/trouble/loop/": Response(302, b"", HTML, {"Location": "/trouble/loop/"}),
    "/trouble/huge/": Response(200, b"<html><body>" + b"<p>filler text</p>" * 200_000 + b"</body></html>"),
    "/trouble/report.pdf": Response(200, b"%PDF-1.4\n%fake\n", "application/pdf"),
    "/trouble/broken-sitemap.xml": Response(200, b"<?xml version='1.0'?><urlset><url><loc>", "application/xml"),
    "/trouble/empty/": Response(200, b""),
    "/trouble/untitled/": Response(200, TROUBLE_UNTITLED.encode()),
    "/trouble/server-error/": Response(500, b"<html><body>Internal error</body></html>"),
}


def _html(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"))


def robots(base: str) -> Response:
    text = f"User-agent: *\nDisallow: /search/\n\nSitemap: {base}/sitemap_index.xml\n"
    return Response(200, text.encode(), "text/plain; charset=utf-8")


def sitemap_names(site: SampleSite) -> list[str]:
    """Article sitemaps, every second one gzipped, as large sites publish them."""
    count = math.ceil(len(site.live) / SITEMAP_CHUNK)
    return [f"articles-{n}.xml" + (".gz" if n % 2 == 0 else "") for n in range(1, count + 1)]


def sitemap_index(site: SampleSite, base: str) -> Response:
    names = sitemap_names(site) + ["pages.xml"]
    rows = "".join(f"<sitemap><loc>{base}/sitemaps/{name}</loc></sitemap>\n" for name in names)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</sitemapindex>\n')
    return Response(200, xml.encode(), "application/xml")


def _urlset(entries: list[tuple[str, str | None]]) -> bytes:
    rows = "".join(f"<url><loc>{escape(loc)}</loc>" + (f"<lastmod>{mod}</lastmod>" if mod else "")
                   + "</url>\n" for loc, mod in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>\n').encode()


def sitemap(site: SampleSite, base: str, name: str) -> Response | None:
    if name == "pages.xml":
        paths = ["/"] + [site.category_path(c) for c in site.by_category] + list(PAGES)
        return Response(200, _urlset([(base + p, None) for p in paths]), "application/xml")
    if name not in sitemap_names(site):
        return None
    n = int(name.split("-")[1].split(".")[0])
    chunk = site.live[(n - 1) * SITEMAP_CHUNK: n * SITEMAP_CHUNK]
    xml = _urlset([(base + s.path, s.lastmod.isoformat()) for s in chunk])
    if name.endswith(".gz"):
        return Response(200, gzip.compress(xml, mtime=0), "application/x-gzip")
    return Response(200, xml, "application/xml")


def feed(site: SampleSite, base: str) -> Response:
    def pubdate(day: dt.date) -> str:
        return format_datetime(dt.datetime(day.year, day.month, day.day, 8, tzinfo=dt.timezone.utc))
    items = "".join(f"<item><title>{escape(s.title)}</title><link>{base}{s.path}</link>"
                    f"<guid>{base}{s.path}</guid><pubDate>{pubdate(s.published)}</pubDate>"
                    f"<description>{escape(s.standfirst)}</description></item>\n"
                    for s in site.newest[:FEED_SIZE])
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           f"<title>{SITE_NAME}</title><link>{base}/</link>"
           f"<description>Newest articles</description>\n{items}</channel></rss>\n")
    return Response(200, xml.encode(), "application/rss+xml")


def _listing(site: SampleSite, base: str, path: str) -> Response | None:
    parts = path.strip("/").split("/")  # category/<slug>[/page/<n>]
    names = {slugify(c): c for c in site.by_category}
    if parts[1] not in names or len(parts) not in (2, 4) or (len(parts) == 4 and
                                                             (parts[2] != "page" or not parts[3].isdigit())):
        return None
    category, number = names[parts[1]], int(parts[3]) if len(parts) == 4 else 1
    specs = site.by_category[category]
    last = max(1, math.ceil(len(specs) / LISTING_PAGE_SIZE))
    if not 1 <= number <= last or (number == 1 and len(parts) == 4):
        return None
    chunk = specs[(number - 1) * LISTING_PAGE_SIZE: number * LISTING_PAGE_SIZE]
    next_path = site.category_path(category, number + 1) if number < last else None
    prev_path = site.category_path(category, number - 1) if number > 1 else None
    return _html(pages.listing_page(site, category, chunk, base, path, next_path, prev_path))


def _article(site: SampleSite, base: str, path: str) -> Response | None:
    canonical = None
    if path.startswith("/print/"):
        path, canonical = path[len("/print"):], path[len("/print"):]
        if site.by_path.get(path) is None or site.by_path[path].id != QUIRKS["duplicate"]:
            return None
    spec = site.by_path.get(path)
    if spec is None:
        return None
    modified = {"Last-Modified": http_date(spec.lastmod)}
    if spec.quirk == "windows-1252":
        text = pages.article_page(site, spec, base, charset="windows-1252")
        return Response(200, text.encode("cp1252"), "text/html; charset=windows-1252", modified)
    text = pages.article_page(site, spec, base, canonical_path=canonical)
    body = (pages.break_html(text) if spec.quirk == "broken-html" else text).encode("utf-8")
    return Response(200, body, HTML, modified)


def http_date(day: dt.date) -> str:
    return format_datetime(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc), usegmt=True)


def respond(site: SampleSite, path: str, base: str) -> Response:
    """The response for a request path (query string already removed)."""
    if path == "/robots.txt":
        return robots(base)
    if path == "/sitemap_index.xml":
        return sitemap_index(site, base)
    if path == "/feed.xml":
        return feed(site, base)
    if path == "/":
        return _html(pages.listing_page(site, "Latest", site.newest[:LISTING_PAGE_SIZE], base, "/",
                                        None, None))
    if path.startswith("/old/") and path == f"/old/{QUIRKS['redirect-target']}.html":
        return Response(301, b"", HTML, {"Location": base + site.articles[QUIRKS["redirect-target"]].path})
    if path in PAGES:
        return _html(pages.static_page(site, path, PAGES[path], base))
    if path in TROUBLE:
        return TROUBLE[path]
    found = None
    if path.startswith("/sitemaps/"):
        found = sitemap(site, base, path[len("/sitemaps/"):])
    elif path.startswith("/category/"):
        found = _listing(site, base, path)
    else:
        found = _article(site, base, path)
    return found or _html(pages.not_found_page(site, base, path), 404)


def all_paths(site: SampleSite) -> list[str]:
    """Every HTML page path the site serves with 200, for tests that parse the whole site."""
    paths = ["/", *PAGES, *(s.path for s in site.live),
             f"/print{site.articles[QUIRKS['duplicate']].path}"]
    for category, specs in site.by_category.items():
        for n in range(1, max(1, math.ceil(len(specs) / LISTING_PAGE_SIZE)) + 1):
            paths.append(site.category_path(category, n))
    return paths
