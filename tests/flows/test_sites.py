"""The sites file: validated once, errors naming the entry and the field; `clippings sites`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flows.cli import main
from flows.sites import SitesFileError, load_sites, select

ROOT = Path(__file__).resolve().parents[2]
GOOD = """\
sites:
  - name: daily-planet
    start_urls: ["https://www.dailyplanet.example/"]
    politeness: {concurrency: 2, delay: 1.5}
    schedule: {full: "0 3 * * 0", poll: null}
  - name: gazette
    start_urls: ["https://gazette.example/sitemap.xml"]
    extra_domains: [gazette-cdn.example]
    depth: 1
    max_pages: 500
    profile: evergreen-review
    workers: 3
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.yaml"
    path.write_text(text, "utf-8")
    return path


def test_a_good_file_reads_with_defaults(tmp_path: Path) -> None:
    sites = load_sites(write(tmp_path, GOOD))
    planet, gazette = sites.sites
    assert (planet.depth, planet.max_pages, planet.workers, planet.profile) == (2, None, 1, None)
    assert planet.crawl_settings() == {"CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": 1.5}
    assert (gazette.politeness.concurrency, gazette.politeness.delay) == (4, 0.25)
    assert (gazette.schedule.full, gazette.schedule.poll) == ("0 3 * * *", "15 * * * *")
    assert [s.name for s in select(sites, ["gazette"])] == ["gazette"]
    with pytest.raises(SitesFileError, match="no site named nowhere in the sites file; known: daily-planet, gazette"):
        select(sites, ["nowhere"])


def test_the_repository_sites_file_is_valid() -> None:
    assert [s.name for s in load_sites(ROOT / "sites.yaml").sites] == ["example-news"]


def test_errors_name_the_entry_and_the_field(tmp_path: Path) -> None:
    bad = GOOD.replace("concurrency: 2", "concurrency: 0").replace('"0 3 * * 0"', '"61 * * * *"') \
        .replace("profile: evergreen-review", "profile: tabloid\n    colour: red") \
        .replace('"https://gazette.example/sitemap.xml"', '"ftp://gazette.example/"')
    with pytest.raises(SitesFileError) as error:
        load_sites(write(tmp_path, bad))
    lines = str(error.value).splitlines()
    where = [line.split(": ")[1:3] for line in lines]
    assert where == [["site 1 (daily-planet)", "politeness.concurrency"],
                     ["site 1 (daily-planet)", "schedule.full"],
                     ["site 2 (gazette)", "start_urls"],
                     ["site 2 (gazette)", "profile"],
                     ["site 2 (gazette)", "colour"]]
    assert "not a cron expression" in lines[1] and "'ftp://gazette.example/'" in lines[2]
    assert "no site profile 'tabloid'; known: evergreen-review" in lines[3]


def test_duplicate_names_and_broken_yaml_are_refused(tmp_path: Path) -> None:
    twice = GOOD.replace("name: gazette", "name: daily-planet")
    with pytest.raises(SitesFileError, match="two sites are named 'daily-planet'"):
        load_sites(write(tmp_path, twice))
    with pytest.raises(SitesFileError, match="not valid YAML"):
        load_sites(write(tmp_path, "sites: [\n"))
    with pytest.raises(SitesFileError, match="no such file"):
        load_sites(tmp_path / "missing.yaml")


def test_a_site_is_due_when_its_cron_fired_since_its_last_crawl(tmp_path: Path) -> None:
    planet = load_sites(write(tmp_path, GOOD)).sites[0]  # full: Sundays 03:00, never polled
    sunday_noon = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)
    assert planet.due("full", None, sunday_noon)
    assert planet.due("full", sunday_noon - dt.timedelta(days=1), sunday_noon)
    assert not planet.due("full", sunday_noon - dt.timedelta(hours=8), sunday_noon)
    assert not planet.due("poll", None, sunday_noon)


def test_sites_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["sites", "check", "--sites", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: 2 sites, all valid"
    assert main(["sites", "list", "--sites", str(path)]) == 0
    out = capsys.readouterr().out
    assert "daily-planet" in out and "https://www.dailyplanet.example/" in out and "0 3 * * 0" in out
    write(tmp_path, GOOD.replace("depth: 1", "depth: -1"))
    assert main(["sites", "check", "--sites", str(path)]) == 2
    assert capsys.readouterr().err.strip() == (f"{path}: site 2 (gazette): depth: "
                                               "Input should be greater than or equal to 0")
