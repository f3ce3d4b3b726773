"""Re-extract a crawl from its WARC files with the current parser, fetching nothing.

Reads the crawl's capture rows, takes each archived HTML 200 response from the exact WARC
offset, parses it in a process pool, and stages articles, sections, links and parse/validate
rejects as a new staging folder whose summary names the crawl it re-reads and the parser
version. Fetch-side facts (captures, aliases, fetch rejects) stay with the original crawl.
"""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from spiders.page_worker import parse_page
from spiders.parsers import PARSER_VERSION, canonicalize_url
from spiders.parts import jsonl_rows
from spiders.pipelines import write_article
from spiders.records import Reject, StagedArticle
from spiders.run import CrawlResult
from spiders.scope import in_scope, registrable_domain
from spiders.staging import Staging


def archived_pages(archive: Path, captures: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], bytes]]:
    """(capture, payload) for each HTML 200 capture, read at its recorded WARC offset."""
    for capture in captures:
        if capture["status"] != 200 or "html" not in (capture.get("content_type") or "text/html"):
            continue
        with open(archive / "warc" / capture["warc_file"], "rb") as handle:
            handle.seek(capture["warc_offset"])
            record = next(iter(ArchiveIterator(handle)))
            yield capture, record.content_stream().read()


def _work(args: tuple[bytes, str, str | None]) -> dict[str, Any]:
    return parse_page(*args)


def reparse_crawl(archive: Path, crawl_id: str, workers: int = 2) -> CrawlResult:
    source = archive / "staging" / crawl_id
    summary = json.loads((source / "crawl.json").read_text("utf-8"))
    captures = jsonl_rows(source, "captures")  # a multi-worker crawl's captures are in its parts
    started = dt.datetime.now(dt.timezone.utc)
    new_id = f"{crawl_id}-reparse-{started.strftime('%Y%m%dT%H%M%SZ')}"
    staging = Staging(archive / "staging" / new_id, new_id)
    domains = frozenset(registrable_domain(u) for u in summary["start_urls"])
    pages = list(archived_pages(archive, captures))
    staged: set[str] = set()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        jobs = ((body, c["url"], c.get("content_type")) for c, body in pages)
        for (capture, _), result in zip(pages, pool.map(_work, jobs, chunksize=16)):
            if "error" in result:
                staging.write("rejects", Reject(capture["url"], "parse", result["error"], 200))
                continue
            is_article, problem = result["verdict"]
            article = result["article"]
            canonical = article["canonical_url"]
            if is_article and problem:
                staging.write("rejects", Reject(capture["url"], "validate", problem, 200))
            elif is_article and canonical not in staged and (
                    canonical == canonicalize_url(capture["url"]) or not in_scope(canonical, domains)):
                staged.add(canonical)
                write_article(staging, StagedArticle(article, capture["fetched_at"],
                                                     capture["payload_sha256"], capture["depth"],
                                                     PARSER_VERSION))
    result_summary = {**summary, "crawl_id": new_id, "reparse_of": crawl_id,
                      "started": started.isoformat(),
                      "finished": dt.datetime.now(dt.timezone.utc).isoformat(),
                      "pages_fetched": 0, "pages_reparsed": len(pages),
                      "articles": staging.counts["articles"], "sections": staging.counts["sections"],
                      "links": staging.counts["links"], "aliases": 0,
                      "rejects": staging.counts["rejects"], "bytes": 0, "warc_files": [],
                      "parser_version": PARSER_VERSION, "decisions": {}}
    staging.finish(result_summary)
    return CrawlResult(result_summary, staging.folder, archive / "logs" / f"{crawl_id}.log")
