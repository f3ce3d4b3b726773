"""Turning fetched bytes into text the way browsers do.

Order of trust: byte-order mark, the HTTP Content-Type charset, the page's own `<meta charset>`,
then detection. w3lib (Scrapy's own helper) applies the WHATWG rules, such as reading a declared
iso-8859-1 as windows-1252; bs4's UnicodeDammit is the detector of last resort. A declared
charset the bytes do not decode in (a header saying UTF-8 over windows-1252 bytes) is a lie,
not a fact: then the bytes are re-detected instead of being read with replacement characters.
"""
from __future__ import annotations

import codecs

from bs4.dammit import UnicodeDammit
from w3lib.encoding import html_to_unicode, resolve_encoding


def _detect(data: bytes) -> str | None:
    return UnicodeDammit(data[:65536], ["utf-8", "windows-1252"]).original_encoding


def decode_html(data: bytes | str, content_type: str | None = None) -> str:
    """Decode an HTML document; a str is returned unchanged."""
    if isinstance(data, str):
        return data
    header = content_type if content_type and "charset" in content_type.lower() else None
    encoding, text = html_to_unicode(header, data, auto_detect_fun=_detect)
    if "\ufffd" in text and not _decodes(data, encoding):
        detected = _detect(data)
        if detected and _decodes(data, detected):
            return data.decode(detected)
    return text


def _decodes(data: bytes, encoding: str) -> bool:
    """Do the bytes decode strictly in `encoding` (after its byte-order mark, if any)?"""
    name = resolve_encoding(encoding) or encoding
    try:
        codecs.lookup(name)
        data.removeprefix(codecs.BOM_UTF8).decode(name)
    except (LookupError, UnicodeDecodeError):
        return False
    return True
