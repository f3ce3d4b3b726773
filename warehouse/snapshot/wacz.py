"""WACZ 1.1.1 packages (zip of archive/, indexes/, pages/ and datapackage.json), byte-reproducible.

The `wacz` package's creator stamps the current time into datapackage.json and the zip entries,
so two exports could never be compared by checksum; this writer produces the same layout with
fixed times, and the tests validate its output with `wacz validate`.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

WACZ_VERSION = "1.1.1"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def _add(archive: zipfile.ZipFile, source: Path, name: str, compress: bool) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    with open(source, "rb") as handle, archive.open(info, "w", force_zip64=True) as target:
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
    members += [(cdxj, "indexes/index.cdxj", True), (pages, "pages/pages.jsonl", True)]
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
