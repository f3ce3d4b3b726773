"""Copying a snapshot's WARC records into new files, and indexing them as CDXJ.

Records are copied byte for byte (each is its own gzip member), so their digests still hold,
with one exception made for web-archive players: a 304 revisit (the server's "not modified"
answer to a conditional GET) would replay as an empty page in pywb and ReplayWeb.page alike, so
the snapshot holds it as the response it stands for: an identical-payload-digest revisit whose
HTTP headers are the earlier response's, updated by the 304's as an HTTP cache does
(RFC 9111, 4.3.4), naming the crawl's own record in `Clippings-Source-Record-ID`. Players then
serve the earlier payload at the later moment. Each new file opens with a warcinfo record whose id and date derive from the snapshot, so two
exports of the same archive and moment are byte-identical. Memory stays flat: captures stream
from DuckDB in batches and records are copied in chunks.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from spiders.warc import RotatingWarcFiles

CHUNK = 1 << 20
SNAPSHOT_NAMESPACE = uuid.UUID("6f1e7c1e-3b52-4f0e-9a53-3c6b0c1f7a10")
# Header fields a 304 does not update in the stored response (they describe its own empty body).
NOT_UPDATED = {"content-length", "transfer-encoding", "content-encoding", "content-range"}


@dataclass(frozen=True)
class CopiedRecord:
    capture_key: tuple[str, int]  # (original warc_file, warc_offset)
    file: str
    offset: int
    length: int
    cdxj: str  # the index line


def _copy_bytes(source: Path, offset: int, length: int, target: BinaryIO) -> None:
    with open(source, "rb") as handle:
        handle.seek(offset)
        remaining = length
        while remaining:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                raise OSError(f"{source} ends before offset {offset} + {length}")
            target.write(chunk)
            remaining -= len(chunk)


def _read_record(path: Path, offset: int):
    """(WARC headers, HTTP headers) of the record at offset."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)))
        return record.rec_headers, record.http_headers


def stood_for(not_modified: StatusAndHeaders, stored: StatusAndHeaders) -> StatusAndHeaders:
    """The response a 304 stands for: the stored one with the 304's header fields applied."""
    merged = StatusAndHeaders(stored.statusline, list(stored.headers), protocol=stored.protocol)
    for name, value in not_modified.headers:
        if name.lower() not in NOT_UPDATED:
            merged.replace_header(name, value)
    return merged


def cdxj_line(url: str, fetched_at: dt.datetime, record: dict) -> str:
    stamp = fetched_at.astimezone(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    return f"{surt.surt(url)} {stamp} {json.dumps(record, sort_keys=True)}"


class SnapshotWarcs(RotatingWarcFiles):
    """The snapshot's WARC files: the crawl's rotation and naming, a warcinfo record derived
    from the snapshot (so two exports of one moment are byte-identical), records copied in."""

    def __init__(self, directory: Path, prefix: str, as_of: str, description: dict, max_bytes: int) -> None:
        self.as_of, self.description = as_of, description
        super().__init__(directory, prefix, max_bytes)

    def warcinfo(self, writer: WARCWriter) -> ArcWarcRecord:
        payload = "".join(f"{k}: {v}\r\n" for k, v in self.description.items()).encode()
        record_id = f"<urn:uuid:{uuid.uuid5(SNAPSHOT_NAMESPACE, self.prefix + self.name)}>"
        return writer.create_warc_record(
            self.name, "warcinfo", payload=BytesIO(payload), length=len(payload),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Record-ID": record_id, "WARC-Date": self.as_of,
                               "WARC-Filename": self.name})

    def copy(self, archive_warc_dir: Path, capture: dict) -> CopiedRecord:
        target, writer = self.next_record()
        offset, status = target.tell(), capture["status"]
        if capture["record_type"] == "revisit" and status == 304 and capture.get("original_file"):
            status = self._write_stood_for(writer, archive_warc_dir, capture)
        else:
            _copy_bytes(archive_warc_dir / capture["warc_file"], capture["warc_offset"],
                        capture["warc_length"], target)
        length = target.tell() - offset
        revisit = capture["record_type"] == "revisit"
        record = {"url": capture["url"], "status": str(status),
                  "mime": "warc/revisit" if revisit else (capture["content_type"] or "").split(";")[0],
                  "digest": "sha256:" + capture["payload_sha256"], "length": str(length),
                  "offset": str(offset), "filename": self.name}
        return CopiedRecord((capture["warc_file"], capture["warc_offset"]), self.name, offset,
                            length, cdxj_line(capture["url"], capture["fetched_at"], record))

    @staticmethod
    def _write_stood_for(writer: WARCWriter, archive_warc_dir: Path, capture: dict) -> int:
        """Write a 304 revisit as the response it stands for (see the module docstring)."""
        warc, not_modified = _read_record(archive_warc_dir / capture["warc_file"], capture["warc_offset"])
        _, stored = _read_record(archive_warc_dir / capture["original_file"], capture["original_offset"])
        source_id = warc.get_header("WARC-Record-ID")
        headers = {"WARC-Date": warc.get_header("WARC-Date"),
                   "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(SNAPSHOT_NAMESPACE, source_id)}>",
                   "WARC-Refers-To": warc.get_header("WARC-Refers-To"),
                   "Clippings-Source-Record-ID": source_id}
        http = stood_for(not_modified, stored)
        writer.write_record(writer.create_revisit_record(
            capture["url"], warc.get_header("WARC-Payload-Digest"), warc.get_header("WARC-Refers-To-Target-URI"),
            warc.get_header("WARC-Refers-To-Date"), http_headers=http, warc_headers_dict=headers))
        return int(http.get_statuscode())


def batches(cursor, size: int = 1000) -> Iterator[dict]:
    columns = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(size):
        for row in rows:
            yield dict(zip(columns, row))
