"""Opening archives: extensions offline from their wheels, a newer storage format refused with
the way to move it, and an archive rebuilt from its staging folders."""
from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from spiders.run import CrawlResult
from tests.warehouse.conftest import table_counts
from warehouse.connect import ArchiveFormatTooNew, connect, extension_file, load_extension
from warehouse.migrate import schema_file_version

# DuckDB's main header block (4096 bytes): its checksum (uint64), "DUCK", then the storage
# version (uint64, little-endian). DuckDB 2.0.1 writes 69 there (the measurement);
# 1.5.5 reads 64 to 68.
MAGIC_OFFSET, VERSION_OFFSET, HEADER_SIZE, DUCKDB_2_STORAGE = 8, 12, 4096, 69


def header_checksum(block: bytes) -> int:
    """DuckDB's block checksum (common/checksum.cpp): 5381 xor-folded with each uint64 times a constant."""
    result = 5381
    for (word,) in struct.iter_unpack("<Q", block):
        result ^= (word * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    return result


def written_by_duckdb_2(path: Path) -> Path:
    """A real 1.5.5 database whose header says the 2.x storage version (checksum recomputed): the
    header is the first thing 1.5.5 reads, so it meets the same check a real 2.x file fails."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE articles AS SELECT 1 AS id")
    data = bytearray(path.read_bytes())
    assert data[MAGIC_OFFSET:VERSION_OFFSET] == b"DUCK"
    assert int.from_bytes(data[:8], "little") == header_checksum(data[8:HEADER_SIZE])
    data[VERSION_OFFSET:VERSION_OFFSET + 8] = DUCKDB_2_STORAGE.to_bytes(8, "little")
    data[:8] = header_checksum(data[8:HEADER_SIZE]).to_bytes(8, "little")
    path.write_bytes(bytes(data))
    return path


def test_fts_loads_from_its_wheel_without_writing_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert extension_file("fts").name == "fts.duckdb_extension"
    with duckdb.connect(config={"autoinstall_known_extensions": False,
                                "autoload_known_extensions": False}) as con:
        load_extension(con, "fts")
        assert con.execute("SELECT stem('running', 'english'), stem('Zeitungen', 'german')").fetchone() \
            == ("run", "Zeitung")
    assert list(tmp_path.iterdir()) == []


def test_a_new_archive_migrates_offline_with_an_empty_home(tmp_path: Path) -> None:
    """The schema's search macros need fts: `connect` loads it from the wheel, so a fresh machine
    (nothing in ~/.duckdb, no network) can create an archive, and nothing lands in HOME."""
    home = tmp_path / "home"
    home.mkdir()
    script = ("import sys; from warehouse.connect import connect; from warehouse.migrate import migrate\n"
              "con = connect(sys.argv[1]); print(migrate(con)); "
              "print(con.execute(\"SELECT current_setting('autoinstall_known_extensions')\").fetchone()[0])")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "new.duckdb")],
                            capture_output=True, text=True, timeout=120, env={"HOME": str(home), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == [str(schema_file_version()), "False"]
    assert list(home.iterdir()) == []


def test_archive_from_duckdb_2_is_refused_with_the_way_out(tmp_path: Path) -> None:
    db = written_by_duckdb_2(tmp_path / "news.duckdb")
    before = db.read_bytes()
    with pytest.raises(ArchiveFormatTooNew, match="storage version 69"):
        connect(db, read_only=True)
    result = subprocess.run([sys.executable, "-m", "flows.cli", "sql", "--db", str(db), "SELECT 1"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "newer DuckDB (2.x: storage version 69)" in result.stderr
    assert f"clippings load --db {db}" in result.stderr
    assert f"{tmp_path / 'news-archive'}/staging/" in result.stderr
    assert db.read_bytes() == before


def test_load_rebuilds_an_archive_from_its_staging(sample_crawl: CrawlResult, loaded_db: Path,
                                                  tmp_path: Path) -> None:
    archive = sample_crawl.staging_path.parent.parent
    db = tmp_path / "moved.duckdb"
    result = subprocess.run([sys.executable, "-m", "flows.cli", "load", "--db", str(db),
                             "--archive-dir", str(archive)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [f"{sample_crawl.staging_path}: loaded (test-crawl)",
                                          "link graph: 300 articles, 3532 edges, 6 communities"]
    assert table_counts(db) == table_counts(loaded_db)
