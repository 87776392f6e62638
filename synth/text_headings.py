"""Section headings of a text file (.txt / .md): Markdown headings and numbered heading lines.

A plain numbered line ("3.2 Results", "4 Conclusion") is a heading, but papers number their list
items just as often ("1. We propose ...;", "2. Total time spent reviewing each sentence"), and a
list item read as a heading gives every passage after it the wrong section. How papers write the
two tells them apart:

- a heading is a short title: it does not end like a clause (",", ";", ":"), nor runs long;
- its number continues the paper's numbering (after "3.1" come "3.2", "3.1.1", "4": never "1"
  or "3.1" again; an appendix may start over);
- a list item sits under a lead-in ending with ":" or right after the item numbered one less.
  These two signs of a list give way to a line that is plainly a title (a known section name,
  or title-cased), since a heading may follow a list.

Markdown headings ("## 3 Method") are headings whatever they say: the author marked them so. They
set the numbering that numbered lines must continue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MD_HEADING_RE = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
NUM_HEADING_RE = re.compile(r"^(\d{1,2}(\.\d{1,2}){0,3}\.?)\s+([A-Z][^.!?]{0,80})$")
KNOWN = {"abstract", "references", "bibliography", "introduction", "conclusion", "limitations"}
# Section names that show a numbered line is a title even right under a list (more than KNOWN,
# which alone makes an unnumbered line a heading).
_SECTION_NAMES = KNOWN | {
    "related work",
    "background",
    "method",
    "methods",
    "methodology",
    "experiments",
    "experimental setup",
    "results",
    "discussion",
    "conclusions",
    "analysis",
    "evaluation",
    "acknowledgments",
    "acknowledgements",
    "appendix",
    "ethics statement",
}
MAX_TITLE_WORDS = 12  # "Transferability of Training Dynamics Across Model Sizes" is 7
_NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s")
# A numbered list item's marker: "1.", "2)", "(3)" (a heading number carries no bracket).
_ITEM_NUMBER_RE = re.compile(r"^\(?(\d{1,2})[.)]\s+\S")
_APPENDIX_RE = re.compile(r"^(appendix|appendices|supplementary|[A-H](\.\d+)*\.?\s)", re.I)
# Words a title-cased heading leaves in lower case.
_MINOR = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "over",
    "the", "to", "via", "vs", "with", "without",
}  # fmt: skip


def section_number(text: str) -> tuple[int, ...] | None:
    """The number a heading opens with ("3.2 Results" -> (3, 2)), or None."""
    m = _NUMBER_RE.match(text)
    return tuple(int(x) for x in m.group(1).split(".")) if m else None


def is_title(title: str) -> bool:
    """A known section name, or title-cased: every word but the minor ones starts upper case."""
    bare = title.strip().rstrip(":").lower()
    if bare in _SECTION_NAMES:
        return True
    words = [w.strip("()[]\"'“”‘’") for w in title.split()]
    return all(not w or not w[0].isalpha() or w[0].isupper() or w in _MINOR for w in words)


@dataclass
class HeadingReader:
    """Reads a text file's lines in order and says which are section headings.

    Feed it every non-blank line (:meth:`read`): it keeps the line before, the last heading's
    number and whether the line before was a numbered list item.
    """

    last: tuple[int, ...] | None = None  # the number of the last numbered heading
    previous: str = ""  # the previous non-blank line
    item: int | None = None  # the previous line's number when it was a numbered list item

    def read(self, line: str) -> str | None:
        """The heading ``line`` is (its text), or None when it is not one."""
        head = self._heading(line)
        if head is not None:
            number = section_number(head)
            if number is not None:
                self.last = number
            elif _APPENDIX_RE.match(head):
                self.last = None  # appendices may number their sections anew
        m = _ITEM_NUMBER_RE.match(line)
        self.item = int(m.group(1)) if m and head is None else None
        self.previous = line
        return head

    def _heading(self, line: str) -> str | None:
        m = MD_HEADING_RE.match(line)
        if m:
            return m.group(1).strip()
        if line.strip().rstrip(":").lower() in KNOWN:
            return line.strip().rstrip(":")
        if NUM_HEADING_RE.match(line) and self.numbered_heading(line):
            return line.strip()
        return None

    def numbered_heading(self, line: str) -> bool:
        """Is ``line`` (which looks like "<number> <Capitalised words>") a heading here?"""
        m = NUM_HEADING_RE.match(line)
        if not m:
            return False
        title, number = m.group(3).strip(), section_number(line)
        if title.endswith((",", ";", ":")) or len(title.split()) > MAX_TITLE_WORDS:
            return False  # a clause or a sentence, not a title
        if number is not None and self.last is not None and number <= self.last:
            return False  # the numbering runs backwards: a list's own count
        under_lead_in = self.previous.rstrip().endswith(":")
        next_item = self.item is not None and number == (self.item + 1,)
        return not ((under_lead_in or next_item) and not is_title(title))
