"""HTML for the sample site's pages: article, listing, home, about/contact and 404.

The markup imitates a real publisher: head metadata (OpenGraph, JSON-LD on most articles),
a cookie banner, navigation, breadcrumbs, a share bar, ad slots inside the body, a related list
and a footer, so that a parser has real boilerplate to leave out.
"""
from __future__ import annotations

import json
import random
from html import escape

from spiders.sample_site import prose
from spiders.sample_site.site import MIN_ARTICLES, QUIRKS, SITE_NAME, ArticleSpec, SampleSite, slugify


def visible_date(day) -> str:
    return day.strftime("%B %d, %Y")


def _head(title: str, description: str, canonical: str, og_type: str, extra: str = "",
          charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | {SITE_NAME}</title>
<meta name="description" content="{escape(description)}">
<link rel="canonical" href="{escape(canonical)}">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/feed.xml">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:type" content="{og_type}">
<meta property="og:title" content="{escape(title)}">
<meta property="og:description" content="{escape(description)}">
<meta property="og:url" content="{escape(canonical)}">
{extra}<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<div class="cookie-banner" id="cookie-consent" role="dialog">
<p>We use cookies to understand how our site is used. <a href="/privacy/">Read our privacy policy</a>.</p>
<button type="button">Accept all</button> <button type="button">Reject</button>
</div>
"""


def _header(site: SampleSite) -> str:
    items = "".join(f'<li><a href="{site.category_path(c)}">{escape(c)}</a></li>'
                    for c in prose.CATEGORIES)
    return f"""<header class="site-header">
<a class="logo" href="/">{SITE_NAME}</a>
<nav class="main-nav" aria-label="Sections"><ul>{items}<li><a href="/search/">Search</a></li></ul></nav>
</header>
"""


FOOTER = f"""<footer class="site-footer">
<nav class="footer-nav"><a href="/about/">About</a> <a href="/contact/">Contact</a> <a href="/privacy/">Privacy</a> <a href="/feed.xml">RSS</a></nav>
<p>© 2025 {SITE_NAME}. All rights reserved.</p>
</footer>
</body>
</html>
"""

AD_SLOTS = ('<div class="ad-slot" aria-hidden="true"><span class="ad-label">ADVERTISEMENT</span></div>\n'
            '<div class="ad-slot ad-mobile" aria-hidden="true"><span class="ad-label">ADVERTISEMENT</span></div>\n')


def _share_bar(url: str) -> str:
    return f"""<div class="share-bar" aria-label="Share">
<a class="share" href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a>
<a class="share" href="https://x.com/intent/tweet?url={url}">X</a>
<a class="share" href="https://www.reddit.com/submit?url={url}">Reddit</a>
<a class="share" href="https://pinterest.com/pin/create/button/?url={url}">Pinterest</a>
<a class="share" href="mailto:?subject=Worth%20reading&amp;body={url}">Email</a>
</div>
"""


def _jsonld(spec: ArticleSpec, url: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title,
            "description": spec.standfirst, "datePublished": spec.published.isoformat(),
            "author": {"@type": "Person", "name": spec.author},
            "articleSection": spec.category, "inLanguage": "en", "mainEntityOfPage": url,
            "publisher": {"@type": "Organization", "name": SITE_NAME}}
    if spec.modified:
        data["dateModified"] = spec.modified.isoformat()
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>\n'


def _article_meta(spec: ArticleSpec, url: str) -> str:
    if not spec.has_jsonld:
        return ""
    meta = [f'<meta property="article:published_time" content="{spec.published.isoformat()}">',
            f'<meta property="article:section" content="{escape(spec.category)}">',
            f'<meta property="article:tag" content="{escape(spec.category.split()[0].lower())}">',
            f'<meta name="author" content="{escape(spec.author)}">']
    if spec.modified:
        meta.append(f'<meta property="article:modified_time" content="{spec.modified.isoformat()}">')
    return "\n".join(meta) + "\n" + _jsonld(spec, url)


def body_blocks(site: SampleSite, spec: ArticleSpec) -> list[dict]:
    """The article's body as blocks ({"p"}, {"h2"}, {"ad"}); the seed's are its real text."""
    if spec.id == 0:
        return site.seed_article["blocks"]
    rng = random.Random(spec.text_seed)
    blocks: list[dict] = [{"p": prose.paragraph(rng, spec.category)}
                          for _ in range(rng.randint(1, 2))]
    for _ in range(rng.randint(2, 6)):
        blocks.append({"h2": prose.heading(rng, spec.category)})
        for n in range(rng.randint(1, 3)):
            blocks.append({"p": prose.paragraph(rng, spec.category)})
            if n == 0 and rng.random() < 0.6:
                blocks.append({"ad": True})
    # Link targets among earlier articles, so that adding articles never changes an old page.
    pool = range(max(spec.id, MIN_ARTICLES))
    targets = [t for t in rng.sample(pool, 2) if t != spec.id]
    paragraphs = [i for i, b in enumerate(blocks) if "p" in b]
    for target, index in zip(targets[: rng.randint(0, 2)], paragraphs[1:]):
        blocks[index] = {**blocks[index], "link": target}
    if spec.id == QUIRKS["links-duplicate"]:
        blocks[paragraphs[0]] = {**blocks[paragraphs[0]], "link": -QUIRKS["duplicate"]}
    return blocks


def _paragraph_html(site: SampleSite, block: dict) -> str:
    text = escape(block["p"])
    if "link" not in block:
        return f"<p>{text}</p>\n"
    target = site.articles[abs(block["link"])]
    href = f"/print{target.path}" if block["link"] < 0 else target.path
    words = block["p"].split(" ")
    anchor, rest = escape(" ".join(words[:4])), escape(" ".join(words[4:]))
    return f'<p><a href="{href}">{anchor}</a> {rest}</p>\n'


def _related_html(site: SampleSite, spec: ArticleSpec) -> str:
    if spec.id == 0:
        items = [(site.articles[i], item) for i, item in enumerate(site.seed_article["related"], 1)]
        pairs = [(t.path, t.title, item["category"], item["summary"], t.published) for t, item in items]
    else:
        pairs = [(t.path, t.title, t.category, t.standfirst, t.published)
                 for t in (site.articles[i] for i in spec.related)]
    pairs += [(path, "An earlier review", spec.category, "A piece from our archive.",
               spec.published) for path in spec.extra_related]
    if not pairs:
        return ""
    rows = "".join(
        f'<li class="related-item"><span class="related-category">{escape(cat)}</span>\n'
        f'<a class="related-link" href="{path}" title="{escape(title)}">{escape(summary)}</a>\n'
        f'<span class="related-sep">-</span>\n'
        f'<time datetime="{day.isoformat()}">{visible_date(day)}</time></li>\n'
        for path, title, cat, summary, day in pairs)
    return (f'<section class="related-articles" aria-labelledby="related-heading">\n'
            f'<h2 id="related-heading">Related Articles</h2>\n<ul>\n{rows}</ul>\n</section>\n')


def article_page(site: SampleSite, spec: ArticleSpec, base: str, *, charset: str = "utf-8",
                 canonical_path: str | None = None) -> str:
    url = base + (canonical_path or spec.path)
    dateline = ""
    if spec.id != QUIRKS["no-date"]:
        dateline = f"Published {visible_date(spec.published)}"
        if spec.modified:
            dateline += f" · Updated {visible_date(spec.modified)}"
        dateline = f'<p class="dateline">{dateline}</p>\n'
    body = "".join(AD_SLOTS if "ad" in b else f"<h2>{escape(b['h2'])}</h2>\n" if "h2" in b
                   else _paragraph_html(site, b) for b in body_blocks(site, spec))
    crumbs = (f'<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> › '
              f'<a href="{site.category_path(spec.category)}">{escape(spec.category)}</a></nav>\n')
    return (_head(spec.title, spec.standfirst, url, "article", _article_meta(spec, url), charset)
            + _header(site) + '<main id="content">\n<article class="article">\n' + crumbs
            + f'<h1 class="article-title">{escape(spec.title)}</h1>\n'
            + f'<p class="standfirst">{escape(spec.standfirst)}</p>\n' + dateline
            + _share_bar(url) + f'<div class="article-body">\n{body}</div>\n</article>\n'
            + _related_html(site, spec) + "</main>\n" + FOOTER)


def listing_page(site: SampleSite, title: str, specs: list[ArticleSpec], base: str, path: str,
                 next_path: str | None, prev_path: str | None) -> str:
    items = "".join(
        f'<li class="teaser"><a href="{s.path}">{escape(s.title)}</a>'
        f'<p>{escape(s.standfirst)}</p><time datetime="{s.published.isoformat()}">'
        f"{visible_date(s.published)}</time></li>\n" for s in specs)
    pager = "".join(f'<a rel="{rel}" href="{p}">{label}</a> ' for rel, p, label in
                    (("prev", prev_path, "Newer"), ("next", next_path, "Older")) if p)
    return (_head(title, f"The latest from {title} at {SITE_NAME}.", base + path, "website")
            + _header(site) + f'<main id="content">\n<h1>{escape(title)}</h1>\n<ul class="teasers">\n'
            + items + f'</ul>\n<nav class="pager">{pager}</nav>\n</main>\n' + FOOTER)


def static_page(site: SampleSite, path: str, title: str, base: str) -> str:
    text = {"/about/": f"{SITE_NAME} publishes long-form criticism and explainers on television, "
                       "film, music, books, technology and science.",
            "/contact/": "Write to the editors at editors@evergreen-review.example.",
            "/privacy/": "We keep server logs for thirty days and set one cookie to remember your "
                         "consent choice."}[path]
    return (_head(title, text, base + path, "website") + _header(site)
            + f'<main id="content">\n<h1>{title}</h1>\n<p>{escape(text)}</p>\n</main>\n' + FOOTER)


def not_found_page(site: SampleSite, base: str, path: str) -> str:
    return (_head("Page not found", "This page does not exist.", base + path, "website")
            + _header(site) + '<main id="content">\n<h1>Page not found</h1>\n'
            '<p>Sorry, we could not find that page.</p>\n</main>\n' + FOOTER)


def break_html(html: str) -> str:
    """Damage markup the way hand-edited CMS templates do: unclosed and stray tags."""
    html = html.replace("</p>", "").replace('<h1 class="article-title">', "</div><h1 class=article-title>")
    html = html.replace('<div class="article-body">', '<div class="article-body"><span><b>', 1)
    return html.replace("</body>\n</html>\n", "").replace("</li>", "")


__all__ = ["article_page", "listing_page", "static_page", "not_found_page", "break_html", "slugify"]
