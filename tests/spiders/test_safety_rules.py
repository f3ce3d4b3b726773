"""Pure rules of the safety layer: host spellings, scope, the address classes, traps,
bounded inflation, content sniffing and charset re-detection."""
from __future__ import annotations

import gzip

import pytest

from spiders.discovery import DiscoveryError, read_feed, read_sitemap
from spiders.guard import AddressPolicy
from spiders.hosts import address_class, normalise_host
from spiders.inflate import BadCompression, TooLarge, gunzip_bounded
from spiders.parsers import parse_article
from spiders.scope import CrawlScope
from spiders.sniff import not_a_page
from spiders.traps import TrapGuard
from tests.spiders.hostile_site import LAUGHS


@pytest.mark.parametrize("host, expected", [
    ("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"),
    ("127.1", "127.0.0.1"), ("0x7f000001", "127.0.0.1"), ("0x7F.0.0.1.", "127.0.0.1"),
    ("EXAMPLE.com.", "example.com"), ("bücher.de", "xn--bcher-kva.de"), ("[::1]", "::1"),
    ("[::ffff:127.0.0.1]", "127.0.0.1"), ("999.1.1.1", None), ("1.2.3.4.5", None), ("a..b", None),
    ("", None)])
def test_host_spellings(host: str, expected: str | None) -> None:
    assert normalise_host(host) == expected


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.2", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"),
    ("169.254.169.254", "link-local"), ("224.0.0.1", "multicast"), ("0.0.0.0", "unspecified"),
    ("240.0.0.1", "reserved"), ("::1", "loopback"), ("fe80::1", "link-local"), ("fc00::1", "private"),
    ("::ffff:10.0.0.1", "private"), ("100.64.0.1", "not globally routable"), ("93.184.216.34", None)])
def test_address_classes(address: str, kind: str | None) -> None:
    assert address_class(address) == kind


def test_scope_is_scheme_host_and_port() -> None:
    scope = CrawlScope.from_urls(["http://127.0.0.1:8000/"])
    assert scope.allows("http://127.0.0.1:8000/a") and scope.allows("http://2130706433:8000/a")
    assert scope.allows("http://0x7f.1:8000/b")
    assert scope.refusal("http://127.0.0.1:8001/a") == \
        "off scope: 127.0.0.1:8001 is not a start URL's site (widen with --domains)"
    assert not scope.allows("http://127.0.0.2:8000/a")
    assert scope.refusal("ftp://127.0.0.1:8000/a") == "scheme ftp is not crawled"
    assert scope.refusal("http://[::1/") == "malformed URL (Invalid IPv6 URL)"
    site = CrawlScope.from_urls(["https://www.example.com/"])
    assert site.allows("http://news.example.com/a") and site.allows("https://EXAMPLE.COM./b")
    assert not site.allows("https://example.com:8443/") and not site.allows("https://example.org/")


def test_domains_widen_scope_deliberately() -> None:
    scope = CrawlScope.from_urls(["https://example.com/"], ("example.org", "localhost:9000"))
    assert scope.allows("https://cdn.example.org/x") and scope.allows("http://localhost:9000/")
    assert not scope.allows("http://localhost:9001/") and not scope.allows("http://localhost/")


def test_address_guard_allows_only_start_addresses() -> None:
    policy = AddressPolicy.for_start_urls(("http://127.0.0.2:8000/",))
    assert policy.refusal("127.0.0.2", "127.0.0.2") is None
    assert policy.refusal("93.184.216.34", "93.184.216.34") is None
    assert policy.refusal("localhost", "127.0.0.1") == (
        "address guard: localhost resolves to 127.0.0.1, a loopback address, is refused (not a start "
        "URL's address; allow it with -s CLIPPINGS_ALLOW_ADDRESSES=CIDR)")
    assert policy.refused == {"localhost": policy.refusal("localhost", "127.0.0.1")}
    assert "link-local" in policy.refusal("169.254.169.254", "169.254.169.254")
    widened = AddressPolicy.for_start_urls(("https://example.com/",), "10.0.0.0/8")
    assert widened.refusal("intranet", "10.9.9.9") is None and widened.refusal("x", "192.168.1.1")


def test_traps_each_trip_with_its_reason() -> None:
    traps = TrapGuard({**TrapGuard().limits, "max_query_variants": 3, "max_calendar_pages": 4,
                       "max_pages_per_host": 20})
    assert traps.check("http://h/2025/07/29/an-article.html") is None
    assert traps.check("http://h/" + "x" * 3000)[0] == "max_url_length"
    assert traps.check("http://h/" + "/".join("abcdefghijklmnopq"))[0] == "max_path_depth"
    assert traps.check("http://h/a/b/a/b/a/b/a/") == (
        "max_segment_repeats", "trap: path segment 'a' repeats 4 times (limit 3)")
    assert [traps.check(f"http://h/search?q={n}") for n in range(4)][-1] == (
        "max_query_variants", "trap: more than 3 query variants of h/search")
    months = [traps.check(f"http://h/calendar/2025/{m:02d}/") for m in range(1, 6)]
    assert months[:4] == [None] * 4
    assert months[4] == ("max_calendar_pages", "trap: more than 4 calendar pages shaped /calendar/N/N/")
    assert traps.check("http://h/calendar/2999/01/")[1] == "trap: calendar page for the implausible year 2999"
    results = [traps.check(f"http://h/p{n}") for n in range(20)]
    assert results.count(None) == 20 - 8  # 8 pages of h were already requested above
    assert results[-1] == ("max_pages_per_host", "trap: more than 20 pages from h")


def test_inflation_is_bounded() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    with pytest.raises(TooLarge, match="inflates to more than 1000000 bytes"):
        gunzip_bounded(bomb, 1_000_000)
    assert gunzip_bounded(gzip.compress(b"ab") + gzip.compress(b"cd"), 10) == b"abcd"
    with pytest.raises(BadCompression):
        gunzip_bounded(b"\x1f\x8b\x08\x00garbage", 10)
    with pytest.raises(DiscoveryError, match="sitemap refused: sitemap inflates to more than 1000 bytes"):
        read_sitemap(gzip.compress(b"<urlset>" + b" " * 5000 + b"</urlset>"), 1000)


def test_entity_expansion_is_refused() -> None:
    with pytest.raises(DiscoveryError, match="declares XML entities"):
        read_sitemap(LAUGHS)
    with pytest.raises(DiscoveryError, match="declares XML entities"):
        read_feed(LAUGHS.replace(b"urlset", b"rss"))


@pytest.mark.parametrize("body, reason", [
    (b"", "empty body"), (b" \n\t ", "empty body"), (b"%PDF-1.7\n...", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n....", "a PNG image"), (b"\x7fELF\x02\x01\x01\x00", "an ELF executable"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a WebP image"), (b"<html>\x00\x01\x02</html>", "binary data"),
    (b"<!doctype html><title>x</title>", None), ("<p>é</p>".encode("utf-16"), None)])
def test_sniffing(body: bytes, reason: str | None) -> None:
    assert not_a_page(body) == reason


def test_a_mislabelled_charset_is_redetected() -> None:
    page = ("<html><head><title>Café society: déjà vu</title></head><body><p>Crème brûlée.</p>"
            "</body></html>").encode("windows-1252")
    assert parse_article(page, "http://h/a", "text/html; charset=utf-8").title == "Café society: déjà vu"
    honest = "<html><head><title>Naïve</title></head><body></body></html>".encode()
    assert parse_article(honest, "http://h/b", "text/html; charset=utf-8").title == "Naïve"


def test_a_trap_record_is_undone_exactly_when_the_url_was_not_new() -> None:
    """The spider peeks, records a batch of links, then forgets those another worker had."""
    traps = TrapGuard({**TrapGuard().limits, "max_query_variants": 2, "max_calendar_pages": 2,
                       "max_pages_per_host": 3})
    kept = traps.record("http://h/search?q=1")
    assert traps.peek("http://h/search?q=2") is None and traps.peek("http://h/search?q=2") is None
    lost = traps.record("http://h/search?q=2")
    assert traps.peek("http://h/search?q=3")[0] == "max_query_variants"
    traps.forget(lost)
    assert traps.peek("http://h/search?q=3") is None  # q=2's variant and page are gone again
    again = traps.record("http://h/search?q=1")  # already counted: forgetting it keeps q=1
    assert (kept.query_of, again.query_of) == ("h/search", None)
    traps.forget(again)
    assert traps.record("http://h/calendar/2025/01/").calendar == "h/calendar/N/N/?"
    assert traps.peek("http://h/p1") is None  # h has 2 pages: q=1 and the calendar page
    traps.record("http://h/p1")
    assert traps.peek("http://h/p2") == ("max_pages_per_host", "trap: more than 3 pages from h")
