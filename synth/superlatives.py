"""Which named thing a superlative goes with, across the clauses of one sentence.

"Stories for Italians display the highest diversity, while those for Sri Lankans show the
lowest" puts Italians at the top and Sri Lankans at the bottom; a claim that has Sri Lankans
"the most diverse" and Italians "the least" turns the two round. :func:`superlative_flip`
binds each name to the nearest superlative of its clause ("the highest", "the least", "the
best") in both sentences and says when one name sits at opposite ends.
"""

from __future__ import annotations

import re
from functools import lru_cache

# (scale, end) of each superlative: two superlatives are opposite only on one scale ("the
# best" and "the lowest" may say the same of an error rate).
_ENDS = {
    **dict.fromkeys(("highest", "most", "largest", "greatest", "biggest"), ("amount", 1)),
    **dict.fromkeys(("lowest", "least", "smallest", "fewest"), ("amount", -1)),
    **dict.fromkeys(("best", "strongest"), ("quality", 1)),
    **dict.fromkeys(("worst", "weakest", "poorest"), ("quality", -1)),
    "longest": ("length", 1),
    "shortest": ("length", -1),
    "fastest": ("speed", 1),
    "slowest": ("speed", -1),
}
# Measures where less is better make "the lowest" a good end: left to other checks.
_SMALLER_BETTER = re.compile(
    r"\b(?:errors?|loss|losses|perplexity|wer|cer|ter|latency|distance|rank|cost|costs|time)\b",
    re.I,
)
_TOKEN = re.compile(r"[A-Za-z][\w'-]*|\d+(?:\.\d+)?%?|[,;:()]")
# Words that open another clause: a superlative binds no name across them ("..., while those
# for Sri Lankans show the lowest").
_BREAKS = frozenset({";", ":", "while", "whereas", "but", "although", "though"})
_NOT_NAMES = frozenset(
    "the a an this these those that it its their our we they in on for of to at by with as "
    "and or however moreover overall finally table figure section".split()
)


def _key(tok: str) -> str:
    low = tok.lower()
    low = low[:-2] if low.endswith("'s") else low
    return low[:-1] if len(low) > 3 and low.endswith("s") else low


@lru_cache(maxsize=8192)
def superlative_ends(text: str) -> dict[str, frozenset[tuple[str, int]]]:
    """Each name of the sentence (a capitalised word or a number, as a key without plural or
    possessive ending) with the superlative ends it is bound to: the nearest "the <superlative>"
    of its clause."""
    toks = _TOKEN.findall(text)
    low = [t.lower() for t in toks]
    clause, k = [], 0
    for t in low:
        k += t in _BREAKS
        clause.append(k)
    sups = [i for i, t in enumerate(low) if t in _ENDS and i > 0 and low[i - 1] in ("the", "its")]
    out: dict[str, set[tuple[str, int]]] = {}
    if not sups:
        return {}
    for i, tok in enumerate(toks):
        if low[i] in _NOT_NAMES or low[i] in _ENDS or tok in ",;:()":
            continue
        if not (tok[0].isupper() or tok[0].isdigit()):
            continue
        near = [j for j in sups if clause[j] == clause[i]]
        if not near:
            continue
        best = min(abs(j - i) for j in near)
        for j in near:
            if abs(j - i) == best:
                out.setdefault(_key(tok), set()).add(_ENDS[low[j]])
    return {n: frozenset(e) for n, e in out.items()}


def superlative_flip(claim: str, evidence: str) -> float:
    """1.0 when a name the claim puts at one end of a scale ("Hindi among the lowest") is put
    at the other end of it by the evidence ("the highest rates ... for Hindi"), and nowhere at
    the claim's end."""
    if _SMALLER_BETTER.search(claim) or _SMALLER_BETTER.search(evidence):
        return 0.0
    cends = superlative_ends(claim)
    if not cends:
        return 0.0
    eends = superlative_ends(evidence)
    for name, ends in cends.items():
        other = eends.get(name, frozenset())
        if len(ends) != 1 or not other:
            continue
        (scale, end) = next(iter(ends))
        if (scale, -end) in other and (scale, end) not in other:
            return 1.0
    return 0.0
