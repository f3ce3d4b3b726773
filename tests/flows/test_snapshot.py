"""Snapshots for archivists: export as of a time between two crawls, validate, tamper, repeat."""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import bagit
import duckdb
import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.flows.conftest import REPORT, REVISED
from warehouse.snapshot import export_snapshot
from warehouse.snapshot.wacz import needs_zip64


@pytest.fixture(scope="module")
def snapshot(recrawl: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("snapshots") / "between"
    export_snapshot(recrawl["db"], out, as_of=recrawl["second"]["started"])
    return out


def parquet(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(sql.replace("{t}", f"read_parquet('{path}')")).fetchall()


def test_snapshot_holds_the_first_crawls_versions_only(snapshot: Path, recrawl: dict) -> None:
    tables = snapshot / "data" / "tables"
    assert parquet(tables / "crawls.parquet", "SELECT crawl_id FROM {t}") == [(recrawl["first"]["crawl_id"],)]
    articles = parquet(tables / "articles.parquet", "SELECT count(*), max(version), count(DISTINCT crawl_id) FROM {t}")
    assert articles == [(300, 1, 1)]
    base = recrawl["url"]
    held = {r[0] for r in parquet(tables / "articles.parquet", "SELECT canonical_url FROM {t}")}
    assert not {base + REVISED.articles[i].path for i in REPORT.added} & held
    assert {base + REVISED.articles[i].path for i in REPORT.removed} <= held  # still there at that time
    with duckdb.connect(str(recrawl["db"]), read_only=True) as con:
        first_versions = set(con.execute("SELECT canonical_url, content_sha256 FROM article_versions "
                                          "WHERE version = 1 AND crawl_id = ?", [recrawl["first"]["crawl_id"]]).fetchall())
    assert set(parquet(tables / "articles.parquet", "SELECT canonical_url, content_sha256 FROM {t}")) == first_versions
    assert parquet(tables / "captures.parquet", "SELECT count(*), count(DISTINCT crawl_id) FROM {t}") == \
        [(recrawl["first"]["pages_fetched"], 1)]
    assert parquet(tables / "sections.parquet", "SELECT max(version) FROM {t}") == [(1,)]
    info = (snapshot / "bag-info.txt").read_text()
    assert f"Clippings-Crawl-Ids: {recrawl['first']['crawl_id']}" in info
    assert "Clippings-Articles: 300" in info and "Source-Organization: 127.0.0.1" in info


def test_validates_with_bagit_and_clippings_verify(snapshot: Path) -> None:
    bagit.Bag(str(snapshot)).validate()
    result = subprocess.run([sys.executable, "-m", "flows.cli", "verify", str(snapshot)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    wacz = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(snapshot / "data" / "snapshot.wacz")],
                          capture_output=True, text=True, timeout=300)
    assert "Validation succeeded" in wacz.stdout + wacz.stderr


def test_every_record_is_reachable_from_the_index(snapshot: Path) -> None:
    data = snapshot / "data"
    index = {}
    for line in (data / "indexes" / "index.cdxj").read_text().splitlines():
        fields = json.loads(line.split(" ", 2)[2])
        index[(fields["filename"], int(fields["offset"]))] = fields["digest"]
    records = 0
    for path in sorted((data / "warc").glob("*.warc.gz")):
        with open(path, "rb") as handle:
            iterator = ArchiveIterator(handle)
            for record in iterator:
                if record.rec_type not in ("response", "revisit"):
                    continue
                payload = record.content_stream().read()
                key = (path.name, iterator.get_record_offset())
                declared = record.rec_headers.get_header("WARC-Payload-Digest")
                assert declared == "sha256:" + base64.b32encode(bytes.fromhex(index[key][7:])).decode()
                if record.rec_type == "response":
                    assert index[key] == "sha256:" + hashlib.sha256(payload).hexdigest()
                records += 1
    assert records == len(index) == parquet(data / "tables" / "captures.parquet", "SELECT count(*) FROM {t}")[0][0]


def test_one_flipped_byte_fails_verify_naming_the_file(snapshot: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tampered"
    shutil.copytree(snapshot, copy)
    target = copy / "data" / "tables" / "links.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(data)
    result = subprocess.run([sys.executable, "-m", "flows.cli", "verify", str(copy)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "data/tables/links.parquet sha256 validation failed" in result.stderr


def test_exporting_twice_gives_identical_manifests(snapshot: Path, recrawl: dict, tmp_path: Path) -> None:
    again = tmp_path / "again"
    export_snapshot(recrawl["db"], again, as_of=recrawl["second"]["started"])
    for name in ("manifest-sha256.txt", "tagmanifest-sha256.txt"):
        assert (again / name).read_bytes() == (snapshot / name).read_bytes()


def test_export_flow_and_wacz_only(recrawl: dict, tmp_path: Path) -> None:
    from flows.snapshot_flow import export_archive

    result = export_archive(str(recrawl["db"]), str(tmp_path / "latest"), fmt="wacz")
    assert result["counts"]["articles"] == 302  # as of the newest crawl: 300 - 3 gone + 5 new
    assert sorted(p.name for p in (tmp_path / "latest").iterdir()) == ["snapshot.wacz"]


def test_refuses_a_moment_before_any_crawl(recrawl: dict, tmp_path: Path) -> None:
    from warehouse.snapshot import SnapshotError

    with pytest.raises(SnapshotError, match="no crawl had finished by 2000-01-01"):
        export_snapshot(recrawl["db"], tmp_path / "early", as_of="2000-01-01T00:00:00+00:00")


def test_site_filter(recrawl: dict, tmp_path: Path) -> None:
    other = export_snapshot(recrawl["db"], tmp_path / "other-site", site="example.org")
    assert other.counts["articles"] == other.counts["captures"] == 0
    assert subprocess.run([sys.executable, "-m", "flows.cli", "verify", str(tmp_path / "other-site")],
                          capture_output=True, timeout=300).returncode == 0
    ours = export_snapshot(recrawl["db"], tmp_path / "our-site", site="127.0.0.1")
    assert (ours.counts["articles"], ours.counts["captures"]) == (302, recrawl["first"]["pages_fetched"]
                                                                 + recrawl["second"]["pages_fetched"])


@pytest.fixture(scope="module")
def latest(recrawl: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive after both crawls: the second's unchanged pages are 304 revisits."""
    out = tmp_path_factory.mktemp("snapshots") / "latest"
    export_snapshot(recrawl["db"], out)
    return out


def local_extra(archive: Path, info) -> bytes:
    with open(archive, "rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(30)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        handle.seek(info.header_offset + 30 + name_length)
        return handle.read(extra_length)


def test_wacz_local_and_central_headers_agree(latest: Path) -> None:
    wacz = latest / "data" / "snapshot.wacz"
    with zipfile.ZipFile(wacz) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["archive/clippings-snapshot-00001.warc.gz", "indexes/index.cdx",
                                           "pages/pages.jsonl", "datapackage.json", "datapackage-digest.json"]
    for info in infos:
        assert local_extra(wacz, info) == info.extra == b"", info.filename  # no Zip64 where none is needed
    assert needs_zip64(zipfile.ZIP64_LIMIT + 1, compress=False)
    assert not needs_zip64(zipfile.ZIP64_LIMIT, compress=False)
    assert not needs_zip64(zipfile.ZIP64_LIMIT + 1, compress=True)  # never: such members are stored


def test_a_304_revisit_is_held_as_the_response_it_stands_for(latest: Path, recrawl: dict) -> None:
    with duckdb.connect(str(recrawl["db"]), read_only=True) as con:
        expected = dict(con.execute("SELECT r.warc_record_id, o.payload_sha256 FROM captures r JOIN captures o "
                                    "ON o.warc_record_id = r.refers_to WHERE r.status = 304").fetchall())
    seen = {}
    with open(next((latest / "data" / "warc").glob("*.warc.gz")), "rb") as handle:
        for record in ArchiveIterator(handle):
            if source := record.rec_headers.get_header("Clippings-Source-Record-ID"):
                assert record.rec_type == "revisit" and record.http_headers.get_statuscode() == "200"
                assert record.rec_headers.get_header("WARC-Profile").endswith("/identical-payload-digest")
                assert record.http_headers.get_header("Content-Type").startswith("text/")  # the stored one
                seen[source] = record.rec_headers.get_header("WARC-Payload-Digest")
    assert len(seen) == len(expected) > 287  # the 287 unchanged articles, and unchanged listing pages
    assert seen == {k: "sha256:" + base64.b32encode(bytes.fromhex(v)).decode() for k, v in expected.items()}
    index = (latest / "data" / "indexes" / "index.cdxj").read_text()
    assert index.count('"status": "304"') == 0 and index.count('"mime": "warc/revisit", "offset"') == len(seen)


def test_datapackage_is_valid_for_frictionless(latest: Path) -> None:
    package = latest / "data" / "datapackage.json"
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", str(package)],
                            capture_output=True, text=True, timeout=300, cwd=package.parent)
    assert result.returncode == 0, result.stdout[-3000:]
    fields = [f for r in json.loads(package.read_text())["resources"] for f in r.get("schema", {}).get("fields", [])]
    assert len(fields) == 79
    assert [f["name"] for f in fields if not f["description"]] == []
    assert {f["type"] for f in fields} <= {"string", "integer", "number", "date", "datetime", "object", "any"}


def _verify(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", "verify", str(path)],
                          capture_output=True, text=True, timeout=300)


def test_export_is_renamed_into_place_when_complete(snapshot: Path) -> None:
    assert sorted(p.name for p in snapshot.parent.iterdir()) == ["between"]  # no .between.partial left


def test_a_folder_killed_before_bagging_is_invalid(snapshot: Path, tmp_path: Path) -> None:
    unbagged = tmp_path / "unbagged"
    shutil.copytree(snapshot / "data", unbagged)  # what an export killed before bagging held
    (unbagged / "tables" / "links.parquet").write_bytes(b"corrupt")
    shutil.rmtree(unbagged / "warc")
    result = _verify(unbagged)
    assert result.returncode == 1
    assert (f"{unbagged} is not a whole bag (bagit.txt, bag-info.txt, manifest-sha256.txt, "
            "tagmanifest-sha256.txt, data/ missing) nor a standalone WACZ (it also holds ") in result.stderr


@pytest.mark.parametrize("removed", ["tagmanifest-sha256.txt", "bag-info.txt", "manifest-sha256.txt"])
def test_a_bag_missing_a_tag_file_is_invalid(snapshot: Path, tmp_path: Path, removed: str) -> None:
    copy = tmp_path / "partial"
    shutil.copytree(snapshot, copy)
    (copy / removed).unlink()
    result = _verify(copy)
    assert result.returncode == 1 and f"incomplete bag: {removed} missing" in result.stderr


def test_a_bag_with_a_deleted_warc_is_invalid(snapshot: Path, tmp_path: Path) -> None:
    copy = tmp_path / "no-warc"
    shutil.copytree(snapshot, copy)
    warc = next((copy / "data" / "warc").glob("*.warc.gz"))
    warc.unlink()
    result = _verify(copy)
    assert result.returncode == 1 and \
        f"data/warc/{warc.name} is listed in manifest-sha256.txt but missing" in result.stderr
