"""A thing named in a role ("X as the backbone") where the paper names another in that role.

A claim saying what served in a role ("uses T5 as the initial model", "used RoBERTa-base as its
backbone", "LaBSE served as the sentence encoder") is about the paper's own set-up, and the paper
says what filled the role in the same words ("we use RoBERTa-base as our initial model", "We
employ the LegalBERT ... as the backbone in hierarchical models"). When one of the paper's
sentences puts another name in the claim's role and none puts the claim's name there, the claim
swapped the thing. The role's words themselves (the paper's opening with the claim's) type the
slot, so the sentence may share nothing else with the claim: unlike a name the paper never uses
(:mod:`synth.frame_swaps`), the claim's thing may well be named elsewhere in the paper (a model
it compares with).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from synth.frame_swaps import is_name, name_kind, placed_words, stem_set
from synth.namechecks import same_name
from synth.records import Sentence
from synth.search import EVIDENCE_KINDS_SKIPPED

# Between a name and its role: a parenthesis ("RoBERTa-base (Liu et al., 2019) as"), a verb of
# use in the passive ("is used as", "was chosen as", "serves as").
_TO_ROLE = re.compile(
    r"(?:\s+\d[\w.]*)?\s*(?:\([^()]{0,80}\)\s*){0,2}"
    r"(?:(?:is|was|are|were|be|been)\s+(?:\w+ly\s+)?(?:used|chosen|adopted|employed|selected"
    r"|taken|utili[sz]ed|applied)\s+|(?:serves?|served|acts?|acted|functions?|functioned)\s+)?"
    r"as\s+(?:the|a|an|its|our|their)\s+"
)
# The role's words: up to three, ended by punctuation.
_ROLE = re.compile(r"[\w-]+(?:\s+[\w-]+){0,2}")
_ROLE_WORDS = 3
# A name turned adjective ("XLM-R-based", "mBERT-sized") fills no role; a model's size or
# variant written on ("RoBERTa-base", "mT5-large", "Llama-2-chat") is part of its name.
_ADJECTIVE = re.compile(
    r"-(?!(?:base|large|small|tiny|mini|medium|uncased|cased|instruct|chat)$)[a-z]{3,}$"
)


def _roles(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name's stem, name as written, the stems of the role's first words) for each name of
    ``text`` put in a role ("X as the initial model": initial, model)."""
    out = []
    for (stem, raw, _), at in placed_words(text):
        if at < 0 or not is_name((stem, raw, True)) or _ADJECTIVE.search(raw):
            continue
        # A language in a role ("through Hindi as the pivot language") is one of several an
        # experiment runs through, not the one thing of its kind the set-up uses.
        if not any(c.isupper() for c in raw) or name_kind(raw) == "languages":
            continue
        m = _TO_ROLE.match(text, at + len(raw))
        r = _ROLE.match(text, m.end()) if m else None
        if r is None:
            continue
        role = tuple(s for w in r.group(0).split()[:_ROLE_WORDS] for s in stem_set(w))
        if role:
            out.append((stem, raw, role))
    return out


def _same_role(claim: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether a sentence's role words open with the claim's role ("initial model" /
    "initial model θ_0"; not "LLM backbone" / "LLM")."""
    return other[: len(claim)] == claim


def role_filler_swap(claim: str, sentences: Sequence[str]) -> tuple[str, str, str] | None:
    """(claim's name, the paper's, its sentence) when the claim puts a name in a role ("T5 as
    the initial model") and a sentence of the paper puts another name in the same role (the same
    content words: "we use RoBERTa-base (Liu et al., 2019) as our initial model"), while none
    puts the claim's name (or any of the claim's names, written any way) there."""
    mine = _roles(claim)
    if not mine:
        return None  # no name in a role: the common case, before reading the paper
    found = None
    for text in sentences:
        if " as " not in text:
            continue
        for stem, raw, role in _roles(text):
            for _, craw, crole in mine:
                if not _same_role(crole, role):
                    continue
                # The claim's own thing in that role (or another the claim puts there too).
                if any(stem == s or same_name(raw, r) for s, r, o in mine if _same_role(o, role)):
                    return None
                if found is None:
                    found = (craw, raw, text)
    return found


def paper_role_filler(claim: str, sentences: Sequence[Sentence]) -> float:
    """1.0 when a paper's evidence sentences (no reference, title, header or equation) put
    another name in the role the claim gives its own (:func:`role_filler_swap`)."""
    if " as " not in claim or not _roles(claim):
        return 0.0
    texts = [s.text for s in sentences if s.kind not in EVIDENCE_KINDS_SKIPPED]
    return float(role_filler_swap(claim, texts) is not None)
