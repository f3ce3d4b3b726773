"""The evaluation gate: parse_article over the shared evaluation pages, scored by the shared tools.

Like trafilatura's `tests/eval_gate.py`: quality cannot silently regress. The pages are
`../shared/eval/article-bodies/` (true bodies) and `../shared/eval/article-metadata/` (true
dates, titles, authors), beside the repository; the metrics are those of
`../shared/tools/score_bodies.py` and `score_metadata.py`, imported from there rather than
re-implemented, so the gate and the team's reported figures are the same numbers. The floors
live in `eval_baseline.json`, one line each: raising a floor is a one-line change.

    python -m tests.parsers.eval_gate          # prints today's figures beside the floors
"""
from __future__ import annotations

import gzip
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from spiders.parsers import PageParseError, parse_article

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
BODIES = SHARED / "eval" / "article-bodies"
METADATA = SHARED / "eval" / "article-metadata"
BASELINE = Path(__file__).with_name("eval_baseline.json")


def missing_inputs() -> str | None:
    """Why the gate cannot run here, or None when every input is present."""
    needed = (BODIES / "ground-truth.json", METADATA / "expected.json",
              SHARED / "tools" / "score_bodies.py", SHARED / "tools" / "score_metadata.py")
    absent = [str(p) for p in needed if not p.exists()]
    return f"the shared evaluation data is not beside this checkout (missing {absent[0]})" if absent else None


def scorer(name: str) -> ModuleType:
    """One of ../shared/tools/<name>.py, imported as a module."""
    spec = importlib.util.spec_from_file_location(name, SHARED / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _predict(folder: Path, truth: dict[str, dict[str, Any]], url_of: Callable[[dict[str, Any]], str],
             predict: Callable[[Any], dict[str, Any]], empty: dict[str, Any]) -> dict[str, dict[str, Any]]:
    predictions = {}
    for key, item in truth.items():
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        try:
            predictions[key] = predict(parse_article(html, url_of(item)))
        except PageParseError:
            predictions[key] = empty  # an unreadable page scores as nothing extracted
    return predictions


def body_figures() -> dict[str, float]:
    truth = json.loads((BODIES / "ground-truth.json").read_text("utf-8"))
    predictions = _predict(BODIES, truth, lambda item: item.get("url", ""),
                           lambda article: {"articleBody": article.body}, {"articleBody": ""})
    scores = scorer("score_bodies").score(truth, predictions)
    return {"body_f1": scores["f1"], "body_exact": scores["accuracy"]}


def metadata_figures() -> dict[str, float]:
    expected = json.loads((METADATA / "expected.json").read_text("utf-8"))
    predictions = _predict(METADATA, expected, lambda item: item.get("url") or "",
                           lambda a: {"published": a.published, "title": a.title, "authors": a.authors},
                           {"published": None, "title": None, "authors": []})
    scores = scorer("score_metadata").score(expected, predictions)
    return {"date_accuracy": scores["date"]["accuracy"], "title_accuracy": scores["title"]["accuracy"],
            "author_accuracy": scores["authors"]["accuracy"]}


def current_figures() -> dict[str, float]:
    return {**body_figures(), **metadata_figures()}


def floors() -> dict[str, float]:
    return {name: float(value) for name, value in json.loads(BASELINE.read_text("utf-8")).items()}


def shortfalls(figures: dict[str, float], pinned: dict[str, float]) -> list[str]:
    """One line per figure below its floor (a floor with no figure is a shortfall too)."""
    lines = []
    for name, floor in pinned.items():
        figure = figures.get(name)
        if figure is None:
            lines.append(f"{name}: no such figure (known: {', '.join(figures)})")
        elif figure < floor:
            lines.append(f"{name} {figure:.4f} is below its floor {floor:.3f} in {BASELINE.name}")
    return lines


if __name__ == "__main__":
    if reason := missing_inputs():
        raise SystemExit(reason)
    pinned = floors()
    for name, figure in current_figures().items():
        print(f"{name:<16} {figure:.4f}   floor {pinned.get(name, float('nan')):.3f}")
