"""`clippings verify`: is a snapshot complete and unaltered?

A bag is validated by the `bagit` package (every payload file against manifest-sha256.txt,
tag files against tagmanifest-sha256.txt, Payload-Oxum, nothing missing or extra); then every
WARC record must be readable, every response/revisit record must have its CDXJ line, and every
CDXJ line must point at a record whose payload digest matches. A WACZ is checked against its
datapackage.json hashes and the same WARC/CDXJ rules.
"""
from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import bagit
from warcio.archiveiterator import ArchiveIterator

from warehouse.snapshot.wacz import INDEX_NAME


def _b32(hex_digest: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(hex_digest)).decode()


def _sha256_stream(stream: IO[bytes]) -> str:
    """Hash a record's payload in chunks: an inflating record must not be held in memory."""
    digest = hashlib.sha256()
    while chunk := stream.read(1 << 16):
        digest.update(chunk)
    return digest.hexdigest()


def _read_index(cdxj_lines: list[str]) -> tuple[dict[tuple[str, int], str], list[str]]:
    index: dict[tuple[str, int], str] = {}
    problems = []
    for number, line in enumerate(cdxj_lines, start=1):
        try:
            fields = json.loads(line.split(" ", 2)[2])
            index[(fields["filename"], int(fields["offset"]))] = fields["digest"].split(":", 1)[1]
        except (IndexError, ValueError, KeyError):
            problems.append(f"indexes/index.cdxj line {number} is not a CDXJ line")
    return index, problems


def check_warcs_and_index(open_file: Callable[[str], IO[bytes]], warc_names: list[str],
                          cdxj_lines: list[str]) -> list[str]:
    """Read every WARC file once: each record readable, each response/revisit record indexed
    with a matching digest, each index line pointing at a record."""
    index, problems = _read_index(cdxj_lines)
    seen: set[tuple[str, int]] = set()
    for name in warc_names:
        try:
            with open_file(name) as data:
                iterator = ArchiveIterator(data)
                for record in iterator:
                    if record.rec_type not in ("response", "revisit"):
                        continue
                    declared = record.rec_headers.get_header("WARC-Payload-Digest") or ""
                    actual = _sha256_stream(record.content_stream())
                    key = (name, iterator.get_record_offset())  # after the read: it reads to the end
                    if record.rec_type == "response":
                        if declared != _b32(actual):
                            problems.append(f"{name}: the record at offset {key[1]} does not match its WARC-Payload-Digest")
                    if key not in index:
                        problems.append(f"{name}: the record at offset {key[1]} is not in the CDXJ index")
                    elif _b32(index[key]) != declared:
                        problems.append(f"{name}: the CDXJ digest for offset {key[1]} differs from the record's")
                    seen.add(key)
        except Exception as error:  # warcio raises several types on truncated or corrupt data
            problems.append(f"{name}: unreadable WARC data ({type(error).__name__}: {error})")
    for name, offset in sorted(set(index) - seen):
        problems.append(f"indexes/index.cdxj points at {name} offset {offset}, where no record starts")
    return problems


BAG_TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt")


def missing_bag_parts(folder: Path) -> list[str]:
    """What a whole bag has that `folder` lacks: the tag files, a payload manifest, data/."""
    missing = [name for name in BAG_TAG_FILES if not (folder / name).is_file()]
    if not (folder / "data").is_dir():
        missing.append("data/")
    return missing


def _manifest_names(folder: Path) -> list[str]:
    lines = (folder / "manifest-sha256.txt").read_text("utf-8").splitlines()
    return [line.split(maxsplit=1)[1] for line in lines if len(line.split(maxsplit=1)) == 2]


def verify_bag(folder: Path) -> list[str]:
    missing = missing_bag_parts(folder)
    if missing:
        return [f"incomplete bag: {', '.join(missing)} missing"]
    problems = [f"{name} is listed in manifest-sha256.txt but missing" for name in _manifest_names(folder)
                if not (folder / name).is_file()]
    try:
        bagit.Bag(str(folder)).validate(processes=1)
    except bagit.BagValidationError as error:
        details = getattr(error, "details", None) or []
        problems += [f"bag: {d}" for d in details] or [f"bag: {error.message}"]
    except bagit.BagError as error:
        return [f"bag: {error}"]
    data = folder / "data"
    warcs = sorted(p.name for p in (data / "warc").glob("*.warc.gz"))
    index = data / "indexes" / "index.cdxj"
    lines = index.read_text("utf-8").splitlines() if index.exists() else []
    if not index.exists():
        problems.append("data/indexes/index.cdxj is missing")
    problems += check_warcs_and_index(lambda n: open(data / "warc" / n, "rb"), warcs, lines)
    if (data / "snapshot.wacz").exists():
        problems += verify_wacz(data / "snapshot.wacz")
    return problems


def verify_wacz(path: Path) -> list[str]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        return [f"{path.name}: not a readable zip ({error})"]
    with archive:
        problems: list[str] = []
        try:
            package = json.loads(archive.read("datapackage.json"))
            digest = json.loads(archive.read("datapackage-digest.json"))
        except (KeyError, ValueError) as error:
            return [f"{path.name}: datapackage.json or its digest is missing or unreadable ({error})"]
        if digest.get("hash") != "sha256:" + hashlib.sha256(archive.read("datapackage.json")).hexdigest():
            problems.append(f"{path.name}: datapackage.json does not match datapackage-digest.json")
        for resource in package.get("resources", []):
            try:
                data = archive.read(resource["path"])
            except KeyError:
                problems.append(f"{path.name}: {resource['path']} is listed but missing")
                continue
            if resource.get("hash") != "sha256:" + hashlib.sha256(data).hexdigest():
                problems.append(f"{path.name}: {resource['path']} does not match its hash in datapackage.json")
        warcs = sorted(n[len("archive/"):] for n in archive.namelist() if n.startswith("archive/"))
        lines = archive.read(INDEX_NAME).decode("utf-8").splitlines() if INDEX_NAME in archive.namelist() else []
        if INDEX_NAME not in archive.namelist():
            problems.append(f"{INDEX_NAME} is missing")
        problems += check_warcs_and_index(lambda n: archive.open(f"archive/{n}"), warcs, lines)
    return [p if p.startswith(path.name) else f"{path.name}: {p}" for p in problems]


def verify(path: Path) -> list[str]:
    """Problems found in a bag folder or a .wacz file (an empty list: valid).

    Valid inputs are a whole bag, a .wacz file, or a folder holding nothing but snapshot.wacz
    (what `--format wacz` writes). Anything else, such as a folder whose export stopped before
    bagging, is invalid, and the problems say what is missing."""
    if path.is_file() and path.suffix == ".wacz":
        return verify_wacz(path)
    if not path.exists():
        return [f"{path} does not exist"]
    if not path.is_dir():
        return [f"{path} is neither a snapshot folder nor a .wacz file"]
    if (path / "bagit.txt").exists():
        return verify_bag(path)
    contents = sorted(p.name for p in path.iterdir())
    if contents == ["snapshot.wacz"]:
        return verify_wacz(path / "snapshot.wacz")
    missing = ", ".join(missing_bag_parts(path))
    others = [c for c in contents if c != "snapshot.wacz"]
    return [f"{path} is not a whole bag ({missing} missing)"
            + (f" nor a standalone WACZ (it also holds {', '.join(others[:5])})" if others else
               " and holds no snapshot.wacz")]
