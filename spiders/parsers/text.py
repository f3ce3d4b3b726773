"""Text helpers shared by the parser modules."""
from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def clean_text(text: str | None) -> str:
    """Collapse runs of white space (including non-breaking spaces) and trim."""
    return _SPACE.sub(" ", (text or "").replace("\xa0", " ")).strip()
