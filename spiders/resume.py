"""Resuming a crawl killed midway (SIGKILL included) under the same crawl id.

A crawl's staging folder without crawl.json is unfinished. Resuming repairs it and rebuilds the
spider's memory from it instead of Scrapy's JOBDIR, whose queue files are only consistent after a
clean shutdown:
- JSON Lines files lose a torn last line;
- sections and links of an article whose own row was not written are dropped (it is refetched);
- the last WARC file is cut after the last record a capture row points to;
- URLs whose outcome is recorded (a staged article, an alias, a reject, a non-HTML or error
  capture) are done; every other URL, listing pages included, is fetched again, and links of
  staged articles are followed again so nothing they led to is lost;
- each staged article's distance and WARC record (`located`) seed the resumed crawl's
  spiders.hops.Distances, so one found nearer again is followed again from there, as it would
  have been had the crawl not stopped.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spiders.layout import warc_glob
from spiders.parsers import canonicalize_url
from spiders.staging import TABLES


@dataclass
class ResumeState:
    done: set[str] = field(default_factory=set)
    staged: set[str] = field(default_factory=set)
    pages_requested: int = 0
    refollow: list[tuple[str, str, int, str]] = field(default_factory=list)  # (url, key, hops, referrer)
    located: list[tuple[str, int, str, tuple[str, int]]] = field(default_factory=list)  # (key, hops, url, record)


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _drop_torn_line(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    data = path.read_bytes()
    if not data.endswith(b"\n"):
        path.write_bytes(data[: data.rfind(b"\n") + 1])


def _keep(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _cut_warcs(warc_dir: Path, prefix: str, captures: list[dict[str, Any]]) -> None:
    ends: dict[str, int] = {}
    for capture in captures:
        end = capture["warc_offset"] + capture["warc_length"]
        ends[capture["warc_file"]] = max(ends.get(capture["warc_file"], 0), end)
    files = sorted(warc_dir.glob(warc_glob(prefix)))
    if not files:
        return
    last = files[-1]
    if last.name in ends:
        with open(last, "r+b") as handle:
            handle.truncate(ends[last.name])
    else:
        last.unlink()  # only a warcinfo record, or records no capture row points to


def repair(staging: Path, warc_dir: Path, prefix: str, follow_kinds: set[str], depth: int) -> ResumeState:
    for table in TABLES:
        _drop_torn_line(staging / f"{table}.jsonl")
    articles = _read(staging / "articles.jsonl")
    staged = {a["canonical_url"] for a in articles}
    for table, key in (("sections", "canonical_url"), ("links", "source_url")):
        rows = _read(staging / f"{table}.jsonl")
        kept = [r for r in rows if r[key] in staged]
        if len(kept) != len(rows):
            _keep(staging / f"{table}.jsonl", kept)
    captures = _read(staging / "captures.jsonl")
    _cut_warcs(warc_dir, prefix, captures)
    done = {canonicalize_url(a["url"]) for a in articles} | staged
    done |= {canonicalize_url(a["alias_url"]) for a in _read(staging / "aliases.jsonl")}
    done |= {canonicalize_url(r["url"]) for r in _read(staging / "rejects.jsonl")}
    done |= {canonicalize_url(r["url"]) for r in _read(staging / "revisits.jsonl")}
    done |= {canonicalize_url(c["url"]) for c in captures
             if not (c["content_type"] or "").startswith("text/html") and c["status"] < 300}
    hops = {a["canonical_url"]: a["depth"] for a in articles}
    refollow = [(l["target_url"], l["target_url"], hops[l["source_url"]] + 1, l["source_url"])
                for l in _read(staging / "links.jsonl")
                if l["kind"] in follow_kinds and hops[l["source_url"]] < depth]
    pages = sum(1 for c in captures if (c["content_type"] or "").startswith("text/html"))
    records = {c["url"]: (c["warc_file"], c["warc_offset"]) for c in captures
               if c["status"] == 200 and c.get("record_type", "response") == "response"}
    located = [(a["canonical_url"], a["depth"], a["url"], records[a["url"]])
               for a in articles if a["url"] in records]
    return ResumeState(done, staged, pages, refollow, located)
