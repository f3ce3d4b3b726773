"""Golden files for the parser: one folder per page, `input.html` + `meta.json` + `expected.json`.

After a deliberate change to the parser or the sample site, regenerate and review the diff:

    python -m tests.parsers.golden --rerun            # every case
    python -m tests.parsers.golden --rerun seed       # one case

Sample-site cases are rendered from the generator; hand-written cases (issue 5) only keep their
`input.html` and are re-parsed.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from spiders.parsers import parse_article
from spiders.sample_site import QUIRKS, build_site
from spiders.sample_site.routes import respond

GOLDEN = Path(__file__).parent / "golden"
BASE = "http://127.0.0.1:8000"


def sample_cases() -> dict[str, str]:
    """Case name -> path on the default sample site (300 articles, seed 7)."""
    site = build_site()
    cases = {"seed": site.articles[0].path, "about": "/about/", "category-listing": "/category/music/"}
    for quirk in ("no-date", "windows-1252", "broken-html", "links-404", "links-redirect"):
        cases[quirk] = site.articles[QUIRKS[quirk]].path
    cases["duplicate-print-copy"] = "/print" + site.articles[QUIRKS["duplicate"]].path
    cases["ordinary-article"] = site.articles[40].path
    return cases


def render_sample(path: str) -> tuple[bytes, dict]:
    response = respond(build_site(), path, BASE)
    return response.body, {"url": BASE + path, "content_type": response.content_type}


def load_case(folder: Path) -> tuple[bytes, dict, dict]:
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    return (folder / "input.html").read_bytes(), meta, expected


def current_output(body: bytes, meta: dict) -> dict:
    return parse_article(body, meta["url"], meta.get("content_type")).to_dict()


def rerun(names: list[str]) -> None:
    samples = sample_cases()
    folders = sorted(p for p in GOLDEN.iterdir() if p.is_dir()) if GOLDEN.exists() else []
    wanted = set(names) or set(samples) | {p.name for p in folders}
    for name in sorted(wanted):
        folder = GOLDEN / name
        folder.mkdir(parents=True, exist_ok=True)
        if name in samples:
            body, meta = render_sample(samples[name])
            (folder / "input.html").write_bytes(body)
            meta["sample_path"] = samples[name]
            (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
        body = (folder / "input.html").read_bytes()
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        output = current_output(body, meta)
        (folder / "expected.json").write_text(
            json.dumps(output, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"wrote {folder}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rerun", nargs="*", metavar="CASE", required=True)
    rerun(parser.parse_args().rerun)
