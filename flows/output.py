"""Printing query results as an aligned table, CSV or JSON lines."""
from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO


def _cell(value: Any, width: int | None = None) -> str:
    text = "" if value is None else value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
    if width and len(text) > width:
        return text[: width - 1] + "…"
    return text


def print_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table",
               out: TextIO | None = None, max_width: int = 60) -> None:
    out = out or sys.stdout  # looked up per call: a default bound at import would outlive a capture
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
    elif fmt == "json":
        for row in rows:
            out.write(json.dumps(dict(zip(columns, row)), default=_cell, ensure_ascii=False) + "\n")
    else:
        cells = [[_cell(v, max_width) for v in row] for row in rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
        out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for row in cells:
            out.write("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
