"""A claim whose closest sentence in its paper says the thing was not done.

Claims a paper does not address are often made of what the paper itself names as untried: its
future work ("Future work could investigate a routing mechanism that decides for each example
whether to apply SC"), its limitations ("For the cutting-edge reasoning models, not covered in our
evaluation, it remains to be investigated how the token budget affects performance"), a comparison
it says it did not make ("we did not empirically compare them against ... direct mentions of the
verb dø"). A claim stating an outcome for such a thing ("Reasoning models given a larger token
budget close the gap to humans") uses the paper's words, often its rare ones, but the one sentence
that holds them says the paper has not found out: NOT ENOUGH INFO, though retrieval finds the
right paper and the claim's words are covered.

The signal: 1 when the paper's sentence holding most of the claim (rare words weighing more) is
such a sentence and no sentence stating something done holds as much; 0 otherwise. A claim
that itself says the thing is left open ("the authors leave joint training to future work") is
what that sentence states, and reads 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # predicates imports libfacts, which reads this module
    from synth.predicates import PaperWordIndex

# How papers say a thing was not done (a registry: one pattern per way of saying it). Modal
# findings ("X can improve Y", "we expect") are not among them: papers state results that way.
UNDONE_PATTERNS: tuple[str, ...] = (
    # future work named as such
    r"future (?:work|research|studies|directions?)",
    r"in the future",
    r"we (?:plan|hope|intend) to",
    r"(?:leave|leaves|left) (?:\w+ ){0,5}(?:for|to) (?:future|further)",
    # open questions
    r"remains? (?:to be|an open)",
    r"open question",
    r"would be (?:interesting|worth|useful|valuable)",
    r"could (?:also |further )?(?:be )?(?:investigat|explor|extend|examin|stud)\w*",
    # a thing the study says it did not cover, test or compare
    r"(?:is|are|was|were|has|have) not (?:yet )?(?:been )?"
    r"(?:covered|explored|evaluated|tested|investigated|studied|considered|examined|addressed)",
    r"(?:did|do|could) not (?:\w+ )?"
    r"(?:evaluate|test|explore|investigate|compare|study|consider|experiment|examine|measure|"
    r"cover|address)",
    r"beyond the scope",
    # advice or expectation in place of a measurement
    r"it is recommended",
    r"(?:is|are) bound to",
)
_UNDONE = re.compile(r"\b(?:" + "|".join(UNDONE_PATTERNS) + r")\b", re.I)


def says_undone(text: str) -> bool:
    """Whether a sentence says something was not done, is left open or is left to future work."""
    return _UNDONE.search(text) is not None


def undone_sentences(texts: Iterable[str]) -> frozenset[int]:
    """The positions of the sentences (in the order given) that say something was not done."""
    return frozenset(i for i, t in enumerate(texts) if says_undone(t))


def undone_match(
    claim: str,
    words: set[str],
    index: PaperWordIndex,
    undone: frozenset[int],
    weight: Mapping[str, float],
) -> float:
    """1 when a sentence of the paper saying a thing was not done (``index``'s sentences,
    ``undone`` their positions) holds a larger weighted share of the claim's content ``words``
    than every sentence stating a thing done; else 0. 0 too for a claim that itself says a thing
    was not done. (An indicator, not the share: judged both ways on session 25's dump, the
    indicator lowered the written log loss three times as much.)"""
    if not undone or says_undone(claim):
        return 0.0
    total = sum(weight[w] for w in words)
    if not total:
        return 0.0
    held: dict[int, float] = {}
    for w in sorted(words):  # one order: the sums add the same floats every run
        for i in index.where.get(w, ()):
            held[i] = held.get(i, 0.0) + weight[w]
    done = max((v for i, v in held.items() if i not in undone), default=0.0)
    open_ = max((v for i, v in held.items() if i in undone), default=0.0)
    return 1.0 if open_ > done else 0.0
