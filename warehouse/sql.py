"""SQL text lives in .sql files; this reads them, and quotes the one kind of value DuckDB cannot bind.

Values are bound (`?` or `$name` parameters), paths of `COPY ... TO` and `read_*` included. The
exception is a statement whose grammar takes no parameter at all (`LOAD 'path'`): its value goes
through `quote_literal`, the one quoting function.
"""
from __future__ import annotations

import re
from importlib import resources
from typing import Any

import duckdb


def read_sql(package: str, name: str) -> str:
    """A .sql file of `package` with its `--` comment lines removed."""
    text = resources.files(package).joinpath(name).read_text("utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


def read_statements(package: str, name: str) -> list[str]:
    """The statements of a .sql file; each ends with `;` at the end of a line (so a `;` inside a
    string literal does not split one)."""
    return [s.strip() for s in re.split(r";\s*$", read_sql(package, name), flags=re.MULTILINE) if s.strip()]


def bind(statement: str, values: dict[str, Any]) -> dict[str, Any]:
    """The named values a statement uses (`$name`): DuckDB binds parameters to one statement
    only, and refuses values the statement does not use."""
    return {name: value for name, value in values.items() if re.search(rf"\${name}\b", statement)}


def run_statements(con: duckdb.DuckDBPyConnection, package: str, name: str,
                   values: dict[str, Any] | None = None) -> None:
    """Run a .sql file's statements in order, each with the values it uses."""
    for statement in read_statements(package, name):
        con.execute(statement, bind(statement, values or {}) or None)


def quote_literal(value: str) -> str:
    """A SQL string literal: single quotes doubled, NUL refused (it would end the string early)."""
    if "\x00" in value:
        raise ValueError(f"a SQL string cannot hold a NUL character: {value!r}")
    return "'" + value.replace("'", "''") + "'"
