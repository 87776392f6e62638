"""The checks a verdict rests on: numeric agreement, negation, comparison direction, entity swaps.

Numbers live in ``synth.numchecks``, degree and quantifier cues in ``synth.quantchecks`` (both
re-exported here); this module holds the sentence facts and the word-level checks: scoped
negation, direction words, swapped roles, entity swaps.

Each check compares a claim with one evidence sentence and returns a small number a reader can
understand (a fraction, a 0/1 flag). The lexicons are explicit: DIRECTION_ANTONYMS pairs words that
state opposite directions; the labelled-set builder uses the same pairs to flip claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from synth.entities import parse_numbers, tag_entities
from synth.namechecks import name_slots, name_terms, slot_index, slot_swap  # noqa: F401
from synth.numchecks import (  # noqa: F401 (re-exported: the checks' one import point)
    Quantity,
    extra_numbers,
    number_keys,
    numeric_agreement,
    quantities,
    same_value,
    stems,
)
from synth.quantchecks import cues as _cues
from synth.quantchecks import degree_conflict as degree_conflict  # re-exported
from synth.quantchecks import quantifier_conflict as quantifier_conflict  # re-exported
from synth.records import Number
from synth.search import content_words

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
    "simpler:harder"
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
_UP = frozenset(DIRECTION_ANTONYMS) | frozenset("grows grow growing".split())
_DOWN = frozenset(DIRECTION_ANTONYMS.values()) | frozenset(
    "degrades degrade degraded degrading declines decline declined drops dropped deteriorates "
    "deteriorated worsens worsened shrinks shrink shrank lags lag lagged poorer poorly fails "
    "failed".split()
)
# A prefix that makes an adjective or participle its opposite ("effective" / "ineffective",
# "seen" / "unseen", "balanced" / "imbalanced"); not "improve" / "prove", "inform" / "form".
_NEG_PREFIX = re.compile(
    r"^(?:un|in|im|ir|il|non-?)(?=[a-z]{2,}(?:ive|ent|ant|able|ible|ful|ous|ic|al|ed|en|ate|ect"
    r"|ary|ly)$)"
)

NEGATIONS = re.compile(
    r"\b(not|no|never|none|neither|nor|cannot|fails? to|failed to|unable to|without any|"
    r"hardly|barely|scarcely|refrains? from|refrained from|avoids?|avoided|"
    r"exclud(?:e|es|ed|ing)|omit(?:s|ted)?|left out|leaves? out|without)\b|n't\b",
    re.I,
)
# Fixed phrases with a negation word that negate nothing the claim states.
_NOT_NEGATING = re.compile(r"\b(not only|whether or not|if not|not necessarily)\b", re.I)
# Contrast that rejects what follows ("data, rather than hyperparameters"): a negation scope, but
# not counted among the cues (a sentence's parity of negations is about explicit ones).
_CONTRAST = re.compile(
    r"\b(rather than|instead of|as opposed to|contrary to|(?:the )?exception of|except(?: for)?)\b",
    re.I,
)
# A clause that sets others' practice apart ("whereas Cohn-Gordon et al. report results for a
# beam search variant, we ..."): it matches a claim's "instead of the beam-search variant".
_SET_APART = re.compile(r"\b(?:whereas|unlike|in contrast to)\b([^,;:]{0,120})", re.I)
# A negated existence ("the [CLS] token ..., which does not exist in ...") negates its subject,
# the words before the cue.
_EXISTENCE = re.compile(r"^\s*(?:\w+\s+)?(?:exist|exists|existed|available|present)\b", re.I)
_REL_TAIL = re.compile(r"(?:[,;]?\s*\b(?:which|that|it|does|do|did|is|are|was|were)\b\s*)+$", re.I)
# An expectation the sentence rejects ("While it might seem that mBERT would suffer more ..., our
# findings reveal otherwise"): the expectation's words are negated.
_REJECTED = re.compile(
    r"\b(?:might|may|would|could) (?:seem|appear|be expected|be assumed)(?: that)?\b"
    r"([^;:.]{0,160}?),\s*(?:but |yet |however,? )?(?:[\w-]+ ){0,3}"
    r"(?:reveal|show|find|found|suggest|indicate)s? (?:otherwise|the opposite)\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z]+")
_COMPOUND = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


@dataclass(frozen=True)
class SentenceFacts:
    """What the checks need from a sentence, computed once."""

    text: str
    numbers: tuple[Number, ...]
    entities: dict[str, tuple[str, ...]]
    negated: int  # count of negation cues
    words: frozenset[str]
    quantities: tuple[Quantity, ...] = ()
    stems: frozenset[str] = frozenset()  # content words, stemmed, as retrieval's coverage has them
    negation_scopes: tuple[frozenset[str], ...] = ()  # per negation cue, the stems it covers
    cues: frozenset[str] | None = None  # degree and quantifier cues (quantchecks.cues)
    contrast_scopes: tuple[frozenset[str], ...] = ()  # stems of "whereas"/"unlike" clauses


def facts(text: str) -> SentenceFacts:
    """Parse a sentence once for all checks."""
    text = text.replace("\u2019", "'")  # PDF text curls the apostrophe of "don't"
    numbers = parse_numbers(text)
    numbers = _ranges(numbers + extra_numbers(text), text)
    return SentenceFacts(
        text=text,
        numbers=numbers,
        entities=tag_entities(text),
        negated=len(NEGATIONS.findall(_NOT_NEGATING.sub(" ", text))),
        words=frozenset(w.lower() for w in _WORD.findall(text)),
        quantities=quantities(text, numbers),
        stems=frozenset(content_words(text)),
        negation_scopes=_negation_scopes(text),
        cues=_cues(text),
        contrast_scopes=tuple(
            frozenset(stems(m.group(1), numbers=False)) for m in _SET_APART.finditer(text)
        ),
    )


def _ranges(numbers: tuple[Number, ...], text: str) -> tuple[Number, ...]:
    """ "5%-15%", "10-20 points": the hyphen of a range is no minus sign."""
    out = list(numbers)
    for i in range(1, len(out)):
        n, prev = out[i], out[i - 1]
        if n.value < 0 and n.raw.startswith("-") and prev.raw + n.raw in text:
            out[i] = replace(n, value=-n.value, raw=n.raw[1:])
    return tuple(out)


def _negation_scopes(text: str) -> tuple[frozenset[str], ...]:
    """Per negation cue, the content stems in its scope: the next few words, up to a break.

    "neither ... nor" covers both alternatives (up to twelve words, through parentheses); a
    negated existence ("..., which does not exist") covers the words before the cue instead; a
    contrast ("rather than X", "instead of X", "contrary to X", "with the exception of X")
    negates X; so does an expectation the sentence
    rejects ("it might seem that X, ... reveal otherwise").
    """
    out = []
    clean = _NOT_NEGATING.sub(" ", text)
    cues = [(m, False) for m in NEGATIONS.finditer(clean)]
    cues += [(m, True) for m in _CONTRAST.finditer(clean)]
    for m, contrast in cues:
        tail = clean[m.end() : m.end() + 120]
        if m.group(0).lower() == "neither":
            scope = " ".join(re.split(r"[;:.]", tail)[0].split()[:12])
        elif not contrast and _EXISTENCE.match(tail):
            head = _REL_TAIL.sub("", clean[: m.start()])
            scope = " ".join(re.split(r"[;:.]", head)[-1].split()[-8:])
        else:
            scope = re.split(r"[,;:.()]|\b(?:but|while|whereas|and)\b", tail)[0]
            words = scope.split()
            # "without the need for architecture change or extra data collection": a negated
            # alternative ("or", "nor") is negated too
            alt = next((k for k, w in enumerate(words[:8]) if w.lower() in ("or", "nor")), None)
            scope = " ".join(words[: 8 if contrast else 4 if alt is None else alt + 5])
        out.append(frozenset(stems(scope, numbers=False)))
    out += [frozenset(stems(m.group(1), numbers=False)) for m in _REJECTED.finditer(clean)]
    return tuple(out)


def _parts(words: frozenset[str]) -> frozenset[str]:
    """Stems with the parts of hyphenated ones ("intent-adher" -> intent, adher)."""
    return words | {p for w in words if "-" in w for p in w.split("-") if len(p) > 2}


def _meets(scope: frozenset[str], words: frozenset[str]) -> bool:
    """Whether a negation's scope names one of ``words``: the same stem, a part of a hyphenated
    one, or one sharing its first seven letters ("translator" / "translation")."""
    if scope & words:
        return True
    long = {w[:7] for w in words if len(w) >= 7}
    return any(len(w) >= 7 and w[:7] in long for w in scope)


# Words of a good outcome: "didn't provide good results" negates the claim's "improved".
_GOOD = frozenset("improv help benefit better good gain effective successful boost".split())


def _outcome(words: frozenset[str]) -> frozenset[str]:
    return words | {"<good>"} if words & _GOOD else words


def _unmatched(mine: SentenceFacts, other: SentenceFacts) -> bool:
    # A negation of words the other sentence states, which no negation there covers too (nor,
    # for a contrast, a clause that sets them apart: "whereas Cohn-Gordon et al. report ...").
    theirs = [_outcome(t) for t in other.negation_scopes + other.contrast_scopes]
    words = _outcome(_parts(other.stems))
    return any(
        _meets(scope, words) and not any(_meets(scope, t) for t in theirs)
        for scope in map(_outcome, mine.negation_scopes)
    )


def negation_mismatch(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when one sentence negates words the other states without negating them.

    "The model never treated ..." against "The model often treated ...": the claim negates
    "treated", the evidence does not. "must not name the authors" against "should not include
    author information": both negate "author", no mismatch. A negation is matched when the other
    sentence has one whose scope shares a word with it. 0.5 when only the count of negations
    differs in parity (no negated word is shared), 0.0 otherwise.
    """
    if _unmatched(claim, evidence) or _unmatched(evidence, claim):
        return 1.0
    return 0.5 * float((claim.negated % 2) != (evidence.negated % 2))


def direction_flip(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when the claim states a direction whose opposite the evidence states instead.

    Only words the two sentences do not share count, so "higher than X but lower than Y" in both
    is no flip.
    """
    # "higher accuracy" against "lower accuracy", even when both sentences use both words.
    # Whole hyphenated words: "low-resource" and "high-quality" state no direction.
    ctoks = [w.lower() for w in _COMPOUND.findall(claim.text)]
    etoks = [w.lower() for w in _COMPOUND.findall(evidence.text)]
    ebigrams = set(zip(etoks, etoks[1:], strict=False))
    for w, nxt in zip(ctoks, ctoks[1:], strict=False):
        for opp in _BEFORE_SAME_WORD.get(w, ()):
            if (opp, nxt) in ebigrams and (w, nxt) not in ebigrams:
                return 1.0
    only_claim, only_evidence = set(ctoks) - set(etoks), set(etoks) - set(ctoks)
    for w in only_claim:
        if _OPPOSITES.get(w, frozenset()) & only_evidence:
            return 1.0
    if _prefixed_opposite(ctoks, etoks):
        return 1.0
    up_c, down_c = bool(only_claim & _UP), bool(only_claim & _DOWN)
    up_e, down_e = bool(only_evidence & _UP), bool(only_evidence & _DOWN)
    return float((up_c and down_e and not up_e) or (down_c and up_e and not down_e)) * 0.5


def _prefixed_opposite(mine: list[str], theirs: list[str]) -> bool:
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
    ctoks, etoks = _TOKEN.findall(claim.text), _TOKEN.findall(evidence.text)
    names = {t for t in ctoks if t[0].isupper()} & {t for t in etoks if t[0].isupper()}
    pivots = {t.lower() for t in ctoks if t.lower() in _OPPOSITES} & {
        t.lower() for t in etoks if t.lower() in _OPPOSITES
    }
    if len(names) < 2 or not pivots:
        return 0.0

    def sides(toks: list[str], pivot: str) -> tuple[set[str], set[str]]:
        at = [t.lower() for t in toks].index(pivot)
        return set(toks[:at]) & names, set(toks[at + 1 :]) & names

    for pivot in pivots:
        (cb, ca), (eb, ea) = sides(ctoks, pivot), sides(etoks, pivot)
        if (cb - ca) & (ea - eb) and (ca - cb) & (eb - ea):
            return 1.0
    return 0.0


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
    aligned = len(claim.stems & evidence.stems) >= _ALIGNED * len(claim.stems)
    for kind in ("tasks", "models", "datasets", "languages"):
        c, e = set(claim.entities.get(kind, ())), set(evidence.entities.get(kind, ()))
        lacking = c - e - context.get(kind, frozenset())
        total += len(c)
        absent += len(lacking)
        if lacking and e - c:
            swapped = 1.0
        # A sentence saying what the claim says of another one of its kind ("the second most
        # used language is Bengali" / "... is Japanese"), though the paper names both.
        if aligned and len(c - e) == 1 and len(e - c) == 1:
            swapped = 1.0
        # "only one language, namely English" against the claim's "English and Slovak"
        if c - e and c & e and _ONLY.search(evidence.text):
            swapped = 1.0
    return swapped, (absent / total if total else 0.0)


# Share of a claim's content words a sentence must carry to be the claim said of another thing.
_ALIGNED = 0.35
_ONLY = re.compile(
    r"\b(?:only|solely|exclusively)\b[\w ,]{0,30}?\b(?:namely|on|in|for|with)\b", re.I
)


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
