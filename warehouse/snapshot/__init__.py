"""Dated, self-describing, verifiable snapshots of an archive: BagIt bags and WACZ packages.

`export_snapshot` reads the archive read-only as of one moment (warehouse/snapshot/asof.sql),
writes the tables as Parquet, copies the WARC records of the captures into new WARC files with a
CDXJ index, describes every file and column, and packages it all as a BagIt bag (the `bagit`
package, sha256 manifests), a WACZ, or a bag holding the WACZ. Same database and moment give
byte-identical payload files and manifests.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import bagit

from spiders.layout import ArchiveLayout
from warehouse.connect import connect, scalar
from warehouse.sql import read_statements
from warehouse.migrate import migrate
from warehouse.snapshot.describe import write_description
from warehouse.snapshot.wacz import pages_jsonl, write_wacz
from warehouse.snapshot.warcs import SnapshotWarcs, batches

TABLES = ("crawls", "captures", "articles", "sections", "links", "aliases", "rejects")
FORMATS = ("bagit", "wacz", "both")
SOFTWARE = "Clippings 0.1.0"


class SnapshotError(RuntimeError):
    pass


@dataclass(frozen=True)
class SnapshotResult:
    out: Path
    as_of: str
    counts: dict[str, int]
    crawl_ids: list[str]


def _copy_warcs(con, archive_warc: Path, folder: Path, as_of: dt.datetime, info: dict[str, str],
                work: Path, max_bytes: int, progress: Callable[[int, int], None] | None = None
                ) -> tuple[Path, Path, list[Path]]:
    """Copy every capture's record; returns the location map, the sorted CDXJ and the files."""
    warcs = SnapshotWarcs(folder, "clippings-snapshot", as_of.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                          info, max_bytes)
    mapping, unsorted = work / "locations.csv", work / "cdxj.unsorted"
    with open(mapping, "w", newline="") as map_file, open(unsorted, "w", encoding="utf-8") as index:
        writer = csv.writer(map_file)
        writer.writerow(["old_file", "old_offset", "new_file", "new_offset", "new_length"])
        total = scalar(con, "SELECT count(*) FROM snap_captures")  # before the cursor below: it would close it
        # A revisit's original, when the snapshot holds it: players need its payload.
        captures = con.execute("SELECT c.*, o.warc_file AS original_file, o.warc_offset AS original_offset "
                               "FROM snap_captures c LEFT JOIN snap_captures o ON o.warc_record_id = c.refers_to "
                               "ORDER BY c.fetched_at, c.warc_file, c.warc_offset")
        for done, capture in enumerate(batches(captures), start=1):
            if progress and (done % 200 == 0 or done == total):
                progress(done, total)
            copied = warcs.copy(archive_warc, capture)
            writer.writerow([*copied.capture_key, copied.file, copied.offset, copied.length])
            index.write(copied.cdxj.replace("\x1f", " ") + "\n")
    warcs.close()
    cdxj = work / "index.cdxj"
    sorted_lines = con.execute("SELECT line FROM read_csv(?, columns={'line': 'VARCHAR'}, delim='\x1f', "
                               "quote='', escape='', header=false) ORDER BY line", [str(unsorted)])
    with open(cdxj, "w", encoding="utf-8") as out:
        while rows := sorted_lines.fetchmany(5000):
            out.writelines(row[0] + "\n" for row in rows)
    return mapping, cdxj, warcs.files()


def _write_tables(con, folder: Path, mapping: Path) -> dict[str, list[tuple[str, str, bool]]]:
    folder.mkdir(parents=True, exist_ok=True)
    con.execute("CREATE OR REPLACE TEMP TABLE snap_locations AS SELECT * FROM read_csv(?, header=true, "
                "columns={'old_file': 'VARCHAR', 'old_offset': 'BIGINT', 'new_file': 'VARCHAR', "
                "'new_offset': 'BIGINT', 'new_length': 'BIGINT'})", [str(mapping)])
    selects = {t: f"SELECT * FROM snap_{t}" for t in TABLES}
    selects["captures"] = ("SELECT c.* REPLACE (l.new_file AS warc_file, l.new_offset AS warc_offset, l.new_length AS warc_length) "
                           "FROM snap_captures c JOIN snap_locations l ON l.old_file = c.warc_file "
                           "AND l.old_offset = c.warc_offset ORDER BY l.new_file, l.new_offset")
    columns = {}
    for table, select in selects.items():
        target = str(folder / f"{table}.parquet")
        con.execute(f"COPY ({select}) TO ? (FORMAT parquet)", [target])
        described = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {select}").fetchall()]
        # which columns hold a null: datapackage.json types those Frictionless cannot check
        nulls = con.execute("SELECT " + ", ".join(f'count(*) > count("{c}")' for c, _ in described)
                            + " FROM read_parquet(?)", [target]).fetchone()
        columns[table] = [(c, kind, bool(null)) for (c, kind), null in zip(described, nulls)]
    return columns


def _pages(con) -> Iterator[dict]:
    cursor = con.execute("SELECT url, captured_at, title FROM snap_articles ORDER BY url")
    for page in batches(cursor):
        yield {"url": page["url"], "title": page["title"],
               "ts": page["captured_at"].astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}


def export_snapshot(db_path: Path, out: Path, as_of: str | None = None, site: str | None = None,
                    fmt: str = "both", archive_dir: Path | None = None,
                    warc_max_bytes: int = 1024 ** 3,
                    progress: Callable[[int, int], None] | None = None,
                    wait_seconds: float = 60.0) -> SnapshotResult:
    """Export the archive as of a moment; `progress(done, total)` hears of the records copied;
    a locked database is waited for up to `wait_seconds`."""
    if fmt not in FORMATS:
        raise SnapshotError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if out.exists() and any(out.iterdir()):
        raise SnapshotError(f"{out} exists and is not empty; export into a new folder")
    archive = ArchiveLayout.beside(db_path, archive_dir).root
    if not db_path.exists():
        raise SnapshotError(f"no database at {db_path}")
    with connect(db_path, wait_seconds=wait_seconds) as con:
        migrate(con)  # an archive from an older Clippings gains what the snapshot reads
    # Written beside the target and renamed into place only when complete: a killed export
    # leaves a hidden .partial folder (removed by the next export), never a half-snapshot.
    partial = out.parent / f".{out.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            result = _export(db_path, partial, as_of, site, fmt, archive, Path(tmp), warc_max_bytes,
                             progress, wait_seconds)
        if out.exists():
            out.rmdir()  # empty, checked above
        os.replace(partial, out)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return dataclasses.replace(result, out=out)


def _export(db_path: Path, out: Path, as_of: str | None, site: str | None, fmt: str, archive: Path,
            work: Path, warc_max_bytes: int, progress: Callable[[int, int], None] | None,
            wait_seconds: float) -> SnapshotResult:
    with connect(db_path, read_only=True, wait_seconds=wait_seconds) as con:
        con.execute("SET threads = 1")  # one writer thread: Parquet files come out byte-identical
        latest = scalar(con, "SELECT max(finished) FROM crawls")
        if latest is None:
            raise SnapshotError(f"{db_path} holds no finished crawl to export")
        moment = dt.datetime.fromisoformat(as_of) if as_of else latest
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        moment = moment.astimezone(dt.timezone.utc)
        con.execute("CREATE OR REPLACE TEMP TABLE snap_params (as_of TIMESTAMPTZ, site VARCHAR)")
        con.execute("INSERT INTO snap_params VALUES (?, ?)", [moment, site])
        for statement in read_statements("warehouse.snapshot", "asof.sql"):
            con.execute(statement)
        crawl_ids = [r[0] for r in con.execute("SELECT crawl_id FROM snap_crawls").fetchall()]
        if not crawl_ids:
            raise SnapshotError(f"no crawl had finished by {moment.isoformat()}; the first finished at {latest}")
        counts = {t: scalar(con, f"SELECT count(*) FROM snap_{t}") for t in TABLES}
        sites = sorted({r[0] for r in con.execute("SELECT DISTINCT site FROM snap_articles").fetchall()})
        info = {"Source-Organization": ", ".join(sites) or (site or "unknown"),
                "Clippings-As-Of": moment.isoformat(), "Clippings-Crawl-Ids": ", ".join(crawl_ids),
                **{f"Clippings-{t.capitalize()}": str(n) for t, n in counts.items()},
                "Clippings-Software": SOFTWARE}
        payload = out if fmt != "wacz" else work / "payload"
        payload.mkdir(parents=True, exist_ok=True)
        mapping, cdxj, warc_files = _copy_warcs(con, ArchiveLayout(archive).warc_dir, payload / "warc", moment, info,
                                                work, warc_max_bytes, progress)
        (payload / "indexes").mkdir(exist_ok=True)
        shutil.copyfile(cdxj, payload / "indexes" / "index.cdxj")
        columns = _write_tables(con, payload / "tables", mapping)
        pages = work / "pages.jsonl"
        pages_jsonl(_pages(con), pages)
    files = {f"warc/{w.name}": "WARC 1.1 records of the captures (response and revisit), copied byte for byte"
             for w in warc_files}
    files["indexes/index.cdxj"] = "CDXJ index of every record in warc/ (SURT key, timestamp, offset, length, digest)"
    if fmt in ("wacz", "both"):
        wacz_target = out / "snapshot.wacz"
        out.mkdir(parents=True, exist_ok=True)
        write_wacz(wacz_target, warc_files, cdxj, pages, f"Clippings snapshot of {info['Source-Organization']}",
                   moment.strftime("%Y-%m-%dT%H:%M:%SZ"), SOFTWARE)
        files["snapshot.wacz"] = "the same records as a WACZ package, for web-archive replay tools"
    if fmt == "wacz":
        return SnapshotResult(out, moment.isoformat(), counts, crawl_ids)
    write_description(out, columns, files, info)
    bagit.make_bag(str(out), {**info, "Bagging-Date": moment.date().isoformat(),
                              "External-Description": "Clippings archive snapshot: tables, WARC records, index"},
                   processes=1, checksums=["sha256"])
    return SnapshotResult(out, moment.isoformat(), counts, crawl_ids)
