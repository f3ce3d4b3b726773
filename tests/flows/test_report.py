"""`clippings report` for real: written from the recrawled sample-site archive, opened in headless
Chromium with no network, its numbers read back from the page and compared with the archive's."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

METRICS = """JSON.stringify(Object.fromEntries(Array.from(document.querySelectorAll('[data-metric]'))
  .map(e => [e.dataset.metric, Number(e.dataset.value)])))"""


def report(db: Path, out: Path, *scope: str) -> str:
    result = subprocess.run([sys.executable, "-m", "flows.cli", "report", "--db", str(db), "--out", str(out),
                             *scope], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def archive_counts(db: Path, crawl_id: str | None = None) -> dict[str, int]:
    where = "WHERE crawl_id = $crawl" if crawl_id else ""
    with duckdb.connect(str(db), read_only=True) as con:
        one = lambda sql: con.execute(sql, {"crawl": crawl_id} if "$crawl" in sql else None).fetchone()[0]
        return {
            "pages_fetched": one(f"SELECT count(*) FROM captures {where}"),
            "rejects": one(f"SELECT count(*) FROM rejects {where}"),
            "new_articles": one(f"SELECT count(*) FROM article_versions {where or 'WHERE true'} AND version = 1"),
            "changed_articles": one(f"SELECT count(*) FROM article_versions {where or 'WHERE true'} AND version > 1"),
            "bytes_archived": one(f"SELECT sum(warc_length) FROM captures {where}"),
        }


def shown(browser, page: Path) -> tuple[dict, list[str], str]:
    import json

    with browser.tab(page.as_uri()) as tab:
        metrics = tab.wait_for(lambda: tab.evaluate("document.readyState") == "complete"
                               and json.loads(tab.evaluate(METRICS)), "the report loading")
        tab.evaluate("document.querySelector('table.sortable th').click()")  # the inline script runs
        tab.browser.pump(0.5)
        return metrics, tab.errors, tab.evaluate("document.body.innerText")


def test_whole_archive_report_shows_the_archives_numbers(recrawl: dict, browser, tmp_path: Path) -> None:
    db, page = recrawl["db"], tmp_path / "report.html"
    printed = report(db, page)
    assert "report of the whole archive" in printed
    html = page.read_text()
    for outside in ("<link", "<script src", "<img", "url(", "@import"):  # self-contained: no network
        assert outside not in html
    metrics, errors, text = shown(browser, page)
    assert errors == []
    with duckdb.connect(str(db), read_only=True) as con:
        articles, gone = con.execute("SELECT count(*), count(gone_at) FROM articles").fetchone()
    assert metrics == {**archive_counts(db), "articles": articles, "gone": gone, "crawls": 2,
                       "revisits": metrics["revisits"]}
    assert (articles, gone, metrics["new_articles"], metrics["changed_articles"]) == (305, 3, 305, 10)
    assert metrics["revisits"] > 287
    assert "forbidden by robots.txt" in text and "HTTP 404" in text  # rejects by reason, with examples
    assert "Links between sites" in text and "Most central articles" in text


def test_one_crawls_report(recrawl: dict, browser, tmp_path: Path) -> None:
    db, page, second = recrawl["db"], tmp_path / "second.html", recrawl["second"]["crawl_id"]
    report(db, page, "--crawl", second)
    metrics, errors, text = shown(browser, page)
    assert errors == []
    expected = archive_counts(db, second)
    assert {k: metrics[k] for k in expected} == expected
    assert (metrics["new_articles"], metrics["changed_articles"], metrics["gone"], metrics["crawls"]) == (5, 10, 3, 1)
    assert f"crawl {second}" in text


def test_unknown_crawl_is_a_clear_error(recrawl: dict, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "flows.cli", "report", "--db", str(recrawl["db"]), "--crawl",
                             "nope", "--out", str(tmp_path / "r.html")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("clippings report: ") and "holds no crawl 'nope'" in result.stderr
    assert recrawl["second"]["crawl_id"] in result.stderr


def test_site_scope(recrawl: dict) -> None:
    from warehouse.report import gather

    whole = gather(recrawl["db"]).totals
    assert gather(recrawl["db"], site="127.0.0.1").totals == whole
    other = gather(recrawl["db"], site="example.org").totals
    assert (other["articles"], other["pages_fetched"], other["rejects"]) == (0, 0, 0)


def test_chart_interval_follows_the_span() -> None:
    import datetime as dt

    from warehouse.report import interval_for

    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert [interval_for(start, start + dt.timedelta(**span)) for span in
            ({"seconds": 40}, {"hours": 2}, {"days": 3}, {"days": 40})] == ["second", "minute", "hour", "day"]
    assert interval_for(None, None) == "second"
