"""Every page of the generated site parses, and every article's body is exactly its text."""
from __future__ import annotations

from spiders.parsers import parse_article
from spiders.sample_site import QUIRKS, build_site
from spiders.sample_site.pages import body_blocks
from spiders.sample_site.routes import all_paths, respond

BASE = "http://127.0.0.1:8000"


def test_every_page_parses_and_every_article_is_exact() -> None:
    site = build_site()
    paths = all_paths(site)
    assert len(paths) == 300 + 4 + 1 + sum(
        -(-len(specs) // 20) for specs in site.by_category.values())
    wrong: list[str] = []
    for path in paths:
        response = respond(site, path, BASE)
        assert response.status == 200, path
        article = parse_article(response.body, BASE + path, response.content_type)
        spec = site.by_path.get(path)
        if spec is None:
            continue
        truth = [b.get("p") or b.get("h2") for b in body_blocks(site, spec) if "ad" not in b]
        expected_date = None if spec.id == QUIRKS["no-date"] else spec.published.isoformat()
        related = len(spec.related) + len(spec.extra_related)
        if (article.body.split("\n\n"), article.title, article.published, len(article.related)) != \
                (truth, spec.title, expected_date, related):
            wrong.append(path)
    assert wrong == []
