"""Polls ask only for what changed: a poll right after a full crawl of an unchanged site sends no
article request, because the full crawl recorded the sitemap lastmod of every page, including
pages it first reached through links; and the poll's summary counts add up."""
from __future__ import annotations

from pathlib import Path

import duckdb

from tests.conftest import serve_sample
from tests.flows.conftest import free_port


def test_a_poll_after_a_full_crawl_of_an_unchanged_site_fetches_no_article(
        prefect_harness: None, tmp_path: Path) -> None:
    from flows.crawl_flow import crawl_site

    db, port = tmp_path / "news.duckdb", free_port()
    with serve_sample(300, 7, port) as url:
        full = crawl_site([url + "/"], str(db), local_site=True)
        poll = crawl_site([url + "/"], str(db), local_site=True, mode="poll")
    with duckdb.connect(str(db), read_only=True) as con:
        lastmods = con.execute("SELECT count(DISTINCT c.url) FROM captures c JOIN articles a "
                               "ON a.canonical_url = c.url WHERE c.crawl_id = ? AND c.sitemap_lastmod "
                               "IS NOT NULL", [full["crawl_id"]]).fetchone()
        listed = con.execute("SELECT count(DISTINCT url) FROM captures WHERE crawl_id = ? AND "
                             "sitemap_lastmod IS NOT NULL", [full["crawl_id"]]).fetchone()
        asked = con.execute("SELECT count(*) FROM captures c JOIN articles a ON a.canonical_url = c.url "
                            "WHERE c.crawl_id = ?", [poll["crawl_id"]]).fetchone()
        revisits, captures = con.execute("SELECT count(*) FILTER (WHERE record_type = 'revisit'), count(*) "
                                         "FROM captures WHERE crawl_id = ?", [poll["crawl_id"]]).fetchone()
    assert full["articles"] == 300 and lastmods == (300,)  # every article's lastmod is known
    assert asked == (0,)  # the poll asked for no article at all
    assert poll["articles"] == 0
    assert full["unchanged"] == 0
    # The summary adds up: of the pages the sitemaps list, the 300 articles are not fetched for
    # their unchanged lastmod and the 9 undated ones (6 categories, about, contact, privacy) for
    # not being due; none is fetched anew; the one revisit is the home page (asked
    # conditionally, as a start page: 304); the other responses are robots.txt and the sitemaps.
    decisions = poll["decisions"]
    assert (decisions["skipped/unchanged_lastmod"], decisions["skipped/known_not_due"]) == (listed[0], 9)
    assert (poll["unchanged"], poll["bodies_fetched"], poll["revisits"]) == (listed[0] + 9, 0, 1)
    assert (poll["revisits"], poll["pages_fetched"]) == (revisits, captures)
