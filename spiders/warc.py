"""WARC 1.1 files of every response: request + response records, gzipped per record, rotated.

warcio writes the records; we set WARC-Payload-Digest to sha256 (WARC 1.1 allows any algorithm)
so the capture row, the WARC header and later checks all use one digest.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import socket
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from spiders.inflate import read_bounded
from spiders.layout import warc_glob, warc_name

# Headers that describe the wire encoding Scrapy has already undone in the body it hands us.
DROPPED_HEADERS = {"transfer-encoding"}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def warc_digest(hex_digest: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_digest)).decode()


REVISIT_PROFILES = {
    "identical-payload-digest": "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
    "server-not-modified": "http://netpreserve.org/warc/1.1/revisit/server-not-modified",
}


def warc_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class WarcLocation:
    file: str
    offset: int
    length: int
    record_id: str


@dataclass(frozen=True)
class PreviousCapture:
    """What an earlier crawl kept of a URL: enough for a conditional GET and a revisit record."""

    url: str
    payload_sha256: str
    warc_record_id: str
    warc_date: str
    etag: str | None = None
    last_modified: str | None = None
    sitemap_lastmod: str | None = None
    fetched_at: str | None = None
    is_article: bool = False


class RotatingWarcFiles:
    """WARC 1.1 files `<dir>/<prefix>-NNNNN.warc.gz` (spiders.layout.warc_name), gzipped per
    record, a new file once the current one reaches `max_bytes`, each opening with the warcinfo
    record `warcinfo` makes. The crawl's archive and the snapshots both write through it."""

    def __init__(self, directory: Path, prefix: str, max_bytes: int) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.directory.mkdir(parents=True, exist_ok=True)
        self.sequence = len(self.files())  # a resumed crawl continues with the next file
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.name = ""

    def warcinfo(self, writer: WARCWriter) -> ArcWarcRecord:
        """The record each new file opens with (self.name is the new file's name)."""
        raise NotImplementedError

    def _open_next(self) -> None:
        self.close()
        self.sequence += 1
        self.name = warc_name(self.prefix, self.sequence)
        self._file = open(self.directory / self.name, "ab")
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        self._writer.write_record(self.warcinfo(self._writer))

    def next_record(self) -> tuple[BinaryIO, WARCWriter]:
        """The file and writer the next record goes to, starting a new file when this one is full."""
        if self._writer is None or self._file is None or self._file.tell() >= self.max_bytes:
            self._open_next()
        assert self._file is not None and self._writer is not None
        return self._file, self._writer

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file, self._writer = None, None

    def files(self) -> list[Path]:
        return sorted(self.directory.glob(warc_glob(self.prefix)))


class WarcArchive(RotatingWarcFiles):
    """The crawl's WARC files: every response (or revisit) with its request."""

    def __init__(self, directory: Path, prefix: str, max_bytes: int, software: str) -> None:
        self.software = software
        super().__init__(directory, prefix, max_bytes)

    def warcinfo(self, writer: WARCWriter) -> ArcWarcRecord:
        info = {"software": self.software, "format": "WARC File Format 1.1",
                "hostname": socket.gethostname(), "isPartOf": self.prefix}
        return writer.create_warcinfo_record(self.name, info)

    def _writer_for_next_record(self) -> WARCWriter:
        return self.next_record()[1]

    def _append(self, record: ArcWarcRecord, request: ArcWarcRecord) -> WarcLocation:
        """Write the request, then its response or revisit record; return where the latter is.

        The response comes last so that offset + length of a capture is the end of its pair: a
        resumed crawl truncates a file there to drop records no capture row points to.
        """
        assert self._writer is not None and self._file is not None
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        request.rec_headers.add_header("WARC-Concurrent-To", record_id)
        self._writer.write_record(request)
        offset = self._file.tell()
        self._writer.write_record(record)
        length = self._file.tell() - offset
        self._file.flush()
        return WarcLocation(self.name, offset, length, record_id)

    def _request_record(self, url: str, method: str, headers: list[tuple[str, str]],
                        date: str) -> ArcWarcRecord:
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        http = StatusAndHeaders(f"{method} /{path} HTTP/1.1", headers, is_http_request=True)
        return self._writer.create_warc_record(url, "request", payload=BytesIO(b""), length=0,  # type: ignore[union-attr]
                                               http_headers=http, warc_headers_dict={"WARC-Date": date})

    def write(self, url: str, method: str, request_headers: list[tuple[str, str]], status: int,
              reason: str, response_headers: list[tuple[str, str]], body: bytes,
              fetched_at: dt.datetime, payload_sha256: str) -> WarcLocation:
        writer = self._writer_for_next_record()
        date = warc_date(fetched_at)
        headers = [(k, v) for k, v in response_headers if k.lower() not in DROPPED_HEADERS]
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        response = writer.create_warc_record(
            url, "response", payload=BytesIO(body), length=len(body), http_headers=http,
            warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": warc_digest(payload_sha256)})
        return self._append(response, self._request_record(url, method, request_headers, date))

    def write_revisit(self, url: str, method: str, request_headers: list[tuple[str, str]],
                      status: int, reason: str, response_headers: list[tuple[str, str]],
                      fetched_at: dt.datetime, previous: "PreviousCapture", profile: str) -> WarcLocation:
        """A revisit record: headers only, pointing at the earlier capture holding the payload.

        profile is "identical-payload-digest" (a 200 whose payload equals the earlier one) or
        "server-not-modified" (a 304 answer to a conditional GET), as WARC 1.1 defines them.
        """
        writer = self._writer_for_next_record()
        date = warc_date(fetched_at)
        headers = [(k, v) for k, v in response_headers if k.lower() not in DROPPED_HEADERS]
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        record = writer.create_revisit_record(
            url, warc_digest(previous.payload_sha256), previous.url, previous.warc_date,
            http_headers=http, warc_headers_dict={"WARC-Date": date,
                                                  "WARC-Refers-To": previous.warc_record_id})
        record.rec_headers.replace_header("WARC-Profile", REVISIT_PROFILES[profile])
        return self._append(record, self._request_record(url, method, request_headers, date))



def read_response(path: Path, offset: int, max_bytes: int) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, payload) of the response record at `offset`, as received: the payload
    still in its Content-Encoding, so it goes through Scrapy's middlewares as it did then."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)))
        http = record.http_headers
        assert record.rec_type == "response" and http is not None, f"{path}@{offset} is not a response"
        return int(http.get_statuscode()), list(http.headers), read_bounded(record.raw_stream, max_bytes)
