"""Title and authors from a paper's first page, for files that came without metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass

from synth.layout import Block
from synth.structure import is_heading

_ORG_WORDS = re.compile(
    r"\b(University|Universit\w+|Department|Dept|Institute|Institut|Team|Lab|Laboratory|School|"
    r"Faculty|Center|Centre|Research|College|Inc|Ltd|Corporation|Submission|Anonymous|Abstract|"
    r"Report|Course|Project|Street|Road)\b",
    re.IGNORECASE,
)
_NAME_PARTICLES = {
    "de",
    "da",
    "van",
    "von",
    "der",
    "den",
    "del",
    "la",
    "le",
    "di",
    "du",
    "dos",
    "bin",
}


@dataclass
class FrontMatter:
    title: str
    authors: tuple[str, ...]


def _looks_like_names(text: str) -> list[str]:
    if "@" in text or re.search(r"\d", text) or _ORG_WORDS.search(text):
        return []
    parts = [p.strip(" ,;*†‡") for p in re.split(r",|\band\b|&|;", text)]
    names = []
    for part in parts:
        if not part:
            continue
        words = part.split()
        if not 2 <= len(words) <= 5:
            return []
        for w in words:
            if w.lower() in _NAME_PARTICLES:
                continue
            if not (w[:1].isupper() and (len(w) <= 2 or not w.isupper())):
                return []
        names.append(" ".join(words))
    return names


def front_matter(first_page: list[Block], body_size: float, page_height: float) -> FrontMatter:
    """Title and authors from the first page; the title lines are consumed (kind "title").

    Title: the largest-font lines near the top; when nothing is larger than body text, the first
    bold line. Authors: the name-list lines between the title and the first heading.
    """
    top = [b for b in first_page if b.y0 < 0.45 * page_height]
    lines = [(b, ln) for b in top for ln in b.lines if not ln.noise]
    if not lines:
        return FrontMatter("", ())
    max_size = max(ln.size for _, ln in lines)
    if max_size >= body_size + 1.5:
        chosen = [(b, ln) for b, ln in lines if ln.size >= max_size - 0.5]
    else:
        chosen = [next(((b, ln) for b, ln in lines if ln.bold), lines[0])]
    title = " ".join(ln.text for _, ln in chosen)
    chosen_ids = {id(ln) for _, ln in chosen}
    for b, ln in chosen:
        ln.noise = True  # consumed: kept as the title passage, never as body text
        b.meta["title"] = "1"
    authors: list[str] = []
    after = False
    for b in first_page:
        for ln in b.lines:
            if id(ln) in chosen_ids:
                after = True
                continue
            if not after or ln.noise:
                continue
            if is_heading(ln, body_size, plain=False) or ln.y0 > 0.45 * page_height:
                return FrontMatter(title, tuple(authors))
            for cell in ln.cells or (ln.text,):
                authors.extend(_looks_like_names(cell))
    return FrontMatter(title, tuple(authors))


# Prose: a sentence ends and the next begins. Titles, names and affiliations never do that.
