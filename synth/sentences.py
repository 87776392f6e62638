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
    r"(\b(cf|e\.g|i\.e|vs|viz|resp|approx|Fig|Figs|Eq|Eqs|Sec|Tab|App|No|et al)\.|\(cf\.)$",
    re.IGNORECASE,
)
# A piece that leaves a bracket open was cut inside its sentence: pysbd reads "t)" as a list
# marker ("the MT model (which ignores t) and the GEC model ..."); so was one that ends on an
# ellipsis with the text going on in lower case ("i = 1..n, with ..."). Each is read on into the
# next piece. (Inline enumerations, "... twofold: 1) ...; 2) ...", stay split at their markers:
# each item reads as evidence of its own, and ``synth.claim_units`` reads claims on over them.)
_ELLIPSIS_END_RE = re.compile(r"(?:\.\.|…)$")
# Words that start a sentence and never follow an initial as a surname does ("J. Smith"): after
# a capital letter, an acronym or "et al." and a period, one of them starts a new sentence
# ("the mask P. The model ...", "used for MT. We show ...", "Larson et al. Specifically, ...").
_STARTERS = (
    "The|This|These|That|Those|There|Here|It|Its|We|Our|They|Their|In|On|At|For|From|With|"
    "Without|By|As|Among|Across|After|Before|During|Since|Because|Although|Though|While|"
    "Whereas|When|Where|If|Unlike|Despite|Given|Overall|However|Moreover|Furthermore|"
    "Additionally|Also|Thus|Therefore|Hence|Subsequently|Meanwhile|Specifically|Finally|"
    "Lastly|First|Second|Third|Then|Next|Note|Nevertheless|Nonetheless|Instead|Similarly|"
    "Consequently|Accordingly|Indeed|Interestingly|Notably|Surprisingly|Importantly|Even|"
    "Still|Yet|Only|Such|Each|Both|All|Most|Many|Some|Several|Other|Another|To|Further|"
    r"Besides|Likewise|Conversely|Unfortunately|Following|Using|Compared|An|(?:A|I)(?=\s+[a-z])"
)
# Labels that name a part of a paper or of a study by a letter ("Appendix B", "Condition C"):
# after "<label> <letter>." a capitalised word starts a new sentence ("... are given in
# Appendix B. Among the local LLMs ..."); pysbd takes the letter for an initial.
_LABELS = (
    "appendix|appendices|app|section|sections|sec|chapter|part|table|tables|tab|figure|figures|"
    "fig|panel|model|models|type|group|groups|condition|conditions|setting|settings|task|"
    "subtask|experiment|study|phase|stage|step|case|class|category|option|level|track|version|"
    "variant|method|system|scenario|set|split|team|annotator|language|plan|rule|row|column|"
    "strategy|baseline|dataset|corpus|prompt|template|configuration|round|test|hypothesis|"
    "question|list|box|line|item|point|domain|subset|cluster|grade"
)
_INNER_BREAK_RE = re.compile(
    # "<label> A." or "<label> A and B." (the letters may carry ".2" numbering) before any
    # capitalised word that is not an initial itself
    rf"\b(?i:{_LABELS})\.?\s+[A-Z](?:\.\d+)*(?:(?:,\s*|\s+(?:and|or|&)\s+|\s*[–-]\s*)"
    rf"[A-Z](?:\.\d+)*)*\.(?P<gap>\s+)(?=[\"“(]?[A-Z][\w’'-]*(?![.\w]))|"
    # a capital letter, an acronym or "et al." before a sentence starter
    rf"(?<![\w.])(?:[A-Z][A-Z0-9]{{0,5}}|et al)\.(?P<gap2>\s+)(?=(?:{_STARTERS})\b(?![.\w]))"
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
    """Sentence spans (start, end) in ``text``, stripped of surrounding whitespace.

    pysbd's pieces, mended where papers fool it: a piece cut after an abbreviation or inside
    brackets is read on into the next (:func:`_glued`); a piece holding a boundary
    pysbd took for an abbreviation ("in Appendix B. Among ...") is split there (:func:`_inner`).
    """
    if not _BOUNDARY_RE.search(text.strip()):
        pieces = [text]
    else:
        pieces = _segmenter().segment(text)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # pysbd altered the text (it should not with clean=False): skip safely
            continue
        spans.append((start, start + len(piece)))
        cursor = start + len(piece)
    return [inner for span in _glued(text, spans) for inner in _inner(text, *span)]


def _glued(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with each piece cut inside its sentence joined to the one after it.

    Cut: it ends on an abbreviation ("Fig.", "et al."); or it leaves a bracket open that the next
    piece closes, or ends on an ellipsis before lower case, with no line break between them.
    """
    out: list[tuple[int, int]] = []
    glue = False
    for k, (start, end) in enumerate(spans):
        if glue and out:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        piece = text[out[-1][0] : end]
        nxt = text[spans[k + 1][0] : spans[k + 1][1]] if k + 1 < len(spans) else ""
        cut = bool(nxt) and "\n" not in text[end : spans[k + 1][0]]
        cut = cut and (
            (_depth(piece)[0] > 0 and _depth(nxt)[1] < 0)
            or (bool(_ELLIPSIS_END_RE.search(piece)) and nxt[0].islower())
        )
        glue = bool(_ABBREV_END_RE.search(piece)) or cut
    return out


def _depth(text: str) -> tuple[int, int]:
    """Round brackets left open at the end of ``text``, and the lowest depth reached in it."""
    depth = low = 0
    for ch in text:
        if ch in "()":
            depth += 1 if ch == "(" else -1
            low = min(low, depth)
    return depth, low


def _inner(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span split at the sentence boundaries pysbd missed (``_INNER_BREAK_RE``)."""
    out = []
    for m in _INNER_BREAK_RE.finditer(text, start, end):
        gap = "gap" if m.group("gap") is not None else "gap2"
        cut = m.start(gap)
        if cut >= end or m.end(gap) >= end:
            continue
        if text.count("(", start, cut) > text.count(")", start, cut):
            continue  # inside brackets ("both tasks (Task A. Task B) are hard")
        out.append((start, cut))
        start = m.end(gap)
    out.append((start, end))
    return out


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
