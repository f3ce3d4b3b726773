"""What a crawl remembers while it runs: canonical URLs requested, the page budget, articles staged.

A single-worker crawl keeps it in this process (LocalMemory); workers sharing a frontier keep it
in Redis (spiders.frontier.RedisFrontier has the same methods), so de-duplication by canonical
URL and max_pages hold across all of them. One place for the rule, two places for the data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Claim:
    """A canonical URL about to be requested (or recorded): `page` counts it against
    `max_pages`; `lease` is the shared frontier's lease whose callback claims it."""
    canonical_url: str
    page: bool
    max_pages: int | None
    lease: str = ""


class CrawlMemory(Protocol):
    def claim(self, canonical_url: str, page: bool, max_pages: int | None, lease: str = "") -> str: ...
    def claim_many(self, claims: list[Claim]) -> list[str]: ...
    def was_claimed(self, canonical_url: str, lease: str = "") -> bool: ...
    def claimed_among(self, canonical_urls: list[str], lease: str = "") -> set[str]: ...
    def stage(self, canonical_url: str, owner: str) -> bool: ...
    def is_staged(self, canonical_url: str, owner: str = "") -> bool: ...


@dataclass
class LocalMemory:
    requested: set[str] = field(default_factory=set)
    staged: set[str] = field(default_factory=set)
    pages: int = 0

    def claim(self, canonical_url: str, page: bool, max_pages: int | None, lease: str = "") -> str:
        """'new' (and remembered), 'seen', or 'max' when the page budget is spent. One process:
        a lease (a shared frontier's) never outlives it, so `lease` is not needed here."""
        if canonical_url in self.requested:
            return "seen"
        if page:
            if max_pages is not None and self.pages >= max_pages:
                return "max"
            self.pages += 1
        self.requested.add(canonical_url)
        return "new"

    def was_claimed(self, canonical_url: str, lease: str = "") -> bool:
        return canonical_url in self.requested

    def claim_many(self, claims: list[Claim]) -> list[str]:
        return [self.claim(c.canonical_url, c.page, c.max_pages, c.lease) for c in claims]

    def claimed_among(self, canonical_urls: list[str], lease: str = "") -> set[str]:
        return {url for url in canonical_urls if url in self.requested}

    def stage(self, canonical_url: str, owner: str) -> bool:
        if canonical_url in self.staged:
            return False
        self.staged.add(canonical_url)
        return True

    def is_staged(self, canonical_url: str, owner: str = "") -> bool:
        return canonical_url in self.staged
