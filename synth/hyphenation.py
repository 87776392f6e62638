"""Repairing words broken across line ends, with the document's own vocabulary as evidence.

``exam-`` + ``ple`` is one word; ``multi-`` + ``task`` is a compound that keeps its hyphen. Without
a dictionary, the document decides: a hyphenated spelling or a compound head it uses elsewhere
keeps the hyphen; a joined spelling it uses elsewhere, or a TeX split into function words, joins.
"""

from __future__ import annotations

import re

from synth.layout import Block
from synth.sentences import Paragraph

_TOKEN_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def _join(prev: str, nxt: str, vocab: set[str]) -> tuple[bool, str]:
    """How to join two lines: (drop the trailing hyphen of ``prev``?, joiner).

    ``exam-`` + ``ple`` becomes ``example``; a hyphen is kept when the document spells the hyphenated
    form elsewhere and never the joined one, and before a capital (``XLM-`` + ``RoBERTa``).
    """
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha():
        if not nxt[:1].islower():
            return False, ""
        head = _TOKEN_RE.findall(prev[-40:-1])
        tail = _TOKEN_RE.findall(nxt[:40])
        if head and tail:
            h, t = head[-1].split("-")[-1].lower(), tail[0].split("-")[0].lower()
            if h + t in vocab:
                return True, ""
            if f"{h}-{t}" in vocab or f"{h}-" in vocab or _two_content_words(h, t, vocab):
                return False, ""  # a real compound: "multi-task", "task-critical", "color-blind"
        return True, ""
    return False, " "


# First or second halves of words that TeX splits into two real words ("some-times",
# "with-out", "them-selves"): such a pair is no evidence of a compound.
_FUNCTION_WORDS = frozenset(
    "a an the some any every no none with without them there where here how what when who which"
    " over under in out for to be can not all one self selves times thing things ever fore".split()
)


def _two_content_words(head: str, tail: str, vocab: set[str]) -> bool:
    return (
        len(head) >= 3
        and len(tail) >= 3
        and head in vocab
        and tail in vocab
        and head not in _FUNCTION_WORDS
        and tail not in _FUNCTION_WORDS
    )


def append_line(para: Paragraph, text: str, page: int, vocab: set[str]) -> None:
    """Append one line to a paragraph, repairing hyphenation at the seam."""
    if para.text:
        drop, joiner = _join(para.text, text, vocab)
        if drop:
            para.text = para.text[:-1]
        para.add(text, page, joiner)
    else:
        para.add(text, page, "")


def document_vocab(pages: list[list[Block]]) -> set[str]:
    """Lower-cased words (hyphenated ones included) seen whole inside lines, for hyphenation repair.

    A line's lower-case first word and a hyphen-broken last word are left out: they may be word
    fragments.
    ``"multi-"`` entries mark words the document uses as the first part of hyphenated compounds.
    """
    vocab: set[str] = set()
    for blocks in pages:
        for blk in blocks:
            for ln in blk.lines:
                words = _TOKEN_RE.findall(ln.text)
                if ln.text.endswith("-") and words:
                    words.pop()
                if words and words[0][:1].islower():
                    words = words[1:]  # maybe the tail of a word broken on the line before
                vocab.update(w.lower() for w in words)
    for w in list(vocab):
        if "-" in w:
            parts = w.split("-")
            vocab.update(parts)
            # "multi-": this document builds compounds with it; "the-art": a piece of one.
            vocab.update(p + "-" for p in parts[:-1])
            vocab.update(f"{a}-{b}" for a, b in zip(parts, parts[1:], strict=False))
    return vocab
