"""Numbers a claim and a sentence state, and whether they agree: rounding, hedges, bounds, scale.

"5,000" = "5000" = "5k"; 0.5 = 50%; "roughly 6 points" = 6.15%; "up to eight pages" against "up to
ten pages" conflicts; "1950 samples" against "950 samples" conflicts (same counted thing), "6 epochs"
against "20,000 examples" does not; "nine points after Stage 2" against "8.9% after Stage 1 ...
and 3.7% after Stage 2" conflicts (the figure is stated, but of another thing: ``synth.numbinding``).
A relative figure is read off two of the sentence's figures: "about seven times that" of 0.06 and
0.42, "more than 30 points higher than" of 75.00 and 42.00, "cuts ... by almost two thirds" of
27.1% -> 9.7% (:func:`_derived`). ``synth.textchecks`` builds a sentence's quantities once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from synth.numbinding import Binding, bindings, misbound

# Numbers read from words live in synth.numwords; textchecks imports them from here.
from synth.numwords import extra_numbers, number_keys, ratio_whole  # noqa: F401 (re-exported)
from synth.records import Number
from synth.search import STOPWORDS, WORD_RE, stem

if TYPE_CHECKING:
    from synth.textchecks import SentenceFacts

# Retrieval's stopwords, less the words that change what a number means here ("not", "more").
_STOP = STOPWORDS - frozenset({"no", "not", "more", "most", "here", "whom"})
# Hedges before a number: the claim states it loosely.
_HEDGE = re.compile(
    r"(?:about|around|roughly|approximately|approx\.?|nearly|almost|close to|some|~|≈)\s*$",
    re.I,
)
_AT_LEAST = re.compile(
    r"(?:more than|over|above|at least|exceeding|greater than|no less than|no fewer than|"
    r"minimum of|>)\s*$",
    re.I,
)
_AT_MOST = re.compile(
    r"(?:less than|fewer than|under|below|at most|up to|no more than|no longer than|not exceed|"
    r"not exceeding|maximum of|<)\s*$",
    re.I,
)
# A difference stated: "higher by roughly 6 points", "a gap of 2.62%", "an improvement of 5".
_DELTA = re.compile(
    r"(?:\bby|\b(?:gap|margin|difference|improvement|gain|drop|loss|increase|decrease|boost|"
    r"reduction|degradation)s?(?: of| by| are| were| is| was)?)"
    r"(?:\s*(?:about|around|roughly|approximately|nearly|almost|only|~|≈)){0,2}\s*$",
    re.I,
)
# "spoken by 17,100 speakers", "annotated by two linguists": "by" names who did it (a participle
# that is no verb of change), not a difference.
_AGENT_BY = re.compile(r"\b(?!(?:increas|decreas|reduc|improv|rais|lower|boost|gain|lift|cut|"
    r"drop|declin|degrad|enhanc|exceed|surpass|outperform|beat|widen|narrow|shift|jump|grow|shrink|"
    r"fall|rise|chang|offset|lead|trail|differ|vari|scal|multipli|divid)\w*\b)"
    r"[a-z]+(?:ed|en)\s+by\s*$", re.I)  # fmt: skip
# A difference stated after its figure: "30 points higher than", "half a BLEU point above".
_DIFF_AFTER = re.compile(
    r"^\s*(?:%|pp\b|(?:[\w-]+\s+)?points?\b)?\s*"
    r"(?:higher|lower|above|below|ahead|behind|better|worse|(?:[\w-]+\s+)?(?:improvement|gain|"
    r"drop|increase|decrease|reduction|boost)s?)\b",
    re.I,
)
# The next figure of a list ("gains of 1.15% and 3.03%", "by 24%/20.4%"): of its first's kind.
_LISTED = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|/\s*)$", re.I)
# A multiple: "600 times cheaper", "seven times that of", "a three-fold rise" (not "three times
# in four", a frequency, nor "run five times", a count).
_TIMES_AFTER = re.compile(
    r"^\s*-?\s*(?:fold\b|times\s+(?:as|the|that|those|its|their|[a-z]+er)\b)", re.I
)
# A product, not a multiple: "12 × float32", "2 × 2" (a figure or a typed name follows).
_PRODUCT = re.compile(r"^\s*(?:\d|[A-Za-z]+\d)")
# A factor written as one: "the average length * 2", "× 3" (not a bold "**0.235", a "*0.17").
_TIMES_BEFORE = re.compile(r"(?:(?<!\*)\*\s+|×\s*)$")
# "82 thousand": the word scales the number before it.
_SCALE_WORD = re.compile(r"^\s*(thousand|million|billion)\b", re.I)
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_THOUSANDS_DOT = re.compile(r"\d{1,3}\.\d{3}")
_SCALE = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9}
# Units that measure the same kind of quantity ("6 points" of accuracy = "6%" of accuracy).
_UNIT_CLASS = {"%": "pct", "pp": "pct", "points": "pct", "x": "x"}


# The words a share stands on before the thing it counts ("26.0% of the subtitle blocks").
_SHARE_OF = re.compile(r"\s*of\s+(?:(?:the|its|their|these|those|all|our)\s+)?", re.I)


# The word just after a figure (glued by a hyphen or not): "40 names", "8-shot", "7-class".
_COUNTED = re.compile(r"(?:-|\s+)([A-Za-z][\w'-]*)")
# Words after a figure that are no counted thing: function words, units, and the metrics a
# figure measures ("89 accuracy", "27 BLEU").
_NOT_COUNTED = STOPWORDS | frozenset(
    "percent percentage points point pp pts times fold x ms sec s per respectively vs versus "
    "than higher lower better worse above below accuracy acc f1 f bleu chrf comet rouge em "
    "auc mrr map ndcg precision recall score scores wer cer ter spbleu sacrebleu bertscore "
    "meteor perplexity ppl kappa correlation pearson spearman qwk mcc uas las".split()
)


# Measures the parser's metric names leave out, and spellings of those it has: a figure right
# beside one is a score of it ("a Cohen's kappa of 0.61", "85.2 COMET", "chrF++ 55.1").
_METRIC_WORDS = {
    "kappa": r"(?:Cohen's |Fleiss' |Cohen |Fleiss )?(?:kappa|Kappa|κ)",
    "alpha": r"Krippendorff(?:'s)? (?:alpha|α)",
    "QWK": r"QWK",
    "COMET": r"COMET(?:-2[0-9])?|Comet",
    "CometKiwi": r"COMET-?Kiwi|CometKiwi",
    "chrF": r"chrF\+*|ChrF\+*|CHRF\+*",
    "TER": r"TER",
    "BERTScore": r"BERTScore|BertScore",
    "spBLEU": r"spBLEU",
    "BLEU": r"(?:sacre|Sacre)BLEU|BLEU-[1-4]|BLEU",
    "MCC": r"MCC",
    "nDCG": r"n?DCG(?:@\d+)?|NDCG(?:@\d+)?",
    "UAS": r"UAS",
    "LAS": r"LAS",
}
_METRIC_WORD = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<{k}>{v})" for k, v in _METRIC_WORDS.items())
    + r")(?![\w-]*\w)"
)
_METRIC_GAP = re.compile(
    r"^[\s:=(]*(?:(?:of|is|was|were|are|which|that|values?|score[sd]?|by|at|between|from|"
    r"reaches|reached|around|about|roughly|approximately|above|below|over|under|nearly|"
    r"almost)\s+){0,3}$",
    re.I,
)


def _metric_beside(head: str, tail: str) -> str:
    """The measure named right before a figure ("kappa of 0.61", "COMET: 85.2") or right after
    it ("85.2 COMET", "55.1 chrF++"); "" when none."""
    after = _METRIC_WORD.match(tail.lstrip(" (%"))
    if after and len(tail) - len(tail.lstrip(" (%")) <= 3:
        return after.lastgroup or ""
    window = head[-40:]
    named = list(_METRIC_WORD.finditer(window))  # the last is the nearest before the figure
    if named and _METRIC_GAP.match(window[named[-1].end() :]):
        return named[-1].lastgroup or ""
    return ""


def stems(text: str, numbers: bool = True) -> list[str]:
    # Same light stemmer as retrieval's coverage, so "resilient" meets "resilience".
    return [
        stem(w)
        for w in WORD_RE.findall(text.lower())
        if w not in _STOP and (numbers or not w[0].isdigit())
    ]


@dataclass(frozen=True)
class Quantity:
    """A stated number with the words around it: what makes two numbers comparable."""

    number: Number
    value: float  # scaled ("5k" -> 5000)
    before: frozenset[str]  # content stems of up to 4 words before
    after: frozenset[str]  # content stems of up to 3 words after (the counted thing)
    bound: str  # "=" exact, "~" hedged, ">=" lower bound, "<=" upper bound
    near: frozenset[str] = frozenset()  # content stems of up to 6 words on either side
    prev: str = ""  # the nearest content stem before it ("temperature" of "temperature to 1")
    delta: bool = False  # a difference ("by 6 points", "a gap of 2.6", "+4.1"), not a level
    multiple: bool = False  # a ratio of two figures ("600 times cheaper", "twice as long")
    counted: bool = False  # a noun follows it: what it counts ("40 names", "8-shot", "4 out of 5")
    metric: str = ""  # the measure named beside it ("a kappa of 0.61", "85.2 COMET"), else the
    # parser's nearest metric


def _spans(text: str, numbers: tuple[Number, ...]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for n in numbers:
        m = re.search(r"(?<![\w.])" + re.escape(n.raw) + r"(?!\w)", text[pos:])
        at = pos + m.start() if m else max(0, text.find(n.raw))
        out.append((at, at + len(n.raw)))
        pos = max(pos, at + len(n.raw))
    return out


def _unsuffix(w: str) -> str:
    # The light stemmer keeps a final "e" of a singular ("candidate") that it strips from the
    # plural ("candidat"): "15 candidate substitutes" and "the 20 candidates" count one thing.
    # Nor does it strip the plural of a short word: "16 bits" and "an 8-bit code", "27 LLMs".
    if 3 <= len(w) <= 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")) and w != "news":
        return w[:-1]
    return w[:-1] if w.endswith("e") and len(w) > 4 else w


def _words(text: str) -> frozenset[str]:
    return frozenset(map(_unsuffix, stems(text, False)))


def quantities(text: str, numbers: tuple[Number, ...]) -> tuple[Quantity, ...]:
    out: list[Quantity] = []
    last_end = -1
    for n, (at, end) in zip(numbers, _spans(text, numbers), strict=True):
        head, tail = text[:at], text[end:]
        bound = (
            ">=" if _AT_LEAST.search(head[-16:]) else "<=" if _AT_MOST.search(head[-16:])
            else "~" if _HEDGE.search(head[-16:]) else "="
        )  # fmt: skip
        value = n.value * _SCALE.get(n.unit or "", 1.0)
        scaled = _SCALE_WORD.match(tail)
        if scaled and not n.unit:
            value, tail = value * _SCALE_WORDS[scaled.group(1).lower()], tail[scaled.end() :]
        before = _words(" ".join(head.split()[-4:]))
        # A share counts the words after its "of (the)": "half of the Japanese subtitle blocks"
        share_of = _SHARE_OF.match(tail) if n.unit == "%" else None
        after = _words(" ".join(tail[share_of.end() if share_of else 0 :].split()[:3]))
        near = _words(" ".join(head.split()[-6:] + tail.split()[:6]))
        prev = [_unsuffix(w) for w in stems(" ".join(head.split()[-3:]), numbers=False)]
        delta = (
            bool(_DELTA.search(head[-40:]) and not _AGENT_BY.search(head[-40:]))
            or bool(_DIFF_AFTER.match(tail))
            or n.raw.startswith("+")
            or bool(
                out
                and out[-1].delta
                and (out[-1].number.unit or "") == (n.unit or "")
                and _LISTED.match(text[last_end:at])
            )
        )
        last_end = end
        multiple = (
            n.unit == "x"
            and not _PRODUCT.match(tail)
            or bool(_TIMES_AFTER.match(tail) or _TIMES_BEFORE.search(head[-4:]))
        )
        counted = _COUNTED.match(tail)
        counts = bool(counted and counted.group(1).lower() not in _NOT_COUNTED)
        metric = _metric_beside(head, tail) or n.metric or ""
        out.append(
            Quantity(
                n, value, before, after, bound, near, prev[-1] if prev else "", delta, multiple,
                counts, metric,
            )
        )  # fmt: skip
    return tuple(out)


def decimal_places(raw: str) -> int:
    """Digits after the decimal point of the first number in ``raw`` ("85.3 points" -> 1)."""
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", raw)
    return len(digits.group(1)) if digits and digits.group(1) else 0


def same_value(a: Number, b: Number) -> bool:
    """Equal up to the precision of the less precise one (rounded or truncated), or x100 apart."""
    coarse, fine = (a, b) if decimal_places(a.raw) <= decimal_places(b.raw) else (b, a)
    places = decimal_places(coarse.raw)
    if abs(fine.value - coarse.value) <= 0.5 * 10.0**-places + 1e-9:
        return True  # rounded
    scale = 10.0**places
    if abs(math.trunc(fine.value * scale + 1e-9) / scale - coarse.value) < 1e-9:
        return True  # truncated
    # 0.853 stated as 85.3 (a fraction given as a percentage); not 20 against 2,000
    small, large = sorted((a, b), key=lambda n: abs(n.value))
    return abs(small.value) <= 1 and abs(small.value * 100 - large.value) < 1e-6


def _agrees(claim: Quantity, ev: Quantity) -> bool:
    """Whether an evidence quantity bears out a claim quantity (rounding, hedges, bounds, 5k)."""
    a, b = claim.value, ev.value
    if claim.bound in ("=", "~", ev.bound) and a == b and claim.number.value != ev.number.value:
        return True  # one value written two ways: "one million" / "1 million", "0.3M" / 300,000
    if claim.bound == "=" and _spelled_count(claim) and not float(b).is_integer():
        return False  # "all three variants" is no rounded 2.7
    if claim.bound == ev.bound and claim.bound in ("<=", ">="):
        if _loose_share(claim) and abs(a - b) <= 0.15 * max(abs(a), abs(b)):
            # "fewer than one in thirty" of "<3%": a share in words rounds the tighter bound
            return b <= a if claim.bound == "<=" else b >= a
        return abs(a - b) <= 1e-9 * max(1.0, abs(a))  # "up to 10" and "up to 8" differ
    if claim.bound == ">=":
        return b >= a * 0.999 or b * 100 >= a * 0.999 and b <= 1 < a
    if claim.bound == "<=":
        return b <= a * 1.001
    if claim.bound == "~" and abs(a - b) <= 0.075 * max(abs(a), abs(b)):
        return True
    # "roughly a fifth" of 21.8%, "about four out of five": a share in words is coarse
    words = not any(ch.isdigit() for ch in claim.number.raw)
    if claim.bound != "=" and words and abs(a - b) <= 0.15 * max(abs(a), abs(b)):
        return True
    if _rounds_to(claim, ev):
        return True  # "3.2 thousand" of 3,231
    if _THOUSANDS_DOT.fullmatch(ev.number.raw) and abs(b * 1000 - a) < 1e-6:
        return True  # "10.636 paragraphs": a European thousands separator
    if claim.number.unit in _SCALE or ev.number.unit in _SCALE:
        return abs(a - b) <= 0.05 * max(abs(a), abs(b))
    if decimal_places(claim.number.raw) > decimal_places(ev.number.raw) and abs(a - b) > 0.05 * abs(
        b
    ):
        # The evidence is the coarser one: "temperature to 1" is not a rounded 0.7 (a claim may
        # round the paper's figure, but a paper's round figure is not the claim's rounded)
        return abs(a * 100 - b) < 1e-6 or abs(b * 100 - a) < 1e-6
    return same_value(claim.number, ev.number)


def _rounds_to(c: Quantity, e: Quantity) -> bool:
    """Whether a figure a scale word states is the evidence's rounded: in digits ("3.2
    thousand", "0.94 million", "90 thousand") within half its last digit's step (3,231; 943,946;
    90,437), in words ("one hundred seventy thousand", "two thousand") as any count in thousands
    is; and within 5% (a round "1 million" is no 0.6 million, "a thousand" no 626)."""
    if c.number.unit or not c.number.value:
        return False
    if not any(ch.isdigit() for ch in c.number.raw):  # in words
        scaled = _SCALE_IN_WORDS.search(c.number.raw)
        return bool(scaled) and abs(c.value - e.value) <= 0.05 * abs(c.value) + 1e-9
    scale = round(c.value / c.number.value)  # 1 without a scale word
    if scale < 1000:
        return False
    step = 0.5 * 10.0 ** -decimal_places(c.number.raw) * scale
    return abs(c.value - e.value) <= min(step, 0.05 * abs(c.value)) + 1e-9


_SCALE_IN_WORDS = re.compile(r"\b(?:thousand|million|billion)\b", re.I)


def _loose_share(q: Quantity) -> bool:
    """A share in words ("one in thirty", "a third"): a coarse figure, not a setting."""
    return q.number.unit == "%" and not any(ch.isdigit() for ch in q.number.raw)


# "two thirds of the 36 datasets", "half of the ten benchmarks": a share of a count the claim
# states; the word after "of (the)" is that count.
_OF_COUNT = re.compile(r"\s+of\s+(?:(?:the|its|their|these|those|all|our)\s+)?([\w,.]+)", re.I)


def _shares_of_counts(text: str, cq: tuple[Quantity, ...]) -> dict[int, int]:
    """The claim's shares of one of its own counts: share index -> the count's index. A share
    is a percentage or fraction ("two thirds of the 36") or a count ("seven of the ten")."""
    out: dict[int, int] = {}
    for i, c in enumerate(cq):
        share = c.number.unit == "%" and ratio_whole(c.number.raw) is None
        if c.delta or c.multiple or not (share or _is_count(c)):
            continue
        for m in re.finditer(r"(?<![\w.])" + re.escape(c.number.raw) + r"(?!\w)", text):
            of = _OF_COUNT.match(text, m.end())
            word = of.group(1).rstrip(",.") if of else ""
            whole = next(
                (
                    j
                    for j, q in enumerate(cq)
                    if j != i
                    and _is_count(q)
                    and q.number.raw == word
                    and (share or q.value > c.value)
                ),
                None,
            )
            if whole is not None:
                out[i] = whole
                break
    return out


_SHARES_CACHE: dict[str, dict[int, int]] = {}


def _claim_shares(text: str, cq: tuple[Quantity, ...]) -> dict[int, int]:
    """:func:`_shares_of_counts`, read once per claim (a claim meets every candidate; its
    quantities are those of its text)."""
    out = _SHARES_CACHE.get(text)
    if out is None:
        if len(_SHARES_CACHE) > 4096:
            _SHARES_CACHE.clear()
        out = _SHARES_CACHE[text] = _shares_of_counts(text, cq)
    return out


def _share_of_count(c: Quantity, whole: Quantity, eq: tuple[Quantity, ...]) -> int:
    """Whether the evidence bears out a share of a count (+1), states another share of that
    count (-1), or neither (0): "two thirds of the 36 datasets" against "24 seen datasets" (the
    part, counting the same thing), "half of the ten benchmarks" against "eight out of ten tasks"
    (another share of the same whole)."""
    for e in eq:
        w = ratio_whole(e.number.raw)
        if w is None or abs(w - whole.value) > 1e-9:
            continue
        if c.number.unit == "%":
            return 1 if _agrees(c, e) else -1
        return 1 if abs(100 * c.value / whole.value - e.value) < 0.01 else -1
    if c.number.unit != "%":
        return 0  # a count meets the evidence's counts as any figure does
    part = c.value / 100 * whole.value
    for e in eq:
        if not _is_count(e) or e.delta or e.multiple or not 0 < e.value < whole.value:
            continue
        if not (whole.after & e.after or _aligned(whole, e, False)):
            continue
        gap = e.value - part  # "more than half of": at least the part; "half of": it, rounded
        if c.bound == ">=" and gap >= -1e-9 or c.bound == "<=" and gap <= 1e-9:
            return 1
        if c.bound in ("=", "~") and abs(gap) <= 0.5 + (0.15 * part if c.bound == "~" else 0.0):
            return 1
    return 0


def _spelled_count(q: Quantity) -> bool:
    return not q.number.unit and not any(ch.isdigit() for ch in q.number.raw)


def _bears_out(c: Quantity, e: Quantity, single: bool) -> bool:
    """Agreement; a value other than the claim's (a bound or a hedge met) only counts when it is
    about the same thing: "up to 300 words" is not borne out by "12 pt"."""
    if not _agrees(c, e):
        return False
    return (
        same_value(c.number, e.number)
        or abs(c.value - e.value) < 1e-9
        or _rounds_to(c, e)
        or _aligned(c, e, single)
    )


def _stated(claim: Quantity, ev: Quantity) -> bool:
    """The evidence states the claim's figure itself, at least as precisely (a bound as the
    same bound)."""
    if claim.bound in ("<=", ">=") and ev.bound != claim.bound:
        return False
    if decimal_places(ev.number.raw) < decimal_places(claim.number.raw):
        return abs(claim.value - ev.value) < 1e-9
    return same_value(claim.number, ev.number) or abs(claim.value - ev.value) < 1e-9


def _unit_class(n: Number) -> str | None:
    """What a unit measures: a share (%, points), a multiple, a count in thousands or more ("5k",
    "1.3B", "600M": one kind of figure, in different scales), else the unit itself."""
    unit = n.unit or ""
    return "count" if unit in _SCALE else _UNIT_CLASS.get(unit, n.unit)


def _comparable(a: Number, b: Number) -> bool:
    ua, ub = _unit_class(a), _unit_class(b)
    if ua and ub and ua != ub:
        return False
    return not (a.metric and b.metric and a.metric != b.metric)


def _aligned(c: Quantity, e: Quantity, single: bool) -> bool:
    """Comparable numbers about the same thing: the same metric, the same counted thing, two
    shared neighbouring words, or the only measurement (not a count) on both sides."""
    if not _comparable(c.number, e.number):
        return False
    if c.metric and e.metric:
        return c.metric == e.metric  # scores of one measure; of two, not comparable
    if c.number.metric and c.number.metric == e.number.metric:
        return True
    if c.after & e.after or (c.prev and c.prev == e.prev and len(c.prev) > 3):
        return True  # "950 samples" / "1950 samples"; "temperature 0.7" / "temperature to 1"
    if len((c.before | c.after) & (e.before | e.after)) >= 2:
        return True
    if single and (c.after & e.before and not e.after or c.before & e.after and not c.after):
        # The only figures of both, one naming its counted thing after it and the other before,
        # at the end of its phrase: "a 250,000-token vocabulary" / "vocabulary size 150,000"
        # (not "20,000 training examples" / "training to 6 epochs").
        return True
    # A count says what it counts: "6 epochs" and "20,000 examples" never conflict; the only
    # measurements of two sentences still share a word nearby ("15% of ChatGPT's paraphrases"
    # and "5% of the times, the paraphrases"; "22% of papers" is no ">25%" overlap).
    return single and bool(c.near & e.near) and not _is_count(c) and not _is_count(e)


def _kind(q: Quantity) -> str:
    """What kind of quantity a figure is: a share ("70%", "half", "6 points"), a count of things
    ("40 names", "three models", "5k", "82 thousand"), a level measured to decimals (0.83,
    66.26), or "" when its words do not say (an integer with no noun after it: "scores 81 on")."""
    unit = q.number.unit or ""
    if q.multiple:
        return "x"
    if _UNIT_CLASS.get(unit) == "pct":
        return "share"
    if unit in _SCALE or q.value != q.number.value:
        return "count"  # "5k", "82 thousand", "two million": what is counted in thousands
    if "." in q.number.raw or not float(q.number.value).is_integer():
        return "level"
    if unit:
        return ""
    return "count" if q.counted or not any(ch.isdigit() for ch in q.number.raw) else ""


# Kinds of quantity that never measure the same thing: a share is no count ("half of the 40
# names" / "40 names"), nor is a count a level to decimals ("three tasks" / "66.26").
_UNLIKE = frozenset({frozenset({"share", "count"}), frozenset({"count", "level"})})


def _same_kind(a: Quantity, b: Quantity) -> bool:
    kinds = frozenset({_kind(a), _kind(b)})
    if kinds == {"count", "level"} and a.counted and b.counted and a.after & b.after:
        return True  # an average count of one thing: "about three categories" / "7.61 categories"
    return kinds not in _UNLIKE


def _level_and_gap(a: Quantity, b: Quantity) -> bool:
    """A difference against a level far above it ("higher by 6 points" / "66.21%"): two
    different things, however a sentence words its differences ("gains 1.06%")."""
    small, large = sorted((abs(a.value), abs(b.value)))
    return a.delta != b.delta and large > 3 * small


def _is_count(q: Quantity) -> bool:
    return not q.number.unit and not q.number.metric and float(q.value).is_integer()


def numeric_agreement(
    claim: SentenceFacts, evidence: SentenceFacts, also: tuple[SentenceFacts, ...] = ()
) -> tuple[float, float]:
    """(matched, conflicting) fractions of the claim's numbers against the evidence's.

    A claim number is matched when the evidence states the same value (rounding, a stated hedge
    or bound, 5k = 5,000, 0.5 = 50% allowed). It conflicts when it is unmatched although the
    evidence states a comparable number (same unit class and metric) about the same thing: one
    sharing a neighbouring word ("950 samples" / "1950 samples"), the same metric, or the only
    measurement on both sides with a neighbouring word in common. A number stated by one of ``also`` (the next candidates: a claim
    often spans two sentences) counts as matched, never as conflicting.
    """
    cq = claim.quantities or quantities(claim.text, claim.numbers)
    eq = evidence.quantities or quantities(evidence.text, evidence.numbers)
    if not cq:
        return 0.0, 0.0
    single = len(cq) == 1 and len(eq) == 1
    matched = conflicting = 0
    eq_also = [q for f in also for q in (f.quantities or quantities(f.text, f.numbers))]
    silent, used, incidental = [], set(), 0
    # A share of a count the claim states: the evidence's part (or its share of the same whole)
    # decides the share, and bears out the whole it is of.
    shares = _claim_shares(claim.text, cq) if len(cq) > 1 and " of " in claim.text else {}
    said = {i: _share_of_count(cq[i], cq[j], eq) for i, j in shares.items()}
    # A sentence that states one of the claim's figures is read figure by figure ("from 10 to
    # 20" against a claim's "from 10 to 30": the 20 is changed, not the claim's gap).
    stated = any(_agrees(c, e) for c in cq for e in eq)
    implied = set() if stated else _implied(cq, eq)
    wholes = {j for i, j in shares.items() if said[i]}
    for at, c in enumerate(cq):
        if said.get(at) or at in wholes:
            if said.get(at, 1) > 0:
                matched += 1
                incidental += at in wholes and _spelled_count(c)
            else:
                conflicting += 1
            continue
        # In the next candidates, the value itself (no hedge, bound or coarser figure meeting
        # it: "nearly 8.5" is not an "8-shot" elsewhere) about the same thing.
        mine = [i for i, e in enumerate(eq) if _kin(c, e) and _bears_out(c, e, single)]
        if mine and _bound_elsewhere(c, claim, at, evidence, eq, mine):
            conflicting += 1  # the sentence states the figure, but of another thing
        elif mine or any(_kin(c, e) and _stated(c, e) and _aligned(c, e, False) for e in eq_also):
            matched += 1
            incidental += _spelled_count(c)
            used.update(mine[:1])
        elif (c.multiple or c.delta) and _derived(c, eq):
            matched += 1  # a ratio or difference of two of the evidence's figures
        elif (c.multiple or c.delta) and _CHANGE.search(evidence.text) and len(eq) == 2:
            conflicting += 1  # the sentence states one change ("from 12.4% to 8.1%"), not this
        elif any(
            _kin(c, e) and _same_kind(c, e) and _aligned(c, e, single) and not _level_and_gap(c, e)
            for i, e in enumerate(eq)
            if i not in implied
        ):
            conflicting += 1
        else:
            silent.append(c)
    if matched and len(silent) == 1:
        rest = [e for i, e in enumerate(eq) if i not in used and i not in implied]
        conflicting += _changed(silent[0], rest)
    if conflicting and incidental:
        # A changed figure is the claim's point; a spelled-out count it shares with the
        # sentence ("Two annotators ... 249 pairs" against "Two annotators ... 149") is not,
        # and counted as a match it diluted the conflict. Matches stated in digits still count.
        n = len(cq) - incidental
        return (matched - incidental) / n, conflicting / n
    return matched / len(cq), conflicting / len(cq)


def _implied(cq: tuple[Quantity, ...], eq: tuple[Quantity, ...]) -> set[int]:
    """The evidence's figures the claim's own figures imply: the gap between two of its levels
    ("about 55 seconds ... against roughly 42" and "roughly 12 more seconds"), or their ratio
    (a multiple). Such a figure bears the claim's levels neither out nor down: it conflicts with
    neither (in a sentence that states none of the claim's figures)."""
    levels = [q for q in cq if not (q.delta or q.multiple) and q.bound in ("=", "~")]
    pairs = [
        (a, b)
        for i, a in enumerate(levels)
        for b in levels[i + 1 :]
        if _near(a, b, units=True)
        and a.value != b.value
        # two small counts have a gap only when they count one thing: "55 vs 42 seconds",
        # not "5 languages and 12 tasks"
        and not (_small_count(a) and _small_count(b) and not a.after & b.after)
    ]
    out = set()
    for k, e in enumerate(eq):
        for a, b in pairs:
            small, large = sorted((abs(a.value), abs(b.value)))
            if e.multiple:
                v, slack = (large / small if small > 0 else 0.0), 0.1 * abs(e.value)
            else:
                v, slack = large - small, _rounding(a) + _rounding(b)
            slack += _rounding(e) + (0.075 * abs(e.value) if e.bound == "~" else 0.0)
            if abs(e.value) > 0 and abs(v - abs(e.value)) <= slack:
                out.add(k)
    return out


def _rounding(q: Quantity) -> float:
    """Half the last stated digit's place: how far a figure may be from what it rounds."""
    return (
        0.5 * 10.0 ** -decimal_places(q.number.raw)
        if any(ch.isdigit() for ch in q.number.raw)
        else 0.0
    )


def _kin(c: Quantity, e: Quantity) -> bool:
    """A multiple meets only a multiple: "twice as long" is no "2 layers", "five times larger"
    no "five models" (its figures are read as a ratio by :func:`_derived`)."""
    return c.multiple == e.multiple


def _near(a: Quantity, b: Quantity, units: bool = False) -> bool:
    """Within a factor of ten, both fractions of one or both not (percentages aside: "0.9%" and
    "3.0%" are two gains of one kind); with ``units``, of one unit too: two figures a sentence
    lists side by side ("54%" / "26%", "20 participants" / "30 answers", "Precision 67.28" /
    "F1 79.56"), whether or not each reads as a difference ("LaBSE by 0.9% and other variants
    by at least 3.0%")."""
    if units and (a.number.unit or "") != (b.number.unit or ""):
        return False
    small, large = sorted((abs(a.value), abs(b.value)))
    fractions = "%" in (a.number.unit, b.number.unit) or (abs(a.value) <= 1) == (abs(b.value) <= 1)
    return fractions and small > 0 and large <= 10 * small


def _bindings(f: SentenceFacts) -> tuple[Binding, ...]:
    """What each figure of a sentence is said of (``synth.numbinding``; cached by text)."""
    return bindings(f.text, tuple(_spans(f.text, f.numbers)))


def _bound_elsewhere(
    c: Quantity,
    claim: SentenceFacts,
    at: int,
    evidence: SentenceFacts,
    eq: tuple[Quantity, ...],
    mine: list[int],
) -> bool:
    """Whether every evidence figure stating the claim's figure ``c`` (its ``at``-th) is said of
    another thing than the claim says: a parallel figure of the sentence, of another value,
    holds the claim's words in its slots ("9 points after Stage 2" against "8.9% ... after
    Stage 1 training, and a 3.7% improvement after Stage 2 training")."""
    if len(eq) < 2:
        return False
    frame, ours = _bindings(claim)[at].frame, _bindings(evidence)
    return all(
        any(
            misbound(frame, ours[i], ours[j])
            for j, e in enumerate(eq)
            if j not in mine and _near(eq[i], e, units=True) and not _agrees(c, e)
        )
        for i in mine
    )


def _changed(c: Quantity, rest: list[Quantity]) -> int:
    """1 when the sentence that states the claim's other numbers states one more of the same
    form as the claim's last, unmatched one ("Two annotators ... 149 phrase-pairs" against
    "Two annotators ... 249 phrase pairs"): the claim changed that figure."""
    if c.bound not in ("=", "~") or not any(ch.isdigit() for ch in c.number.raw):
        return 0
    same = [e for e in rest if _same_form(c, e)]
    return int(len(same) == 1 and not _agrees(c, same[0]))


def _same_form(c: Quantity, e: Quantity) -> bool:
    """Written alike: comparable units, the same decimal places, both counts or both not, both
    fractions of one or both not, within a factor of ten, both levels or both differences."""
    if not _comparable(c.number, e.number) or (c.number.unit or "") != (e.number.unit or ""):
        return False
    if decimal_places(c.number.raw) != decimal_places(e.number.raw) or c.delta != e.delta:
        return False
    if _is_count(c) != _is_count(e) or (abs(c.value) <= 1) != (abs(e.value) <= 1) or not _kin(c, e):
        return False
    small, large = sorted((abs(c.value), abs(e.value)))
    return small > 0 and large <= 10 * small


def _slot_mate(c: Quantity, e: Quantity) -> bool:
    """The same slot in another sentence of the paper: comparable, a level both or a difference
    both, and the same counted thing ("50 iterations" / "30 iterations") or two neighbouring
    words in common ("threshold of t = 0.5" / "choosing t = 0.35"). A shared metric alone is
    not enough across a whole paper (every accuracy it reports is "accuracy")."""
    if not _comparable(c.number, e.number) or c.delta != e.delta or _level_and_gap(c, e):
        return False
    if (c.number.unit or "") != (e.number.unit or "") and not (
        _UNIT_CLASS.get(c.number.unit or "") and _UNIT_CLASS.get(e.number.unit or "")
    ):
        return False
    return bool(c.after & e.after) or len((c.before | c.after) & (e.before | e.after)) >= 2


def paper_slot_mates(claim: SentenceFacts, paper: tuple[Quantity, ...]) -> tuple[float, list[int]]:
    """Fraction of the claim's figures that its paper never states (rounding, hedges, bounds as
    in :func:`numeric_agreement`) while it states another value in the same slot, and the indices
    of those other values in ``paper``: "50 iterations" where the paper only ever says "30
    iterations", "ten annotators" where it hired "five annotators". Retrieval often misses the
    sentence a changed figure came from (it shares little else with the claim); the paper's other
    figures for the same thing still show it.
    """
    cq = claim.quantities or quantities(claim.text, claim.numbers)
    if not cq or not paper:
        return 0.0, []
    changed, mates = 0, []
    for c in cq:
        if c.bound not in ("=", "~") or not (c.after or c.before):
            continue
        if any(_agrees(c, e) or same_value(c.number, e.number) for e in paper):
            continue  # stated somewhere in the paper (perhaps of something else: no claim)
        mine = [i for i, e in enumerate(paper) if _slot_mate(c, e)]
        changed += bool(mine)
        mates += [i for i in mine if i not in mates]
    return changed / len(cq), mates


def paper_slot_conflict(claim: SentenceFacts, paper: tuple[Quantity, ...]) -> float:
    """The fraction of :func:`paper_slot_mates`: the claim's figures changed out of sight."""
    return paper_slot_mates(claim, paper)[0]


# A change between two figures: "from 12.4% to 8.1%", "27.1% → 9.7%", "0.31 vs. 0.63".
_CHANGE = re.compile(
    r"\bfrom\s+\d[\d.,]*\s*%?\s+to\s+\d|\d\s*%?\s*(?:→|->|vs\.?|versus)\s*\d", re.I
)
# A sentence listing more same-unit figures than this pairs too many of them to read a ratio
# or difference off: one pair of many would meet a claim's figure by chance.
_MAX_PAIRED = 3


def _derived(c: Quantity, eq: tuple[Quantity, ...]) -> bool:
    """Whether two of the evidence's figures bear out a claim's relative figure: a multiple
    ("about seven times that of" against 0.06 and 0.42; "twice as long" against 33 and 65.75), a
    difference ("more than 30 points higher than" against 75.00 and 42.00) or a relative change
    ("cuts ... by almost two thirds" against 27.1% -> 9.7%). The pairs: two levels of one unit in
    a sentence that states few of them, not two small counts (of many, one pair meets a figure
    by chance; so would one column of two table rows).
    """
    return any(_relative_agrees(c, v) for a, b in _pairs(eq) for v in _relations(c, a, b))


def _pairs(eq: tuple[Quantity, ...]) -> list[tuple[float, float]]:
    by_unit: dict[str, list[Quantity]] = {}
    for e in eq:
        if not (e.delta or e.multiple):
            by_unit.setdefault(e.number.unit or "", []).append(e)
    levels = [
        [q for q in qs if q.bound in ("=", "~")]
        for qs in by_unit.values()
        if len(qs) <= _MAX_PAIRED  # a list of settings ("over 1.25K, 2.5K, 5K and 10K") aside
    ]
    return [
        (qs[i].value, qs[j].value)
        for qs in levels
        for i in range(len(qs))
        for j in range(i + 1, len(qs))
        if not (_small_count(qs[i]) and _small_count(qs[j]))
    ]


def _small_count(q: Quantity) -> bool:
    """A small whole number without a unit: a setting ("24 seen datasets and 12 unseen ones",
    "6 layers"), not a measured level two of which a claim relates (75.00, 42.00)."""
    return _is_count(q) and "." not in q.number.raw and abs(q.value) < 100


def _relations(c: Quantity, a: float, b: float) -> list[float]:
    """What the claim's relative figure may be of two levels: their ratio (a multiple), else
    their difference (in points of a share of one: 0.82 -> 0.42 is 40 points) and, for a
    percentage, their change relative to either."""
    small, large = sorted((abs(a), abs(b)))
    if c.multiple:
        return [large / small] if small > 0 and a * b > 0 else []
    diff = abs(a - b)
    out = [diff]
    if c.value > 1 and large <= 1:
        out.append(100 * diff)
    if c.number.unit == "%" and small > 0:
        out += [100 * diff / small, 100 * diff / large]
    return out


def _relative_agrees(c: Quantity, v: float) -> bool:
    """A derived figure ``v`` against the claim's: a bound met (and not far passed: "more than
    30 points" is not 90), a hedged or spelled-out figure within its looseness, else the
    claim's rounding (widened by the evidence figures' own)."""
    a = c.value
    if c.bound == ">=":
        return a * 0.999 <= v <= 1.5 * a
    if c.bound == "<=":
        return v <= a * 1.001
    if c.multiple:  # a ratio is stated loosely ("twice as long" of 1.9 times)
        return abs(v - a) <= (0.1 if c.bound == "~" else 0.075) * max(abs(a), abs(v))
    words = not any(ch.isdigit() for ch in c.number.raw)  # "about a third", "three points"
    if c.bound == "~" or words:
        return abs(v - a) <= (0.1 if words else 0.075) * max(abs(a), abs(v))
    return abs(v - a) <= 10.0 ** -decimal_places(c.number.raw) * 0.5 + 0.02 * max(1.0, abs(a))


# How far a hedged claim figure ("about 11,000", "roughly 0.55 million") may sit from a paper's
# figure and still be that figure rounded; an exact one gets the smaller tolerance (a rounded
# restatement of "10,963" as "10,960"), not more.
_HEDGED_TOLERANCE, _EXACT_TOLERANCE = 0.05, 0.02


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-9)


def paper_absent(claim: SentenceFacts, paper: tuple[Quantity, ...]) -> float:
    """Fraction of the claim's figures written in digits that no figure of its paper states,
    not even rounded: "80% accuracy on XNLI in Swahili", "a batch size of 16", "above 30%" where
    the paper never writes 80, 16 or 30 at all. A claim about the paper's models and data that
    brings a figure of its own says something the paper does not (NOT ENOUGH INFO), or changed
    one (REFUTES; :func:`paper_slot_conflict` tells which when the paper states another in its
    slot). Figures in words ("a third", "four out of five") are left out: they restate a paper's
    figure loosely ("nearly four out of five" for 78.6%) and are read elsewhere.
    """
    cq = claim.quantities or quantities(claim.text, claim.numbers)
    digits = [c for c in cq if any(ch.isdigit() for ch in c.number.raw)]
    if not digits:
        return 0.0
    absent = 0
    for c in digits:
        tolerance = _EXACT_TOLERANCE if c.bound == "=" else _HEDGED_TOLERANCE
        absent += not any(
            same_value(c.number, e.number) or _close(c.value, e.value, tolerance) for e in paper
        )
    return absent / len(digits)
