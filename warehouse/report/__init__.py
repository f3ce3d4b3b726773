"""`clippings report`: what a crawl, a site or the whole archive holds, as one self-contained HTML file.

`gather` reads the archive read-only: the scope as temporary views (scope.sql), then each named
figure of figures.sql. `warehouse.report.html` draws them (plain SVG, inline CSS and JS), so the
file opens anywhere with no network.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from warehouse.connect import connect
from warehouse.migrate import migrate

# Interval of the pages-over-time chart: the first whose span covers the scope's.
UNITS = ((dt.timedelta(minutes=5), "second"), (dt.timedelta(hours=5), "minute"),
         (dt.timedelta(days=10), "hour"), (dt.timedelta.max, "day"))


class ReportError(RuntimeError):
    pass


@dataclass
class Figure:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


@dataclass
class ReportData:
    scope: str  # "crawl X", "site Y" or "the whole archive"
    db_path: Path
    unit: str
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, Any]:
        return self.figures["totals"].dicts()[0]


def _sql(name: str) -> str:
    return resources.files("warehouse.report").joinpath(name).read_text("utf-8")


def _statements(text: str) -> list[str]:
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in text.split(";") if s.strip()]


def figure_queries() -> dict[str, str]:
    """{name: SQL} of figures.sql's `-- figure: NAME` blocks."""
    blocks = re.split(r"^-- figure: (\w+)\n", _sql("figures.sql"), flags=re.MULTILINE)
    return {name: _statements(body)[0] for name, body in zip(blocks[1::2], blocks[2::2])}


def interval_for(first: dt.datetime | None, last: dt.datetime | None) -> str:
    span = (last - first) if first and last else dt.timedelta(0)
    return next(unit for limit, unit in UNITS if span <= limit)


def gather(db_path: Path, crawl_id: str | None = None, site: str | None = None,
           progress: Callable[[int, int], None] | None = None, wait_seconds: float = 60.0) -> ReportData:
    """The report's figures; `progress(done, total)` hears of each; a locked database is waited
    for up to `wait_seconds`."""
    if crawl_id and site:
        raise ReportError("give --crawl or --site, not both")
    if not db_path.exists():
        raise ReportError(f"no database at {db_path}")
    with connect(db_path, wait_seconds=wait_seconds) as con:
        migrate(con)  # an archive from an older Clippings gains what the report reads
    scope = f"crawl {crawl_id}" if crawl_id else f"site {site}" if site else "the whole archive"
    with connect(db_path, read_only=True, wait_seconds=wait_seconds) as con:
        if crawl_id and con.execute("SELECT count(*) FROM crawls WHERE crawl_id = ?", [crawl_id]).fetchone() == (0,):
            known = [r[0] for r in con.execute("SELECT crawl_id FROM crawls ORDER BY started DESC LIMIT 5").fetchall()]
            raise ReportError(f"{db_path} holds no crawl {crawl_id!r}; the latest: {', '.join(known) or 'none'}")
        con.execute("CREATE OR REPLACE TEMP TABLE report_params (crawl_id VARCHAR, site VARCHAR)")
        con.execute("INSERT INTO report_params VALUES (?, ?)", [crawl_id, site])
        for statement in _statements(_sql("scope.sql")):
            con.execute(statement)
        queries = figure_queries()
        first, last = con.execute(queries.pop("span")).fetchone() or (None, None)
        data = ReportData(scope, db_path, interval_for(first, last))
        for done, (name, sql) in enumerate(queries.items(), start=1):
            if progress:
                progress(done, len(queries))
            cursor = con.execute(sql, {"unit": data.unit} if "$unit" in sql else None)
            data.figures[name] = Figure([d[0] for d in cursor.description], cursor.fetchall())
    return data


def write_report(db_path: Path, out: Path, crawl_id: str | None = None, site: str | None = None,
                 progress: Callable[[int, int], None] | None = None, wait_seconds: float = 60.0) -> ReportData:
    from warehouse.report.html import render

    data = gather(db_path, crawl_id, site, progress, wait_seconds)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(render(data), "utf-8")
    partial.replace(out)
    return data
