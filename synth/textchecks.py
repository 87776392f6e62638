"""The checks a verdict rests on: numeric agreement, negation, comparison direction, entity swaps.

Each check compares a claim with one evidence sentence and returns a small number a reader can
understand (a fraction, a 0/1 flag). The lexicons are explicit: DIRECTION_ANTONYMS pairs words that
state opposite directions; the labelled-set builder uses the same pairs to flip claims.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from synth.entities import parse_numbers, tag_entities
from synth.records import Number

# Opposite directions of an effect or a comparison (both ways are looked up).
DIRECTION_ANTONYMS: dict[str, str] = {
    "improves": "hurts",
    "improve": "hurt",
    "improved": "hurt",
    "improving": "hurting",
    "improvement": "degradation",
    "improvements": "degradations",
    "increases": "decreases",
    "increase": "decrease",
    "increased": "decreased",
    "increasing": "decreasing",
    "outperforms": "underperforms",
    "outperform": "underperform",
    "outperformed": "underperformed",
    "outperforming": "underperforming",
    "better": "worse",
    "best": "worst",
    "higher": "lower",
    "highest": "lowest",
    "more": "less",
    "larger": "smaller",
    "largest": "smallest",
    "gains": "losses",
    "gain": "loss",
    "helps": "harms",
    "help": "harm",
    "helped": "harmed",
    "benefits": "suffers",
    "boosts": "reduces",
    "boost": "reduce",
    "raises": "lowers",
    "stronger": "weaker",
    "superior": "inferior",
    "above": "below",
    "positive": "negative",
    "exceeds": "trails",
    "surpasses": "trails",
}
_ANTONYM_OF = {**DIRECTION_ANTONYMS, **{v: k for k, v in DIRECTION_ANTONYMS.items()}}
_UP = frozenset(DIRECTION_ANTONYMS)
_DOWN = frozenset(DIRECTION_ANTONYMS.values())

NEGATIONS = re.compile(
    r"\b(not|no|never|none|neither|nor|cannot|fails? to|failed to|unable to|without any)\b|n't\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class SentenceFacts:
    """What the checks need from a sentence, computed once."""

    text: str
    numbers: tuple[Number, ...]
    entities: dict[str, tuple[str, ...]]
    negated: int  # count of negation cues
    words: frozenset[str]


def facts(text: str) -> SentenceFacts:
    """Parse a sentence once for all checks."""
    return SentenceFacts(
        text=text,
        numbers=parse_numbers(text),
        entities=tag_entities(text),
        negated=len(NEGATIONS.findall(text)),
        words=frozenset(w.lower() for w in _WORD.findall(text)),
    )


def _decimals(raw: str) -> int:
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", raw)
    return len(digits.group(1)) if digits and digits.group(1) else 0


def same_value(a: Number, b: Number) -> bool:
    """Equal up to the precision of the less precise one (rounded or truncated), or x100 apart."""
    coarse, fine = (a, b) if _decimals(a.raw) <= _decimals(b.raw) else (b, a)
    places = _decimals(coarse.raw)
    if abs(fine.value - coarse.value) <= 0.5 * 10.0**-places + 1e-9:
        return True  # rounded
    scale = 10.0**places
    if abs(math.trunc(fine.value * scale + 1e-9) / scale - coarse.value) < 1e-9:
        return True  # truncated
    # 0.853 stated as 85.3 (a fraction given as a percentage)
    return abs(a.value * 100 - b.value) < 1e-6 or abs(b.value * 100 - a.value) < 1e-6


def numeric_agreement(claim: SentenceFacts, evidence: SentenceFacts) -> tuple[float, float]:
    """(matched, conflicting) fractions of the claim's numbers against the evidence's.

    A claim number is matched when the evidence states the same value (allowing rounding). It
    conflicts when it is unmatched although the evidence states numbers of its kind (same unit or
    metric, or any number when neither says).
    """
    if not claim.numbers:
        return 0.0, 0.0
    matched = conflicting = 0
    for n in claim.numbers:
        if any(same_value(n, e) for e in evidence.numbers):
            matched += 1
        elif any(_comparable(n, e) for e in evidence.numbers):
            conflicting += 1
    total = len(claim.numbers)
    return matched / total, conflicting / total


def _comparable(a: Number, b: Number) -> bool:
    if a.unit and b.unit and a.unit != b.unit:
        return False
    return not (a.metric and b.metric and a.metric != b.metric)


def negation_mismatch(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when one sentence is negated and the other is not."""
    return float((claim.negated % 2) != (evidence.negated % 2))


def direction_flip(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when the claim states a direction whose opposite the evidence states instead.

    Only words the two sentences do not share count, so "higher than X but lower than Y" in both
    is no flip.
    """
    # "higher accuracy" against "lower accuracy", even when both sentences use both words.
    ctoks = [w.lower() for w in _WORD.findall(claim.text)]
    etoks = [w.lower() for w in _WORD.findall(evidence.text)]
    ebigrams = set(zip(etoks, etoks[1:], strict=False))
    for w, nxt in zip(ctoks, ctoks[1:], strict=False):
        opp = _ANTONYM_OF.get(w)
        if opp and (opp, nxt) in ebigrams and (w, nxt) not in ebigrams:
            return 1.0
    only_claim = claim.words - evidence.words
    only_evidence = evidence.words - claim.words
    for w in only_claim:
        if w in _ANTONYM_OF and _ANTONYM_OF[w] in only_evidence:
            return 1.0
    up_c, down_c = bool(only_claim & _UP), bool(only_claim & _DOWN)
    up_e, down_e = bool(only_evidence & _UP), bool(only_evidence & _DOWN)
    return float((up_c and down_e and not up_e) or (down_c and up_e and not down_e)) * 0.5


def entity_checks(
    claim: SentenceFacts,
    evidence: SentenceFacts,
    context: dict[str, frozenset[str]] | None = None,
) -> tuple[float, float]:
    """(swapped, missing): a claim entity replaced by another of its kind; claim entities absent.

    ``context`` holds, per kind, the entities the evidence's whole paper names: a sentence rarely
    repeats what its paper is about ("the gap" in a paper on XNLI), so a claim entity named in the
    paper counts as present. ``swapped`` is 1.0 when, for some kind (task, model, dataset,
    language), the claim names an entity absent from the evidence and its paper while the evidence
    names one of that kind the claim lacks. ``missing`` is the fraction of the claim's entities
    absent from the evidence and its paper.
    """
    context = context or {}
    swapped, total, absent = 0.0, 0, 0
    for kind in ("tasks", "models", "datasets", "languages"):
        c, e = set(claim.entities.get(kind, ())), set(evidence.entities.get(kind, ()))
        lacking = c - e - context.get(kind, frozenset())
        total += len(c)
        absent += len(lacking)
        if lacking and e - c:
            swapped = 1.0
    return swapped, (absent / total if total else 0.0)


def paper_entities(texts: list[str]) -> dict[str, frozenset[str]]:
    """Per kind, every entity a paper's sentences name (the context of ``entity_checks``)."""
    out: dict[str, set[str]] = {}
    for text in texts:
        for kind, names in tag_entities(text).items():
            out.setdefault(kind, set()).update(names)
    return {k: frozenset(v) for k, v in out.items()}


def antonym(word: str) -> str | None:
    """The opposite-direction word, keeping capitalisation, or None."""
    opp = _ANTONYM_OF.get(word.lower())
    if opp is None:
        return None
    return opp.capitalize() if word[0].isupper() else opp
