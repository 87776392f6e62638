"""Direction words: opposite directions of an effect or a comparison, and the checks that read
them (a flipped direction, swapped roles around a shared comparative).

DIRECTION_ANTONYMS pairs words one for one; the labelled-set builder (``synth.labelled``) flips
claims with it. The checks read more opposites than that ("poorer", "high F0.5" / "low F0.5",
negative prefixes). Re-exported by ``synth.textchecks``, the checks' one import point.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from synth.textchecks import SentenceFacts

_COMPOUND = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")

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
    "most": "least",
    "longer": "shorter",
    "longest": "shortest",
    "faster": "slower",
    "easier": "harder",
    "succeeds": "fails",
    "success": "failure",
    "effective": "ineffective",
    "ahead": "behind",
    "rises": "falls",
    "rose": "fell",
}
_ANTONYM_OF = {**DIRECTION_ANTONYMS, **{v: k for k, v in DIRECTION_ANTONYMS.items()}}
# More opposites the checks read (not the labelled-set builder, which flips claims with
# DIRECTION_ANTONYMS one word for one): a word may have several ("poorer" and "worse").
_MORE_OPPOSITES = (
    "poorer:better greater:smaller greater:lower "
    "bigger:smaller wider:narrower widens:narrows grows:shrinks grow:shrink "
    "lags:outperforms lag:outperform lagged:outperformed harms:improves harm:improve "
    "hurts:helps hurt:help degrades:improves degrade:improve degraded:improved "
    "drops:increases dropped:increased declines:increases declined:increased "
    "simpler:harder outscores:lags outscored:lagged "
    # losing and gaining ("lost F1" / "improvements ... for Urdu"), hindering and helping
    "loses:gains lose:gain lost:gained losing:gaining lost:improved loses:improves "
    "hinders:helps hinder:help hindered:helped impairs:improves impaired:improved "
    "worsens:improves worsened:improved "
    "confirms:contradicts confirm:contradict confirmed:contradicted confirms:contradict "
    "confirm:contradicts success:unsuccessful successful:unsuccessful succeeded:failed "
    "successfully:unsuccessfully "
    # superlatives of the comparatives above ("the weakest translations" / "the best results")
    "strongest:weakest weakest:best strongest:worst poorest:best fastest:slowest "
    "easiest:hardest simplest:hardest biggest:smallest greatest:smallest widest:narrowest"
)
# Plain adjectives are opposite only before the same word ("high F0.5" / "low F0.5"): "high
# edit recall" and "low precision" speak of two things.
_ADJECTIVE_OPPOSITES = "high:low good:poor good:bad strong:weak"


def _pairs(*groups: str) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for group in groups:
        for a, b in (p.split(":") for p in group.split()):
            out[a], out[b] = out.get(a, frozenset()) | {b}, out.get(b, frozenset()) | {a}
    return out


_DIRECTION = " ".join(f"{a}:{b}" for a, b in DIRECTION_ANTONYMS.items())
_OPPOSITES = _pairs(_DIRECTION, _MORE_OPPOSITES)
_BEFORE_SAME_WORD = _pairs(_DIRECTION, _MORE_OPPOSITES, _ADJECTIVE_OPPOSITES)
# Words of one direction with no single opposite ("degrades" against "keeps improving", "lag
# behind" against "outperforms"): they count for the loose check (a direction only one states).
# Every inflection of a change counts ("a significant drop" against "even improving").
_UP = frozenset(DIRECTION_ANTONYMS) | frozenset(
    "grows grow growing rise rising raise raised raising enhances enhanced intensifies intensified "
    "intensify strengthens strengthened widens widened outscores outscored".split()
)
_DOWN = frozenset(DIRECTION_ANTONYMS.values()) | frozenset(
    "degrades degrade degraded degrading declines decline declined declining drops dropped "
    "drop dropping fall falling deteriorates deteriorated worsens worsened shrinks shrink shrank "
    "lags lag lagged poorer poorly fails failed lowered lowering reduced reducing diminishes "
    "diminished weakens weakened narrows narrowed hinders hindered impairs impaired".split()
)
# The same word sets for other modules (``synth.untested`` reads them as outcome words).
UP_WORDS, DOWN_WORDS = _UP, _DOWN
# A prefix that makes an adjective or participle its opposite ("effective" / "ineffective",
# "seen" / "unseen", "balanced" / "imbalanced"); not "improve" / "prove", "inform" / "form".
_NEG_PREFIX = re.compile(
    r"^(?:un|in|im|ir|il|non-?)(?=[a-z]{2,}(?:ive|ent|ant|able|ible|ful|ous|ic|al|ed|en|ate|ect"
    r"|ary|ly)$)"
)


def direction_flip(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when the claim states a direction whose opposite the evidence states instead.

    Only words the two sentences do not share count, so "higher than X but lower than Y" in both
    is no flip.
    """
    # "higher accuracy" against "lower accuracy", even when both sentences use both words.
    # Whole hyphenated words: "low-resource" and "high-quality" state no direction.
    ctoks, etoks = _compounds(claim.text), _compounds(evidence.text)
    if opposite_before_same_word(claim, evidence):
        return 1.0
    only_claim, only_evidence = set(ctoks) - set(etoks), set(etoks) - set(ctoks)
    for w in only_claim:
        if _OPPOSITES.get(w, frozenset()) & only_evidence:
            return 1.0
    if _prefixed_opposite(ctoks, etoks):
        return 1.0
    up_c, down_c = bool(only_claim & _UP), bool(only_claim & _DOWN)
    up_e, down_e = bool(only_evidence & _UP), bool(only_evidence & _DOWN)
    # One way each, opposite: a sentence with words of both ways states two findings ("goes up
    # at first and then drops", "helps on X but lowers Y"), and which one the other sentence
    # speaks of no word count tells.
    return float((up_c != down_c) and (up_e != down_e) and up_c != up_e) * 0.5


def opposite_before_same_word(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when the two sentences put opposite words before one word ("less parameter-efficient"
    / "more parameter-efficient", "higher accuracy" / "lower accuracy") and the evidence never
    puts the claim's word there: the same measure said the other way, whatever else differs."""
    ctoks, etoks = _compounds(claim.text), _compounds(evidence.text)
    ebigrams = set(zip(etoks, etoks[1:], strict=False))
    for w, nxt in zip(ctoks, ctoks[1:], strict=False):
        for opp in _BEFORE_SAME_WORD.get(w, ()):
            if (opp, nxt) in ebigrams and (w, nxt) not in ebigrams:
                return 1.0
    return 0.0


# A verb of falling before "behind", read as one word with it (see _compounds).
_FALL_BEHIND = {"falls": "lags", "fall": "lag", "fell": "lagged", "fallen": "lagged",
                "falling": "lagging", "lags": "lags", "lag": "lag", "lagged": "lagged"}  # fmt: skip


# Per-text token caches: a claim is checked against several sentences, a sentence against the
# claims made of it.
@lru_cache(maxsize=8192)
def _compounds(text: str) -> tuple[str, ...]:
    """Whole (hyphenated) words of ``text``, lower-cased, in order; a verb of falling with
    "behind" is one word, "lags" ("only slightly falls behind LaBSE"): apart, "falls" would be a
    change and "behind" a place ("the idea behind it")."""
    words = [w.lower() for w in _COMPOUND.findall(text)]
    out: list[str] = []
    for w in words:
        if w == "behind" and out and out[-1] in _FALL_BEHIND:
            out[-1] = _FALL_BEHIND[out[-1]]
            continue
        out.append(w)
    return tuple(out)


def _prefixed_opposite(mine: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """A word beside the same word in both sentences, negative-prefixed in one only ("seen
    languages" / "unseen languages", "is effective" / "is ineffective"): "limited to four pages"
    and "unlimited pages for references" speak of two things."""
    for a, b in ((mine, theirs), (theirs, mine)):
        pairs = set(zip(a, a[1:], strict=False))
        for i, w in enumerate(b):
            m = _NEG_PREFIX.match(w)
            if not m or w[m.end() :] not in a or w in a:
                continue
            base = w[m.end() :]
            if (i + 1 < len(b) and (base, b[i + 1]) in pairs) or (i and (b[i - 1], base) in pairs):
                return True
    return False


_TOKEN = re.compile(r"[A-Za-z][\w-]*")


def role_reversal(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when both sentences compare the same two names with the same word, in swapped roles.

    "Turkish sentences are longer than English ones" against "English sentences are longer,
    while Turkish ones are more concise": around the shared "longer", Turkish and English trade
    places. Names are words capitalised in both sentences (languages, models, datasets).
    """
    ctoks, etoks = _tokens(claim.text), _tokens(evidence.text)
    names = {t for t in ctoks if t[0].isupper()} & {t for t in etoks if t[0].isupper()}
    pivots = {t.lower() for t in ctoks if t.lower() in _OPPOSITES} & {
        t.lower() for t in etoks if t.lower() in _OPPOSITES
    }
    if len(names) < 2 or not pivots:
        return 0.0

    def sides(toks: tuple[str, ...], pivot: str) -> tuple[set[str], set[str]]:
        at = [t.lower() for t in toks].index(pivot)
        return set(toks[:at]) & names, set(toks[at + 1 :]) & names

    for pivot in pivots:
        (cb, ca), (eb, ea) = sides(ctoks, pivot), sides(etoks, pivot)
        if (cb - ca) & (ea - eb) and (ca - cb) & (eb - ea):
            return 1.0
    return 0.0


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


def opposites(word: str) -> frozenset[str]:
    """Every word the checks read as the opposite of ``word`` (lower-cased), plain adjectives
    included ("high" / "low"): for a caller that knows the two stand before the same thing."""
    return _BEFORE_SAME_WORD.get(word.lower(), frozenset())


def antonym(word: str) -> str | None:
    """The opposite-direction word, keeping capitalisation, or None."""
    opp = _ANTONYM_OF.get(word.lower())
    if opp is None:
        return None
    return opp.capitalize() if word[0].isupper() else opp


# === Trends and effects: the direction of a change under a cause ===============================
# A trend or effect sentence ties two directions together ("the more data, the worse its
# conformity", "F1 decreased as the threshold increased", "raising the threshold increased F1"):
# its claim is the product of their signs (same way: +, opposite ways: -). A claim and its
# evidence that state the same trend with one direction turned around disagree in that product
# even when each uses both words ("increased" in both, "decrease" in one only), which the
# word-for-word flip cannot see.
# Rankings and states ("best", "above", "effective") state no change; only changes and the
# comparatives of "the more ..., the better" do.
_STATIC = frozenset(
    "best worst highest lowest most least largest smallest longest shortest effective "
    "ineffective superior inferior above below positive negative ahead behind success failure "
    "succeeds fails failed".split()
)
# _UP and _DOWN hold the changes' inflections; a trend reads a few words more.
_TREND_UP = (_UP - _STATIC) | frozenset("grew enhance scaling".split())
# "fewer" only here: as a bound ("fewer than one in ten") it states no direction, and a trend
# sentence has no "than".
_TREND_DOWN = (_DOWN - _STATIC) | frozenset({"reduction", "fewer"})
# Words that tie a change to its cause; a sentence with two directions and none of these is
# more likely to list two findings ("improves accuracy and lowers latency") than one trend.
_TREND_LINK = re.compile(
    r"\b(?:as|with|when|whenever|the (?:more|less|higher|lower|larger|smaller|better|"
    r"worse|longer|shorter|faster|slower)|causes?|caused|leads? to|led to|results? in)\b",
    re.IGNORECASE,
)
# A negated or contrasted sentence turns a direction around in ways a sign count misses.
_TREND_SKIP = re.compile(
    r"\b(?:not|no|never|neither|nor|without|but|although|though|whereas|than)\b|n't\b",
    re.IGNORECASE,
)


# A measure that falls as it improves ("WER decreases with more data" is "more data improves
# WER"): a sign count mixing quality words and amount words would read it the wrong way round.
_LOWER_IS_BETTER = re.compile(
    r"\b(?:loss|losses|errors?|perplexity|wer|cer|ter|ece|latency)\b", re.IGNORECASE
)
_ACTIONS = frozenset("raising increasing adding scaling reducing lowering decreasing".split())
_FROM_TO = re.compile(r"\bfrom\b.+\bto\b", re.IGNORECASE)


def trend_sign(text: str) -> tuple[int, int]:
    """(the product of a trend sentence's direction signs, how many directions it states).

    (0, 0) for a sentence this reading does not trust: none or more than two directions, a
    negation or contrast, a comparison ("than": its sides, not a trend, carry it), or two
    directions with no word tying one to the other.
    """
    if _TREND_SKIP.search(text) or _LOWER_IS_BETTER.search(text):
        return 0, 0
    words = [w for w in _compounds(text) if w in _TREND_UP or w in _TREND_DOWN]
    signs = [1 if w in _TREND_UP else -1 for w in words]
    if not 1 <= len(signs) <= 2:
        return 0, 0
    # A cause stated as an action ("raising the threshold increased F1") ties the two as well,
    # when the effect is a finite verb ("reducing parameters while outperforming" lists two).
    action = len(words) == 2 and words[0] in _ACTIONS and not words[1].endswith("ing")
    if len(signs) == 2 and not (action or _TREND_LINK.search(text)):
        return 0, 0
    return (signs[0] * signs[-1] if len(signs) == 2 else signs[0]), len(signs)


def trend_flip(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when the claim and the evidence state one trend with opposite signs, at least one
    of them as a trend (two directions: cause and effect); an effect stated with one direction
    has an implied rising cause ("adding X lowers BLEU": more X, less BLEU).

    Nothing here asks that the two speak of one change ("F1 increased as the threshold rose"
    against "F1 decreased as the threshold increased"): the caller reads the sentences retrieved
    for the claim (``comparisons.word_checks``: those naming a side of its comparison, if any).
    """
    (cs, cn), (es, en) = trend_sign(claim.text), trend_sign(evidence.text)
    if not cs or not es or cs == es:
        return 0.0
    if max(cn, en) < 2:  # one change each: only a change between two stated points ("from ... to")
        both = _FROM_TO.search(claim.text) and _FROM_TO.search(evidence.text)
        return 1.0 if both else 0.0
    return 1.0
