"""Crawl records staged for the warehouse: one dataclass per staged table row.

The parsed article itself is `spiders.parsers.Article`; these are what the crawl adds around it.
`docs/staging.md` documents every column.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Capture:
    """One HTTP response as received, and where its bytes are in the WARC files."""

    url: str
    status: int
    fetched_at: str
    content_type: str | None
    content_length: int
    payload_sha256: str
    warc_file: str
    warc_offset: int
    warc_length: int
    depth: int
    referrer: str | None
    location: str | None  # the Location header of a redirect
    record_type: str = "response"  # or "revisit" (304, or a payload identical to the last capture)
    warc_record_id: str | None = None
    refers_to: str | None = None  # for a revisit: the record holding the payload
    etag: str | None = None
    last_modified: str | None = None
    sitemap_lastmod: str | None = None  # the lastmod the sitemap gave when this URL was requested


@dataclass(frozen=True)
class Reject:
    """A URL that did not yield what it should, at which stage and why."""

    url: str
    stage: str  # fetch, robots, parse, validate, scope
    reason: str
    status: int | None = None
    referrer: str | None = None


@dataclass(frozen=True)
class Alias:
    """Another URL under which an archived article was reached."""

    alias_url: str
    canonical_url: str
    reason: str  # canonical-link or redirect


@dataclass(frozen=True)
class StagedArticle:
    """A parsed article page with the capture facts the warehouse keys it by."""

    article: dict[str, Any]
    fetched_at: str
    payload_sha256: str
    depth: int
    parser_version: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Revisit:
    """A known page found unchanged: by sitemap lastmod (not fetched), 304, or identical payload."""

    url: str
    reason: str  # unchanged-lastmod, not-modified, identical-payload
