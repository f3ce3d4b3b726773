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

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Headers that describe the wire encoding Scrapy has already undone in the body it hands us.
DROPPED_HEADERS = {"transfer-encoding"}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def warc_digest(hex_digest: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_digest)).decode()


@dataclass(frozen=True)
class WarcLocation:
    file: str
    offset: int
    length: int


class WarcArchive:
    """Appends captures to `<dir>/<prefix>-NNNNN.warc.gz`, starting a new file past `max_bytes`."""

    def __init__(self, directory: Path, prefix: str, max_bytes: int, software: str) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.software = software
        self.directory.mkdir(parents=True, exist_ok=True)
        self.sequence = 0
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.name = ""

    def _open_next(self) -> None:
        self.close()
        self.sequence += 1
        self.name = f"{self.prefix}-{self.sequence:05d}.warc.gz"
        self._file = open(self.directory / self.name, "ab")
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        info = {"software": self.software, "format": "WARC File Format 1.1",
                "hostname": socket.gethostname(), "isPartOf": self.prefix}
        self._writer.write_record(self._writer.create_warcinfo_record(self.name, info))

    def write(self, url: str, method: str, request_headers: list[tuple[str, str]], status: int,
              reason: str, response_headers: list[tuple[str, str]], body: bytes,
              fetched_at: dt.datetime, payload_sha256: str) -> WarcLocation:
        if self._writer is None or (self._file and self._file.tell() >= self.max_bytes):
            self._open_next()
        assert self._writer is not None and self._file is not None
        date = fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        headers = [(k, v) for k, v in response_headers if k.lower() not in DROPPED_HEADERS]
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        response = self._writer.create_warc_record(
            url, "response", payload=BytesIO(body), length=len(body), http_headers=http,
            warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": warc_digest(payload_sha256)})
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        request = self._writer.create_warc_record(
            url, "request", payload=BytesIO(b""), length=0,
            http_headers=StatusAndHeaders(f"{method} /{path} HTTP/1.1", request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": date})
        offset = self._file.tell()
        self._writer.write_record(response)
        length = self._file.tell() - offset
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        self._writer.write_record(request)
        self._file.flush()
        return WarcLocation(self.name, offset, length)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file, self._writer = None, None

    def files(self) -> list[Path]:
        return sorted(self.directory.glob(f"{self.prefix}-*.warc.gz"))
