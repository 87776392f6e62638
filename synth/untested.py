"""A result claimed for a name the paper mentions only outside its own work.

A paper names more than it tests: its introduction and related work cite other models, datasets
and languages; its limitations and future work name those it did not try ("benchmarks like
CulturalVQA", "larger datasets such as BOBSL"). A claim stating an outcome for such a name ("X
also achieves state-of-the-art results on BOBSL") carries the paper's result over to something
the paper never tested: not enough information, though the paper uses every word of it. A name
the paper uses in its own sections (method, experiments, results, analysis, abstract,
conclusion, tables, appendix) is tested; one it never uses at all is ``name_missing``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from synth import directions
from synth.claim_outline import outline_kinds
from synth.claim_sections import bare_title, section_kind
from synth.namechecks import name_terms, paper_uses
from synth.records import Sentence
from synth.search import WORD_RE, content_words

# Sections that speak of others' work or of work not done: what a paper names there it need not
# have tested.
BACKGROUND_KINDS = frozenset({"introduction", "related", "aims", "limitations"})
# The excluded kinds other than the appendix (whose extra experiments are the paper's own).
_REFERENCES = re.compile(r"(?:list of )?references?\b|reference list\b|bibliograph|acknowledg")

# Words stating an outcome (a change, a comparison, a quality reached): a result claim. Without
# one, a claim naming a background name describes the paper ("the corpus was compared with
# BembaSpeech"), which its introduction may well state.
OUTCOME_WORDS = (
    directions.UP_WORDS
    | directions.DOWN_WORDS
    | frozenset(
        "better outperforms outperform outperformed surpasses surpass beats exceeds higher best "
        "more improvement improvements gains gain worse lower less fewer underperforms "
        "reduction reduces reduce high low strong weak effective robust accurate efficient "
        "significant substantial helps help benefits benefit achieves achieved reaches reached "
        "yields yielded transfers transfer".split()
    )
)
# A citation inside the claim names authors, not things tested: "(Nayak et al., 2024)",
# "[Wu et al., 2020]", "Budhraja et al.".
_CITATION = re.compile(
    r"\([^()]*\b(?:19|20)\d\d[a-z]?\b[^()]*\)|\[[^\[\]]*\b(?:19|20)\d\d[a-z]?\b[^\[\]]*\]"
    r"|\b[A-Z][\w'-]*(?:\s+(?:and|&)\s+[A-Z][\w'-]*)?\s+et\s+al\b\.?"
)


def _background(s: Sentence, outline: dict[str, str]) -> bool:
    """Whether a sentence sits in a background section or the references / acknowledgements."""
    kind = section_kind(s.section, s.kind, outline)
    if kind in BACKGROUND_KINDS:
        return True
    if kind != "excluded":
        return False
    return s.kind == "references" or _REFERENCES.match(bare_title(s.section or "")) is not None


def tested_words(sentences: Iterable[Sentence]) -> frozenset[str]:
    """The content words (stemmed) of a paper's sentences outside its background sections and
    references: the things its own work names."""
    sents = list(sentences)
    outline = outline_kinds(s.section for s in sents)
    words: set[str] = set()
    for s in sents:
        if not _background(s, outline):
            words |= content_words(s.text)
    return frozenset(words)


def untested_names(
    claim: str,
    paper_words: frozenset[str],
    tested: frozenset[str],
    aliases: frozenset[str] = frozenset(),
) -> list[str]:
    """The claim's names (``namechecks.name_terms``, citations left out) that the paper uses only
    in its background sections; none for a claim stating no outcome."""
    if not any(w in OUTCOME_WORDS for w in WORD_RE.findall(claim.lower())):
        return []
    names = name_terms(_CITATION.sub(" ", claim))
    return sorted(
        n
        for n in names
        if paper_uses(n, paper_words, aliases) and not paper_uses(n, tested, aliases)
    )
