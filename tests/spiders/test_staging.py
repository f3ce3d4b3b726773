"""The staging conversion at the end of a crawl runs in the crawl process: it must stay small.

Two measured causes of its memory are guarded here, neither by timing: DuckDB's Python client
imports numpy, pandas and pyarrow as soon as a statement binds a parameter (about 86 MB), and
Parquet row groups of DuckDB's default 122,880 rows buffer a whole crawl's articles before the
first flush.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import duckdb

from spiders.rows import Capture, SectionRow
from spiders.staging import Staging, to_parquet

ROOT = Path(__file__).resolve().parents[2]


def test_conversion_imports_no_dataframe_library(tmp_path: Path) -> None:
    staging = Staging(tmp_path, "c1")
    staging.write(Capture("https://example.org/a", 200, "2026-12-01T10:00:00+00:00", "text/html", 120,
                          "ab" * 32, "clippings-c1-00001.warc.gz", 0, 300, 0, None, None))
    staging.convert()
    code = ("import json, sys; from pathlib import Path; from spiders.staging import to_parquet; "
            f"to_parquet(Path({str(tmp_path)!r})); "
            "print(json.dumps(sorted(m for m in ('numpy', 'pandas', 'pyarrow') if m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    assert json.loads(result.stdout) == []
    row = duckdb.sql(f"SELECT url, status, fetched_at::VARCHAR, warc_length FROM "
                     f"read_parquet('{tmp_path / 'captures.parquet'}')").fetchall()
    assert row == [("https://example.org/a", 200, "2026-12-01 10:00:00+00", 300)]


def test_row_groups_are_bounded_by_bytes_not_rows(tmp_path: Path) -> None:
    words = random.Random(10)
    staging = Staging(tmp_path, "c1")
    for n in range(7000):  # 21 MB of text: one row group by DuckDB's default row count
        text = words.randbytes(1500).hex()  # incompressible, 3,000 characters
        staging.write(SectionRow(f"https://example.org/{n // 5}", n % 5, None, None, text))
    staging.close()
    to_parquet(tmp_path)
    parquet = str(tmp_path / "sections.parquet")
    groups = duckdb.sql(f"SELECT num_row_groups FROM parquet_file_metadata('{parquet}')").fetchone()
    assert groups is not None and groups[0] >= 3  # a row group holds 2,048 rows at least
    counts = duckdb.sql(f"SELECT count(*), count(DISTINCT (canonical_url, ordinal)), max(ordinal) "
                        f"FROM read_parquet('{parquet}')").fetchone()
    assert counts == (7000, 7000, 4)
