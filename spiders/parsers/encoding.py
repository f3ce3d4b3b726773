"""Turning fetched bytes into text the way browsers do.

Order of trust: byte-order mark, the HTTP Content-Type charset, the page's own `<meta charset>`,
then detection. w3lib (Scrapy's own helper) applies the WHATWG rules, such as reading a declared
iso-8859-1 as windows-1252; bs4's UnicodeDammit is the detector of last resort.
"""
from __future__ import annotations

from bs4.dammit import UnicodeDammit
from w3lib.encoding import html_to_unicode


def _detect(data: bytes) -> str | None:
    return UnicodeDammit(data[:65536], ["utf-8", "windows-1252"]).original_encoding


def decode_html(data: bytes | str, content_type: str | None = None) -> str:
    """Decode an HTML document; a str is returned unchanged."""
    if isinstance(data, str):
        return data
    header = content_type if content_type and "charset" in content_type.lower() else None
    _, text = html_to_unicode(header, data, auto_detect_fun=_detect)
    return text
