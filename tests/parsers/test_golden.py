"""Each golden page, each field its own test: a failure says which field of which page."""
from __future__ import annotations

import pytest

from spiders.parsers.records import Article
from tests.parsers.golden import GOLDEN, current_output, load_case, render_sample

CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
FIELDS = list(Article(url="", canonical_url="").to_dict())
_outputs: dict[str, tuple[dict, dict]] = {}


def outputs(case: str) -> tuple[dict, dict]:
    if case not in _outputs:
        body, meta, expected = load_case(GOLDEN / case)
        _outputs[case] = (current_output(body, meta), expected)
    return _outputs[case]


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 6


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", CASES)
def test_field(case: str, field: str) -> None:
    got, expected = outputs(case)
    assert got[field] == expected[field], f"{field} is wrong on {case}; " \
        "if the change is deliberate: python -m tests.parsers.golden --rerun " + case


@pytest.mark.parametrize("case", CASES)
def test_no_extra_fields(case: str) -> None:
    got, expected = outputs(case)
    assert sorted(got) == sorted(expected) == sorted(FIELDS)


@pytest.mark.parametrize("case", CASES)
def test_saved_page_is_what_the_sample_site_serves(case: str) -> None:
    """Golden inputs must not drift from the generator, or the goldens test a site nobody serves."""
    body, meta, _ = load_case(GOLDEN / case)
    if "sample_path" not in meta:
        pytest.skip("hand-written page, not from the sample site")
    assert render_sample(meta["sample_path"])[0] == body
