"""Deterministic prose for generated articles: titles, standfirsts, headings and paragraphs.

The text only has to look like journalism to a parser (sentences, paragraphs of realistic
length, curly apostrophes); it is built from small word banks with a seeded `random.Random`,
so the same seed always gives the same site.
"""
from __future__ import annotations

import random

CATEGORIES: dict[str, tuple[str, ...]] = {
    "TV series reviews": ("the showrunner", "the ensemble cast", "the season finale", "the pilot",
                          "the writers’ room", "the anthology format", "the cold open"),
    "Film criticism": ("the director", "the cinematographer", "the final act", "the ensemble",
                       "the festival cut", "the screenplay", "the long take"),
    "Music": ("the producer", "the rhythm section", "the debut album", "the live set",
              "the string arrangement", "the chorus", "the touring band"),
    "Books": ("the novelist", "the translator", "the second volume", "the memoir",
              "the narrator", "the closing chapter", "the essay collection"),
    "Technology": ("the platform", "the open-source project", "the hardware team",
                   "the new standard", "the developer community", "the data centre", "the chip"),
    "Science": ("the research team", "the field survey", "the new model", "the clinical trial",
                "the observatory", "the lab", "the long-term study"),
}

VERBS = ("reshapes", "complicates", "illuminates", "sustains", "reframes", "undercuts",
         "anchors", "rewards", "tests", "deepens", "questions", "balances")
OBJECTS = ("the audience’s expectations", "a familiar formula", "the central conflict",
           "its own ambitions", "the pacing of the story", "a fragile sense of trust",
           "the tone of the whole work", "years of accumulated habit", "the public debate",
           "the economics of the field", "the way critics talk about it", "a quiet tension")
CLAUSES = ("without losing sight of the details", "while leaving room for doubt",
           "in ways that only become clear later", "across a surprisingly wide range",
           "despite a modest budget", "with a patience that pays off",
           "even when the material resists it", "long after the first impression fades")
OPENERS = ("In practice,", "At its best,", "More often than not,", "By contrast,",
           "Over time,", "For many readers,", "Crucially,", "Seen this way,")
TITLE_PATTERNS = ("How {noun} {verb} {object}", "Why {noun} still {verb} {object}",
                  "What {noun} teaches us about {object}", "{Noun} {verb} {object}, and it works",
                  "Inside {noun}: a study of {object}")
HEADING_PATTERNS = ("Why {noun} matters now.", "What changes when {noun} {verb} {object}.",
                    "The case for {object}.", "Reading {noun} closely.",
                    "Where {noun} goes from here.", "Lessons from {noun}.")
AUTHORS = ("Nadia Okafor", "Tomás Rivera", "Hannah Becker", "Li Wei", "Amara Nwosu",
           "Jonas Lindqvist", "Priya Raman", "Marta Kowalska", "Samuel Adeyemi", "Claire Dubois")


def _fill(rng: random.Random, pattern: str, category: str) -> str:
    noun = rng.choice(CATEGORIES[category])
    return pattern.format(noun=noun, Noun=noun[0].upper() + noun[1:], verb=rng.choice(VERBS),
                          object=rng.choice(OBJECTS))


def title(rng: random.Random, category: str) -> str:
    text = _fill(rng, rng.choice(TITLE_PATTERNS), category)
    return text[0].upper() + text[1:]


def heading(rng: random.Random, category: str) -> str:
    text = _fill(rng, rng.choice(HEADING_PATTERNS), category)
    return text[0].upper() + text[1:]


def sentence(rng: random.Random, category: str) -> str:
    noun = rng.choice(CATEGORIES[category])
    words = [rng.choice(OPENERS), noun, rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(CLAUSES)]
    if rng.random() < 0.5:
        words = words[1:]
        words[0] = words[0][0].upper() + words[0][1:]
    return " ".join(words) + "."


def paragraph(rng: random.Random, category: str) -> str:
    return " ".join(sentence(rng, category) for _ in range(rng.randint(3, 6)))


def standfirst(rng: random.Random, category: str) -> str:
    return " ".join(sentence(rng, category) for _ in range(2))
