"""The checks a verdict rests on: numeric agreement, negation, comparison direction, entity swaps.

Numbers live in ``synth.numchecks``, degree and quantifier cues in ``synth.quantchecks`` (both
re-exported here); this module holds the sentence facts and the word-level checks: scoped
negation, direction words, swapped roles, entity swaps.

Each check compares a claim with one evidence sentence and returns a small number a reader can
understand (a fraction, a 0/1 flag). The lexicons are explicit; direction words and their checks
live in ``synth.directions`` (re-exported here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from synth.directions import (  # noqa: F401 (re-exported)
    DIRECTION_ANTONYMS,
    antonym,
    direction_flip,
    role_reversal,
)
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
from synth.search import content_words, stem

NEGATIONS = re.compile(
    r"\b(not|no|never|none|neither|nor|cannot|fails? to|failed to|unable to|without any|"
    r"hardly|barely|scarcely|refrains? from|refrained from|avoids?|avoided|"
    r"exclud(?:e|es|ed|ing)|omit(?:s|ted)?|left out|leaves? out|without|absent|lack(?:s|ed|ing)?|"
    r"discard(?:s|ed|ing)?|missing(?! from)|stop(?:s|ped)?(?= \w+ing\b)|ceas(?:e|es|ed) to|"
    r"(?:eliminat|remov|obviat)(?:e|es|ed|ing) the need (?:for|of))\b|n't\b",
    re.I,
)
# Fixed phrases with a negation word that negate nothing the claim states.
_NOT_NEGATING = re.compile(
    r"\b(not only|whether or not|if not|not necessarily|no matter(?: whether| how| what| if)?)\b",
    re.I,
)
# Contrast that rejects what follows ("data, rather than hyperparameters"): a negation scope, but
# not counted among the cues (a sentence's parity of negations is about explicit ones).
_CONTRAST = re.compile(
    r"\b(rather than|instead of|as opposed to|contrary to|(?:the )?exception of|except(?: for)?)\b",
    re.I,
)
# A clause that sets others' practice apart ("whereas Cohn-Gordon et al. report results for a
# beam search variant, we ..."): it matches a claim's "instead of the beam-search variant".
_SET_APART = re.compile(r"\b(?:whereas|unlike|in contrast to)\b([^,;:]{0,120})", re.I)
# A negated existence ("the [CLS] token ..., which does not exist in ...") or inclusion ("Bemba
# is not included") negates its subject, the words before the cue.
_EXISTENCE = re.compile(
    r"^\s*(?:\w+\s+)?(?:exist|exists|existed|available|present|included)\b", re.I
)
# What a negation cue denies finding, seeing or showing, up to the clause it would have found:
# "(do not) find evidence to suggest that", "(no) indication that", "(did not) observe any cases
# where".
_DENIED_FINDING = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?:find|found|observe|observed|see|saw|notice|noticed|detect|detected"
    r"|show|shows|showed|shown|reveal|reveals|revealed|indicate|indicates|suggest|suggests"
    r"|confirm|confirms|confirmed|support|supports|supported|evidence|indication|signs?)\b"
    r"[^,;:.()]{0,40}?\b(?:that|where|whether)\b",
    re.I,
)
_FINDING_END = re.compile(r"[;:.()]|\b(?:but|while|whereas)\b")
# Words that deny a change or a disclosure without a negation word: what is kept "intact",
# "preserved" or "retained" is not lost, compromised or rewritten (not "hurt": "keeping only the
# table hurt both" beside "preserves the structure" speaks of two things); what is kept "private"
# is not shared, released or made public. Each negates the words it implies, not the words beside
# it ("preserves the meaning" and "the meaning stays the same" state the same thing).
_IMPLIED_NEGATIONS = (
    (
        re.compile(
            r"\b(?:intact|unchanged|unaltered|unaffected|preserv(?:e|es|ed|ing)"
            r"|retain(?:s|ed|ing)?)\b",
            re.I,
        ),
        "lose loses losing lost compromise compromised compromising sacrifice sacrificing "
        "rewrite rewrites rewritten rewriting alter altered alters modify modified modifies",
    ),
    (
        # said of the thing kept ("kept their data private", "the answers are private"), not a
        # kind of thing ("the private sector" against "public administrations")
        re.compile(
            r"\b(?:(?:keep|keeps|kept|keeping)\s+(?:[\w'-]+\s+){0,4}?private|(?:is|are|was|were"
            r"|be|been|remains?|remained|stays?|stayed)\s+private|privately|withh[eo]ld\w*)\b",
            re.I,
        ),
        "public publicly share shares shared sharing release released releases open",
    ),
)
_IMPLIED_SCOPES = tuple(
    (cue, frozenset(stems(words, numbers=False))) for cue, words in _IMPLIED_NEGATIONS
)
_REL_TAIL = re.compile(r"(?:[,;]?\s*\b(?:which|that|it|does|do|did|is|are|was|were)\b\s*)+$", re.I)
# An expectation the sentence rejects ("While it might seem that mBERT would suffer more ..., our
# findings reveal otherwise"): the expectation's words are negated.
_REJECTED = re.compile(
    r"\b(?:might|may|would|could) (?:seem|appear|be expected|be assumed)(?: that)?\b"
    r"([^;:.]{0,160}?),\s*(?:but |yet |however,? )?(?:[\w-]+ ){0,3}"
    r"(?:reveal|show|find|found|suggest|indicate)s? (?:otherwise|the opposite)\b",
    re.I,
)
# Verbs of removal: as a negation cue ("manually discarding neutral cases") each negates its
# object, but a sentence that removes the same things with another verb ("talks were dropped"
# against "to discard the noisy talks") states the removal too, not its opposite.
_REMOVAL = re.compile(
    r"\b(?:discard|exclud|omit|remov|drop|filter(?:s|ed|ing)? out|eliminat|delet|prun)\w*",
    re.I,
)
_WORD = re.compile(r"[A-Za-z]+")
# A claim comparing two things: "X over Y", "better than Y", "as well as Y", "instead of Y".
_COMPARES = re.compile(
    r"\b(?:than|over|versus|vs\.?|compared (?:to|with)|instead of|rather than|as \w+ as)\b", re.I
)


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
    contrasts: int = 0  # the last this-many negation_scopes are contrasts' ("rather than X")
    removals: frozenset[int] = frozenset()  # indices of negation_scopes a removal verb opens
    removes: bool = False  # the sentence states a removal (any verb of _REMOVAL)


def facts(text: str) -> SentenceFacts:
    """Parse a sentence once for all checks."""
    text = text.replace("\u2019", "'")  # PDF text curls the apostrophe of "don't"
    numbers = parse_numbers(text)
    numbers = _ranges(numbers + extra_numbers(text), text)
    # The negation cues are found once: counted here, scoped by _negation_scopes.
    clean = _NOT_NEGATING.sub(" ", text)
    negations = list(NEGATIONS.finditer(clean))
    scopes, contrasts = _negation_scopes(clean, negations)
    # scopes hold the rejected expectations' first, then one per cue, then the contrasts'
    first_cue = len(scopes) - contrasts - len(negations)
    return SentenceFacts(
        text=text,
        numbers=numbers,
        entities=tag_entities(text),
        negated=len(negations),
        words=frozenset(w.lower() for w in _WORD.findall(text)),
        quantities=quantities(text, numbers),
        stems=frozenset(content_words(text)),
        negation_scopes=scopes,
        contrasts=contrasts,
        removals=frozenset(
            first_cue + k
            for k, m in enumerate(negations)
            if _REMOVAL.match(m.group(0)) and "need" not in m.group(0).lower()
        ),
        removes=bool(_REMOVAL.search(text)),
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


def _negation_scopes(
    clean: str, negations: list[re.Match[str]]
) -> tuple[tuple[frozenset[str], ...], int]:
    """Per negation cue, the content stems in its scope: the next few words, up to a break; and
    how many of them (the last ones) are contrasts'.

    "neither ... nor" covers both alternatives (up to twelve words, through parentheses); a denied
    finding ("we do not find evidence that X") covers X too (ten words); a negated existence
    ("..., which does not exist") covers the words before the cue instead; a word implying a
    negation ("intact", "preserves", "private") covers the words it denies; a contrast ("rather
    than X", "instead of X", "contrary to X", "with the exception of X") negates X; so does an
    expectation the sentence rejects ("it might seem that X, ... reveal otherwise"). ``clean``:
    the sentence without the phrases that negate nothing (``_NOT_NEGATING``); ``negations``: its
    NEGATIONS matches.
    """
    out = [frozenset(stems(m.group(1), numbers=False)) for m in _REJECTED.finditer(clean)]
    # a word that implies a negation ("kept private": not shared) negates what it implies, less
    # the words the sentence says itself ("the rewriting step preserves the meaning")
    own = frozenset(stems(clean, numbers=False))
    out += [implied - own for cue, implied in _IMPLIED_SCOPES for _ in cue.finditer(clean)]
    contrasts = list(_CONTRAST.finditer(clean))
    cues = [(m, False) for m in negations] + [(m, True) for m in contrasts]
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
            # A finding denied ("we do not find any cases where translation errors cause
            # disagreement", "no evidence that X") denies what it would have found.
            found = None if contrast else _DENIED_FINDING.match(tail)
            if found:
                rest = _FINDING_END.split(tail[found.end() :])[0]
                scope += " " + " ".join(rest.split()[:10])
        out.append(frozenset(stems(scope, numbers=False)))
    return tuple(out), len(contrasts)


def _parts(words: frozenset[str]) -> frozenset[str]:
    """Stems with the parts of hyphenated ones ("intent-adher" -> intent, adher)."""
    return words | {p for w in words if "-" in w for p in w.split("-") if len(p) > 2}


def _meets(scope: frozenset[str], words: frozenset[str]) -> bool:
    """Whether a negation's scope names one of ``words``: the same stem, a part of a hyphenated
    one, or one sharing its first seven letters ("translator" / "translation")."""
    if scope & words:
        return True
    long = {w[:7] for w in words if len(w) >= 7}
    if any(len(w) >= 7 and w[:7] in long for w in scope):
        return True
    # a verb and its noun ("differed" / "no differences": differ, differenc)
    return any(_derived(a, b) or _derived(b, a) for a in scope for b in words)


def _derived(short: str, long: str) -> bool:
    """``long`` is ``short`` (a stem of six letters at least) with a noun ending."""
    return len(short) >= 6 and long.startswith(short) and long[len(short) :] in _NOUN_ENDINGS


_NOUN_ENDINGS = frozenset({"enc", "ens", "ment", "ion", "ation", "anc"})


# Words of a good outcome: "didn't provide good results" negates the claim's "improved".
_GOOD = frozenset(
    map(stem, "improve help benefit better good gain effective successful boost".split())
)


def _outcome(words: frozenset[str]) -> frozenset[str]:
    return words | {"<good>"} if words & _GOOD else words


def _unmatched(mine: SentenceFacts, other: SentenceFacts) -> int:
    # A negation of words the other sentence states, which no negation there covers too (nor,
    # for a contrast, a clause that sets them apart: "whereas Cohn-Gordon et al. report ...").
    # 2: an explicit negation's ("not", "never"); 1: only a contrast's ("rather than X").
    theirs = [_outcome(t) for t in other.negation_scopes + other.contrast_scopes]
    words = _outcome(_parts(other.stems))
    explicit = len(mine.negation_scopes) - mine.contrasts
    found = 0
    for i, scope in enumerate(map(_outcome, mine.negation_scopes)):
        if i in mine.removals and other.removes:
            continue  # both remove (with two verbs): no negation of the other's words
        if _meets(scope, words) and not any(_meets(scope, t) for t in theirs):
            if i < explicit:
                return 2
            found = 1
    return found


def negation_mismatch(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when one sentence negates words the other states without negating them.

    "The model never treated ..." against "The model often treated ...": the claim negates
    "treated", the evidence does not. "must not name the authors" against "should not include
    author information": both negate "author", no mismatch. A negation is matched when the other
    sentence has one whose scope shares a word with it. The evidence's contrast rejects what it
    names ("alphabetically, rather than by order of occurrence" against "in the order first
    cited"); the claim's only sets an alternative aside ("data, rather than hyperparameters, held
    it back" against "hyperparameters were kept constant"), which a paper naming it does not
    contradict: 0.5 when only a claim's contrast is unmatched. 0.5 also when only the count of
    negations differs in parity (no negated word is shared), 0.0 otherwise.
    """
    mine, theirs = _unmatched(claim, evidence), _unmatched(evidence, claim)
    # The evidence's contrast ("X rather than Y") rejects the side a comparing claim sets X
    # against ("chose X over Y", "does as well as Y"): the claim names Y as the other side.
    if theirs == 1 and _COMPARES.search(claim.text):
        theirs = 0
    if mine == 2 or theirs:
        return 1.0
    if mine == 1:
        return 0.5
    return 0.5 * float((_negations(claim, evidence) % 2) != (_negations(evidence, claim) % 2))


def _negations(mine: SentenceFacts, other: SentenceFacts) -> int:
    """How many negation cues ``mine`` has, less its removals when ``other`` removes too."""
    return mine.negated - (len(mine.removals) if other.removes else 0)


def entity_checks(
    claim: SentenceFacts,
    evidence: SentenceFacts,
    context: dict[str, frozenset[str]] | None = None,
    aligned_only: bool = False,
) -> tuple[float, float]:
    """(swapped, missing): a claim entity replaced by another of its kind; claim entities absent.

    ``context`` holds, per kind, the entities the evidence's whole paper names: a sentence rarely
    repeats what its paper is about ("the gap" in a paper on XNLI), so a claim entity named in the
    paper counts as present. ``swapped`` is 1.0 when, for some kind (task, model, dataset,
    language), the claim names an entity absent from the evidence and its paper while the evidence
    names one of that kind the claim lacks. ``missing`` is the fraction of the claim's entities
    absent from the evidence and its paper. ``aligned_only``: only a sentence that says what the
    claim says of another one of its kind (or "only X") counts as a swap, not any sentence naming
    another thing of the kind while the claim's is absent (for a sentence other than the
    evidence, mostly a claim about something the paper never addresses).
    """
    context = context or {}
    swapped, total, absent = 0.0, 0, 0
    aligned = len(claim.stems & evidence.stems) >= _ALIGNED * len(claim.stems)
    for kind in ("tasks", "models", "datasets", "languages"):
        c, e = set(claim.entities.get(kind, ())), set(evidence.entities.get(kind, ()))
        lacking = c - e - context.get(kind, frozenset())
        total += len(c)
        absent += len(lacking)
        if lacking and e - c and not aligned_only:
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
