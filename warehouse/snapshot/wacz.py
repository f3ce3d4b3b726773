"""WACZ 1.1.1 packages (zip of archive/, indexes/, pages/ and datapackage.json), byte-reproducible.

The `wacz` package's creator stamps the current time into datapackage.json and the zip entries,
so two exports could never be compared by checksum; this writer produces the same layout with
fixed times, and the tests validate its output with `wacz validate`.

What players need, learnt the hard way: each entry's local header must agree with its
central-directory entry (a Zip64 extra field only where a member is over 2 GiB, never forced:
ReplayWeb.page reads members at the offset the central directory implies), and the index is
`indexes/index.cdx` (CDXJ lines), the one name both pywb (`*.cdx`, `*.cdx.gz`) and ReplayWeb.page
(`*.cdx`, `*.cdxj`, `*.idx`) look for.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

WACZ_VERSION = "1.1.1"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
INDEX_NAME = "indexes/index.cdx"
COMPRESS_BELOW = 1 << 30  # bigger members are stored, so their zipped size is known in advance


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def needs_zip64(size: int, compress: bool) -> bool:
    """Zip64 exactly when the central directory will carry it: a member over ZIP64_LIMIT.

    Only stored members can be that big (see COMPRESS_BELOW), and a stored member's zipped
    size is its size, so the local header is written knowing what the central one will say.
    """
    return not compress and size > zipfile.ZIP64_LIMIT


def _add(archive: zipfile.ZipFile, source: Path, name: str, compress: bool) -> None:
    size = source.stat().st_size
    compress = compress and size < COMPRESS_BELOW
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16  # file_size left 0: zipfile would guess Zip64 from it
    with open(source, "rb") as handle, archive.open(info, "w", force_zip64=needs_zip64(size, compress)) as target:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            target.write(chunk)


def pages_jsonl(pages: Iterable[dict], target: Path) -> None:
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Articles"}) + "\n")
        for page in pages:
            handle.write(json.dumps(page, ensure_ascii=False, sort_keys=True) + "\n")


def write_wacz(target: Path, warcs: list[Path], cdxj: Path, pages: Path, title: str, created: str,
               software: str) -> None:
    members = [(w, f"archive/{w.name}", False) for w in warcs]
    members += [(cdxj, INDEX_NAME, True), (pages, "pages/pages.jsonl", True)]
    resources = [{"name": Path(name).name, "path": name, "hash": _sha256(path), "bytes": path.stat().st_size}
                 for path, name, _ in members]
    package = {"profile": "data-package", "wacz_version": WACZ_VERSION, "title": title,
               "created": created, "software": software, "resources": resources}
    package_path = target.parent / f".{target.name}.datapackage.json"
    package_path.write_text(json.dumps(package, indent=2), "utf-8")
    digest_path = target.parent / f".{target.name}.datapackage-digest.json"
    digest_path.write_text(json.dumps({"path": "datapackage.json", "hash": _sha256(package_path)}, indent=2), "utf-8")
    with zipfile.ZipFile(target, "w") as archive:
        for path, name, compress in members:
            _add(archive, path, name, compress)
        _add(archive, package_path, "datapackage.json", True)
        _add(archive, digest_path, "datapackage-digest.json", True)
    package_path.unlink()
    digest_path.unlink()
