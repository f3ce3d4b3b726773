"""Pure extraction: from a page's bytes and URL to an Article, with no Scrapy and no network."""
from spiders.parsers.article import PARSER_VERSION, PageParseError, parse_article
from spiders.parsers.records import Article, Link, RelatedItem, Section
from spiders.parsers.urls import canonicalize_url

__all__ = ["PARSER_VERSION", "PageParseError", "parse_article", "Article", "Link", "RelatedItem",
           "Section", "canonicalize_url"]
