"""Names a claim puts together that its paper never names together: a relation it never states.

A claim a paper does not address is often about the right paper: it names the paper's models,
data sets and languages, but joins two of them in a relation the paper never makes ("Fine-tuning
Llama2 on GLES responses removed its lean", "Averaging BoostedProb with CometKiwi scores gives
better estimates than CometKiwi alone", where the paper prompts Llama2 and scores GLES, or reports
BoostedProb and CometKiwi side by side). Each name is the paper's, so the paper covers the claim's
words; but no passage of it (a sentence and its neighbours) holds the names together.

Names, unlike plain words, survive a paraphrase ("raises" becomes "lifts", "XLM-R" stays "XLM-R"):
a claim the paper states, however reworded, keeps names that one of its passages holds together.
A claim whose names the paper uses but never in one passage joins what the paper says apart.
"""

from __future__ import annotations

import re

from synth.namechecks import name_terms
from synth.predicates import PaperWordIndex
from synth.search import content_words

# A sentence-initial token that is a name whatever its position: a capital or digit past its
# first letter ("GPT-4o", "XLM-R", "mBERT", "LaBSE"); a capitalised plain word opening a sentence
# ("Training", "Human") is not one (``name_terms`` leaves the first token out for that reason).
_INITIAL_NAME = re.compile(r"^\S*(?:[a-z][A-Z]|[A-Z]{2}|\d)\S*")


def claim_names(claim: str) -> frozenset[str]:
    """The claim's name-like words (``namechecks.name_terms``, stemmed as content words), with a
    sentence-initial one written as a name (a capital or digit inside it)."""
    names = set(name_terms(claim))
    first = _INITIAL_NAME.match(claim)
    if first:
        names |= content_words(first.group(0))
    # A letter alone is no name: the "s" of a possessive ("TowerInstruct's") or an initial.
    return frozenset(n for n in names if len(n) > 1)


def names_apart(claim: str, index: PaperWordIndex) -> float:
    """1 minus the largest share of the claim's names the paper uses that one passage of the paper
    (``index``: a sentence with its neighbours) holds; 0 when the paper uses fewer than two of
    them (a name it never uses is ``name_missing``'s)."""
    used = sorted(n for n in claim_names(claim) if n in index.where)
    if len(used) < 2:
        return 0.0
    sentences = {i for n in used for i in index.where[n]}
    held = max(sum(n in index.passages[i] for n in used) for i in sentences)
    return 1.0 - held / len(used)
