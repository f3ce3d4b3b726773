"""URL canonicalisation: one article reached by several URLs must map to one key.

Fragments go, tracking parameters go, scheme and host are lower-cased, default ports dropped
and the query sorted (w3lib's canonicalize_url, which Scrapy itself uses for fingerprints).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize

TRACKING_PARAM = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid|yclid|ref_src|ref_url"
    r"|cmpid|ncid|ocid|sr_share|at_medium|at_campaign|spm)$", re.IGNORECASE)


def strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAM.match(k)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def canonicalize_url(url: str) -> str:
    """The key an archive stores a URL under. Idempotent: canonicalize(canonicalize(u)) == canonicalize(u)."""
    url = url.strip()
    if not re.match(r"^https?://", url, re.IGNORECASE):
        return url
    parts = urlsplit(_w3lib_canonicalize(strip_tracking(url)))
    if (parts.scheme, parts.port) in (("http", 80), ("https", 443)):
        parts = parts._replace(netloc=parts.hostname or "")
    return urlunsplit(parts)


def is_http_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))
