"""The report as one HTML file: inline CSS, a few lines of inline JS (sortable tables), plain SVG.

Every number a reader (or a test) may check carries `data-metric="name"`; every chart bar and
graph edge has an SVG <title> with its exact value, shown on hover.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from html import escape
from typing import Any

from warehouse.report import Figure, ReportData

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1.5em;color:#1d2330}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #dde}
.cards{display:flex;flex-wrap:wrap;gap:.7em}.card{background:#f3f5fa;border-radius:6px;padding:.6em .9em;min-width:8em}
.card b{display:block;font-size:1.45em}.card span{color:#555;font-size:.85em}
table{border-collapse:collapse;width:100%;font-size:.88em;margin:.4em 0}
th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid #eee;vertical-align:top}
th{cursor:pointer;background:#fafbfd}td.n{text-align:right;font-variant-numeric:tabular-nums}
svg{display:block;margin:.4em 0;max-width:100%;height:auto}td{overflow-wrap:anywhere}.muted{color:#777}a{color:#2451a6;text-decoration:none}
details summary{cursor:pointer;color:#2451a6}
"""
SORT_JS = """
document.querySelectorAll('table.sortable th').forEach(function (th, i) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], rows = Array.from(body.rows), asc = th.dataset.asc !== '1';
    rows.sort(function (a, b) {
      var x = a.cells[i].dataset.v || a.cells[i].textContent, y = b.cells[i].dataset.v || b.cells[i].textContent;
      var nx = parseFloat(x), ny = parseFloat(y), c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    th.dataset.asc = asc ? '1' : '0';
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""
COLOURS = ("#3b6fd4", "#e07b39", "#4aa36c", "#b84a7b", "#7a5cc7", "#888")
LIST_LIMIT, SHOWN = 500, 8  # rows per table (all, and before "show all"); the counts are exact


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return str(value)


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{count} B"


def _cell(column: str, value: Any) -> str:
    text = escape(_text(value))
    if isinstance(value, str) and value.startswith(("http://", "https://")) and column.endswith("url"):
        return f'<td><a href="{escape(value, quote=True)}">{text}</a></td>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<td class="n" data-v="{value}">{text}</td>'
    return f"<td>{text}</td>"


def _table(columns: list[str], rows: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(c, row[c]) for c in columns) + "</tr>" for row in rows)
    return f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def table(figure: Figure, limit: int = LIST_LIMIT, shown: int = SHOWN) -> str:
    """The first `shown` rows, and up to `limit` behind a "show all" toggle."""
    rows = figure.dicts()
    if not rows:
        return '<p class="muted">None.</p>'
    if len(rows) <= shown + 2:
        return _table(figure.columns, rows)
    more = f'<p class="muted">… and {len(rows) - limit:,} more.</p>' if len(rows) > limit else ""
    return (_table(figure.columns, rows[:shown]) + f"<details><summary>show all {len(rows):,}</summary>"
            + _table(figure.columns, rows[:limit]) + more + "</details>")


def bars(points: list[tuple[str, float]], label: str, width: int = 1040, height: int = 180,
         colour: str = COLOURS[0]) -> str:
    """A bar chart: one bar per point, the first, middle and last labels under the axis."""
    if not points:
        return '<p class="muted">Nothing to draw.</p>'
    top = max(v for _, v in points) or 1
    step = (width - 60) / len(points)
    parts = [f'<svg role="img" aria-label="{escape(label, quote=True)}" width="{width}" height="{height + 40}" '
             f'viewBox="0 0 {width} {height + 40}" xmlns="http://www.w3.org/2000/svg">',
             f'<text x="0" y="12" font-size="11" fill="#555">{_text(top)}</text>',
             f'<line x1="50" y1="{height}" x2="{width}" y2="{height}" stroke="#999"/>']
    for i, (name, value) in enumerate(points):
        h = value / top * (height - 20)
        x = 55 + i * step
        parts.append(f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{max(step * 0.8, 1):.1f}" height="{h:.1f}" '
                     f'fill="{colour}"><title>{escape(name)}: {_text(value)}</title></rect>')
    for i in sorted({0, len(points) // 2, len(points) - 1}):
        anchor = "start" if i == 0 else "end" if i == len(points) - 1 and i else "middle"
        x = 55 + i * step + (step * 0.8 if anchor == "end" else 0)
        parts.append(f'<text x="{x:.1f}" y="{height + 16}" font-size="11" text-anchor="{anchor}" '
                     f'fill="#555">{escape(points[i][0])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def site_graph(figure: Figure, width: int = 1040, height: int = 440) -> str:
    """Sites as circles on a ring, links between them as lines as thick as their count's log."""
    links = figure.dicts()
    if not links:
        return '<p class="muted">No links.</p>'
    weight: dict[str, int] = {}
    for link in links:
        for end in (link["source"], link["target"]):
            weight[end] = weight.get(end, 0) + link["links"]
    sites = sorted(weight, key=lambda s: (-weight[s], s))
    cx, cy, radius = width / 2, height / 2, min(width, height) / 2 - 60
    where = {s: (cx + radius * math.cos(2 * math.pi * i / len(sites) - math.pi / 2),
                 cy + radius * math.sin(2 * math.pi * i / len(sites) - math.pi / 2)) for i, s in enumerate(sites)}
    heaviest = max(l["links"] for l in links)
    parts = [f'<svg role="img" aria-label="links between sites" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for link in links:
        (x1, y1), (x2, y2) = where[link["source"]], where[link["target"]]
        stroke = 1 + 5 * math.log1p(link["links"]) / math.log1p(heaviest)
        tip = f"{escape(link['source'])} → {escape(link['target'])}: {link['links']:,} links"
        if link["source"] == link["target"]:
            parts.append(f'<circle cx="{x1:.1f}" cy="{y1 - 22:.1f}" r="16" fill="none" stroke="{COLOURS[0]}" '
                         f'stroke-opacity=".5" stroke-width="{stroke:.1f}"><title>{tip}</title></circle>')
        else:
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{COLOURS[0]}" '
                         f'stroke-opacity=".5" stroke-width="{stroke:.1f}"><title>{tip}</title></line>')
    for site, (x, y) in where.items():
        r = 5 + 12 * math.sqrt(weight[site] / max(weight.values()))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{COLOURS[1]}"><title>{escape(site)}: '
                     f'{weight[site]:,} link ends</title></circle><text x="{x:.1f}" y="{y + r + 13:.1f}" '
                     f'font-size="11" text-anchor="middle">{escape(site)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _card(name: str, label: str, value: Any, shown: str | None = None) -> str:
    return (f'<div class="card"><b data-metric="{name}" data-value="{escape(str(value), quote=True)}">'
            f'{escape(shown or _text(value))}</b><span>{escape(label)}</span></div>')


def _published(figure: Figure) -> list[tuple[str, float]]:
    """Per day; per month when the days would be too many bars to read."""
    days = [(r["day"], r["articles"]) for r in figure.dicts()]
    if len(days) <= 400:
        return [(d.isoformat(), n) for d, n in days]
    months: dict[str, int] = {}
    for day, count in days:
        months[day.strftime("%Y-%m")] = months.get(day.strftime("%Y-%m"), 0) + count
    return list(months.items())


def render(data: ReportData) -> str:
    f, t = data.figures, data.totals
    cards = "".join([
        _card("articles", "articles", t["articles"]), _card("new_articles", "new", t["new_articles"]),
        _card("changed_articles", "changed", t["changed_articles"]), _card("gone", "gone", t["gone"]),
        _card("pages_fetched", "pages fetched", t["pages_fetched"]), _card("revisits", "of them revisits", t["revisits"]),
        _card("rejects", "rejects", t["rejects"]),
        _card("bytes_archived", "archived (WARC)", t["bytes_archived"], human_bytes(t["bytes_archived"])),
        _card("crawls", "crawls", t["crawls"])])
    over_time = [(_text(r["moment"]), r["pages"]) for r in f["fetched_over_time"].dicts()]
    statuses = [(f"{r['status']} {r['record_type']}", r["pages"]) for r in f["status_codes"].dicts()]
    rejects = f["rejects"]
    sections = [
        ("Pages fetched over time", f"<p class='muted'>Per {data.unit}.</p>"
         + bars(over_time, f"pages fetched per {data.unit}")),
        ("Status codes", bars(statuses, "status codes", height=140, colour=COLOURS[2])
         + table(f["status_codes"])),
        (f"Rejects by stage and reason ({t['rejects']:,})", table(rejects)),
        (f"New articles ({t['new_articles']:,})", table(f["new_articles"])),
        (f"Changed articles ({t['changed_articles']:,})", table(f["changed_articles"])),
        (f"Gone articles ({t['gone']:,})", table(f["gone_articles"])),
        ("Articles by publication day", bars(_published(f["published_days"]), "articles by publication day",
                                             colour=COLOURS[3])),
        ("Most central articles", "<p class='muted'>By PageRank over the editorial links (body and related) "
         "between archived articles' current versions.</p>"
         + table(f["central_articles"])),
        ("Links between sites", site_graph(f["site_links"]) + "<details><summary>as a table</summary>"
         + table(f["site_links"]) + "</details>"),
        ("Crawls: settings and timing", table(f["crawls"])),
    ]
    body = "".join(f"<h2>{escape(title)}</h2>{content}" for title, content in sections)
    meta = json.dumps({"scope": data.scope, "totals": t}, default=str).replace("</", "<\\/")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clippings report: '
            f'{escape(data.scope)}</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<style>{CSS}</style></head><body><h1>Clippings report: {escape(data.scope)}</h1>'
            f'<p class="muted">{escape(str(data.db_path))}; {t["bytes_archived"]:,} bytes of WARC records, '
            f'{t["body_bytes"]:,} bytes of bodies fetched.</p>'
            f'<div class="cards">{cards}</div>{body}'
            f'<script type="application/json" id="report-data">{meta}</script>'
            f'<script>{SORT_JS}</script></body></html>')
