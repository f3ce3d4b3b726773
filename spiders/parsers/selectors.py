"""Every pattern the parser uses to recognise parts of a page, in one place.

Class and id names are matched as whole dash/underscore-separated words, so `ad-slot` and
`share-bar` match while `shadow` and `header-image` inside a body do not confuse `ad` or `header`.
Word lists are sets looked up against a page's names split once into words: measured, this
took most of the regex time off the hot path.
"""
from __future__ import annotations

import re
from functools import lru_cache

_NAME_SPLIT = re.compile(r"[\s_-]+")


@lru_cache(maxsize=8192)
def name_words(text: str) -> tuple[frozenset[str], str]:
    """'Article-Body main_col' -> ({article, body, main, col}, '-article-body-main-col-')."""
    tokens = [t for t in _NAME_SPLIT.split(text.lower()) if t]
    return frozenset(tokens), "-" + "-".join(tokens) + "-"


class NameTest:
    """A test over class/id names whose answers are remembered per names string: a page asks
    about the same few hundred strings thousands of times (measured: most of the parser's time
    went to these tests before)."""

    MAX_REMEMBERED = 65536

    def __init__(self) -> None:
        self.known: dict[str, bool] = {}

    def search(self, text: str) -> bool:
        found = self.known.get(text)
        if found is None:
            if len(self.known) > self.MAX_REMEMBERED:
                self.known.clear()
            found = self.known[text] = self.test(text)
        return found

    def test(self, text: str) -> bool:
        raise NotImplementedError


class Words(NameTest):
    """A list of class/id words: one-word names are a set lookup; the few hyphenated ones
    ("read-next") a substring test, tried only when their first word is there."""

    def __init__(self, *names: str) -> None:
        super().__init__()
        self.single = frozenset(n.lower() for n in names if "-" not in n)
        self.joined = tuple(f"-{n.lower()}-" for n in names if "-" in n)
        self.first = frozenset(n.lower().split("-")[0] for n in names if "-" in n)

    def test(self, text: str) -> bool:
        tokens, joined = name_words(text)
        return not self.single.isdisjoint(tokens) or (
            not self.first.isdisjoint(tokens) and any(n in joined for n in self.joined))


class Remembered(NameTest):
    """A regex over class/id names (substrings such as "article-body", "date")."""

    def __init__(self, pattern: str) -> None:
        super().__init__()
        self.pattern = re.compile(pattern, re.I)

    def test(self, text: str) -> bool:
        return self.pattern.search(text) is not None


def _words(*names: str) -> Words:
    return Words(*names)


BOILERPLATE_TAGS = {"nav", "footer", "aside", "form", "figure", "figcaption", "button", "select",
                    "script", "style", "noscript", "template", "svg", "iframe", "header",
                    "object", "embed", "dialog", "menu", "label", "input", "textarea"}
BOILERPLATE_NAMES = _words(
    "share", "sharing", "sharebar", "social", "ad", "ads", "advert", "advertisement", "adslot",
    "ad-slot", "dfp", "sponsored", "promo", "promotion", "cookie", "cookies", "consent", "gdpr",
    "newsletter", "subscribe", "subscription", "signup", "paywall", "comment", "comments",
    "breadcrumb", "breadcrumbs", "byline", "dateline", "meta", "standfirst", "dek", "kicker",
    "related", "recommended", "recommendations", "read-next", "readnext", "more-from",
    "sidebar", "popup", "modal", "banner", "caption", "credit", "toolbar", "tags",
    "author-bio", "bio", "nav", "navbar", "navigation", "menu", "footer", "header", "masthead",
    "pager", "pagination", "print", "skip", "hidden", "visually-hidden", "sr-only", "outbrain",
    "taboola", "teaser", "teasers", "trending", "most-read", "most-popular", "toc")
# Class words that mark boilerplate whatever else the element is called ...
STRONG_BOILERPLATE_NAMES = _words(
    "share", "sharing", "sharebar", "social", "ad", "ads", "advert", "advertisement", "adslot",
    "ad-slot", "dfp", "sponsored", "promo", "cookie", "cookies", "consent", "gdpr", "newsletter",
    "subscribe", "signup", "paywall", "comment", "comments", "related", "recommended",
    "byline", "dateline", "caption", "credit", "outbrain", "taboola", "breadcrumb", "breadcrumbs",
    "twitter-tweet", "instagram-media", "tiktok-embed", "fb-post")
# ... and words that say "this holds the content", which overrule the weaker layout words
# (sidebar, header, widget, ...) the way readability's "maybe a candidate" rule does.
CONTENT_NAMES = Remembered(r"article|body|column|content|main|entry|story|post")
AD_TEXT = re.compile(r"^(advertisement|advertisements|advert|adverts|advertising|ad|ads|sponsored|"
                     r"sponsored content|promoted|anzeige|werbung|reklama|publicité|publicidad|pubblicità"
                     r"|advertisement - scroll to continue|scroll to continue|story continues below"
                     r"|continue reading below|this slideshow requires javascript\.?"
                     # interface words that land in the text of players, dialogs and toolbars
                     r"|close|video|play|pause|replay|loading|loading\.\.\.|comments|share|print|email|caption"
                     r"|like|like this:?|iklan|\d+ comments?|no comments( yet)?|leave a comment"
                     r"|menu|search|subscribe|sign up|log in|tell us what you think\.*)$", re.I)
# Short paragraphs that are page furniture, not body: lead-ins to other stories, share prompts,
# photo credits and captions, CMS shortcodes. Matched only against paragraphs under 200 chars.
FURNITURE_TEXT = re.compile(
    r"^(see more|read more|more|related|also read|read also|don'?t miss|must read|watch|recommended"
    r"|lesen sie auch|mehr zum thema|weiterlesen|czytaj (też|także)|zobacz (też|także)|à lire aussi"
    r"|lire aussi|leer más|lee también|leggi anche)\s*:"
    r"|^share (this|on|via)\b|\bshare (it|this) with a friend|^also on \S+"
    r"|\b(sign up|subscribe)\b.*\b(newsletter|inbox)\b|\bnewsletter\b.*\b(sign up|subscribe)\b"
    r"|(in|to) your inbox\b|delivered (to|through) your (letterbox|door|inbox)"
    r"|(\(\s*(image|photo|picture|pic|credit|foto|bild|zdjęcie)s?\s*:[^)]*\)|getty images|/ ?afp|ap photo"
    r"|shutterstock|/ ?reuters)\s*$"
    r"|^\[\w+[^\]]*\]"
    # reading time, tag and topic lines, follow prompts, reporting credits
    r"|^(reading time|read time|tempo de leitura|tiempo de lectura|temps de lecture|lesezeit|lesedauer)\b"
    r"|^\d+\s*(min|mins|minutes?)\.?\s*(read|de leitura|de lectura|de lecture|lesezeit)\b"
    r"|^(filed under|topics?|tags?|themen|schlagworte)\s*:|^filed under\b"
    r"|^follow (us|\w+) on (instagram|facebook|twitter|x|youtube|linkedin|tiktok)\b"
    r"|^(additional )?reporting by\b|^(\w[\w.'’-]* ){1,4}contributed (reporting|to this report)\b"
    r"|^editing by\b|^writing by\b", re.I)
BODY_NAMES = Remembered(
    r"article[-_]?body|articlebody|post[-_]?body|entry[-_]?content|story[-_]?body|article[-_]?content"
    r"|post[-_]?content|article[-_]?text|story[-_]?content|body[-_]?text|rich[-_]?text|main[-_]?content"
    r"|article__body|c-entry-content|content[-_]?body")

RELATED_NAMES = _words("related", "related-articles", "related-posts", "related-stories",
                       "recommended", "recommendations", "read-next", "readnext", "more-from",
                       "you-may-also-like", "also-read", "more-stories", "further-reading")
RELATED_HEADING = re.compile(
    r"^(related( articles| stories| posts| content| reading| coverage| news)?|more from\b.*"
    r"|you (may|might) also like|read next|read more|recommended( for you| reading)?"
    r"|more stories|more on this( story| topic)?|further reading|see also|also read"
    r"|mehr zum thema|zobacz także|czytaj także|à lire aussi|lee también|leggi anche|more"
    r"|don'?t miss|see more)[\s:.…]*$", re.I)
# Labels of the site's own widgets (most read, trending): they end the body too, but their links
# are navigation, not the article's related list.
WIDGET_HEADING = re.compile(
    r"^(trending( now| stories)?|most (read|popular|shared|viewed|commented)( stories| articles)?"
    r"|popular( now| stories| articles)?|top stories|meistgelesen|am meisten gelesen|les plus lus"
    r"|más leídos|più lett[ei])[\s:.…]*$", re.I)
# Class words of a block standing in for a heading ("subhead", "article-heading").
HEADING_NAMES = _words("heading", "subheading", "subhead", "sub-heading", "subtitle", "section-title",
                       "intertitle", "crosshead", "zwischentitel", "zwischenueberschrift")
# A paragraph that is only a dateline ("Updated at 1:23 p.m.", "Published 3 May 2024").
DATELINE_TEXT = re.compile(r"^(updated|published|posted|last updated|first published)\b.{0,50}$", re.I)
SHARE_HREF = re.compile(
    r"^mailto:|facebook\.com/(sharer|share|dialog)|(twitter|x)\.com/(intent|share)|reddit\.com/submit"
    r"|pinterest\.\w+/pin/create|linkedin\.com/(share|shareArticle)|api\.whatsapp\.com/send"
    r"|wa\.me/|t\.me/share|telegram\.me/share|news\.ycombinator\.com/submitlink|getpocket\.com/save"
    r"|tumblr\.com/(share|widgets/share)|flipboard\.com/bookmarklet", re.I)
SHARE_NAMES = _words("share", "sharing", "sharebar", "share-bar", "social", "social-share")
NAVIGATION_NAMES = _words("nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs",
                          "pager", "pagination", "site-header", "global-header", "masthead", "skip",
                          "topnav", "top-bar", "topbar")
FOOTER_NAMES = _words("footer", "site-footer", "colophon")
AUTHOR_NAMES = _words("author", "authors", "byline", "author-name", "authorname", "autor", "autorin",
                      "auteur", "autore", "writer", "article-author", "post-author", "entry-author")
# A heading's parts that are not the headline: kickers above it, labels and dates beside it.
KICKER_NAMES = _words("kicker", "eyebrow", "overline", "topline", "dachzeile", "roofline", "strapline",
                      "supertitle", "label", "rubric", "category", "flag", "date", "time", "meta")
ITEM_CATEGORY_NAMES = _words("category", "section", "kicker", "eyebrow", "label", "rubric", "topic",
                             "related-category", "tag", "cat")
ITEM_SUMMARY_NAMES = _words("summary", "excerpt", "dek", "description", "standfirst", "teaser-text")
STANDFIRST_NAMES = _words("standfirst", "dek", "subtitle", "subheadline", "sub-headline", "lede",
                          "article-summary", "intro")
DATELINE_NAMES = Remembered(r"date|time|byline|meta|publish|posted")

INLINE_TAGS = {"a", "b", "strong", "i", "em", "span", "u", "small", "sup", "sub", "font", "mark",
               "abbr", "cite", "code", "q", "time", "s", "del", "ins", "big"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PARAGRAPH_TAGS = {"p", "pre"}
LEAF_BLOCK_TAGS = {"li", "blockquote", "div", "section", "td", "dd", "dt", "article", "main"}
BLOCK_TAGS = HEADING_TAGS | PARAGRAPH_TAGS | {"li", "blockquote", "div", "section", "table", "ul",
                                              "ol", "dl", "article", "main", "tr", "td"}
