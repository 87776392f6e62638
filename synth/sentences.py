"""Paragraphs -> passages and sentences, shared by the PDF and the text-file readers.

Sentences are split by pysbd (a maintained rule-based splitter). A paragraph with no internal
sentence boundary candidate skips pysbd: it is one sentence either way, and pysbd is the slowest
step of parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from synth.records import Passage, Sentence

# A sentence boundary is possible only where terminal punctuation is followed by space and more text.
_BOUNDARY_RE = re.compile(r"[.!?][\"'”’)\]]*\s+\S")
# pysbd splits after some abbreviations common in papers ("(cf. Smith", "Fig. 2"): glue them back.
_ABBREV_END_RE = re.compile(
    r"(\b(cf|e\.g|i\.e|vs|viz|resp|approx|Fig|Figs|Eq|Eqs|Sec|Tab|No|et al)\.|\(cf\.)$",
    re.IGNORECASE,
)
_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)
PASSAGE_SEP = "\n\n"  # between passages in the paper's full reading-order text
# Passages whose unit is the passage itself: a reference entry, a table, an equation, the title.
# They are not prose, so a sentence splitter has nothing to find in them (and costs time).
WHOLE_PASSAGE_KINDS = frozenset({"references", "table", "equation", "title", "front"})


# pysbd builds regexes from strings on every call (one per abbreviation it meets, ~1,100 distinct
# patterns on five papers), which overflows the ``re`` module's 512-entry cache and recompiles
# them again and again: about half its time. A larger cache keeps them compiled (measured by
# bench/ingest.py). ``_MAXCACHE`` is CPython's own knob; where it is missing nothing changes.
_RE_CACHE_SIZE = 4096


@lru_cache(maxsize=1)
def _segmenter():  # pysbd builds its rule tables on construction: do it once
    import pysbd

    if getattr(re, "_MAXCACHE", _RE_CACHE_SIZE) < _RE_CACHE_SIZE:
        re._MAXCACHE = _RE_CACHE_SIZE  # type: ignore[attr-defined]
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text``, stripped of surrounding whitespace."""
    if not _BOUNDARY_RE.search(text.strip()):
        pieces = [text]
    else:
        pieces = _segmenter().segment(text)
    spans: list[tuple[int, int]] = []
    cursor = 0
    glue = False
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # pysbd altered the text (it should not with clean=False): skip safely
            continue
        end = start + len(piece)
        if glue and spans:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        glue = bool(_ABBREV_END_RE.search(piece))
        cursor = end
    return spans


@dataclass
class Paragraph:
    """Text gathered in reading order; remembers on which page each piece begins."""

    section: str
    kind: str
    text: str = ""
    page_marks: list[tuple[int, int]] = field(default_factory=list)  # (offset, 1-based page)

    @property
    def page(self) -> int:
        return self.page_marks[0][1] if self.page_marks else 1

    def add(self, piece: str, page: int, joiner: str = " ") -> None:
        """Append a piece (a line or a block's text) with ``joiner`` before it."""
        if not piece:
            return
        if self.text:
            self.text += joiner
        if not self.page_marks or self.page_marks[-1][1] != page:
            self.page_marks.append((len(self.text), page))
        self.text += piece

    def page_at(self, offset: int) -> int:
        page = self.page
        for start, p in self.page_marks:
            if start <= offset:
                page = p
            else:
                break
        return page


def build_records(
    paper_id: str, paragraphs: list[Paragraph]
) -> tuple[list[Passage], list[Sentence], str]:
    """Passages and sentences for a paper; offsets index the full text, which is returned too.

    ``Sentence.passage_id`` holds the passage's ``seq`` (``Library.add_paper`` maps it to the row id).
    A sentence's page is the page on which it begins.
    """
    passages: list[Passage] = []
    sentences: list[Sentence] = []
    full: list[str] = []
    offset = 0
    for para in paragraphs:
        text = para.text.strip()
        if not text or not _LETTER_RE.search(text):
            continue
        if full:
            offset += len(PASSAGE_SEP)
        seq = len(passages)
        lead = len(para.text) - len(para.text.lstrip())
        passages.append(
            Passage(
                paper_id=paper_id,
                seq=seq,
                page=para.page_at(lead),
                section=para.section,
                text=text,
                kind=para.kind,
                char_start=offset,
                char_end=offset + len(text),
            )
        )
        spans = [(0, len(text))] if para.kind in WHOLE_PASSAGE_KINDS else split_sentences(text)
        for start, end in spans:
            sent = text[start:end]
            if not _LETTER_RE.search(sent):
                continue
            sentences.append(
                Sentence(
                    paper_id=paper_id,
                    page=para.page_at(lead + start),
                    section=para.section,
                    text=sent,
                    kind=para.kind,
                    char_start=offset + start,
                    char_end=offset + end,
                    passage_id=seq,
                )
            )
        full.append(text)
        offset += len(text)
    return passages, sentences, PASSAGE_SEP.join(full)
