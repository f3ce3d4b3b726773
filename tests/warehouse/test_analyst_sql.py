"""`clippings sql` is truly read-only: every escape an analyst (or a pasted query) might try
fails with one clear line, and nothing on disk changes. Named queries keep working."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.connect import connect_read_only

REFUSED = "refused: analyst SQL reads the archive's own tables only"


def clippings_sql(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", "sql", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=60)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def archive(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("escapes")
    other = folder / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE victims AS SELECT 1 AS id")
    warc = folder / "archive.warc.gz"
    warc.write_bytes(b"original WARC bytes")
    secret = folder / "secret.csv"
    secret.write_text("password\nhunter2\n")
    return {"db": loaded_db, "folder": folder, "other": other, "warc": warc, "secret": secret}


@pytest.mark.parametrize("name, sql", [
    ("copy to a path", "COPY articles TO '{folder}/stolen.csv'"),
    ("copy over the WARC", "COPY (SELECT 'x') TO '{warc}' (FORMAT csv)"),
    ("export database", "EXPORT DATABASE '{folder}/exported'"),
    ("read a file", "SELECT * FROM read_csv('{secret}')"),
    ("read /etc/shadow", "SELECT * FROM read_csv('/etc/shadow')"),
    ("attach read-write", "ATTACH '{other}' AS other (READ_WRITE)"),
    ("install", "INSTALL httpfs"),
    ("load", "LOAD httpfs"),
    ("unlock", "SET enable_external_access = true"),
    ("unlock the lock", "SET lock_configuration = false"),
    ("read a URL", "SELECT * FROM read_parquet('https://example.com/x.parquet')"),
])
def test_each_escape_fails_with_a_clear_message(archive: dict[str, Path], name: str, sql: str) -> None:
    before = {p: digest(p) for p in (archive["warc"], archive["other"], archive["db"])}
    result = clippings_sql(archive["db"], sql.format(**archive))
    assert result.returncode == 1, (name, result.stdout)
    assert result.stderr.startswith(f"clippings sql: {REFUSED}") and result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == ""
    assert {p: digest(p) for p in before} == before
    assert sorted(p.name for p in archive["folder"].iterdir()) == ["archive.warc.gz", "other.duckdb", "secret.csv"]


def test_attach_then_delete_changes_nothing(archive: dict[str, Path]) -> None:
    with_file = archive["folder"] / "attack.sql"
    with_file.write_text(f"ATTACH '{archive['other']}' AS other (READ_WRITE);\nDELETE FROM other.victims;\n")
    result = clippings_sql(archive["db"], "--file", str(with_file))
    assert result.returncode == 1 and REFUSED in result.stderr
    with duckdb.connect(str(archive["other"]), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM victims").fetchone() == (1,)


def test_writes_to_the_archive_are_refused(archive: dict[str, Path]) -> None:
    result = clippings_sql(archive["db"], "DELETE FROM articles")
    assert result.returncode == 1 and "opened read-only, so this statement was refused" in result.stderr


def test_one_statement_per_call_unless_a_file(archive: dict[str, Path]) -> None:
    two = clippings_sql(archive["db"], "SELECT 1 AS a; SELECT 2 AS b")
    assert (two.returncode, two.stderr) == (
        2, "clippings sql: 2 statements given; run one per call, or put several in a file and pass --file\n")
    script = archive["folder"] / "two.sql"
    script.write_text("SELECT count(*) AS n FROM articles;\nSELECT 'done' AS status;\n")
    result = clippings_sql(archive["db"], "--file", str(script), "--format", "csv")
    script.unlink()
    assert result.stdout.splitlines() == ["n", "300", "status", "done"]


def test_named_queries_and_plain_selects_keep_working(archive: dict[str, Path]) -> None:
    named = clippings_sql(archive["db"], "--query", "rejects_by_reason", "--format", "csv")
    assert named.returncode == 0, named.stderr
    assert named.stdout.splitlines()[0].startswith("stage,")
    plain = clippings_sql(archive["db"], "--format", "csv", "SELECT count(*) AS n FROM articles")
    assert plain.stdout.splitlines() == ["n", "300"]


def test_a_search_session_can_load_fts_before_the_lock(archive: dict[str, Path]) -> None:
    with connect_read_only(archive["db"], extensions=("fts",)) as con:
        assert con.execute("SELECT stem('running', 'english')").fetchone() == ("run",)  # fts's stemmer
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.execute(f"SELECT * FROM read_csv('{archive['secret']}')")
