"""Snapshots replay for real: the WACZ of the sample-site archive, served by pywb and by
ReplayWeb.page on 127.0.0.1 with the site itself stopped, looked at in headless Chromium."""
from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from spiders.sample_site import build_site
from spiders.sample_site.site import QUIRKS
from tests.replay import pywb, replaywebpage
from warehouse.snapshot import export_snapshot

PAGE = """JSON.stringify({ready: document.readyState, title: document.title, url: location.href,
  h1: (document.querySelector('h1') || {}).innerText || '', text: document.body ? document.body.innerText : ''})"""
SITE = build_site(300, 7)


@pytest.fixture(scope="module")
def wacz(recrawl: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("replay") / "snapshot"
    export_snapshot(recrawl["db"], out, fmt="wacz")
    with pytest.raises(OSError):  # the site is down: whatever renders comes from the archive
        urllib.request.urlopen(recrawl["url"] + "/", timeout=5)
    return out / "snapshot.wacz"


def article(db: Path, url: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        title, body = con.execute("SELECT title, body FROM articles WHERE canonical_url = ?", [url]).fetchone()
    return {"title": title, "first_paragraph": body.split("\n\n")[0]}


@pytest.fixture(scope="module")
def cases(recrawl: dict) -> dict:
    """The seed article, the old URL that 301-redirects, and an article the recrawl found unchanged."""
    base, db = recrawl["url"], recrawl["db"]
    target = SITE.articles[QUIRKS["redirect-target"]].path
    with duckdb.connect(str(db), read_only=True) as con:
        unchanged, stamp = con.execute(
            "SELECT c.url, strftime(c.fetched_at AT TIME ZONE 'UTC', '%Y%m%d%H%M%S') FROM captures c "
            "JOIN articles a ON a.canonical_url = c.url WHERE c.status = 304 AND c.crawl_id = ? "
            "ORDER BY c.url LIMIT 1", [recrawl["second"]["crawl_id"]]).fetchone()
    return {"seed": (base + SITE.articles[0].path, None, base + SITE.articles[0].path),
            "redirect": (f"{base}/old/{QUIRKS['redirect-target']}.html", None, base + target),
            "unchanged": (unchanged, stamp, unchanged)}


def rendered(tab, frame_filter) -> dict:
    def probe():
        for frame in tab.frames():
            if frame_filter(frame["url"]):
                page = json.loads(tab.evaluate(PAGE, frame["id"]))
                if page["ready"] == "complete" and page["h1"]:
                    return page
        return None
    try:
        return tab.wait_for(probe, "the archived page rendering", timeout=150)  # the machine may be busy
    except AssertionError:  # a first visit can stall while the player's service worker installs:
        tab.send("Page.reload", ignoreCache=True)  # reload once, as a person would
        return tab.wait_for(probe, "the archived page rendering after a reload", timeout=150)


def check(page: dict, recrawl: dict, url: str, lands_on: str, stamp: str | None) -> None:
    expected = article(recrawl["db"], lands_on)
    assert page["h1"] == expected["title"]
    assert expected["first_paragraph"] in page["text"]
    assert page["url"].endswith(lands_on) or page["url"].endswith(lands_on.split("://", 1)[1])
    if stamp:  # the later, 304, capture is the one replayed
        assert f"/{stamp}mp_/" in page["url"]


@pytest.fixture(scope="module")
def pywb_collection(wacz: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pywb(wacz, tmp_path_factory.mktemp("pywb")) as url:
        yield url


@pytest.fixture(scope="module")
def replay_web_page(wacz: Path, tmp_path_factory: pytest.TempPathFactory):
    with replaywebpage(wacz, tmp_path_factory.mktemp("replaywebpage")) as player:
        yield player


@pytest.mark.parametrize("case", ["seed", "redirect", "unchanged"])
def test_pywb_replays(case: str, cases: dict, pywb_collection: str, browser, recrawl: dict) -> None:
    url, stamp, lands_on = cases[case]
    with browser.tab(f"{pywb_collection}/{stamp or '2999'}mp_/{url}") as tab:
        check(rendered(tab, lambda u: "mp_/" in u), recrawl, url, lands_on, stamp)


@pytest.mark.parametrize("case", ["seed", "redirect", "unchanged"])
def test_replaywebpage_replays(case: str, cases: dict, replay_web_page, browser, recrawl: dict) -> None:
    url, stamp, lands_on = cases[case]
    with browser.tab(replay_web_page.page_for(url, case, stamp)) as tab:
        check(rendered(tab, lambda u: "/replay/w/" in u and "mp_/" in u), recrawl, url, lands_on, stamp)
