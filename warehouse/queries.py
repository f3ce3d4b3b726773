"""Named analyst queries: each `warehouse/queries/<name>.sql` file, its comment saying what it answers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    params: tuple[str, ...]
    sql: str


def _parse(name: str, text: str) -> NamedQuery:
    comments = [line[2:].strip() for line in text.splitlines() if line.startswith("--")]
    question = " ".join(c for c in comments if not c.lower().startswith("params:"))
    params = tuple(sorted(set(re.findall(r"\$([a-z_]+)", text))))
    return NamedQuery(name, question, params, text)


def named_queries() -> dict[str, NamedQuery]:
    folder = resources.files("warehouse").joinpath("queries")
    return {entry.name[:-4]: _parse(entry.name[:-4], entry.read_text("utf-8"))
            for entry in sorted(folder.iterdir(), key=lambda e: e.name) if entry.name.endswith(".sql")}


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise KeyError(f"no query named {name!r}; known: {', '.join(queries)}")
    return queries[name]
