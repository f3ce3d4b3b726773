"""Prefect flow: export a dated, verifiable snapshot of an archive, then verify it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, task

from flows.progress import progress
from warehouse.snapshot import export_snapshot
from warehouse.snapshot.verify import verify


@task(name="export-snapshot")
def export_task(db_path: str, out: str, as_of: str | None, site: str | None, fmt: str,
                archive_dir: str | None, wait_seconds: float = 60.0) -> dict[str, Any]:
    """Write the bag and/or WACZ."""
    with progress(f"export {Path(out).name}", unit="WARC records") as shown:
        result = export_snapshot(Path(db_path), Path(out), as_of, site, fmt, Path(archive_dir) if archive_dir else None,
                                 progress=lambda done, total: shown.update(done, total=total),
                                 wait_seconds=wait_seconds)
    return {"out": str(result.out), "as_of": result.as_of, "counts": result.counts,
            "crawl_ids": result.crawl_ids}


@task(name="verify-snapshot")
def verify_task(path: str) -> list[str]:
    """Validate what was just written, as an archivist receiving it would."""
    return verify(Path(path))


@flow(name="export-snapshot")
def export_archive(db_path: str, out: str, as_of: str | None = None, site: str | None = None,
                   fmt: str = "both", archive_dir: str | None = None,
                   lock_wait_seconds: float = 60.0) -> dict[str, Any]:
    """Export the archive as of `as_of` (default: its newest crawl) and verify the result."""
    result = export_task(db_path, out, as_of, site, fmt, archive_dir, lock_wait_seconds)
    problems = verify_task(out)
    if problems:
        raise RuntimeError(f"the snapshot in {out} did not verify: {problems[:5]}")
    return result
