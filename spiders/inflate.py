"""Inflating compressed bytes with a bound: 300 KB of gzip must not become 300 MB in memory.

Every place Clippings decompresses or reads a payload it did not size itself (sitemaps,
`clippings extract`, WARC records in reparse and export) goes through these, and a payload over
its limit raises TooLarge with a reason the caller records as a reject.
"""
from __future__ import annotations

import zlib
from typing import BinaryIO

CHUNK = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
MAX_PAGE_BYTES = 20 * 1024 * 1024  # same as DOWNLOAD_MAXSIZE in spiders/settings.py


class TooLarge(ValueError):
    pass


class BadCompression(ValueError):
    pass


def gunzip_bounded(data: bytes, max_bytes: int, what: str = "document") -> bytes:
    """Inflate gzip data (every member), refusing output larger than `max_bytes`."""
    out: list[bytes] = []
    size = 0
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = data
        try:
            while pending and not inflater.eof:
                chunk = inflater.decompress(pending, CHUNK)
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"{what} inflates to more than {max_bytes} bytes (gzip bomb?)")
                out.append(chunk)
                pending = inflater.unconsumed_tail
        except zlib.error as error:
            raise BadCompression(f"bad gzip data ({error})") from error
        if not inflater.eof:
            raise BadCompression("bad gzip data (truncated)")
        data = inflater.unused_data.lstrip(b"\x00")
        if data and not data.startswith(GZIP_MAGIC):
            break  # trailing garbage after the last member, as gzip(1) tolerates
    return b"".join(out)


def read_bounded(stream: BinaryIO, max_bytes: int, what: str = "payload") -> bytes:
    """Read a stream to its end, refusing more than `max_bytes`."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(f"{what} is larger than {max_bytes} bytes")
    return data
