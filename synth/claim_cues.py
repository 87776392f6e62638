"""What makes a sentence a claim a careful reader would list: section priors and phrase cues.

The section kinds and their priors are in ``synth.claim_sections``.
``CUES`` is an explicit registry, written out in ``synth.claim_cue_registry``: named phrase
patterns with a weight each (positive: the sentence reports a finding, a comparison, a
contribution, a design decision; negative: it points at a table, gives an instruction, measures a
page's layout, defines a symbol, asks a question, restates others' work). ``claim_logit`` adds
them to the section's prior.
"""

from __future__ import annotations

import re

# CUES and section_kind stay importable from here (bench/extract_recall.py, synth.claims).
from synth.claim_cue_registry import CUES, rx
from synth.claim_sections import SECTION_PRIORS, section_kind

__all__ = [
    "CUES",
    "OTHERS_CUES",
    "OUTCOME_CUES",
    "claim_logit",
    "label_points_only",
    "section_kind",
]


# Cues that mark others' work; they do not count where the authors speak of their own
# ("Different from Michel et al. (2019), ... we prune the most important heads").
OTHERS_CUES = ("cited", "background")
# Sections where an uncited statement is the authors' own.
_OWN_FINDINGS = frozenset({"results", "analysis", "conclusion"})
# What a sentence may go on to say after pointing at a table: a finding of its own.
_FINDING_CUES = ("finding_verb", "comparison", "result_phrase")
# Cues of a stated outcome; sections that report findings; acts beyond procedure (_sentence_prior)
OUTCOME_CUES = ("outcome_verb", "comparison", "finding_verb", "result_phrase")
_FINDINGS_KINDS = frozenset({"experiments", "results", "analysis", "conclusion"})
_OWN_ACTS = ("contribution", "resource", "decision")
PROCEDURE_WEIGHT = -0.5  # set-up in a findings section: what was done, not what was found
# A finding set against cited work ("in line with the findings of X", "confirming X").
_RELATES = rx(
    r"\b(?:in line with|consistent(?:ly)? with|in agreement with|agree(?:s|ing)? with|"
    r"confirm(?:s|ing)|contrary to|as (?:also )?(?:reported|observed|found) (?:by|in))\b"
)
# "In this section, we establish that the m2m model ... outperforms ...": a section that opens
# by stating its finding, not a roadmap.
_ANNOUNCED_FINDING = rx(
    r"\b(?:we|I) (?:\w+ )?(?:show|establish|find|demonstrate|confirm|prove)s? that\b"
)
_QUOTED = re.compile(r"[“\"][^”\"]{1,120}[”\"]")
_ON_QUOTES = frozenset({"illustration"})  # cues that look at the quotes themselves


# A sentence that opens with a table or figure label is a caption or a pointer ("Table 2 shows
# the accuracy scores ...") unless it goes on to say that something holds ("Table 1 shows that
# on clean data, TI records the highest COMET ...") or states an outcome after its verb ("Figure 2
# shows 10 samples outperforms higher sampling numbers", "Fig. 4 shows a great increase in
# performance", "Table 3 displays ... and demonstrates that our method surpasses the baselines"),
# or its verb asserts rather than presents ("Figure 3 reveals a notable trend: ..."): findings
# readers list (9 such of the 28 retired and dev_more papers' lists were never candidates).
_LABEL = re.compile(r"(?:Table|Figure|Fig\.)\s*\d+", re.I)
_LABEL_OPENING = re.compile(
    r"^(?:Table|Figure|Fig\.)\s*\d+.{0,40}?\b(?:(?P<asserts>reveals?|demonstrates?|indicates?|"
    r"suggests?|confirms?|highlights?)|shows?|displays?|presents?|illustrates?|depicts?|reports?|"
    r"compares?)\b",
    re.I,
)
_LABEL_THAT = re.compile(r"^(?:Table|Figure|Fig\.)\s*\d+.{0,60}?\b(?:that|how|whether)\b", re.I)
_LABEL_FINDING = ("outcome_verb", "finding_verb", "result_phrase")


def label_points_only(text: str) -> bool:
    """Whether a sentence opening with a table or figure label only points at it (no finding)."""
    if not _LABEL.match(text) or _LABEL_THAT.match(text):
        return False
    m = _LABEL_OPENING.match(text)
    rest = text[m.end() :] if m else ""
    if len(rest.split()) < 4:
        return True
    if m and m.group("asserts"):
        return False
    # "compares the results of different models" names no outcome; "scored higher on LID
    # (+9.51%)" measures one
    measured = CUES["comparison"][1].search(rest) and re.search(r"\d", rest)
    return not (measured or any(CUES[c][1].search(rest) for c in _LABEL_FINDING))


def claim_logit(
    text: str, section: str = "", kind: str = "body", outline: dict[str, str] | None = None
) -> tuple[float, dict[str, float]]:
    """The section prior plus every cue that fires: the total and its parts, by name.

    Numbers and named entities are added by the caller (they come from ``synth.entities``).
    In related work, a sentence where the authors speak of their own work gets the prior of an
    ordinary section: it is how they set their work apart.
    """
    # Quoted material is an example's own words ("I did not know"), not the authors' voice.
    bare = _QUOTED.sub(" ", text)
    fired = {
        name: weight
        for name, (weight, pattern) in CUES.items()
        if pattern.search(text if name in _ON_QUOTES else bare)
    }
    if "significance" in fired:
        fired.pop("formula", None)  # "U = 3555, p < 0.0005" reports a test, defines nothing
    if "pointer" in fired and not _points_only(bare):
        del fired["pointer"]
    if "roadmap" in fired and _ANNOUNCED_FINDING.search(bare):
        del fired["roadmap"]
    own = "first_person" in fired
    sk = section_kind(section, kind, outline)
    if own and sk == "related":
        sk = "other"
    if "sets_apart" in fired and not own:
        del fired["sets_apart"]
    if sk in _FINDINGS_KINDS and _RELATES.search(bare):
        # "Gemma 2 9B is the top competitor, in line with the findings of Thellmann et al.
        # (2024)": the authors' own finding, set against cited work, is not cited work (both
        # such candidates of the 15 papers with readers' lists were listed).
        fired.pop("cited", None)
    if sk in _OWN_FINDINGS and "cited" not in fired:
        # "The effectiveness of X has been demonstrated on ..." in a conclusion restates the
        # paper's own finding, not others' work (nothing is cited).
        fired.pop("background", None)
    prior = _sentence_prior(sk, fired)
    parts = {"section:" + sk: prior}
    parts.update({k: w for k, w in fired.items() if not (own and k in OTHERS_CUES)})
    return sum(parts.values()), parts


def _points_only(text: str) -> bool:
    """Whether a sentence that points at a table or figure says nothing more.

    "The results are shown in Table 2, and again point to BAD-X's superiority over MAD-X" goes
    on to state a finding after the pointer; "Table 3 lists the hyperparameters" does not.
    "Fine-tuning on human corrections provides substantial gains; results without it can be
    found in Appendix B" states an outcome in a clause of its own before pointing.
    """
    m = CUES["pointer"][1].search(text)
    rest = text[m.end() :] if m else ""
    if len(rest.split()) >= 5 and any(CUES[c][1].search(rest) for c in _FINDING_CUES):
        return False
    if m and m.group(0).lower().endswith("as follows") and rest.startswith(":"):
        # "We summarize the findings as follows: (1) Data augmentation ... don't bring
        # substantial benefits": what follows is stated in the sentence itself.
        return len(rest.split()) < 5
    clauses = text[: m.start()].split(";") if m else []
    stated = ";".join(clauses[:-1])  # the clauses before the pointer's own
    return not (len(stated.split()) >= 4 and any(CUES[c][1].search(stated) for c in OUTCOME_CUES))


def _sentence_prior(sk: str, fired: dict[str, float]) -> float:
    """The prior of a sentence's section, read with whether the sentence states an outcome.

    On the readers' lists (shared + dev) what a sentence says matters more than its section's name:
    of the sentences that state an outcome (an outcome verb, a comparison, a finding verb, a result
    phrase; nothing cited), readers listed 0.40 in experiments sections, 0.44 in introductions, 0.46
    in results sections; of the others, under 0.10 in each. So an outcome stated in an experiments
    section ranks as in a results section, one stated in the introduction (its preview of the
    findings) as in an experiments section. In a findings section everything is the authors' own, so
    "we" no longer marks their voice against others' work; there it marks procedure ("We use the
    3.3B version": 0.06 listed; with an outcome 0.34, against 0.42 for all outcomes there), as does
    the set-up cue (0.06 and 0.22): "we" adds nothing there but to a contribution or a decision, and
    set-up reads as procedure, which ranks below a plain statement (``fired`` is changed).
    """
    outcome = any(c in fired for c in OUTCOME_CUES) and "cited" not in fired
    if sk in _FINDINGS_KINDS and not any(c in fired for c in _OWN_ACTS):
        fired.pop("first_person", None)
        if fired.pop("setup", None) is not None:
            fired["procedure"] = PROCEDURE_WEIGHT
    if outcome and sk == "experiments":
        return SECTION_PRIORS["results"]
    if outcome and sk == "introduction":
        return SECTION_PRIORS["experiments"]
    return SECTION_PRIORS.get(sk, -9.0)
