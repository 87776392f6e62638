"""Typing a claim: contribution, comparison, result or method.

The four types follow what a careful reader separates: what the paper sets out to do or did as a
whole (contribution), a finding stated as one thing against another (comparison), any other finding
or measured number (result), and a design decision of the authors' own (method). The cues are
written out here; the phrase cues shared with scoring come from :mod:`synth.claim_cues`.
"""

from __future__ import annotations

import re

from synth.claim_cues import claim_logit
from synth.claim_sections import section_kind
from synth.entities import parse_numbers, tag_entities

CLAIM_TYPES: tuple[str, ...] = ("result", "comparison", "method", "contribution")

# What the paper as a whole sets out to do or did.
_CONTRIBUTION = re.compile(
    r"\b(?:in (?:this|the current|the present) (?:paper|work|report|study|project)|"
    r"this (?:paper|work|report|study|project) (?:propos|introduc|present|contribut|investigat|"
    r"explor|stud|address|describ|focus)\w*|our (?:main )?contributions?|"
    r"we (?:propose|introduce|present|contribute|release|develop|design|make the following)|"
    r"our (?:goal|aim|objective|purpose) (?:is|was)|"
    r"we (?:want|aim|seek|set out) to (?:explore|investigate|study|examine|understand|answer|"
    r"address|implement|build|develop|analy[sz]e))\b",
    re.I,
)
# One thing against another. Superlatives alone ("best results for X") are results; "rather
# than" contrasts readings, not measurements.
_COMPARISON = re.compile(
    r"\b(?:outperform\w*|underperform\w*|better|worse|higher|lower|than|surpass\w*|beats?|"
    r"exceed\w*|compared (?:to|with)|relative to|versus|vs\.?|on par|comparable|competitive with|"
    r"improv\w* over|gains? over|drops? (?:of|from)|larger|smaller|stronger|weaker|closer to|"
    r"similar|the same as|match(?:es|ed)?|differ\w*|differences?|worst)\b",
    re.I,
)
_RATHER_THAN = re.compile(r"\brather than\b", re.I)
# A predicate that reports an outcome, even in a sentence that says what was done.
_RESULT_PREDICATE = re.compile(
    r"\b(?:resulted in|resulting in|results in|led to|leads to|improv(?:es|ed)|outperform\w*|"
    r"achiev(?:es|ed)|yield(?:s|ed)|drop(?:s|ped)|hurts?|helps?|fail(?:s|ed)|proved)\b",
    re.I,
)
# "We achieve this by ...", "we do so by ...": how, not what came out.
_MEANS = re.compile(r"\b(?:achieve|do|accomplish) (?:this|so|that) by\b", re.I)
_OUTCOME_WORDS = re.compile(
    r"\b(?:accuracy|f1|score|loss|performance|results?|error|overfitting|underfitting|"
    r"bottleneck|effective\w*|confirm\w*)\b",
    re.I,
)
_REASON_CLAUSE = re.compile(r",\s*(?:as|since|because|which|given that)\b", re.I)
_FINDING_SECTIONS = frozenset({"results", "analysis", "conclusion"})
_SUMMARY_SECTIONS = frozenset({"abstract", "conclusion"})


def classify_claim(text: str, section: str = "", outline: dict[str, str] | None = None) -> str:
    """Type a claim: ``contribution``, ``comparison``, ``result`` or ``method``.

    What the authors did ("I increased training to 6 epochs with a lower learning rate") is a
    method even when it says "lower"; it is a result once it states an outcome ("... resulted in
    lower accuracy (~60.5%)"). Stated in the abstract or the conclusion, what the work did as a
    whole is its contribution.

    Args:
        text: the claim sentence.
        section: its section title; in results, analysis and conclusions an observation with no
            other cue is a result.
        outline: the paper's section kinds read with their chapters (``outline_kinds``).

    Returns:
        One of :data:`CLAIM_TYPES`.
    """
    if _CONTRIBUTION.search(text):
        return "contribution"
    sk = section_kind(section, outline=outline)
    fired = claim_logit(text, section, outline=outline)[1]
    numbers = parse_numbers(text)
    if "resource" in fired and not _states_outcome(text, section, outline):
        # "We collect the first Urdu dataset for ...": a resource paper's contribution, wherever
        # it is stated (of the 7 reader claims such sentences of the 15 papers match, readers
        # typed 5 as contributions).
        return "contribution"
    if "setup" in fired and not _states_outcome(text, section, outline):
        return "contribution" if sk in _SUMMARY_SECTIONS and _whole_work(text) else "method"
    outcome = bool(_OUTCOME_WORDS.search(text)) or any(
        k in fired
        for k in ("finding_verb", "outcome_verb", "evaluative", "result_phrase", "stance")
    )
    if _COMPARISON.search(_RATHER_THAN.sub(" ", text)) and (
        numbers or outcome or _entity_count(text) >= 2 or sk in _FINDING_SECTIONS
    ):
        return "comparison"
    if numbers or outcome or sk in _FINDING_SECTIONS:
        return "result"
    return "contribution" if sk in _SUMMARY_SECTIONS and _whole_work(text) else "method"


def _states_outcome(text: str, section: str, outline: dict[str, str] | None = None) -> bool:
    """The main clause reports an outcome: a finding, a measured number, a result predicate.

    A reason given for a choice ("..., as it currently achieves state-of-the-art results") is
    not the outcome of the work.
    """
    main = _REASON_CLAUSE.split(text, maxsplit=1)[0]
    fired = claim_logit(main, section, outline=outline)[1]
    finding = any(k in fired for k in ("finding_verb", "result_phrase")) and not _MEANS.search(main)
    measured = any(n.unit or n.metric for n in parse_numbers(main))
    return finding or measured or bool(_RESULT_PREDICATE.search(main))


def _whole_work(text: str) -> bool:
    """The sentence speaks of the work as a whole (its methods, the project), not one step."""
    return bool(
        re.search(r"\b(?:methods|approaches|techniques|project|report|paper|work)\b", text, re.I)
    )


def _entity_count(text: str) -> int:
    return sum(len(v) for v in tag_entities(text).values())
