"""Re-extract a crawl from its WARC files with the current parser, fetching nothing.

Reads the crawl's capture rows, takes each archived HTML 200 response from the exact WARC
offset, parses it in a process pool, and stages articles, sections, links and parse/validate
rejects as a new staging folder whose summary names the crawl it re-reads and the parser
version. Fetch-side facts (captures, aliases, fetch rejects) stay with the original crawl.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from spiders.inflate import MAX_PAGE_BYTES, TooLarge, read_bounded
from spiders.layout import SUMMARY_FILE, ArchiveLayout
from spiders.page_worker import ParseFailure, ParsedPage, parse_fetched_page
from spiders.parsers import PARSER_VERSION, canonicalize_url
from spiders.memory import LocalMemory
from spiders.parts import part_dirs
from spiders.rows import Capture, Reject, StagedArticle
from spiders.run import CrawlResult
from spiders.scope import CrawlScope, Decision, staging_decision
from spiders.staging import Staging, read_rows
from spiders.summary import CrawlSummary, summarize


def archived_pages(warc_dir: Path, captures: list[Capture],
                   max_bytes: int = MAX_PAGE_BYTES) -> Iterator[tuple[Capture, bytes | TooLarge]]:
    """(capture, payload) for each HTML 200 capture, read at its recorded WARC offset; a payload
    inflating past `max_bytes` comes back as its TooLarge error instead of its bytes."""
    for capture in captures:
        if capture.status != 200 or "html" not in (capture.content_type or "text/html"):
            continue
        with open(warc_dir / capture.warc_file, "rb") as handle:
            handle.seek(capture.warc_offset)
            record = next(iter(ArchiveIterator(handle)))
            try:
                yield capture, read_bounded(record.content_stream(), max_bytes, "archived payload")
            except TooLarge as error:
                yield capture, error


def _work(args: tuple[bytes, str, str | None, str]) -> ParsedPage | ParseFailure:
    return parse_fetched_page(*args)


def reparse_crawl(archive: Path, crawl_id: str, workers: int = 2,
                  progress: Callable[[int, int], None] | None = None) -> CrawlResult:
    """Re-extract a crawl; `progress(done, total)` hears of every hundredth page."""
    layout = ArchiveLayout(archive)
    source = layout.staging_dir(crawl_id)
    original = CrawlSummary.read(source / SUMMARY_FILE)
    # a multi-worker crawl's captures are in its parts
    captures = [c for folder in part_dirs(source) or [source]
                for c in read_rows(folder / "captures.jsonl", Capture)]
    started = dt.datetime.now(dt.timezone.utc)
    new_id = f"{crawl_id}-reparse-{started.strftime('%Y%m%dT%H%M%SZ')}"
    staging = Staging(layout.staging_dir(new_id), new_id)
    scope = CrawlScope.from_urls(original.start_urls)
    pages = []
    for capture, payload in archived_pages(layout.warc_dir, captures):
        if isinstance(payload, TooLarge):
            staging.write(Reject(capture.url, "parse", f"too large: {payload}", 200))
        else:
            pages.append((capture, payload))
    memory = LocalMemory()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        jobs = ((body, c.url, c.content_type, c.fetched_at) for c, body in pages)  # as the spider parses
        for done, ((capture, _), result) in enumerate(zip(pages, pool.map(_work, jobs, chunksize=16)), start=1):
            if progress and (done % 100 == 0 or done == len(pages)):
                progress(done, len(pages))
            if isinstance(result, ParseFailure):
                staging.write(Reject(capture.url, "parse", result.reason, 200))
                continue
            canonical = result.article.canonical_url
            decision = staging_decision(result.verdict, canonical, canonicalize_url(capture.url),
                                        scope, memory)
            if decision is Decision.INVALID:
                staging.write(Reject(capture.url, "validate", result.verdict.problem or "", 200))
            elif decision is Decision.STAGE:
                staging.write_article(StagedArticle(result, capture.fetched_at, capture.payload_sha256,
                                                    capture.depth, PARSER_VERSION))
    summary = summarize(new_id, original.start_urls, started, "reparsed", staging.counts, PARSER_VERSION,
                        original.depth, original.max_pages, reparse_of=crawl_id, pages_reparsed=len(pages))
    staging.finish(summary)
    return CrawlResult(summary, staging.folder, layout.log_path(crawl_id))
