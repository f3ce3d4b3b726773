"""The records a parsed page becomes: one definition each, used from parser to loader."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    """A heading and the paragraphs under it; text before the first heading has heading None."""

    heading: str | None
    level: int | None
    text: str


@dataclass(frozen=True)
class Link:
    """One `<a href>` of the page, absolute, with the role it plays on the page
    (`kind`: body, related, navigation, footer, share or other)."""

    url: str
    text: str
    kind: str


@dataclass(frozen=True)
class RelatedItem:
    """One entry of a related-articles list, keeping what the list shows."""

    url: str
    title: str | None
    summary: str | None
    category: str | None
    published: str | None


@dataclass
class Article:
    """Everything `parse_article` extracts from one page.

    `page_type` and `word_count` are kept out of `to_dict()`: they serve the spider's
    is-this-an-article rule and the warehouse, not the published JSON shape. `sources` says
    where each metadata field came from (json-ld, microdata, opengraph, dublin-core, parsely,
    sailthru, meta, time-element, visible-text, h1, title-tag, breadcrumbs, html-lang, htmldate).
    """

    url: str
    canonical_url: str
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    published: str | None = None
    modified: str | None = None
    sections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    related: list[RelatedItem] = field(default_factory=list)
    page_type: str | None = None  # what the page declares itself: "article", "website", None
    sources: dict[str, str] = field(default_factory=dict)  # field -> where it came from

    @property
    def body(self) -> str:
        """Headings and paragraphs in reading order, separated by blank lines."""
        parts: list[str] = []
        for section in self.sections:
            if section.heading:
                parts.append(section.heading)
            if section.text:
                parts.append(section.text)
        return "\n\n".join(parts)

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url, "canonical_url": self.canonical_url, "title": self.title,
            "description": self.description, "authors": list(self.authors),
            "category": self.category, "tags": list(self.tags), "language": self.language,
            "published": self.published, "modified": self.modified,
            "sections": [asdict(s) for s in self.sections], "body": self.body,
            "links": [asdict(link) for link in self.links],
            "related": [asdict(item) for item in self.related],
            "sources": dict(sorted(self.sources.items())),
        }
