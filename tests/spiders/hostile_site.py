"""A hostile publisher on 127.0.0.2, and an "off-scope" server that counts what reaches it.

Run as `python -m tests.spiders.hostile_site LOG_FILE`: it prints the site's base URL, the
off-scope server's URL on 127.0.0.1 and its URL on another port of 127.0.0.2, one a line.
Every request the off-scope server receives is appended to LOG_FILE, so a test can prove that
none did. The site links, redirects and lists in its robots.txt, sitemaps and feed to the
off-scope server under several spellings, to private addresses, and serves every trap the
crawler must survive (see PAGES and `_dynamic`).
"""
from __future__ import annotations

import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLES = {f"/articles/{n}.html": f"Hostile Times story {n}: the council meets again" for n in range(1, 5)}
CHARSET_TITLE = "Café society: déjà vu at the crème brûlée stand"
BOMB_BYTES = 300 * 1024 * 1024  # inflated size of both gzip bombs
# An entity-expansion ("billion laughs") sitemap: 10**9 lols if a parser expanded it.
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
                     for i in range(1, 10))
          + b']><urlset><url><loc>http://h/&lol9;</loc></url></urlset>')


def article(title: str) -> str:
    body = " ".join(f"Paragraph word{i} about the town hall and its budget." for i in range(12))
    return (f"<html><head><title>{title}</title><meta property='og:type' content='article'>"
            f"<meta property='article:published_time' content='2025-06-01T10:00:00Z'></head>"
            f"<body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>")


def gzip_bomb(prefix: bytes = b"", filler: bytes = b"\0", suffix: bytes = b"") -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = filler * (1 << 20)
    parts = [packer.compress(prefix)] + [packer.compress(chunk) for _ in range(BOMB_BYTES >> 20)]
    return b"".join(parts + [packer.compress(suffix), packer.flush()])


class Site:
    def __init__(self, base: str, off: str, other_port: str) -> None:
        self.base, self.off, self.other_port = base, off, other_port
        off_port = off.rsplit(":", 1)[1]
        offsite_links = [f"{off}/direct.html", f"http://2130706433:{off_port}/decimal.html",
                         f"http://0x7f.1:{off_port}/hex.html", f"http://0177.0.0.1:{off_port}/octal.html",
                         f"{other_port}/other-port.html", "http://169.254.169.254/latest/meta-data/",
                         "http://10.0.0.1/admin", f"http://localhost:{off_port}/by-name.html",
                         f"http://LOCALHOST.:{off_port}/by-name-2.html"]
        traps = ["/calendar/2025/07/", "/loop/", "/filters?color=1&size=1", "/" + "x" * 2100,
                 "/" + "/".join(f"d{i}" for i in range(20)) + "/"]
        real = list(ARTICLES) + ["/charset.html"]
        hostile = ["/go-away.html", "/metadata.html", "/private.html", "/guarded.html", "/bomb.html",
                   "/drip.html", "/report.html", "/empty.html", "/always-500.html"]
        links = "".join(f"<li><a href='{href}'>{href[:40]}</a></li>" for href in real + hostile + traps + offsite_links)
        self.home = (f"<html><head><title>Hostile Times</title><meta property='og:type' content='website'>"
                     f"<link rel='alternate' type='application/rss+xml' href='/feed.xml'></head>"
                     f"<body><nav><ul>{links}</ul></nav></body></html>").encode()
        self.redirects = {"/go-away.html": f"{off}/landing.html", "/metadata.html": "http://169.254.169.254/latest/",
                          "/private.html": "http://10.0.0.1/", "/guarded.html": f"http://localhost:{off_port}/guarded.html"}
        entries = "".join(f"<url><loc>{base}{path}</loc></url>" for path in real)
        self.pages = {
            "/": ("text/html", self.home),
            "/robots.txt": ("text/plain", f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap-index.xml\n"
                                          f"Sitemap: {off}/robots-sitemap.xml\n".encode()),
            "/sitemap-index.xml": ("application/xml", (
                "<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                + "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in (
                    f"{base}/sitemap-articles.xml", f"{off}/index-sitemap.xml", f"{base}/sitemap-bomb.xml.gz",
                    f"{base}/sitemap-lol.xml", f"http://2130706433:{off_port}/numeric-sitemap.xml"))
                + "</sitemapindex>").encode()),
            "/sitemap-articles.xml": ("application/xml", (
                "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                f"{entries}<url><loc>{off}/from-sitemap.html</loc></url></urlset>").encode()),
            "/sitemap-bomb.xml.gz": ("application/x-gzip", gzip_bomb(b"<urlset>", b" ", b"</urlset>")),
            "/sitemap-lol.xml": ("application/xml", LAUGHS),
            "/feed.xml": ("application/rss+xml", (
                "<?xml version='1.0'?><rss version='2.0'><channel><title>Hostile</title>"
                f"<item><link>{base}/articles/3.html</link></item>"
                f"<item><link>{other_port}/feed-item.html</link></item></channel></rss>").encode()),
            "/charset.html": ("text/html; charset=utf-8", article(CHARSET_TITLE).encode("windows-1252")),
            "/report.html": ("text/html", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"),
            "/empty.html": ("text/html", b""),
            **{path: ("text/html", article(title).encode()) for path, title in ARTICLES.items()},
        }
        self.bomb = gzip_bomb()

    def dynamic(self, path: str, query: str) -> bytes | None:
        """The endless parts: a calendar, a relative-link loop, faceted filters."""
        if path.startswith("/calendar/"):
            year, month = (int(p) for p in path.strip("/").split("/")[1:3])
            before = f"/calendar/{year - (month == 1)}/{12 if month == 1 else month - 1:02d}/"
            after = f"/calendar/{year + (month == 12)}/{1 if month == 12 else month + 1:02d}/"
            links = f"<a href='{before}'>earlier</a> <a href='{after}'>later</a>"
        elif path.startswith("/loop/"):
            links = "<a href='more/'>more</a> <a href='loop/'>again</a>"
        elif path == "/filters":
            values = dict(p.split("=") for p in query.split("&") if "=" in p)
            color, size = int(values.get("color", 1)), int(values.get("size", 1))
            links = " ".join(f"<a href='/filters?color={color + dc}&size={size + ds}'>f</a>"
                             for dc in (0, 1) for ds in (0, 1))
        else:
            return None
        return f"<html><head><title>Listing</title></head><body><nav>{links}</nav></body></html>".encode()


def site_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def send(self, status: int, body: bytes, content_type: str = "text/html",
                 headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            path, _, query = self.path.partition("?")
            if path in site.redirects:
                return self.send(302, b"", headers={"Location": site.redirects[path]})
            if path == "/bomb.html":
                return self.send(200, site.bomb, headers={"Content-Encoding": "gzip"})
            if path == "/always-500.html":
                return self.send(500, b"<html><body>always broken</body></html>")
            if path == "/drip.html":
                return self.drip()
            if path in site.pages:
                content_type, body = site.pages[path]
                return self.send(200, body, content_type)
            body = site.dynamic(path, query)
            self.send(200 if body else 404, body or b"<html><body>not here</body></html>")

        def drip(self) -> None:
            """A slow drip: a byte every 0.2 s of a body that would take hours."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(600):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass  # the crawler gave up, as it should

    return Handler


def counting_handler(log_path: str) -> type[BaseHTTPRequestHandler]:
    lock = threading.Lock()

    class Counter(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            with lock, open(log_path, "a", encoding="utf-8") as log:
                log.write(f"{self.headers.get('Host')} {self.path}\n")
            body = article("Off-scope page that must never be archived").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Counter


def main(log_path: str) -> None:
    open(log_path, "w").close()
    servers = [ThreadingHTTPServer((host, 0), counting_handler(log_path)) for host in ("127.0.0.1", "127.0.0.2")]
    site_server = ThreadingHTTPServer(("127.0.0.2", 0), BaseHTTPRequestHandler)
    urls = [f"http://{s.server_address[0]}:{s.server_address[1]}" for s in (site_server, *servers)]
    site_server.RequestHandlerClass = site_handler(Site(*urls))
    for server in (site_server, *servers):
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("\n".join(urls), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1])
