"""Site profiles: one declarative JSON file per known layout, in spiders/parsers/profiles/.

A profile matches a page by its registrable domain or by a fingerprint (meta values the layout
always carries) and then names, with CSS selectors, where the title, standfirst, publication
date, body and related list are. Fields a profile leaves out fall back to the generic path.
Adding a site is adding one file (docs/extraction.md).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

SELECTOR_FIELDS = ("title", "standfirst", "published", "body", "related")


@dataclass(frozen=True)
class Profile:
    name: str
    domains: tuple[str, ...]
    meta: dict[str, str]
    selectors: dict[str, CSSSelector] = field(compare=False)

    def matches(self, url: str, meta: dict[str, list[str]]) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        if any(host == d or host.endswith("." + d) for d in self.domains):
            return True
        return bool(self.meta) and all(value in meta.get(key, []) for key, value in self.meta.items())

    def first(self, doc: HtmlElement, name: str) -> HtmlElement | None:
        selector = self.selectors.get(name)
        found = selector(doc) if selector is not None else []
        return found[0] if found else None

    def all(self, doc: HtmlElement, name: str) -> list[HtmlElement]:
        selector = self.selectors.get(name)
        return selector(doc) if selector is not None else []


def _load(text: str) -> Profile:
    data = json.loads(text)
    unknown = set(data["selectors"]) - set(SELECTOR_FIELDS)
    if unknown:
        raise ValueError(f"profile {data['name']}: unknown selector fields {sorted(unknown)}")
    match = data.get("match", {})
    return Profile(data["name"], tuple(match.get("domains", [])),
                   {k.lower(): v for k, v in match.get("meta", {}).items()},
                   {k: CSSSelector(v) for k, v in data["selectors"].items()})


@lru_cache(maxsize=1)
def load_profiles() -> tuple[Profile, ...]:
    folder = resources.files("spiders.parsers").joinpath("profiles")
    return tuple(_load(entry.read_text("utf-8")) for entry in sorted(folder.iterdir(), key=lambda e: e.name)
                 if entry.name.endswith(".json"))


def find_profile(url: str, meta: dict[str, list[str]]) -> Profile | None:
    return next((p for p in load_profiles() if p.matches(url, meta)), None)
