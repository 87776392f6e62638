"""Degree and quantifier checks: equivalence against a stated difference, a large effect
against a small one, "every"/"never" against "most"/"often"/"8/10".

A sentence's cues are read once (``cues``, stored on ``synth.textchecks.SentenceFacts``); the
checks compare a claim's cues with an evidence sentence's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from synth.textchecks import SentenceFacts

# "every"/"all"/"solely" under a negation ("cannot be attributed solely to") says "partly".
_NEGATED_ALWAYS = re.compile(
    r"(?:\b(?:not|never|cannot)\b|n't\b)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:always|every|all|entirely|completely|fully|solely)\b",
    re.I,
)

# Equivalence ("similar to", "as resilient as", "on par") against a stated difference.
_EQUIV = re.compile(
    r"\b(similar(?:ly)?|comparabl[ey]|on (?:a )?par|as (?!well\b|much\b|many\b|a\b)\w+ as|"
    r"the same|equal(?:ly)?|identical|indistinguishable|no (?:significant |clear )?difference|"
    r"roughly equal|close to each other|mirror(?:s|ing|ed)?)\b",
    re.I,
)
# A stated difference without "than" ("than" is read by ``comparative_before``).
_DIFFER = re.compile(
    r"\b(?:outperform\w*|underperform\w*|superior|inferior|surpass\w*|exceed\w*|beats?|"
    r"(?:much|far|significantly|substantially|considerably) (?:more|less|better|worse|higher|lower))\b",
    re.I,
)
# Words and the punctuation that bounds a clause, as the comparison readers split a sentence.
TOKEN = re.compile(r"[\w][\w'-]*|[,;:()]")
# The comparatives a "than" closes: degree words and comparative adjectives known by name; any
# other "-er" word counts only when the clause has none of these ("noisier than").
DEGREE_WORDS = frozenset(
    "more less fewer better worse higher lower larger smaller greater bigger longer shorter "
    "faster slower harder easier stronger weaker wider narrower deeper richer poorer".split()
)
# "-er" words that compare nothing ("the encoder", "whether"); "rather than" and "other than"
# compare (or exclude) only right before "than".
_NOT_COMPARATIVE = frozenset(
    "rather other whether either neither later under over after ever never however together "
    "number paper layer order transfer encoder decoder user filter cluster parameter answer "
    "former latter further power matter member speaker reader writer character chapter "
    "register offer enter consider render remember gather cover discover deliver wonder differ "
    "prefer refer suffer header trigger manner border buffer computer letter".split()
)
# How far back from "than" its comparative may stand: "less resilient to structured attention
# head pruning than" puts six words between them.
_REACH = 12


def _er_comparative(word: str) -> bool:
    return word.endswith("er") and len(word) > 4 and word not in _NOT_COMPARATIVE


def comparative_before(tokens: Sequence[str], than_at: int) -> int:
    """The index of the comparative that the "than" at ``than_at`` closes, or -1 when none.

    ``tokens``: a sentence's lower-cased ``TOKEN`` words. The comparative is read back to a
    clause break (",", ";", ":", an earlier "than") or ``_REACH`` words: the nearest degree word
    or known comparative ("mBERT is less resilient to attention head pruning than BERT" ->
    "less", "suffers more from pruning than" -> "more"), else the nearest other "-er" word
    ("noisier than"); "rather than" and "other than" right before "than".
    """
    if than_at > 0 and tokens[than_at - 1] in ("rather", "other"):
        return than_at - 1
    fallback, depth = -1, 0
    for j in range(than_at - 1, max(-1, than_at - 1 - _REACH), -1):
        word = tokens[j]
        # an aside in brackets ("on sequence-level tasks (SR-B, SR-T, Taxi1500) than") is
        # read past: its commas break no clause
        if word in ("(", ")"):
            depth = max(0, depth + (1 if word == ")" else -1))
            continue
        if depth:
            continue
        if word in (",", ";", ":", "than"):
            break
        if word in DEGREE_WORDS:
            return j
        if fallback < 0 and _er_comparative(word):
            fallback = j
    return fallback


def _differ(text: str) -> bool:
    """Whether a sentence states a difference: a comparative closed by "than", or a verb or
    phrase of difference ("outperforms", "significantly more")."""
    if _DIFFER.search(text):
        return True
    low = [t.lower() for t in TOKEN.findall(text)]
    return any(
        comparative_before(low, i) >= 0 and low[i - 1] not in ("rather", "other")
        for i, t in enumerate(low)
        if t == "than" and i > 0
    )


# Quantifiers: how often or how generally something holds.
_NEVER_Q = re.compile(r"\b(never|none of|rarely|seldom|not once)\b", re.I)
_ALWAYS_Q = re.compile(
    r"\b(always|every(?:thing|one|body)?|invariably|consistently|all|entirely|"
    r"completely|fully|solely|(?:without (?:any )?|no )exceptions?|across the board|"
    r"in (?:all|every) cases?)\b",
    re.I,
)
_SOME_Q = re.compile(
    r"\b(often|sometimes|frequently|usually|occasionally|some|several|many|most|majority|partly|"
    r"partially|few|a handful|tend(?:s|ed)? to|in (?:some|several|many|most) cases)\b",
    re.I,
)


# How large an effect is said to be: "far higher" against "slightly higher".
_STRONG = re.compile(
    r"\b(much|far|greatly|substantially|significantly|considerably|dramatically|drastically|"
    r"sharply|vastly|clearly|strongly|large|huge|massive|major)\b",
    re.I,
)
_WEAK = re.compile(
    r"\b(slight(?:ly)?|marginal(?:ly)?|modest(?:ly)?|somewhat|minor|small|little|barely|"
    r"a bit|negligibl[ey]|only (?:a )?(?:few|little|small))\b",
    re.I,
)


# A share short of all: "a majority of languages", "gains on 8/10", "with the exception of".
_PARTIAL = re.compile(
    r"\b(?:(?:the |a )?majority of|most of|(?:with )?the (?:\w+ )?exception of|except(?: for)?|"
    r"apart from|other than|aside from|save for|(?:a |mixed )split|mixed results?|"
    r"(?:every|all|each) [\w -]{0,30}?\bbut\b(?! also)|the rest of)\b|"
    r"\b(\d+)\s*(?:/|out of|of|over)\s*(?:the )?(\d+)\b",
    re.I,
)
# An exception named as a noun ("the only exception is Dataset 1", "two exceptions", "with few
# exceptions"), not one denied ("without exception", "no exceptions", "any exception").
_EXCEPTION = re.compile(r"\b(?:(without|no|any)\s+(?:\w+\s+)?)?exceptions?\b", re.I)


_HEDGED_ALWAYS = re.compile(
    r"\b(?:almost|nearly|virtually|practically)\s+(?:always|every\w*|all|entirely|completely|fully)\b",
    re.I,
)


def _partial(text: str) -> bool:
    if any(not m.group(1) for m in _EXCEPTION.finditer(text)):
        return True
    return any(not m.group(1) or int(m.group(1)) < int(m.group(2)) for m in _PARTIAL.finditer(text))


# Quantifier words in phrases that quantify over nothing: "no demonstrations at all", "5.7 GB in
# all", "above all", "of all the methods, only X" (a superlative's frame), "at most 1 million",
# "the most productive rules" (a superlative, not "most rules").
_NOT_QUANTIFYING = re.compile(
    r"\b(?:(?:not )?at all|in all(?! [\w(])|above all|after all|all in all|of all(?: the)?|"
    r"at (?:most|least)|the most)\b",
    re.I,
)


# A universal that ranges over no finding: inside a condition ("when all layers are frozen, ...",
# "if every token were corrupted"), it fixes the case the sentence speaks of; "all" heading a
# clause of its own ("all they hand over is the model", "all we need") means "the only thing".
_NOT_UNIVERSAL = re.compile(
    r"\b(?:if|when|whenever|where|once|unless)\b[^,;:]*|"
    r"\ball (?:that )?(?:we|they|you|it|he|she|one)\b",
    re.I,
)


def cues(text: str) -> frozenset[str]:
    """The degree and quantifier cues a sentence states: equiv / differ / never / always /
    some / partial / strong / weak."""
    degree = (("equiv", _EQUIV), ("strong", _STRONG), ("weak", _WEAK))
    found = {name for name, pat in degree if pat.search(text)}
    text = _NOT_QUANTIFYING.sub(" ", text)
    found |= {"never"} if _NEVER_Q.search(text) else set()
    found |= {"always"} if _ALWAYS_Q.search(_NOT_UNIVERSAL.sub(" ", text)) else set()
    found |= {"differ"} if _differ(text) else set()
    found |= {"partial"} if _partial(text) else set()
    # "not solely", "not all": partly, unless "always" is also stated unnegated
    negated_only = _NEGATED_ALWAYS.search(text) and not _ALWAYS_Q.search(
        _NEGATED_ALWAYS.sub(" ", text)
    )
    # "almost entirely", "nearly all": partly, too
    negated_only = negated_only or not _ALWAYS_Q.search(_HEDGED_ALWAYS.sub(" ", text))
    if "always" in found and negated_only:
        found = (found - {"always"}) | {"some"}
    return frozenset(found | ({"some"} if _SOME_Q.search(text) else set()))


def _cue_set(f: SentenceFacts) -> frozenset[str]:
    return f.cues if f.cues is not None else cues(f.text)


def degree_conflict(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when one sentence states equivalence ("similar", "as ... as") and the other a difference.

    "mBERT is much less resilient than BERT" against "mBERT shows a similar resilience as BERT".
    0.5 when one states a large effect ("far higher") and the other a small one ("slightly").
    """
    c, e = _cue_set(claim), _cue_set(evidence)
    eq_c, eq_e, df_c, df_e = "equiv" in c, "equiv" in e, "differ" in c, "differ" in e
    if (eq_c and not df_c and df_e and not eq_e) or (df_c and not eq_c and eq_e and not df_e):
        return 1.0
    # A large effect against a small one (or the reverse): half the evidence of a conflict.
    st_c, st_e, wk_c, wk_e = "strong" in c, "strong" in e, "weak" in c, "weak" in e
    return 0.5 * float(
        (st_c and not wk_c and wk_e and not st_e) or (wk_c and not st_c and st_e and not wk_e)
    )


def quantifier_conflict(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when the claim's "never"/"always" meets the evidence's "often"/"some" (or the reverse)."""
    c, e = _cue_set(claim), _cue_set(evidence)
    # A claim that mixes its quantifiers ("every model other than GPT-4", "often requires what
    # the text never states", "never saw ..., so tagged every token") or states its own share
    # generalises in none of them: the evidence's "some" may be the claim's own limit.
    if len(c & {"always", "never", "some", "partial"}) > 1:
        return 0.0
    # "every language" against "a majority of languages ... across all three tasks"
    if "always" in c and "partial" in e:
        return 1.0
    if "never" in c and "never" not in e and ("always" in e or "some" in e):
        return 1.0
    if "always" in c and "always" not in e and ("never" in e or "some" in e):
        return 1.0
    return float("some" in c and "never" in e and "some" not in e)
