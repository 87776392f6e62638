"""Exceptions to a universal claim: "every"/"all"/"consistently" against a stated limit.

A claim that generalises ("beats the baseline on every dataset", "improved consistently across
all five tasks") is refuted by a sentence that limits the finding in words the quantifier cues of
``synth.quantchecks`` do not read as a share: "better on 75% of the datasets", "limited or
inconsistent improvements", "there doesn't seem to be any consistent pattern", "by no means
exhaustive", "only able to learn a few classes". The limits are phrasings of scope, not words of
any one paper.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from synth.textchecks import SentenceFacts

# Consistency denied: "inconsistent", "no consistent pattern", "not consistently", "lack of
# consistency", "none of them consistently".
_INCONSISTENT = re.compile(
    r"(?:\binconsistent(?:ly)?|(?:\b(?:no|not|never|none|without|lacks?|lack of)|n[’']t) "
    r"(?:\w+ ){0,4}?"
    r"consisten(?:t|tly|cy))\b",
    re.I,
)
# A share below the whole: "on 75% of the datasets", "in 3 of the 5 languages" (numbers are read
# by quantchecks when written "3 of 5"; a percentage share is read here).
_SHARE = re.compile(r"\b(\d{1,2}(?:\.\d+)?)\s?%\s+of\s+(?:the|all|our)\b", re.I)
# Completeness denied ("by no means exhaustive", "not complete"); gains said to be limited or
# mixed; "only a few", "only partially".
_LIMITED = re.compile(
    r"\b(?:by no means (?:exhaustive|complete)|(?:not|non-)\s?exhaustive|"
    r"(?:limited|mixed|uneven) (?:or \w+ )?(?:improvements?|gains?|benefits?|success|results?)|"
    r"only (?:\w+ ){0,3}?(?:a few|partially|partly|some)\b)",
    re.I,
)
# A claim that states its own exception or share is no universal ("every pair but one").
_OWN_LIMIT = frozenset({"partial", "some", "never"})


def stated_limit(text: str) -> bool:
    """Whether a sentence limits a finding's scope (see the module's examples)."""
    return bool(_INCONSISTENT.search(text) or _SHARE.search(text) or _LIMITED.search(text))


def exception_conflict(claim: SentenceFacts, evidence: SentenceFacts) -> float:
    """1.0 when the claim states a universal ("every", "all", "consistently", "always") without
    an exception of its own and the evidence limits the finding's scope (:func:`stated_limit`),
    which the claim does not; else 0.0."""
    cues = claim.cues or frozenset()
    if "always" not in cues or cues & _OWN_LIMIT or stated_limit(claim.text):
        return 0.0
    return float(stated_limit(evidence.text))
