"""The date a page shows beside its headline, and how it is weighed against the page's metadata."""
from __future__ import annotations

import lxml.html
import pytest

from spiders.parsers import parse_article
from spiders.parsers.dates import parse_machine_date, shown_dates
from spiders.parsers.datelines import headline_element, near_headline
from spiders.parsers.published import as_shown

PARAGRAPH = "<p>" + "A paragraph of the article body with enough words to count as prose. " * 4 + "</p>"


@pytest.mark.parametrize("text, days", [
    ("3 de mayo de 2022 21:25", ["2022-05-03"]), ("20. März 2021 - 15:00 Uhr", ["2021-03-20"]),
    ("Updated 2010 GMT (0410 HKT) March 14, 2021", ["2021-03-14"]), ("le 9 décembre 2019", ["2019-12-09"]),
    ("06 Dicembre 2020", ["2020-12-06"]), ("Mittwoch, 01. November 2023", ["2023-11-01"]),
    ("Oct 02, 2020", ["2020-10-02"]), ("04.02.2022 | 15:33 Uhr", ["2022-02-04"]), ("6.11.22", ["2022-11-06"]),
    ("4. 2. 2022.", ["2022-02-04"]), ("2022-05-05", ["2022-05-05"]), ("2020年07月12日", ["2020-07-12"]),
    ("2020년 7월 12일", ["2020-07-12"]), ("25/12/2020", ["2020-12-25"]),
    ("11/01/2023", ["2023-01-11", "2023-11-01"]),  # ambiguous: both readings, day first
    ("vom 5. bis 11. Februar 2022", []), ("5.–11. Februar 2022", []), ("2020/7/11-12", []),  # spans of days
    ("Version 1.5.2, call 01.23.45", []), ("31.02.2022", []), ("no date here", [])])
def test_shown_dates(text: str, days: list[str]) -> None:
    assert [day for _, day in shown_dates(text)] == days


def test_an_ambiguous_date_reads_month_first_on_a_us_page() -> None:
    assert [day for _, day in shown_dates("11/01/2023", month_first=True)] == ["2023-11-01", "2023-01-11"]
    assert [day for _, day in shown_dates("13/01/2023", month_first=True)] == ["2023-01-13"]
    assert [day for _, day in shown_dates("01.11.2023", month_first=True)] == ["2023-11-01"]  # dots: day first


@pytest.mark.parametrize("value, iso", [
    ("2022-05-05T22:12:00 UTC", "2022-05-05T22:12:00+00:00"), ("2020-12-05T23:15:0Z", "2020-12-05T23:15:00+00:00"),
    ("2022-05-11T4:10:00", "2022-05-11T04:10:00"), ("Wed, 04 May 2022 00:25:56 GMT", "2022-05-04T00:25:56+00:00"),
    ("Tue, 03 May 2022 23:53:14 -0300", "2022-05-03T23:53:14-03:00")])
def test_machine_dates_in_other_spellings(value: str, iso: str) -> None:
    assert parse_machine_date(value) == iso


def _doc(body: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


def test_the_dateline_is_the_short_line_after_the_headline() -> None:
    doc = _doc("<header><p>Heute, 06.05.2022</p></header><main><h1>Der Rat beschließt den neuen Haushalt</h1>"
               "<p>Von Anna Schmidt</p><p>05.05.2022, 14:00 Uhr</p>"
               "<p>Der Rat hat am 02.05.2022 lange beraten und am Ende einstimmig einen Beschluss gefasst.</p></main>")
    assert headline_element(doc, "Der Rat beschließt den neuen Haushalt").tag == "h1"
    assert near_headline(doc, "Der Rat beschließt den neuen Haushalt") == [("2022-05-05",)]
    prose = _doc("<h1>Der Rat beschließt den neuen Haushalt</h1>"
                 "<p>Der Rat hat am 02.05.2022 lange beraten und am Ende einstimmig einen Beschluss gefasst.</p>")
    assert near_headline(prose, "Der Rat beschließt den neuen Haushalt") == []  # prose, not a dateline
    above = _doc("<p class='kicker'>News vom 23.01.2020</p><h2>Apple drops its encryption plan</h2><p>Text.</p>")
    assert near_headline(above, "Apple drops its encryption plan") == [("2020-01-23",)]


def test_the_shown_day_against_the_metadata() -> None:
    machine = {"2021-03-16", "2021-03-20"}
    assert as_shown("2021-03-16T16:16:10+00:00", [("2021-03-16",)], machine) is None  # the same day is shown
    assert as_shown("2022-05-04T00:25:56+00:00", [("2022-05-03",)], set()) == "2022-05-03"  # UTC past local midnight
    assert as_shown("2020-01-02T06:14:00-05:00", [("2020-01-01",)], set()) is None  # it has its own zone
    assert as_shown("2021-03-16T16:16:10+02:00", [("2021-03-20",)], machine) == "2021-03-20"  # its dateModified
    assert as_shown("2021-03-16", [("2020-07-01",)], machine) is None  # backed by nothing
    assert as_shown("2021-11-01T05:00:14", [("2021-01-11", "2021-11-01")], set()) is None  # one reading is it
    assert as_shown("2022-12-30T07:00:40+01:00", [("2022-12-29",), ("2022-12-30",)], {"2022-12-29"}) is None


def _page(head: str, dateline: str) -> str:
    return (f"<html lang='de'><head>{head}</head><body><article><h1>Ein Haushalt für das nächste Jahr</h1>"
            f"<p>{dateline}</p>{PARAGRAPH}</article></body></html>")


def test_parse_article_takes_the_day_the_page_shows() -> None:
    modified = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
                '"2019-08-21T13:09:00+02:00", "dateModified": "2021-03-20T14:00:17+01:00"}</script>')
    assert parse_article(_page(modified, "20. März 2021 - 15:00 Uhr"), "https://x.example/a").published \
        == "2021-03-20"
    assert parse_article(_page(modified, "21. August 2019"), "https://x.example/a").published \
        == "2019-08-21T13:09:00+02:00"
    utc = '<meta property="article:published_time" content="2022-11-06T23:00:00Z">'
    assert parse_article(_page(utc, "7.11.22"), "https://x.example/a").published == "2022-11-07"
    assert parse_article(_page("", "Von Anna Schmidt · 31.03.2020"), "https://x.example/a").published \
        == "2020-03-31"
