"""A sentence's check-worthiness: the hand-weighted logit over its parts, or a learned model.

``score_parts`` names every part: the section prior and phrase cues (``synth.claim_cues``), stated
numbers (more with a unit or a metric, more again when stated as an outcome), named entities and
length. ``score_claim`` is the logistic over their sum (0.5 where they balance; a paper's claims
add ``place_step``, where the sentence sits in its section);
``check_worthiness`` uses a learned ranker over the same parts (``synth.claim_ranker``) when one is
active. ``states_finding`` reads the parts for the section reading of ``synth.claim_outline``.
"""

from __future__ import annotations

import math
import re

from synth.claim_cues import OTHERS_CUES, OUTCOME_CUES, claim_logit
from synth.claim_ranker import active_ranker, ranker_features
from synth.claim_sections import SECTION_PRIORS, section_kind
from synth.entities import parse_numbers, tag_entities

# Logit offset that puts a plain statement in a results section near the 0.5 line: cues decide.
_BIAS = -0.4

# The shape of a measured comparison, or of a count of data, read over the whole sentence: name ->
# (logit step, pattern); "more than one paper" is a quantity, not a comparison. Of the 2,042 candidate sentences of the 15 papers with readers' lists
# (shared + dev; 0.20 listed), readers listed 0.86 of those where one system outperforms another
# (n=51), 0.53 of comparatives with "than" (n=79), and 0.14 of those counting data items ("3784
# samples", "50 errors", n=91: a data set's size, not a finding; its step is -0.5, not -1.0: at
# -1.0 two listed method sentences of the shared papers drop out, ub_semeval2022_task4 recall
# 0.81 -> 0.76, for no gain on the dev papers), whatever else they say; and 0.82
# of those where a system performs best ("GPT-3.5 performs best", "is the most robust", n=22).
# On the 31 later papers (dev_more and the 25 retired held-out papers) readers listed 88 of the
# 104 that outperform (0.85), more than a step of 1.0 ranked them: the step is 1.5.
SHAPES: dict[str, tuple[float, re.Pattern[str]]] = {
    "outperforms": (
        1.5,
        re.compile(r"\b(?:outperform\w*|surpass\w*|beats?|exceed\w*|underperform\w*)\b", re.I),
    ),
    "comparative": (
        0.8,
        re.compile(
            r"\b(?:(?:more|less|fewer) (?:\w+ ){0,3}than\b(?! (?:\d|one|two|three|a few|half)\b)|"
            r"(?:higher|lower|better|worse|(?!rather\b|other\b|either\b|neither\b)\w+er) "
            r"(?:\w+ ){0,3}than\b)",
            re.I,
        ),
    ),
    "superlative": (
        1.0,
        re.compile(
            r"\b(?:performs?|performed|records?|achieves?|achieved|obtains?|has|have|had|shows?|"
            r"is|are|was|were)(?: \w+){0,2} (?:the )?(?:best|highest|lowest|worst|strongest|"
            r"weakest|most \w+|top)\b|"
            # the passive: "the highest scores were observed for ..."
            r"\b(?:best|highest|lowest|worst|strongest|weakest)(?: \w+){0,3} (?:is|are|was|"
            r"were) (?:observed|obtained|achieved|reached|recorded|found|seen|reported)\b",
            re.I,
        ),
    ),
    "data_count": (
        -0.5,
        re.compile(
            r"\b\d[\d,.]*k?\s+(?:\w+\s+){0,2}?(?:samples|examples|instances|sentences|pairs|"
            r"tokens|words|documents|articles|items|annotators|participants|steps|epochs|"
            r"layers|errors)\b",
            re.I,
        ),
    ),
}

# Passage kinds that never hold claims (tables hold numbers, but not sentences that state them).
EXCLUDED_KINDS = frozenset(
    {"references", "caption", "title", "header", "footer", "table", "equation", "front", "footnote"}
)


def section_weight(
    section: str, kind: str = "body", outline: dict[str, str] | None = None
) -> float:
    """Prior of a section for claims, as a probability (0 for sections claims never come from)."""
    sk = section_kind(section, kind, outline)
    if sk == "excluded" or kind in EXCLUDED_KINDS:
        return 0.0
    return round(1.0 / (1.0 + math.exp(-SECTION_PRIORS[sk])), 4)


def score_parts(
    text: str, section: str = "", kind: str = "body", outline: dict[str, str] | None = None
) -> dict[str, float]:
    """The logit parts of a sentence's check-worthiness, by name (what :func:`score_claim` adds).

    Section prior and phrase cues (:mod:`synth.claim_cues`), stated numbers (more with a unit or
    a metric), named entities, and length: very short sentences are rarely whole claims.
    ``outline``: the paper's section kinds (``synth.claim_outline.outline_kinds``).
    """
    _, parts = claim_logit(text, section, kind, outline)
    parts = {"bias": _BIAS, **parts}
    numbers = parse_numbers(text)
    # "glh = 0" sets a symbol and "0.6 cm" measures a page: neither reports a finding.
    if numbers and "formula" not in parts and "layout" not in parts:
        parts["numbers"] = 0.7 + 0.4 * any(n.unit or n.metric for n in numbers)
        if any(k in parts for k in OUTCOME_CUES) and not any(k in parts for k in OTHERS_CUES):
            # A number stated as an outcome ("X outperforms Y by 2.1 BLEU") is a measured
            # finding, in the first person or not: it ranks with the authors' own findings
            # (unless it is cited work's).
            parts["measured"] = 0.8
            # "For example, ours achieve 35.9% EM ...": an instance of the authors' own
            # measured finding, not an illustration of a phrase.
            parts.pop("illustration", None)
    parts.update({name: w for name, (w, rx) in SHAPES.items() if rx.search(text)})
    if n_ents := sum(len(v) for v in tag_entities(text).values()):
        parts["entities"] = 0.15 * min(4, n_ents)
    words = len(text.split())
    if words < 6:
        parts["short"] = -1.0
    return parts


def score_claim(
    text: str, section: str = "", kind: str = "body", outline: dict[str, str] | None = None
) -> float:
    """Check-worthiness in [0, 1]: would a careful reader list this sentence as a claim to check?

    A logistic score over :func:`score_parts`: the section's prior, cues of findings, outcomes,
    comparisons and contributions, stated numbers and named entities raise it; pointers to tables,
    set-up, instructions, definitions, future work, hypotheses, others' cited work and questions
    lower it.
    """
    return _logistic(sum(score_parts(text, section, kind, outline).values()))


def _logistic(z: float) -> float:
    """A summed logit as the score in [0, 1] (4 places, as scores are stored)."""
    return round(1.0 / (1.0 + math.exp(-z)), 4)


def check_worthiness(
    text: str,
    section: str = "",
    kind: str = "body",
    outline: dict[str, str] | None = None,
    place: dict[str, float] | None = None,
) -> float:
    """A paper claim's ``score``: how likely a careful reader is to list the sentence.

    The hand weights (:func:`score_claim`, plus :func:`place_step` for where the sentence sits
    in its introduction, abstract or conclusion), or a learned model (``synth.claim_ranker``: a
    logistic regression over :func:`score_parts` fitted on careful readers' lists) when its JSON
    is present or one is set with ``use_ranker``, behind the hand weights' gate (``HAND_GATE``:
    under the hand line it scores no higher than they do). ``place``: where the unit sits in its paper
    (``synth.claims.paper_candidates``).
    """
    ranker = active_ranker()
    parts = score_parts(text, section, kind, outline)
    hand = _logistic(sum(parts.values()) + place_step(parts, place))
    if ranker is None:
        return hand
    learned = round(ranker.score(ranker_features(text, parts, place)), 4)
    # The hand weights decide what may be listed, the model orders it (HAND_GATE).
    return learned if hand >= HAND_GATE else min(learned, hand)


# A learned ranker scores a unit the hand weights put under 0.5 (their line: ``min_score``'s
# default) no higher than they do: what is listed stays within what the hand weights would list,
# and the model orders it, and its listing line may drop more. The readers' lists hold few papers
# that make no claims: fitted on 82 papers at a line of 0.05, the model alone listed 6
# instruction sentences of the EMNLP template ("These instructions should be used for both
# papers ...") where the hand weights list at most 2. By leave-one-paper-out extraction over the
# 82 papers, gated at a line of 0.02 it recovered 2,258 of 2,575 listed claims, against 2,250
# ungated at 0.05 and the hand weights' 2,244, listing no more (synth.claim_ranker).
HAND_GATE = 0.5


# Where a sentence sits in its section, for the sections that follow a fixed order: a logit step
# running linearly from -w at the section's first sentence to +w at its last (w < 0: the start
# ranks higher). Of the candidate sentences of the 15 papers with readers' lists, readers listed,
# from the first fifth of the section to the last: introduction 0.06 -> 0.42 (it opens with
# background and closes with what the paper does and finds), abstract 0.19 -> 1.00 (background
# first, the findings last), conclusion 0.40 -> 0.10 (the findings restated first, future work
# last). Cues still decide most. bench/extract_recall.py, introduction (0.8) alone: shared recall
# 0.869 -> 0.879, R@N 0.717 -> 0.737; dev 0.881 -> 0.888, R@N 0.676 -> 0.683; abstract (1.0)
# and conclusion (-0.5) added: shared 0.879, R@N 0.737 -> 0.747; dev 0.897 -> 0.904, R@N
# 0.683 -> 0.689.
PLACE_STEPS: dict[str, float] = {"introduction": 0.8, "abstract": 1.0, "conclusion": -0.5}
# The first sentence of a method or data section says what the section describes
# ("BelarusianGLUE is a natural language understanding benchmark that includes five novel
# datasets", "We implement a two-step method, namely ..."): readers listed 8 of the 28 such
# candidates (0.29; the template excluded), against 0.11 of all method-section candidates.
# Dev recall 0.904 -> 0.907 (belarusianglue 0.89 -> 0.92), shared and R@N unchanged; a step of
# 0.8 cost a listed claim of the shared papers.
METHOD_OPENING = 0.5


def place_step(parts: dict[str, float], place: dict[str, float] | None) -> float:
    """The logit step for where a sentence sits in its section (``PLACE_STEPS``; 0 if unknown)."""
    if not place:
        return 0.0
    kind = next((k.split(":", 1)[1] for k in parts if k.startswith("section:")), "")
    position = min(1.0, max(0.0, place.get("section_position", 0.5)))
    opening = METHOD_OPENING if kind == "method" and place.get("section_first") else 0.0
    return opening + PLACE_STEPS.get(kind, 0.0) * (2.0 * position - 1.0)


# Cues of a stated finding, and those that say a sentence is not one (for reading sections).
_FINDING_PARTS = ("finding_verb", "result_phrase", "measured")
_NOT_FINDING_PARTS = ("instruction", "question", "future", "cited", "background")


def states_finding(parts: dict[str, float]) -> bool:
    """Whether a sentence's score parts say it states a finding (of the authors' own)."""
    return any(k in parts for k in _FINDING_PARTS) and not any(
        k in parts for k in _NOT_FINDING_PARTS
    )
