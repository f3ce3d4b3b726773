"""The SQL helpers: statement files read once, named values bound, the one quoting function."""
from __future__ import annotations

import duckdb
import pytest

from warehouse.sql import bind, quote_literal, read_statements


@pytest.mark.parametrize("value", ["/data/plain.duckdb_extension", "/data/it's here/x", "''", "a;b --c", "ünï 'x'"])
def test_quote_literal_round_trips_through_duckdb(value: str) -> None:
    with duckdb.connect() as con:
        assert con.execute(f"SELECT {quote_literal(value)}").fetchone() == (value,)


def test_quote_literal_refuses_nul() -> None:
    with pytest.raises(ValueError, match="NUL"):
        quote_literal("a\x00b")


def test_statements_and_their_values() -> None:
    statements = read_statements("warehouse", "load.sql")
    assert statements[0].startswith("INSERT INTO captures BY NAME")
    assert not any(line.lstrip().startswith("--") for s in statements for line in s.splitlines())
    assert all(" BY NAME" in s for s in statements if s.startswith("INSERT"))
    assert bind("SELECT $a, $b", {"a": 1, "b": 2, "c": 3}) == {"a": 1, "b": 2}
