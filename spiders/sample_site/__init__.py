"""The bundled sample publisher site: a deterministic generator and a small HTTP server.

The demo, the tests and the benchmarks crawl this site instead of the internet. Its pages follow
the layout of the seed article (title, standfirst, "Published" line, share bar, sections with
ADVERTISEMENT slots, a Related Articles list) and it carries deliberate imperfections, each one a
named fixture in `site.QUIRKS`.
"""
from spiders.sample_site.site import QUIRKS, SampleSite, build_site

__all__ = ["QUIRKS", "SampleSite", "build_site"]
