"""Later revisions of the sample site: some articles edited, some added, some taken down.

Revision r applies r rounds of changes to the base site, each round deterministic in
(seed, round), so a test can crawl revision 0, restart the server on the same port with
revision 1, and know exactly what changed.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from spiders.sample_site import prose
from spiders.sample_site.site import MIN_ARTICLES, ArticleSpec, SampleSite

CHANGE_DAY = dt.date(2025, 10, 1)  # after every base article's dates


@dataclass(frozen=True)
class Changes:
    """What one round of changes does."""

    edit: int = 10
    add: int = 5
    remove: int = 3


@dataclass(frozen=True)
class RoundReport:
    edited: tuple[int, ...]
    added: tuple[int, ...]
    removed: tuple[int, ...]


def revise_once(site: SampleSite, changes: Changes, round_number: int) -> tuple[SampleSite, RoundReport]:
    rng = random.Random(site.seed * 1000 + round_number)
    day = CHANGE_DAY + dt.timedelta(days=round_number)
    candidates = [s.id for s in site.live if s.id >= MIN_ARTICLES]
    picked = rng.sample(candidates, changes.edit + changes.remove)
    edited, removed = sorted(picked[: changes.edit]), sorted(picked[changes.edit:])
    specs = list(site.articles)
    for i in edited:
        specs[i] = replace(specs[i], text_seed=rng.randrange(1 << 30), modified=day)
    for i in removed:
        specs[i] = replace(specs[i], removed=True)
    categories = list(prose.CATEGORIES)
    added = []
    for _ in range(changes.add):
        new_id = len(specs)
        category = categories[new_id % len(categories)]
        peers = [s.id for s in specs if s.category == category and not s.removed]
        specs.append(ArticleSpec(new_id, category, prose.title(rng, category),
                                 prose.standfirst(rng, category), day, None,
                                 rng.choice(prose.AUTHORS), tuple(rng.sample(peers, min(5, len(peers)))),
                                 True, rng.randrange(1 << 30)))
        added.append(new_id)
    revised = SampleSite(specs, site.seed, site.seed_article, site.revision + 1)
    return revised, RoundReport(tuple(edited), tuple(added), tuple(removed))


def revise(site: SampleSite, revision: int, changes: Changes = Changes()) -> tuple[SampleSite, list[RoundReport]]:
    """Apply `revision` rounds of `changes` to the base site."""
    reports = []
    for round_number in range(1, revision + 1):
        site, report = revise_once(site, changes, round_number)
        reports.append(report)
    return site, reports
