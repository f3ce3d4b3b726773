"""Body extraction quality and speed: parse_article against trafilatura, side by side.

Runs both on the evaluation pages (../shared/eval/article-bodies: real pages with their true
bodies), scores them with ../shared/tools/score_bodies.py's metric, and prints F1, precision,
recall, exact-match accuracy and median ms per page for each, then the same for publication
dates on the pages whose JSON-LD gives a datePublished (the truth), each extractor reading the
page with that JSON-LD removed so that the date must come from elsewhere.

    python bench/extraction.py [--eval DIR] [--save-predictions DIR]
"""
from __future__ import annotations

import argparse
import gzip
import html as html_lib
import importlib.util
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spiders.parsers import parse_article  # noqa: E402
from spiders.parsers.dates import parse_machine_date  # noqa: E402

SHARED = ROOT.parent / "shared"
JSONLD = re.compile(r'<script[^>]*application/ld\+json[^>]*>(.*?)</script>', re.S | re.I)


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_bodies", SHARED / "tools" / "score_bodies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages(eval_dir: Path) -> dict[str, tuple[bytes, str]]:
    truth = json.loads((eval_dir / "ground-truth.json").read_text("utf-8"))
    return {key: (gzip.decompress((eval_dir / "html" / f"{key}.html.gz").read_bytes()), item.get("url", ""))
            for key, item in truth.items()}


def clippings_body(html: bytes, url: str) -> str:
    return parse_article(html, url).body


def trafilatura_body(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def run(extract, items: dict[str, tuple[bytes, str]]) -> tuple[dict[str, dict], float]:
    predictions, times = {}, []
    for key, (html, url) in items.items():
        started = time.perf_counter()
        body = extract(html, url)
        times.append((time.perf_counter() - started) * 1000)
        predictions[key] = {"articleBody": body}
    return predictions, statistics.median(times)


def jsonld_date(html: bytes) -> str | None:
    for block in JSONLD.findall(html.decode("utf-8", "replace")):
        match = re.search(r'"datePublished"\s*:\s*"([^"]+)"', block)
        if match and (day := parse_machine_date(match.group(1))):
            return day[:10]
    return None


def jsonld_headline(html: bytes) -> str | None:
    for block in JSONLD.findall(html.decode("utf-8", "replace")):
        match = re.search(r'"headline"\s*:\s*"((?:[^"\\]|\\.)+)"', block)
        if match:
            try:
                return " ".join(html_lib.unescape(json.loads(f'"{match.group(1)}"')).split())
            except ValueError:
                continue
    return None


def metadata_scores(items: dict[str, tuple[bytes, str]], truth_of, ours, theirs) -> tuple[int, int, int]:
    """(pages with a JSON-LD truth, right by parse_article, right by the baseline), each reading
    the page with its JSON-LD removed so that the value must come from elsewhere."""
    total = right = baseline = 0
    for html, url in items.values():
        truth = truth_of(html)
        if not truth:
            continue
        stripped = JSONLD.sub("", html.decode("utf-8", "replace"))
        total += 1
        right += ours(stripped, url) == truth
        baseline += theirs(stripped, url) == truth
    return total, right, baseline


def our_day(page: str, url: str) -> str:
    return (parse_article(page, url).published or "")[:10]


def htmldate_day(page: str, url: str) -> str:
    from htmldate import find_date

    return find_date(page, original_date=True, url=url) or ""


def our_title(page: str, url: str) -> str:
    return parse_article(page, url).title or ""


def trafilatura_title(page: str, url: str) -> str:
    import trafilatura

    meta = trafilatura.extract_metadata(page, default_url=url)
    return " ".join(((meta.title if meta else "") or "").split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=SHARED / "eval" / "article-bodies")
    parser.add_argument("--save-predictions", type=Path)
    args = parser.parse_args()
    scorer = load_scorer()
    truth = json.loads((args.eval / "ground-truth.json").read_text("utf-8"))
    items = pages(args.eval)
    print(f"{len(items)} pages from {args.eval}")
    print(f"{'extractor':<16}{'F1':>7}{'prec':>7}{'recall':>8}{'exact':>7}{'ms/page':>9}")
    for name, extract in (("clippings", clippings_body), ("trafilatura", trafilatura_body)):
        predictions, ms = run(extract, items)
        m = scorer.score(truth, predictions)
        print(f"{name:<16}{m['f1']:>7.3f}{m['precision']:>7.3f}{m['recall']:>8.3f}{m['accuracy']:>7.3f}{ms:>9.1f}")
        if args.save_predictions:
            args.save_predictions.mkdir(parents=True, exist_ok=True)
            (args.save_predictions / f"{name}.json").write_text(json.dumps(predictions, ensure_ascii=False))
    total, ours, theirs = metadata_scores(items, jsonld_date, our_day, htmldate_day)
    print(f"\npublication date, {total} pages with JSON-LD truth, JSON-LD removed before extracting:")
    print(f"{'clippings':<16}{ours / total:>7.3f}  ({ours}/{total} right day)")
    print(f"{'htmldate':<16}{theirs / total:>7.3f}  ({theirs}/{total} right day)")
    total, ours, theirs = metadata_scores(items, jsonld_headline, our_title, trafilatura_title)
    print(f"\nbare headline as title, {total} pages with a JSON-LD headline, JSON-LD removed:")
    print(f"{'clippings':<16}{ours / total:>7.3f}  ({ours}/{total} exact)")
    print(f"{'trafilatura':<16}{theirs / total:>7.3f}  ({theirs}/{total} exact)")


if __name__ == "__main__":
    main()
