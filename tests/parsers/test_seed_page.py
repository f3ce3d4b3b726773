"""The seed article, the page the project was created from, must come out exactly right."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.parsers.golden import GOLDEN, current_output, load_case

SEED_TEXT = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_bf7ab4d56271b498.txt"
HEADINGS = [
    "How genre, setting, and character arc translate into sonic signatures.",
    "Character-driven motifs energize narratives by tracing growth and conflict.",
    "The living soundtrack and its influence on audience experience.",
    "Synthesis: future-proofing a series’ sonic identity through thoughtful practices.",
]


@pytest.fixture(scope="module")
def seed() -> dict:
    body, meta, _ = load_case(GOLDEN / "seed")
    return current_output(body, meta)


def test_title_and_date(seed: dict) -> None:
    assert seed["title"] == ("Analyzing the contribution of production soundtracks in creating a "
                             "series’ unique auditory identity and mood profile.")
    assert seed["published"] == "2025-07-29"
    assert seed["description"].startswith("This evergreen exploration delves into how production")


def test_four_headings_in_order(seed: dict) -> None:
    assert [s["heading"] for s in seed["sections"]] == [None, *HEADINGS]
    assert [s["level"] for s in seed["sections"]] == [None, 2, 2, 2, 2]


def test_twenty_related_items(seed: dict) -> None:
    related = seed["related"]
    assert len(related) == 20
    assert {r["category"] for r in related} == {"TV series reviews"}
    assert related[0]["summary"].startswith("Across seasons, micro-gestures recur to map inner change")
    assert [r["published"] for r in related][:3] == ["2025-07-15", "2025-08-06", "2025-07-14"]
    assert related[-1]["published"] == "2025-08-08"
    assert sum(1 for link in seed["links"] if link["kind"] == "related") == 20


def test_body_is_the_paragraphs_and_nothing_else(seed: dict) -> None:
    body = seed["body"]
    for banned in ("ADVERTISEMENT", "Facebook", "Related Articles", "Pinterest", "Published",
                   "cookies", "All rights reserved"):
        assert banned not in body
    paragraphs = [p for s in seed["sections"] for p in s["text"].split("\n\n")]
    assert len(paragraphs) == 12
    assert body.startswith("Soundtracks function as the hidden backbone of a television series")
    assert body.endswith("enduring beyond the moment of air.")


@pytest.mark.skipif(not SEED_TEXT.exists(), reason="shared/seeds is not beside this checkout")
def test_every_seed_paragraph_is_in_the_body(seed: dict) -> None:
    lines = [l for l in SEED_TEXT.read_text("utf-8").splitlines() if l.strip()]
    body_lines = lines[lines.index("Facebook X Reddit Pinterest Email") + 1: lines.index("Related Articles")]
    expected = [l for l in body_lines if l != "ADVERTISEMENT"]
    assert seed["body"].split("\n\n") == expected


def test_share_links_are_share(seed: dict) -> None:
    share = [link["text"] for link in seed["links"] if link["kind"] == "share"]
    assert share == ["Facebook", "X", "Reddit", "Pinterest", "Email"]


def test_expected_json_is_valid_json() -> None:
    assert json.loads((GOLDEN / "seed" / "expected.json").read_text("utf-8"))["title"]
