"""The rows a crawl stages for the warehouse: one frozen dataclass per staged table.

These definitions are the staging contract. `spiders.staging` writes each row from its dataclass
fields, and the staged Parquet schema comes from their type hints (`staged_columns`), so adding
a column is adding a field here (with its value in the row's `of`), a column in
`warehouse/schema.sql` and a line in `docs/staging.md`. The parsed article itself is
`spiders.parsers.Article`. Every staged row also carries `crawl_id`, added by `Staging`.

`STAGING_ONLY` names the columns the load reads but the warehouse table does not keep
(`tests/warehouse/test_contract.py` holds both sides to it).
"""
from __future__ import annotations

import hashlib
import types
import typing
from dataclasses import dataclass, fields
from typing import Annotated, Any, ClassVar

from spiders.page_worker import ParsedPage
from spiders.parsers import Link, RelatedItem, Section
from spiders.scope import registrable_domain

# DuckDB types beyond what the Python type says.
BigInt = Annotated[int, "BIGINT"]
Timestamp = Annotated[str, "TIMESTAMPTZ"]  # ISO 8601 text with its UTC offset
PYTHON_TO_SQL = {str: "VARCHAR", int: "INTEGER", bool: "BOOLEAN", float: "DOUBLE"}


@dataclass(frozen=True)
class Capture:
    """One HTTP response as received, and where its bytes are in the WARC files."""

    url: str
    status: int
    fetched_at: Timestamp
    content_type: str | None
    content_length: BigInt
    payload_sha256: str
    warc_file: str
    warc_offset: BigInt
    warc_length: BigInt
    depth: int
    referrer: str | None
    location: str | None  # the Location header of a redirect
    record_type: str = "response"  # or "revisit" (304, or a payload identical to the last capture)
    warc_record_id: str | None = None
    refers_to: str | None = None  # for a revisit: the record holding the payload
    etag: str | None = None
    last_modified: str | None = None
    sitemap_lastmod: str | None = None  # the lastmod the sitemap gave when this URL was requested

    STAGING_ONLY: ClassVar[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Reject:
    """A URL that did not yield what it should, at which stage and why."""

    url: str
    stage: str  # fetch, robots, parse, validate, scope, guard, trap
    reason: str
    status: int | None = None
    referrer: str | None = None

    STAGING_ONLY: ClassVar[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Alias:
    """Another URL under which an archived article was reached."""

    alias_url: str
    canonical_url: str
    reason: str  # canonical-link or redirect

    STAGING_ONLY: ClassVar[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Revisit:
    """A known page found unchanged: by sitemap lastmod (not fetched), 304, or identical payload."""

    url: str
    reason: str  # unchanged-lastmod, not-modified, identical-payload

    # The load reads revisits to move articles' last_seen; no warehouse table keeps them.
    STAGING_ONLY: ClassVar[frozenset[str]] = frozenset({"crawl_id", "url", "reason"})


@dataclass(frozen=True)
class SitemapLastmod:
    """A sitemap's lastmod for a page the crawl had already requested (first reached by a link).

    The load writes it on that page's capture, so that the next poll, finding the same lastmod,
    does not ask for the page at all.
    """

    url: str
    lastmod: str

    # The load moves it onto captures.sitemap_lastmod; no warehouse table keeps the row.
    STAGING_ONLY: ClassVar[frozenset[str]] = frozenset({"crawl_id", "url", "lastmod"})


@dataclass(frozen=True)
class StagedArticle:
    """A parsed article page with the capture facts the warehouse keys it by (a spider item)."""

    page: ParsedPage
    fetched_at: str
    payload_sha256: str
    depth: int
    parser_version: str


@dataclass(frozen=True)
class ArticleRow:
    """One staged article: the parsed fields, the capture facts, and what is derived from them."""

    url: str  # as fetched
    canonical_url: str
    site: str  # registrable domain
    title: str | None
    description: str | None
    authors: list[str]
    category: str | None
    tags: list[str]
    language: str | None
    published: str | None  # ISO 8601 text as the page gave it; the load derives the day
    modified: str | None
    body: str
    word_count: int
    content_sha256: str  # of body
    payload_sha256: str
    fetched_at: Timestamp
    depth: int
    parser_version: str

    # fetched_at becomes first_seen/last_seen; depth stays with the capture.
    STAGING_ONLY: ClassVar[frozenset[str]] = frozenset({"fetched_at", "depth"})

    @classmethod
    def of(cls, item: StagedArticle) -> ArticleRow:
        a = item.page.article
        body = a.body
        return cls(url=a.url, canonical_url=a.canonical_url, site=registrable_domain(a.canonical_url),
                   title=a.title, description=a.description, authors=list(a.authors),
                   category=a.category, tags=list(a.tags), language=a.language,
                   published=a.published, modified=a.modified, body=body, word_count=a.word_count,
                   content_sha256=hashlib.sha256(body.encode()).hexdigest(),
                   payload_sha256=item.payload_sha256, fetched_at=item.fetched_at, depth=item.depth,
                   parser_version=item.parser_version)


@dataclass(frozen=True)
class SectionRow:
    """One section of a staged article, in reading order."""

    canonical_url: str
    ordinal: int  # from 0
    heading: str | None  # None before the first heading
    level: int | None
    text: str

    STAGING_ONLY: ClassVar[frozenset[str]] = frozenset({"crawl_id"})

    @classmethod
    def of(cls, canonical_url: str, ordinal: int, section: Section) -> SectionRow:
        return cls(canonical_url, ordinal, section.heading, section.level, section.text)


@dataclass(frozen=True)
class LinkRow:
    """One `<a href>` of a staged article; related links keep what the related list shows."""

    source_url: str  # canonical URL of the article
    ordinal: int
    target_url: str  # canonicalised
    anchor_text: str
    kind: str  # body, related, navigation, footer, share, other
    related_title: str | None
    related_category: str | None
    related_summary: str | None
    related_published: str | None

    STAGING_ONLY: ClassVar[frozenset[str]] = frozenset({"crawl_id"})

    @classmethod
    def of(cls, source_url: str, ordinal: int, link: Link, target_url: str,
           related: RelatedItem | None) -> LinkRow:
        return cls(source_url, ordinal, target_url, link.text, link.kind,
                   related.title if related else None, related.category if related else None,
                   related.summary if related else None, related.published if related else None)


def article_rows(item: StagedArticle) -> tuple[ArticleRow, list[SectionRow], list[LinkRow]]:
    """One staged article as its articles row, section rows and link rows."""
    row = ArticleRow.of(item)
    key, article = row.canonical_url, item.page.article
    sections = [SectionRow.of(key, i, s) for i, s in enumerate(article.sections)]
    related = {r.url: r for r in article.related}
    links = [LinkRow.of(key, i, link, target, related.get(link.url) if link.kind == "related" else None)
             for i, (link, target) in enumerate(zip(article.links, item.page.link_targets))]
    return row, sections, links


# Staged table name -> its row type. The order is the order tables are converted and documented.
STAGED_TABLES: dict[str, type[Any]] = {
    "captures": Capture, "articles": ArticleRow, "sections": SectionRow, "links": LinkRow,
    "aliases": Alias, "rejects": Reject, "revisits": Revisit, "lastmods": SitemapLastmod,
}
TABLE_OF: dict[type[Any], str] = {row_type: table for table, row_type in STAGED_TABLES.items()}


def sql_type(hint: Any) -> str:
    """The DuckDB type of a field: Annotated says it outright, else from the Python type."""
    if typing.get_origin(hint) is Annotated:
        return str(hint.__metadata__[0])
    if isinstance(hint, types.UnionType):  # X | None: nullable X
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return sql_type(inner)
    if typing.get_origin(hint) is list:
        return sql_type(typing.get_args(hint)[0]) + "[]"
    return PYTHON_TO_SQL[hint]


def staged_columns(row_type: type[Any]) -> dict[str, str]:
    """Column name -> DuckDB type of one staged table, `crawl_id` first."""
    hints = typing.get_type_hints(row_type, include_extras=True)
    return {"crawl_id": "VARCHAR", **{f.name: sql_type(hints[f.name]) for f in fields(row_type)}}
