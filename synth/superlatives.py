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

from synth.frame_swaps import one_of_a_kind
from synth.namechecks import same_name

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


# The top or the bottom of a scale, whichever the scale: one thing holds it ("X led all models",
# "the best ...", "scores highest", "the most critical role").
_TOP = re.compile(
    r"\b(?:best|highest|strongest|largest|greatest|biggest|most|top|lead|leads|led|leading)\b",
    re.I,
)
_BOTTOM = re.compile(r"\b(?:worst|lowest|weakest|smallest|least|fewest|poorest)\b", re.I)
# Not the one holder: "one of the best", "among the highest", "the most X languages" of a list.
_SHARED_END = re.compile(
    r"\b(?:one of|among|some of|several of|two of|three of)\s+(?:the\s+)?(?:[\w-]+\s+){0,1}$", re.I
)
# A clause that compares names its loser too ("X has the best score, ahead of Y").
_COMPARING = re.compile(
    r"\b(?:than|over|outperform\w*|beat\w*|surpass\w*|ahead of|compared|versus|vs|followed|"
    r"closely|behind|second|next|after|except|unlike|other|like|such as|including|e\.g)\b",
    re.I,
)
_COPULA = re.compile(r"\b(?:is|was|are|were)\b")
_CLAUSE_CUT = re.compile(r"[;:()]|,\s|\b(?:while|whereas|but|although|though|and also)\b", re.I)
_STRONG_NAME = re.compile(r"(?<![\w-])(?:[A-Z][\w.-]*[A-Z0-9][\w.-]*|[a-z]+[A-Z][\w.-]*)(?![\w-])")
# Class words and measures, no holders ("Among all LLMs", "an F1-score of 0.92").
_NOT_HOLDERS = re.compile(
    r"(?:LLMs?|PLMs?|NLP|NMT|MT|SOTA|AI|F1|BLEU|COMET|ROUGE|chrF|MRR|AUC|ECE|WER|CER)(?:[-.]\w*)?"
)


def _ends_in(clause: str) -> set[int]:
    """The ends (1 top, -1 bottom) a clause holds, unless it shares its end with others."""
    out = set()
    for pattern, end in ((_TOP, 1), (_BOTTOM, -1)):
        for m in pattern.finditer(clause):
            if not _SHARED_END.search(clause[: m.start()]):
                out.add(end)
    return out


def _holder_clauses(text: str) -> list[tuple[str, set[int], list[str]]]:
    """Per clause of ``text``: the clause, the ends it holds and the strong names it writes
    ("GPT-4o", "mBERT", "XLM-R"; plain capitalised words are too often a sentence's or a
    title's)."""
    out, pos = [], 0
    cuts = [m.start() for m in _CLAUSE_CUT.finditer(text)] + [len(text)]
    for cut in cuts:
        clause = text[pos:cut]
        pos = cut + 1
        names = [
            n for n in _STRONG_NAME.findall(clause) if not _NOT_HOLDERS.fullmatch(n.rstrip("."))
        ]
        out.append((clause, _ends_in(clause), names))
    return out


def _writes(text: str, names: list[str], name: str) -> bool:
    """Whether ``text`` (with its strong ``names``) writes ``name`` in some spelling."""
    return name.lower() in text.lower() or any(same_name(name, n) for n in names)


def holder_swap(claim: str, evidence: str) -> float:
    """1.0 when the evidence puts another name at the end of the scale where the claim puts its
    own, on the same side of that end, and never names the claim's: "Claude-3.7-Sonnet led all
    models on every Cloze metric" against "Gemini-2.5-Pro leads across all Cloze metrics"; "XLM-R
    and BLOOM have the largest intersection" against "mT5 and XLM-R have the largest non-Latin
    intersection". One thing holds the top: naming another there refutes. A claim whose other
    names the evidence lacks may be about another condition, and a clause that compares ("ahead
    of", "than") or shares its end ("one of the best") names no one holder."""
    mine = _holder_clauses(claim)
    theirs = _holder_clauses(evidence)
    enames = [n for _, _, names in theirs for n in names]
    cnames = [n for _, _, names in mine for n in names]
    if not cnames or not enames:
        return 0.0
    absent = [n for n in cnames if not _writes(evidence, enames, n)]
    if len(set(absent)) != 1:
        return 0.0  # one name swapped; the rest the evidence names too
    x = absent[0]
    for clause, ends, names in mine:
        if x not in names or not ends or _COMPARING.search(clause):
            continue
        for eclause, eends, enm in theirs:
            if not ends & eends or _COMPARING.search(eclause):
                continue
            pattern = _TOP if 1 in ends & eends else _BOTTOM
            cm, em = pattern.search(clause), pattern.search(eclause)
            if not cm or not em:
                continue
            side = clause.find(x) < cm.start()
            # The claim's name across the end from its own holds that end in the evidence: the
            # claim's holder is borne out, its swapped name is a condition ("X scored highest on
            # FILBENCH" against "X is the best SEA-specific model").
            across = [n for n in names if n != x and (clause.find(n) < cm.start()) != side]
            if any(_writes(c, e, n) for n in across for c, ce, e in theirs if ce & ends):
                continue
            for y in enm:
                if _writes(claim, cnames, y) or not one_of_a_kind(x, y):
                    continue
                # On the same side of the end ("X led" / "Y leads"), or either way round a
                # copula ("X is the strongest" / "the best method is Y").
                if side == (eclause.find(y) < em.start()) or (
                    _COPULA.search(clause) and _COPULA.search(eclause)
                ):
                    return 1.0
    return 0.0
