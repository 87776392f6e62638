"""Section kinds for claims: which kind of section a title names, and its prior.

Both are explicit registries, written out. ``SECTION_KINDS`` maps a section title onto a kind;
``SECTION_PRIORS`` gives each kind a prior (a logit offset: results and conclusions state the
paper's findings, method sections mostly describe what was done, related work restates others').
A title read alone may name no kind; ``synth.claim_outline`` reads it with its chapter and with
what the section says.
"""

from __future__ import annotations

import re

WEAK_METHOD = "method?"  # a title that only names generic words ("model", "data", "task")
# Section kinds, tried in order on the lower-cased title with its numbering removed; the first
# kind with a keyword in the title wins ("Qualitative Results and Linguistic Analysis" -> results,
# "Evaluation Metrics" -> method before "evaluation" can make it a results section).
SECTION_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("excluded", ("reference", "bibliograph", "acknowledg", "appendi", "credits", "supplement",
                  "ethic", "broader impact")),
    ("related", ("related work", "related research", "prior work", "previous work", "background",
                 "literature")),
    # "Evaluation Method(ology)" and "Training & Evaluation Methodologies" describe how things
    # are measured: method, before "evaluation" can make them results sections.
    ("method", ("metric", "setup", "set-up", "protocol", "implementation", "procedure", "details",
                "dataset", "data set", "methodolog", "evaluation method")),
    ("conclusion", ("conclu", "summary", "closing", "take-away", "takeaway")),
    ("results", ("result", "finding", "evaluation", "performance", "comparison", "tradeoff",
                 "trade-off", "main experiment")),
    ("analysis", ("analys", "discussion", "error", "ablation", "qualitative", "visuali",
                  "case stud", "insight", "observation", "probing", "what ", "why ", "how ")),
    ("contribution", ("contribution",)),
    ("aims", ("goal", "aim", "objective", "research question")),
    ("introduction", ("introduction", "motivation")),
    ("experiments", ("experiment",)),
    ("limitations", ("limitation", "future work", "future scope", "outlook")),
    # Generic words last: a title they name ("Impact of Data Quality", "Machine Translation")
    # gives way to the kind of the chapter it sits in (``section_kinds``).
    (WEAK_METHOD, ("method", "model", "approach", "data", "training", "architecture", "algorithm",
                "system", "decoding", "task", "preliminar", "adaptation", "heuristic",
                "baseline", "hyperparameter", "framework", "formulation", "importance score",
                "corpus", "annotation", "format", "instruction", "layout", "font")),
)  # fmt: skip
# Logit offsets per section kind ("other": a title that names no kind).
SECTION_PRIORS: dict[str, float] = {
    # In these, a plain declarative statement is a claim unless a negative cue says otherwise.
    # The abstract states the paper's headline claims: of its candidate sentences, readers listed
    # 0.63 (results sections: 0.33; shared + dev lists), so it ranks above a results section.
    "abstract": 1.6,
    "conclusion": 1.1,
    "results": 1.1,
    "analysis": 1.1,
    # A contributions list (its own section, or items after "our contributions are as follows"):
    # readers listed 46 of its 65 candidates over the 46 papers with lists (0.71), as many as
    # of the abstract's.
    "contribution": 1.6,
    "experiments": 0.1,
    # A limitations section states what the work does not show: hedged, not findings to check.
    "limitations": -1.5,
    "aims": -1.2,  # what a study sets out to learn states no finding yet
    # Here the authors' own statements (first person, with a reason) are claims; the rest is
    # background, task description or procedure.
    "introduction": -0.6,
    "other": -0.5,
    "method": -0.9,
    "related": -2.0,
}


def section_kind(section: str, kind: str = "body", outline: dict[str, str] | None = None) -> str:
    """The kind of section a sentence sits in (one of ``SECTION_PRIORS``, or ``excluded``).

    A passage the parser marked as the abstract counts as the abstract unless its heading is a
    numbered subsection ("7.6 Abstract" in a style guide is about abstracts, not one).
    ``outline``: the paper's section kinds read with their chapters
    (``synth.claim_outline.outline_kinds``); a title it holds takes its kind from there.
    """
    raw = (section or "").strip()
    title = bare_title(raw)
    numbered_sub = re.match(r"^\d+\.\d+", raw) is not None
    if (kind == "abstract" or title == "abstract") and not numbered_sub:
        return "abstract"
    if kind in ("references",):
        return "excluded"
    if outline and raw in outline:
        return outline[raw]
    kind_of_title = title_kind(raw)
    return "method" if kind_of_title == WEAK_METHOD else kind_of_title


def title_kind(section: str) -> str:
    """The kind a section title names by itself (``WEAK_METHOD`` for generic words only)."""
    title = bare_title(section)
    # A task's name is not an aim ("Question Answering") nor an analysis ("3.2.1 Sentiment
    # analysis" describes a dataset).
    title = re.sub(r"question[- ]answering|question generation|sentiment analysis", " ", title)
    for name, keys in SECTION_KINDS:
        if any(_names(k, title, name) for k in keys):
            # Titles are head-final: "Single Dataset Analysis" analyses (the data set only
            # names what), where "Analysis Setup" sets up.
            if name in ("method", WEAK_METHOD) and re.search(r"\banaly(?:sis|ses)$", title):
                return "analysis"
            return name
    return "other"


def _names(key: str, title: str, kind: str) -> bool:
    """Whether a title holds a kind's keyword; an excluded section's keyword as a whole word start.

    "4.2 Human Preference Study" is a results section, not the references: the excluded kinds
    exclude everything under them, so a keyword inside another word ("p-reference") must not.
    """
    if kind == "excluded":
        if key == "reference":  # "4.4 Interpolating between references" is no reference list
            return re.match(r"(?:list of )?references?\b|reference list\b", title) is not None
        return re.search(r"\b" + re.escape(key), title) is not None
    return key in title


def bare_title(section: str) -> str:
    """A section title lower-cased, its numbering ("4.1", "IV.", "A.2") removed."""
    return re.sub(r"^(?:[IVX]+|[A-Z](?:\.\d+)*|\d+(?:\.\d+)*)[.)]?\s+", "", section.strip()).lower()
