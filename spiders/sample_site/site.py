"""The sample site's model: which articles exist, where they live, and which pages misbehave.

Only small specs are kept per article (title, dates, related ids); bodies are rendered on demand
from a per-article seed, so a 100,000-article site fits in memory and starts fast.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from spiders.sample_site import prose

SITE_NAME = "The Evergreen Review"
MIN_ARTICLES = 30
SITEMAP_CHUNK = 100
FEED_SIZE = 20
LISTING_PAGE_SIZE = 20

# Each deliberate imperfection, the article id that carries it, and what a crawler should see.
QUIRKS: dict[str, int] = {
    "no-date": 21,         # no visible date, no JSON-LD, no date meta: published must be null
    "windows-1252": 22,    # served and declared as windows-1252
    "broken-html": 23,     # unclosed and stray tags
    "duplicate": 24,       # also served at /print/<path> with a canonical link to the real URL
    "links-duplicate": 25,  # its body links to the /print/ copy of article 24
    "redirect-target": 26,  # /old/26.html answers 301 to this article
    "links-redirect": 27,   # its related list links to /old/26.html
    "links-404": 28,        # its related list links to a page that 404s
}
DEAD_PATH = "/tv-series-reviews/a-review-that-was-retired/"
PAGES = {"/about/": "About us", "/contact/": "Contact", "/privacy/": "Privacy policy"}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("’", "")).strip("-")


@dataclass(frozen=True)
class ArticleSpec:
    """What the site knows about one article before rendering it."""

    id: int
    category: str
    title: str
    standfirst: str
    published: dt.date
    modified: dt.date | None
    author: str
    related: tuple[int, ...]
    has_jsonld: bool
    text_seed: int
    extra_related: tuple[str, ...] = ()  # paths of non-article links placed in the related list
    removed: bool = False  # taken down in a later revision: its URL answers 404

    @property
    def path(self) -> str:
        return f"/{slugify(self.category)}/{slugify(self.title)[:80].rstrip('-')}-{self.id}/"

    @property
    def quirk(self) -> str | None:
        return next((name for name, art_id in QUIRKS.items() if art_id == self.id), None)

    @property
    def lastmod(self) -> dt.date:
        return self.modified or self.published


def load_seed() -> dict:
    """The seed article exactly as its page shows it (see ../shared/seeds)."""
    text = resources.files("spiders.sample_site").joinpath("seed_article.json").read_text("utf-8")
    return json.loads(text)


@dataclass
class SampleSite:
    """A generated site: article specs plus the lookups the renderer and server need."""

    articles: list[ArticleSpec]
    seed: int
    seed_article: dict = field(default_factory=load_seed)

    revision: int = 0

    @cached_property
    def live(self) -> list[ArticleSpec]:
        """Articles the site still serves (a revision may take some down)."""
        return [spec for spec in self.articles if not spec.removed]

    @cached_property
    def by_path(self) -> dict[str, ArticleSpec]:
        return {spec.path: spec for spec in self.live}

    @cached_property
    def by_category(self) -> dict[str, list[ArticleSpec]]:
        groups: dict[str, list[ArticleSpec]] = {name: [] for name in prose.CATEGORIES}
        for spec in self.newest:
            groups[spec.category].append(spec)
        return groups

    @cached_property
    def newest(self) -> list[ArticleSpec]:
        return sorted(self.live, key=lambda s: (s.published, s.id), reverse=True)

    def category_path(self, category: str, page: int = 1) -> str:
        base = f"/category/{slugify(category)}/"
        return base if page == 1 else f"{base}page/{page}/"


def _random_date(rng: random.Random) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 600))


def _seed_specs(rng: random.Random, seed: dict) -> list[ArticleSpec]:
    """Article 0 is the seed page; 1-20 are the articles its Related Articles list shows."""
    specs = [ArticleSpec(0, seed["category"], seed["title"], seed["standfirst"],
                         dt.date.fromisoformat(seed["published"]), None, "Nadia Okafor",
                         tuple(range(1, 21)), True, 0)]
    for i, item in enumerate(seed["related"], start=1):
        specs.append(ArticleSpec(i, item["category"], prose.title(rng, item["category"]),
                                 item["summary"], dt.date.fromisoformat(item["published"]), None,
                                 rng.choice(prose.AUTHORS), (), True, rng.randrange(1 << 30)))
    return specs


def _override(spec: ArticleSpec) -> ArticleSpec:
    """Give the quirk articles the shape their fixture needs."""
    changes: dict = {}
    if spec.id == QUIRKS["no-date"]:
        changes["has_jsonld"] = False
    if spec.id == QUIRKS["windows-1252"]:
        changes["title"] = "Café society’s “second act”: a critic’s notes — revisited"
    if spec.id == QUIRKS["links-404"]:
        changes["extra_related"] = (DEAD_PATH,)
    if spec.id == QUIRKS["links-redirect"]:
        changes["extra_related"] = (f"/old/{QUIRKS['redirect-target']}.html",)
    return ArticleSpec(**{**spec.__dict__, **changes}) if changes else spec


def build_site(articles: int = 300, seed: int = 7) -> SampleSite:
    """Generate the site model: same (articles, seed) always gives the same site."""
    if not MIN_ARTICLES <= articles <= 100_000:
        raise ValueError(f"articles must be between {MIN_ARTICLES} and 100000, got {articles}")
    rng = random.Random(seed)
    seed_article = load_seed()
    specs = _seed_specs(rng, seed_article)
    categories = list(prose.CATEGORIES)
    for i in range(len(specs), articles):
        category = categories[i % len(categories)]
        published = _random_date(rng)
        modified = published + dt.timedelta(days=rng.randint(1, 20)) if rng.random() < 0.3 else None
        specs.append(ArticleSpec(i, category, prose.title(rng, category),
                                 prose.standfirst(rng, category), published, modified,
                                 rng.choice(prose.AUTHORS), (), rng.random() < 0.9,
                                 rng.randrange(1 << 30)))
    by_category: dict[str, list[int]] = {}
    for spec in specs:
        by_category.setdefault(spec.category, []).append(spec.id)
    final = [specs[0]]
    for spec in specs[1:]:
        pool = by_category[spec.category]
        count = min(rng.randint(3, 20), len(pool) - 1)
        related = tuple(rng.sample([i for i in rng.sample(pool, min(len(pool), 40))
                                    if i != spec.id], min(count, 39)))[:20]
        final.append(_override(ArticleSpec(**{**spec.__dict__, "related": related})))
    return SampleSite(final, seed, seed_article)
