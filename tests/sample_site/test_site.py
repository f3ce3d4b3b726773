"""The sample site's structure: robots, sitemaps, feed, listings and its deliberate imperfections."""
from __future__ import annotations

import gzip
import re

import pytest

from spiders.sample_site import QUIRKS, build_site
from spiders.sample_site.routes import respond
from spiders.sample_site.site import DEAD_PATH

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def site():
    return build_site()


def test_generation_is_deterministic_and_sized() -> None:
    a, b = build_site(120, seed=3), build_site(120, seed=3)
    assert [s.title for s in a.articles] == [s.title for s in b.articles]
    assert len(a.articles) == 120
    assert [s.title for s in build_site(120, seed=4).articles][30:] != [s.title for s in a.articles][30:]
    assert len({s.category for s in a.articles}) == 6
    with pytest.raises(ValueError, match="between 30 and 100000"):
        build_site(10)


def test_robots_names_the_sitemap_index(site) -> None:
    text = respond(site, "/robots.txt", BASE).body.decode()
    assert f"Sitemap: {BASE}/sitemap_index.xml" in text
    assert "Disallow: /search/" in text


def test_sitemaps_cover_every_article_once(site) -> None:
    index = respond(site, "/sitemap_index.xml", BASE).body.decode()
    names = re.findall(r"<loc>[^<]*/sitemaps/([^<]+)</loc>", index)
    assert names == ["articles-1.xml", "articles-2.xml.gz", "articles-3.xml", "pages.xml"]
    locs: list[str] = []
    for name in names[:-1]:
        body = respond(site, f"/sitemaps/{name}", BASE).body
        xml = gzip.decompress(body).decode() if name.endswith(".gz") else body.decode()
        locs += re.findall(r"<loc>([^<]+)</loc>", xml)
        assert xml.count("<lastmod>") == xml.count("<loc>")
    assert sorted(locs) == sorted(BASE + s.path for s in site.articles)


def test_feed_lists_the_twenty_newest(site) -> None:
    xml = respond(site, "/feed.xml", BASE).body.decode()
    links = re.findall(r"<link>([^<]+)</link>", xml)[1:]
    assert links == [BASE + s.path for s in site.newest[:20]]


def test_category_pagination(site) -> None:
    page = respond(site, "/category/music/", BASE).body.decode()
    assert 'rel="next" href="/category/music/page/2/"' in page
    assert respond(site, "/category/music/page/3/", BASE).status == 200
    assert respond(site, "/category/music/page/4/", BASE).status == 404
    assert respond(site, "/category/music/page/1/", BASE).status == 404


def test_quirks(site) -> None:
    assert respond(site, DEAD_PATH, BASE).status == 404
    moved = respond(site, f"/old/{QUIRKS['redirect-target']}.html", BASE)
    assert moved.status == 301
    assert moved.headers["Location"] == BASE + site.articles[QUIRKS["redirect-target"]].path
    cp1252 = respond(site, site.articles[QUIRKS["windows-1252"]].path, BASE)
    assert cp1252.content_type == "text/html; charset=windows-1252"
    assert "Café society’s “second act”".encode("cp1252") in cp1252.body
    copy = respond(site, "/print" + site.articles[QUIRKS["duplicate"]].path, BASE).body.decode()
    assert f'<link rel="canonical" href="{BASE}{site.articles[QUIRKS["duplicate"]].path}">' in copy
    assert respond(site, "/print" + site.articles[40].path, BASE).status == 404
    jsonld = sum(s.has_jsonld for s in site.articles)
    assert 240 < jsonld < 300
