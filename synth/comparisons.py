"""Checks of a claim's comparison against a sentence, and whether a sentence speaks of both sides.

A direction or degree check may refute "A hurts X much more than Y" only with evidence about the
same two sides: "mBERT would suffer more from pruning than BERT, our findings reveal otherwise"
compares mBERT with BERT, not low-resource languages with English, so it says nothing of the
claim. :func:`comparison_core` (``synth.comparison_sides``) finds the words nearest each side of
the comparative (the claim's "low-resource languages" and "English"); :func:`sides_found` says
whether a sentence (or a pair of table cells) names both; :func:`comparison_flip` whether it
compares them the other way round.
"""

from __future__ import annotations

import re

from synth.comparison_sides import (  # noqa: F401 (comparison_core: re-exported)
    Frame,
    comparison_core,
    comparison_frames,
)
from synth.directions import opposite_before_same_word, trend_flip
from synth.search import stem
from synth.superlatives import superlative_flip
from synth.textchecks import (
    SentenceFacts,
    degree_conflict,
    direction_flip,
    negation_mismatch,
    numeric_agreement,
    quantifier_conflict,
    role_reversal,
)

# What a comparative measures and which way: "harder" and "more challenging" both say "more
# difficult"; "outperforms" and "lags behind" are opposite ways of the same comparison.
_WAYS: dict[str, tuple[str, str]] = {
    "quality": (
        "better superior stronger outperform outperforms outperformed outperforming beat beats "
        "beating surpass surpasses surpassed exceed exceeds exceeded ahead outscore outscores "
        "outscored outscoring outrank outranks outranked outclass outclasses outclassed outpace "
        "outpaces outpaced outstrip outstrips outstripped outdo outdoes outdid outdone",
        "worse poorer inferior weaker underperform underperforms underperformed underperforming "
        "lag lags lagged lagging trail trails trailed behind fall falls fell falling fallen",
    ),
    "amount": ("higher greater larger bigger more", "lower smaller fewer less"),
    "difficulty": ("harder tougher difficult challenging", "easier simpler"),
    "length": ("longer", "shorter"),
    "speed": ("faster quicker", "slower"),
}
_WAY: dict[str, tuple[str, int]] = {
    w: (dim, sign)
    for dim, (up, down) in _WAYS.items()
    for sign, words in ((1, up), (-1, down))
    for w in words.split()
}
# Adjectives and adverbs of how well something works: with "more" / "less" they compare quality
# ("more accurate than" / "worse than", "less robust than" / "outperforms"), as "better" does.
_GOOD_QUALITIES = frozenset(
    "accurate accurately robust robustly effective effectively reliable reliably efficient "
    "efficiently successful successfully useful helpful beneficial capable competitive stable "
    "precise precisely fluent fluently correct correctly".split()
)
# Words after "more" / "less" that name no measure: the verb before them is compared by amount
# ("matters more for X than for Y", "used more by X than by Y", "hallucinates more often"); so
# do words of how much an effect is ("a more prominent impact on X than on Y").
_AMOUNT_AFTER = frozenset(
    "often frequently for by in on at with when among across during under "
    "impact effect influence important prominent pronounced".split()
)
# Measures where smaller is better: "better" there is a lower value, so quality and amount part.
# (Also read by synth.tablechecks: one list of each, for sentences and for table comparisons.)
LOWER_IS_BETTER = frozenset({"loss", "error", "perplex", "perplexity", "wer", "cer", "latency"})
_SMALLER_BETTER = re.compile(rf"\b(?:{'|'.join(sorted(LOWER_IS_BETTER))})\b", re.I)
_NEGATED = frozenset({"not", "no", "never", "n't", "cannot", "nor"})
# "X hurts A more than B": the first side fares worse.
HARM_WORDS = frozenset(
    "hurt hurts harm harms damage damages degrade degrades suffer suffers cost costs".split()
)
# How far before its degree word a harm verb may stand: the verb, its object's words, "much".
_HARM_REACH = 5
_PREDICATE = frozenset(stem(w) for w in HARM_WORDS | {"helps", "improves", "benefits", "gains"})


def _way(frame: Frame) -> tuple[str, int] | None:
    """(what the comparison measures, +1 / -1) of a frame, or None when it says no way."""
    _, _, at, low, _ = frame
    if at < 0:
        return None
    word = low[at]
    if word in ("more", "less") and at + 1 < len(low) and low[at + 1] not in ("than", ","):
        nxt = low[at + 1]
        if nxt in _GOOD_QUALITIES:
            dim, sign = "quality", 1
        elif nxt in _AMOUNT_AFTER:
            dim, sign = "amount", 1
        else:
            dim, sign = _WAY.get(nxt, (stem(nxt), 1))
        way = (
            dim if dim != "amount" or nxt in _AMOUNT_AFTER else nxt,
            sign * (1 if word == "more" else -1),
        )
    elif word in _WAY:
        way = _WAY[word]
    elif word.endswith("er"):
        way = (word, 1)  # "noisier": no opposite known, the same word still compares
    else:
        return None
    if word in ("more", "less") and _harmed(low, at):
        way = ("quality", -way[1])  # "hurts more than": the first side fares worse
    negated = any(t in _NEGATED or t.endswith("n't") for t in low[max(0, at - 3) : at])
    return way[0], -way[1] if negated else way[1]


def _harmed(low: tuple[str, ...], at: int) -> bool:
    """Whether a harm verb governs the degree word at ``at``: right before it ("suffers more
    than") or before its object ("hurts low-resource languages much more than English"), in the
    same clause."""
    for k in range(at - 1, max(-1, at - 1 - _HARM_REACH), -1):
        if low[k] in HARM_WORDS:
            return True
        if low[k] in (",", ";", ":", "than"):
            return False
    return False


def _distinct(frame: Frame) -> tuple[frozenset[str], frozenset[str]]:
    """The words only one side has, less the predicate ("hurts more than": "hurt"). A word
    both sides have in two inflections ("substitute" / "substitutes" -> "substitut") is
    shared: it tells the sides apart no more than one spelling would."""
    first, second = _hyphen_parts(frame[0]) - _PREDICATE, _hyphen_parts(frame[1]) - _PREDICATE
    return _unshared(first, second), _unshared(second, first)


def _unshared(side: frozenset[str], other: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in side if not any(_inflected(w, o) for o in other))


def _inflected(a: str, b: str) -> bool:
    """One word in two inflections: equal, or one a prefix of the other, five letters at
    least, differing by two letters at most."""
    if a == b:
        return True
    if " " in a or " " in b:  # a name with its version ("gemma 2") is no inflection of it
        return False
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and long == short + "s":  # a short name's plural ("RNN" / "RNNs")
        return True
    return len(short) >= 5 and long.startswith(short) and len(long) - len(short) <= 2


def _hyphen_parts(words: frozenset[str]) -> frozenset[str]:
    return words | {p for w in words if "-" in w for p in w.split("-") if len(p) > 1}


def comparison_flip(claim: str, evidence: str) -> float:
    """1.0 when the evidence compares the claim's two sides the other way round: the same sides
    with the opposite comparative ("A shorter than B" / "A longer than B", "A outperforms B" / "A
    lags behind B"), or the sides swapped with the same one ("long articles are harder than short
    headlines" / "short headlines are more challenging than long articles", "A outperforms B" /
    "B superior to A"). 0.5 when only the first side (the subject) is named by both and the other
    by neither (a loose flip: "ChatGPT's are shorter than crowd ones" / "ChatGPT's are longer
    than humans'"). A bound ("more than a quarter") compares no sides.
    Both ways agreeing somewhere in the evidence is no flip."""
    best, agree = 0.0, False
    for cf in comparison_frames(claim):
        cway = _way(cf)
        if cway is None:
            continue
        ca, cb = _distinct(cf)
        for ef in comparison_frames(evidence):
            eway = _way(ef)
            if eway is None or not _same_measure(cway[0], eway[0], claim, evidence):
                continue
            ea, eb = _distinct(ef)
            same, crossed = _lined_up(ca, cb, ea, eb)
            if any(same) and any(crossed):
                continue  # the sides do not line up
            opposite = cway[1] != eway[1]
            if all(same) or all(crossed):
                strength = 1.0
            elif same[0] and not crossed[1]:
                strength = 0.5  # the same subject, its other side named in other words
            elif crossed[0] and not same[1]:
                strength = 0.5  # the claim's subject on the evidence's other side
            else:
                continue
            if opposite == any(same):
                best = max(best, strength)
            else:
                agree = True
    return 0.0 if agree else best


def _lined_up(
    ca: frozenset[str], cb: frozenset[str], ea: frozenset[str], eb: frozenset[str]
) -> tuple[tuple[bool, bool], tuple[bool, bool]]:
    """Whether each claim side shares words with the evidence's same side (``same``) and with
    its other side (``crossed``). Both sides crossed with twice the shared words of a one-sided
    match are swapped sides (and the reverse): a side cut at three stems may miss a word the
    other sentence's side keeps ("pair-wise synthesis" read as pair-wise, pair, wise)."""
    (aa, bb), (ab, ba) = (_common(ca, ea), _common(cb, eb)), (_common(ca, eb), _common(cb, ea))
    same, crossed = (bool(aa), bool(bb)), (bool(ab), bool(ba))
    n_same, n_crossed = len(aa) + len(bb), len(ab) + len(ba)
    if all(crossed) and not all(same) and n_crossed >= 2 * n_same:
        return (False, False), crossed
    if all(same) and not all(crossed) and n_same >= 2 * n_crossed:
        return same, (False, False)
    return same, crossed


def _common(side: frozenset[str], other: frozenset[str]) -> frozenset[str]:
    """The words of ``side`` that ``other`` has, in any inflection (:func:`_inflected`)."""
    return side & other or frozenset(w for w in side if any(_inflected(w, o) for o in other))


def _same_measure(a: str, b: str, claim: str, evidence: str) -> bool:
    if a == b:
        return True
    loose = {a, b} <= {"quality", "amount"}
    return loose and not (_SMALLER_BETTER.search(claim) or _SMALLER_BETTER.search(evidence))


def sides_found(core: tuple[frozenset[str], frozenset[str]], words: frozenset[str]) -> bool:
    """Whether ``words`` (a sentence's content stems) carry both sides of the comparison: a
    word only the first side has, and one only the second has (a side with no word of its own
    counts as found)."""
    return sides_missing(core, words) == 0.0


def sides_missing(
    core: tuple[frozenset[str], frozenset[str]], words: frozenset[str], text: str = ""
) -> float:
    """The share of the comparison's two sides that ``words`` do not name (0, 0.5 or 1); 1 when
    ``text`` (the sentence) names one side only in passing and compares two other things ("mBERT
    ... capacity for English, would suffer more ... compared to BERT": English is no side)."""
    first, second = core
    a_only, b_only = first - second, second - first
    # a name with its version ("llama 3.1") is named by the name and the number
    words = words | {w for w in a_only | b_only if " " in w and set(w.split()) <= words}
    share = 0.5 * (bool(a_only and not a_only & words) + bool(b_only and not b_only & words))
    if share != 0.5 or not text:
        return share
    # the sentence's own comparison of two other things (a bound compares no things)
    own = [f for f in comparison_frames(text) if not f[4]]
    if own and not (first | second) & (own[0][0] | own[0][1]):
        return 1.0
    return share


def word_checks(
    claim: SentenceFacts,
    evidence: SentenceFacts,
    core: tuple | None,
    words: frozenset[str] | None = None,
) -> dict[str, float]:
    """Negation, direction, degree and quantifier checks of a claim against one sentence.

    A comparison's negation, direction and degree are checked only against a sentence that
    names both its sides (``core``, :func:`synth.comparisons.comparison_core`; ``words``: the
    sentence's stems with its paper's short forms spelled out, else its own stems): "mBERT
    would suffer more than BERT" says nothing of "low-resource languages suffer more than
    English".
    """
    missing = (
        0.0 if core is None else sides_missing(core, evidence.stems if words is None else words)
    )
    sided = missing == 0.0
    # A strict opposite ("higher" / "lower") still counts when the evidence names one side and
    # refers to the other ("these results are lower than those on WIKIPEDIA").
    # With neither side named, only the same measure said the other way ("less parameter-
    # efficient than general-purpose LLMs" / "more parameter-efficient than non-specialized LLMs").
    flip = (
        direction_flip(claim, evidence)
        if missing <= 0.5
        else opposite_before_same_word(claim, evidence)
    )
    return {
        "negation": negation_mismatch(claim, evidence) if sided else 0.0,
        "direction": max(
            flip if sided or flip >= 1.0 else 0.0,
            role_reversal(claim, evidence) if sided else 0.0,
            comparison_flip(claim.text, evidence.text),
            # a name at the other end of a scale ("X the highest, Y the lowest")
            superlative_flip(claim.text, evidence.text),
            # a trend or effect turned around names no two sides ("F1 rose as X rose")
            trend_flip(claim, evidence) if missing <= 0.5 else 0.0,
        ),
        "degree": degree_conflict(claim, evidence) if sided else 0.0,
        "quantifier": quantifier_conflict(claim, evidence),
    }


def any_conflict(claim: SentenceFacts, evidence: SentenceFacts, core: tuple | None = None) -> float:
    """The strongest conflict check of a claim against one sentence (scoped negation only)."""
    checks = word_checks(claim, evidence, core)
    return max(
        float(checks["negation"] == 1.0),
        checks["direction"],
        checks["degree"],
        checks["quantifier"],
        numeric_agreement(claim, evidence)[1],
    )
