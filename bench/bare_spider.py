"""A bare Scrapy spider for comparison: same discovery (robots -> sitemaps -> pages -> links on
the same site, same depth), no archive, no parsing, no staging. Run by bench/crawl.py."""
from __future__ import annotations

from urllib.parse import urlsplit

import scrapy
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str = "", depth: str = "2", **kwargs) -> None:
        super().__init__(**kwargs)
        self.root = start_url.rstrip("/")
        self.netloc = urlsplit(start_url).netloc
        self.depth = int(depth)

    async def start(self):
        yield scrapy.Request(self.root + "/robots.txt", self.parse_robots)
        yield scrapy.Request(self.root + "/", self.parse_page, meta={"hops": 0})

    def parse_robots(self, response):
        for url in sitemap_urls_from_robots(response.body, response.url):
            yield scrapy.Request(url, self.parse_sitemap)

    def parse_sitemap(self, response):
        body = response.body
        if body[:2] == b"\x1f\x8b":
            import gzip
            body = gzip.decompress(body)
        sitemap = Sitemap(body)
        for entry in sitemap:
            callback = self.parse_sitemap if sitemap.type == "sitemapindex" else self.parse_page
            yield scrapy.Request(entry["loc"], callback, meta={"hops": 0})

    def parse_page(self, response):
        hops = response.meta.get("hops", 0)
        if hops >= self.depth or not hasattr(response, "xpath"):
            return
        for href in response.xpath("//a/@href").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc == self.netloc:
                yield scrapy.Request(url, self.parse_page, meta={"hops": hops + 1})
