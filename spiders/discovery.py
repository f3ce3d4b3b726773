"""Reading discovery documents: robots.txt sitemap lines, sitemaps (plain or gzipped), feeds.

Pure functions from bytes to URLs; a malformed document raises DiscoveryError with the reason,
which the spider records as a reject.
"""
from __future__ import annotations

import re

from lxml import etree
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from spiders.inflate import GZIP_MAGIC, MAX_SITEMAP_BYTES, BadCompression, TooLarge, gunzip_bounded

# Sitemaps and feeds never need entity declarations; refusing them stops entity-expansion
# ("billion laughs") documents before any parser sees them.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


class DiscoveryError(ValueError):
    pass


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    return list(sitemap_urls_from_robots(body, base_url=base_url))


def _strict_xml_problem(body: bytes) -> str | None:
    try:
        etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return str(error)
    return None


def _refuse_entities(body: bytes, what: str) -> None:
    if _ENTITY_DECLARATION.search(body[:65536]):
        raise DiscoveryError(f"{what} refused: it declares XML entities (entity expansion)")


def read_sitemap(body: bytes, max_bytes: int = MAX_SITEMAP_BYTES) -> tuple[str, list[tuple[str, str | None]], str | None]:
    """(kind, [(loc, lastmod)], problem) from a sitemap, gunzipping when needed.

    kind is 'sitemapindex' or 'urlset'. A sitemap that is not well-formed XML still yields what
    a forgiving parser recovers, and `problem` says what was wrong so it can be recorded. A
    gzipped sitemap inflating past `max_bytes`, or one declaring entities, is refused.
    """
    if body[:2] == GZIP_MAGIC:
        try:
            body = gunzip_bounded(body, max_bytes, "sitemap")
        except BadCompression as error:
            raise DiscoveryError(f"malformed sitemap: {error}") from error
        except TooLarge as error:
            raise DiscoveryError(f"sitemap refused: {error}") from error
    if len(body) > max_bytes:
        raise DiscoveryError(f"sitemap refused: larger than {max_bytes} bytes")
    _refuse_entities(body, "sitemap")
    try:
        sitemap = Sitemap(body)
    except Exception as error:  # lxml raises several types on garbage; all mean "not a sitemap"
        raise DiscoveryError(f"malformed sitemap: {str(error) or 'not XML'}") from error
    if sitemap.type not in ("sitemapindex", "urlset"):
        raise DiscoveryError(f"malformed sitemap: root element is <{sitemap.type}>")
    entries = [(e["loc"].strip(), e.get("lastmod")) for e in sitemap if e.get("loc")]
    problem = _strict_xml_problem(body)
    return sitemap.type, entries, f"malformed sitemap: {problem}" if problem else None


def read_feed(body: bytes) -> list[str]:
    """Item links of an RSS 2.0 or Atom feed."""
    _refuse_entities(body, "feed")
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=False, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise DiscoveryError(f"malformed feed: {error}") from error
    links = [l.strip() for l in root.xpath("//item/link/text()") if l.strip()]
    links += root.xpath("//*[local-name()='entry']/*[local-name()='link'][not(@rel) or @rel='alternate']/@href")
    return links
