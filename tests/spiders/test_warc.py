"""The WARC files of a crawl read back with warcio, and every capture row points at its bytes."""
from __future__ import annotations

import base64
import hashlib
from collections import Counter
from io import BytesIO

from warcio.archiveiterator import ArchiveIterator

from spiders.run import CrawlResult
from tests.spiders.conftest import read_jsonl


def test_warcio_reads_every_file(sample_crawl: CrawlResult) -> None:
    warc_dir = sample_crawl.staging_path.parent.parent / "warc"
    files = sorted(warc_dir.glob("*.warc.gz"))
    assert [f.name for f in files] == sample_crawl.summary.warc_files
    types: Counter[str] = Counter()
    for path in files:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                types[record.rec_type] += 1
                if record.rec_type == "response":
                    assert record.rec_headers.get_header("WARC-Payload-Digest").startswith("sha256:")
    assert types == {"warcinfo": len(files), "response": 334, "request": 334}


def test_capture_offsets_point_at_matching_responses(sample_crawl: CrawlResult) -> None:
    warc_dir = sample_crawl.staging_path.parent.parent / "warc"
    captures = read_jsonl(sample_crawl.staging_path / "captures.jsonl")
    for capture in captures:
        with open(warc_dir / capture["warc_file"], "rb") as handle:
            handle.seek(capture["warc_offset"])
            exact = handle.read(capture["warc_length"])  # offset..offset+length is one whole record
        records = ArchiveIterator(BytesIO(exact))
        record = next(records)
        payload = record.content_stream().read()
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == capture["url"]
        assert record.http_headers.get_statuscode() == str(capture["status"])
        assert hashlib.sha256(payload).hexdigest() == capture["payload_sha256"]
        digest = base64.b32encode(bytes.fromhex(capture["payload_sha256"])).decode()
        assert record.rec_headers.get_header("WARC-Payload-Digest") == f"sha256:{digest}"
        assert next(records, None) is None
