"""The two sides of a claim's comparison, and whether a sentence speaks of both.

A direction or degree check may refute "A hurts X much more than Y" only with evidence about the
same two sides: "mBERT would suffer more from pruning than BERT, our findings reveal otherwise"
compares mBERT with BERT, not low-resource languages with English, so it says nothing of the
claim. :func:`comparison_core` finds the words nearest each side of the comparative (the claim's
"low-resource languages" and "English"); :func:`sides_found` says whether a sentence (or a pair of
table cells) names both.
"""

from __future__ import annotations

import re
from functools import lru_cache

from synth.numchecks import stems
from synth.quantchecks import DEGREE_WORDS, TOKEN, comparative_before
from synth.search import stem
from synth.textchecks import (
    SentenceFacts,
    degree_conflict,
    direction_flip,
    negation_mismatch,
    numeric_agreement,
    quantifier_conflict,
    role_reversal,
)

# Comparative markers with a second side after them: "than Y", "compared to Y", "as ... as Y",
# "similar to Y", and verbs that compare ("A outperforms B").
_COMPARE_VERBS = re.compile(
    r"^(?:outperform\w*|underperform\w*|beat|beats|surpass\w*|exceed\w*|trail\w*|lag\w*|"
    r"rival\w*|match(?:es|ed)?)$",
    re.I,
)
_SECOND_MARKERS = frozenset({"than"})
_FALL = frozenset({"fall", "falls", "fell", "falling", "fallen"})
_PAIR_MARKERS = {("compared", "to"), ("compared", "with"), ("similar", "to"), ("relative", "to"),
                 ("on", "par"), ("close", "to"), ("equal", "to"), ("identical", "to"),
                 ("superior", "to"), ("inferior", "to")}  # fmt: skip
# Words between a side and its comparative that are no part of the side.
_SKIP = frozenset(
    "much far significantly substantially considerably slightly marginally somewhat even still "
    "is are was were be been being has have had does do did a an the no not consistently clearly "
    "generally notably way lot only about roughly almost nearly just more less most least "
    "better worse higher lower larger smaller greater every all each any gives give gave yields "
    "yield yielded achieves achieved obtains obtained reaches reached shows showed scores scored "
    "performs performed behind turn turns turned out prove proves proved seem seems seemed "
    "appear appears appeared remain remains remained become becomes became".split()
)
# Words that end a side when reading past the comparative ("than Y on the test set").
_SIDE_END = frozenset(
    "on in for at with when while because by across under over after before during and but "
    "which that who whereas although though since if as".split()
)
# Generic words that name no side ("than the other ones", "that of").
_GENERIC = frozenset(
    "one ones those that this these it its their them other others model models method methods "
    "approach approaches system systems result results performance score scores".split()
)
# A preposition between the comparative and "than" introduces the first side.
# So does a condition ("faster when suggestions were shown than when they were hidden").
_MID_PREPS = frozenset({"on", "in", "for", "at", "with", "when", "if", "under", "during"})
_BOUND = re.compile(
    r"(?:an? |one |the )?(?:\d|(?:two|three|four|five|six|seven|eight|nine|ten|hundred|thousand"
    r"|half|quarter|third|twice|double)\b)"
)
_SIDE_WORDS = 3
# How many words of a main clause (twice this, through one relative clause) may stand between
# a fronted "Compared to Y," and its comparative.
_FRONTED_REACH = 12


def _side(tokens: list[str]) -> frozenset[str]:
    """Content stems of up to three side words in ``tokens`` (nearest first)."""
    out: list[str] = []
    for tok in tokens:
        low = tok.lower()
        if low in _SKIP or low in _GENERIC or low[0].isdigit():
            continue
        found = [w for w in stems(low, numbers=False) if w not in _GENERIC and len(w) > 1]
        # "low-resource": the whole word (as sentences' stems have it) and its parts (as table
        # labels have them)
        found += [
            p
            for w in found
            if "-" in w
            for p in stems(w.replace("-", " "), numbers=False)
            if len(p) > 1
        ]
        if found:
            out.extend(found)
            if len(out) >= _SIDE_WORDS:
                break
    return frozenset(out)


def _before(tokens: list[str], at: int) -> list[str]:
    """Tokens before the comparative at ``at``, nearest first, up to a clause break."""
    out = []
    for tok in reversed(tokens[:at]):
        if tok in ",;:":
            break
        # "we show that X is more robust than Y": the side starts after "that" (a relative
        # "that" before any side word goes on: "a model that is more accurate than")
        if tok.lower() in ("that", "whether") and any(
            t.lower() not in _SKIP and t.lower() not in _GENERIC for t in out
        ):
            break
        if tok not in "()":  # "the contrastive regularization (CACR) hurts more than"
            out.append(tok)
    return out


def _after(tokens: list[str], at: int) -> list[str]:
    """Tokens after the second side's marker, up to a break or a word that ends the side."""
    out = []
    for tok in tokens[at:]:
        low = tok.lower()
        if tok in ",;:()":
            break
        if low in _SIDE_END:
            if out:
                break
            continue  # "than on Y", "than in English"
        out.append(tok)
    return out


Frame = tuple[frozenset[str], frozenset[str], int, tuple[str, ...], bool]


@lru_cache(maxsize=4096)
def comparison_frames(text: str) -> tuple[Frame, ...]:
    """Every comparison of a sentence: (first side, second side, index of its comparative word
    in the tokens (-1 when none: "than" alone, "compared to", a bound), the lower-cased tokens,
    whether it is a bound ("more than five million people") rather than two sides)."""
    toks = TOKEN.findall(text)
    low = [t.lower() for t in toks]
    out = []
    for i, tok in enumerate(low):
        second_at, word = None, -1
        if tok in _SECOND_MARKERS and i > 0:
            # the comparative before "than" ("much less resilient to attention head pruning
            # than"): the first side is read before it
            word = comparative_before(low, i)
            first_at = word if word >= 0 else i
            second_at = i + 1
        elif i + 1 < len(low) and (tok, low[i + 1]) in _PAIR_MARKERS:
            first_at, second_at = i, i + 2
            word = i if tok in ("superior", "inferior") else -1
        elif tok == "as" and i + 2 < len(low) and "as" in low[i + 2 : i + 6]:
            first_at, second_at = i, low.index("as", i + 2) + 1
        elif _COMPARE_VERBS.match(tok) and i > 0:
            first_at, second_at, word = i, i + 1, i
        elif tok in _FALL and i > 0 and i + 1 < len(low) and low[i + 1] in ("behind", "short"):
            # "falls short of X", "fell behind X"
            first_at, word = i, i
            second_at = i + 3 if low[i + 1] == "short" and low[i + 2 : i + 3] == ["of"] else i + 2
        if second_at is None:
            continue
        first = _side(_before(toks, first_at))
        if not first and tok in ("compared", "relative"):
            # "Compared to ChatGPT, the Falcon data was of considerably lower quality"
            first, word = _fronted(toks, low, second_at) or (first, word)
        # "did better on the Turkish test set than on the English one": prepositions introduce
        # both sides ("longer in word count than English ones": the first names a measure)
        parallel = tok == "than" and i + 1 < len(low) and low[i + 1] in _MID_PREPS
        mid = [j for j in range(first_at + 1, i) if low[j] in _MID_PREPS] if parallel else []
        if mid:
            first = _side(_after(toks, mid[-1] + 1))
        second = _side(_after(toks, second_at))
        # "more than a quarter", "more than five million people": a bound, no two sides
        bound = bool(_BOUND.match(" ".join(low[second_at : second_at + 2])))
        if first and second:
            out.append((first, second, -1 if bound else word, tuple(low), bound))
    return tuple(out)


def _fronted(toks: list[str], low: list[str], second_at: int) -> tuple[frozenset[str], int] | None:
    """A fronted second side ("Compared to Y, X is more robust"): the main clause's first side
    and the index of its comparative (a degree word or a comparing verb after the comma)."""
    comma = next((j for j in range(second_at, len(low)) if low[j] in (",", ";", ":")), None)
    if comma is None or low[comma] != ",":
        return None
    for j in range(comma + 1, min(len(low), comma + 1 + 2 * _FRONTED_REACH)):
        if low[j] in (";", ":"):
            break
        if low[j] in DEGREE_WORDS or _COMPARE_VERBS.match(low[j]):
            first = _side(_before(toks, j))
            return (first, j) if first else None
    return None


def comparison_core(text: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(first side, second side): the content stems nearest each side of a comparison, or None
    when the sentence compares no two named things.

    "Pruning ... hurts low-resource languages much more than English" -> ({hurt, low,
    resource, language} - nearest three words, {english}); "mBERT is as resilient as BERT" ->
    ({mbert}, {bert}); "Balanced BAD-X outperforms MAD-X" -> ({balanc, bad-x}, {mad-x}).
    """
    frames = comparison_frames(text)
    return (frames[0][0], frames[0][1]) if frames else None


# What a comparative measures and which way: "harder" and "more challenging" both say "more
# difficult"; "outperforms" and "lags behind" are opposite ways of the same comparison.
_WAYS: dict[str, tuple[str, str]] = {
    "quality": (
        "better superior stronger outperform outperforms outperformed outperforming beat beats "
        "beating surpass surpasses surpassed exceed exceeds exceeded ahead",
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
        dim, sign = _WAY.get(nxt, (stem(nxt), 1))
        way = (dim if dim != "amount" else nxt, sign * (1 if word == "more" else -1))
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
    """The words only one side has, less the predicate ("hurts more than": "hurt")."""
    first, second = _hyphen_parts(frame[0]) - _PREDICATE, _hyphen_parts(frame[1]) - _PREDICATE
    return first - second, second - first


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
            same = (bool(ca & ea), bool(cb & eb))
            crossed = (bool(ca & eb), bool(cb & ea))
            if any(same) and any(crossed):
                continue  # the sides do not line up
            opposite = cway[1] != eway[1]
            if all(same) or all(crossed):
                strength = 1.0
            elif same[0] and not crossed[1]:
                strength = 0.5  # the same subject, its other side named in other words
            else:
                continue
            if opposite == any(same):
                best = max(best, strength)
            else:
                agree = True
    return 0.0 if agree else best


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
    sided = core is None or sides_found(core, evidence.stems if words is None else words)
    return {
        "negation": negation_mismatch(claim, evidence) if sided else 0.0,
        "direction": max(
            direction_flip(claim, evidence) if sided else 0.0,
            role_reversal(claim, evidence) if sided else 0.0,
            comparison_flip(claim.text, evidence.text),
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
