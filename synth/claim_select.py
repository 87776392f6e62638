"""Which claims a paper lists: near-duplicates merged, then the paper's budget.

The abstract restating a result is one claim with two sources: claims whose embeddings are close
and that share enough words merge, the highest-scored speaking for the group (never two claims
stating different numbers). A paper then lists its most check-worthy claims within a budget: a
share of its prose sentences with a floor, or exactly ``top``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from synth.records import Claim

if TYPE_CHECKING:
    from synth.claims import ClaimSettings


def word_overlap(a: str, b: str) -> float:
    """Jaccard overlap of the lower-cased word sets of two texts."""
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def merge_near_duplicates(
    claims: list[Claim], vectors: object, threshold: float, min_overlap: float = 0.0
) -> list[Claim]:
    """Merge claims whose embeddings are at least ``threshold`` similar, keeping every source.

    The highest-scoring claim of a group speaks for it; claims stating different numbers never
    merge, nor do claims sharing less than ``min_overlap`` of their words.
    """
    import numpy as np

    vecs = np.asarray(vectors, dtype=np.float32)
    order = sorted(range(len(claims)), key=lambda i: -claims[i].score)
    kept: list[int] = []
    sources: dict[int, list[tuple[str, int]]] = {}
    for i in order:
        target = None
        if kept:
            sims = vecs[kept] @ vecs[i]
            j = int(np.argmax(sims))
            same_numbers = {n.value for n in claims[i].numbers} == {
                n.value for n in claims[kept[j]].numbers
            }
            lexical = word_overlap(claims[i].text, claims[kept[j]].text) >= min_overlap
            if sims[j] >= threshold and same_numbers and lexical:
                target = kept[j]
        if target is None:
            kept.append(i)
            sources[i] = list(claims[i].sources)
        else:
            sources[target].extend(s for s in claims[i].sources if s not in sources[target])
    kept.sort(key=lambda i: (claims[i].paper_id or "", claims[i].sentence_id or 0))
    return [_with_sources(claims[i], sources[i]) for i in kept]


def _with_sources(claim: Claim, sources: Iterable[tuple[str, int]]) -> Claim:
    return replace(claim, sources=tuple(sources))


def paper_budget(prose_sentences: int, settings: ClaimSettings) -> int:
    """How many claims a paper with this many prose sentences may list."""
    if settings.top is not None:
        return settings.top
    return max(settings.budget_floor, math.ceil(settings.budget_share * prose_sentences))


def within_budget(claims: list[Claim], budget: int) -> list[Claim]:
    """The ``budget`` highest-scored claims (ties: the earlier one), kept in reading order."""
    if len(claims) <= budget:
        return claims
    ranked = sorted(range(len(claims)), key=lambda i: (-claims[i].score, i))
    keep = set(ranked[:budget])
    return [c for i, c in enumerate(claims) if i in keep]
