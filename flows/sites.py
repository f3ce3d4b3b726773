"""The sites file: every publisher the archive follows, one entry each (docs/sites.md).

One declared model (pydantic) validates the YAML once and documents each field; an error names
the entry and the field ("sites.yaml: site 2 (daily-planet): politeness.concurrency: ...").
Adding a publisher is adding one entry; `prefect.yaml` deploys the multi-site flow over the file.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_SITES_FILE = Path("sites.yaml")
MODES = ("full", "poll")


class SitesFileError(ValueError):
    """The sites file cannot be used; the message names the entry and field, and what to do."""


class Politeness(BaseModel):
    model_config = ConfigDict(extra="forbid")
    concurrency: int = Field(default=4, ge=1, le=64, description="most requests the site sees at once, "
                                                         "across all workers")
    delay: float = Field(default=0.25, ge=0, le=600, description="seconds between two requests to the site")


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    full: str | None = Field(default="0 3 * * *", description="cron (UTC) of full crawls; null: never")
    poll: str | None = Field(default="15 * * * *", description="cron (UTC) of sitemap/feed polls; null: never")

    @field_validator("full", "poll")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None:
            from cronsim import CronSim, CronSimError

            try:
                CronSim(value, dt.datetime(2000, 1, 1))
            except CronSimError as error:
                raise ValueError(f"not a cron expression ({error}): {value!r}") from None
        return value


class Site(BaseModel):
    """One publisher: where to start, how far to go, how politely, how often."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$",
                      description="short unique name: lower-case letters, digits and -")
    start_urls: list[str] = Field(min_length=1, description="site roots, pages, sitemaps or feeds")
    extra_domains: list[str] = Field(default_factory=list, description="domains in scope besides "
                                                                       "the start URLs'")
    depth: int = Field(default=2, ge=0, le=20, description="link hops followed in a full crawl")
    max_pages: int | None = Field(default=None, ge=1, description="most pages a crawl requests")
    politeness: Politeness = Field(default_factory=lambda: Politeness())
    schedule: Schedule = Field(default_factory=lambda: Schedule())
    profile: str | None = Field(default=None, description="a site profile in spiders/parsers/profiles/")
    workers: int = Field(default=1, ge=1, le=32, description="crawler processes sharing its frontier")
    local: bool = Field(default=False, description="a site on this machine: no politeness delays (tests)")

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, urls: list[str]) -> list[str]:
        from spiders.parsers.urls import is_http_url

        for url in urls:
            if not is_http_url(url):
                raise ValueError(f"not an http(s) URL: {url!r}")
        return urls

    @field_validator("profile")
    @classmethod
    def _profile(cls, name: str | None) -> str | None:
        if name is not None:
            from spiders.parsers.profiles import load_profiles

            known = sorted(p.name for p in load_profiles())
            if name not in known:
                raise ValueError(f"no site profile {name!r}; known: {', '.join(known)}")
        return name

    def crawl_settings(self) -> dict[str, Any]:
        """Scrapy settings for this site's politeness (per worker; the cap holds across workers)."""
        if self.local:
            from spiders.run import LOCAL_SITE_SETTINGS

            return {**LOCAL_SITE_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": self.politeness.concurrency}
        return {"CONCURRENT_REQUESTS_PER_DOMAIN": self.politeness.concurrency,
                "DOWNLOAD_DELAY": self.politeness.delay}

    def due(self, mode: str, last_crawl: dt.datetime | None, now: dt.datetime) -> bool:
        """Is a `mode` crawl due: never crawled, or its cron fired since the last crawl?"""
        cron = getattr(self.schedule, mode)
        if cron is None:
            return False
        if last_crawl is None:
            return True
        from cronsim import CronSim

        after = last_crawl.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return next(CronSim(cron, after)) <= now.astimezone(dt.timezone.utc).replace(tzinfo=None)


class SitesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sites: list[Site] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "SitesFile":
        seen: set[str] = set()
        for site in self.sites:
            if site.name in seen:
                raise ValueError(f"two sites are named {site.name!r}; names must be unique")
            seen.add(site.name)
        return self


def _where(raw: Any, loc: tuple[Any, ...]) -> str:
    """'site 2 (daily-planet): politeness.concurrency' for a pydantic error location."""
    if len(loc) >= 2 and loc[0] == "sites" and isinstance(loc[1], int):
        entry = raw["sites"][loc[1]] if isinstance(raw, dict) else {}
        name = entry.get("name") if isinstance(entry, dict) else None
        field = ".".join(str(part) for part in loc[2:]) or "(the entry)"
        return f"site {loc[1] + 1}{f' ({name})' if name else ''}: {field}"
    return ".".join(str(part) for part in loc) or "(the file)"


def load_sites(path: Path | str) -> SitesFile:
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no types; Prefect depends on it

    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError:
        raise SitesFileError(f"{path}: no such file; write one (see docs/sites.md) or pass "
                             "--sites PATH") from None
    except yaml.YAMLError as error:
        raise SitesFileError(f"{path}: not valid YAML: {error}") from None
    try:
        return SitesFile.model_validate(raw)
    except ValidationError as error:
        lines = [f"{path}: {_where(raw, tuple(e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
                 for e in error.errors()]
        raise SitesFileError("\n".join(lines)) from None


def select(sites: SitesFile, names: list[str] | None) -> list[Site]:
    if not names:
        return list(sites.sites)
    known = {s.name: s for s in sites.sites}
    missing = [n for n in names if n not in known]
    if missing:
        raise SitesFileError(f"no site named {', '.join(missing)} in the sites file; "
                             f"known: {', '.join(known)}")
    return [known[n] for n in names]


Mode = Literal["full", "poll"]
