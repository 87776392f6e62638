"""A paper's outline: the kind of each section, read with the chapter it sits in.

A sentence stores only its innermost heading. Read alone, "4.1.2 Machine Translation" or
"4.2 Vocabulary" names no kind, "3.1.1 SNOMED Node Attributes" none either, and "A.1 Robust
Analysis Implementation" looks like method although it sits in the appendix. Claims follow the
chapter: a subsection of "4 Results" reports results, one of "3 Experimental Setup" describes
set-up. ``outline_kinds`` reads the paper's section titles in reading order and gives each one
the kind of its chapter where its own title names none (or only generic words), from

1. its closest relative in the numbering: its parent ("4.1.2" sits in "4.1"), else an earlier
   sibling ("4.2 Vocabulary" after "4.1 Likelihood and Diversity Tradeoffs", a results section)
   or cousin ("5.2.1" after "5.1 Main Result"): a chapter heading with no text of its own stores
   no sentence, so the chapter's title itself is often missing. Lettered subsections of a paper
   with Roman chapters ("B." after "A.") are siblings of one run;
2. its place in the paper: a section named after the paper's own method ("3 Cross-lingual
   Prompting") between the introduction and the first experiments or results is method; one
   whose title names only generic words ("4.2 BERT baselines", "4.1 Pre-training Data") after
   the first experiments or results section continues the findings (experiments): a chapter
   heading such as "4 Experiments" with no text of its own stores no sentence, so its
   subsections must be read from where they stand.

An appendix ("A.1" in a paper of numbered chapters), the references and acknowledgements
exclude everything under them.

Titles are not the only evidence. ``read_with_content`` corrects the outline with what the
sections say: a section whose title names nothing findings-like ("3.3 Diversity of ChatGPT
paraphrases", "4 In-house Extremely Large-Scale Setting": method by their place) but whose
sentences state findings is an experiments section (set-up and findings together). (Moving every
nameless chapter after the method of a paper with no findings heading was tried and dropped: on
the one such paper with a reader's list it lost two of its claims.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from synth.claim_sections import WEAK_METHOD, bare_title, title_kind

_ARABIC = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\S")
_ROMAN = re.compile(r"^([IVX]{1,5})\.\s+\S")
_LETTER = re.compile(r"^([A-H])((?:\.\d{1,2}){0,2})[.)]?\s+\S")
_NAMELESS = frozenset({"other", WEAK_METHOD})
# A chapter of these kinds decides for every subsection that names only generic words.
_DECIDING = frozenset({"results", "analysis", "conclusion", "related", "limitations", "excluded"})
_FINDINGS = frozenset({"experiments", "results", "analysis"})
# Where the paper's tests begin (not analysis: its titles, "How do X differ?", come early too).
_TESTED = frozenset({"experiments", "results"})
_METHOD_WORD = re.compile(r"\bmethod", re.I)


def _paths(sections: list[str]) -> dict[str, tuple[str, ...]]:
    """Each numbered section's number path: "4.1.2" -> ("4", "1", "2"); "A.1" -> ("A", "1").

    In a paper whose chapters are Roman numerals, a lone letter ("B. Model") is a subsection of
    an unnamed chapter: lettered runs are keyed by their run, not attached to the Roman chapter
    before them (the chapter that holds them may have stored no sentence).
    """
    paths: dict[str, tuple[str, ...]] = {}
    roman, run, last_letter = False, 0, "Z"
    for s in sections:
        if m := _ARABIC.match(s):
            paths[s] = tuple(m.group(1).split("."))
        elif m := _ROMAN.match(s):
            roman = True
            paths[s] = (m.group(1),)
        elif m := _LETTER.match(s):
            letter, sub = m.group(1), m.group(2)
            if roman and not sub:
                if letter <= last_letter:
                    run += 1  # "A." again: a new chapter's subsections
                last_letter = letter
                paths[s] = (f"#run{run}", letter)
            else:
                paths[s] = (letter, *sub.strip(".").split(".")) if sub else (letter,)
    return paths


def _own_kind(section: str) -> str:
    """The kind a title names alone ("7.6 Abstract" in a style guide is not the abstract)."""
    if bare_title(section) == "abstract" and not re.match(r"^\d+\.\d+", section.strip()):
        return "abstract"
    return title_kind(section)


def outline_kinds(sections: Iterable[str]) -> dict[str, str]:
    """Section title -> kind, for the titles of one paper given in reading order.

    Args:
        sections: the section titles of one paper's sentences, in reading order (repeats are
            fine).

    Returns:
        Every title's kind (a key of ``synth.claim_sections.SECTION_PRIORS`` or ``excluded``).
    """
    order = list(dict.fromkeys(s for s in sections if s))
    paths = _paths(order)
    arabic = any(_ARABIC.match(s) for s in order)
    kinds: dict[str, str] = {}
    for i, s in enumerate(order):
        kind, path = _own_kind(s), paths.get(s, ())
        # "A.1" (or "B Details") in a paper of numbered chapters is in the appendix.
        appendix = arabic and bool(path) and path[0].isalpha() and not path[0].startswith("#")
        earlier = [(paths.get(t, ()), kinds[t]) for t in order[:i]]
        excluded_above = any(k == "excluded" and p and path[: len(p)] == p and p != path
                             for p, k in earlier)  # fmt: skip
        relative = _nearest_relative(path, earlier)
        if appendix or excluded_above:
            kind = "excluded"
        elif (
            kind in _NAMELESS
            and relative is not None
            and (kind == "other" or relative in _DECIDING)
        ):
            kind = relative
        kinds[s] = kind
    return {s: _placed(s, kinds, order) for s in order}


def _nearest_relative(
    path: tuple[str, ...], earlier: list[tuple[tuple[str, ...], str]]
) -> str | None:
    """The named kind of the closest earlier section of the same chapter, if any.

    Closest: the longest shared number prefix (a parent, then a sibling, then a cousin), and
    among those the nearest in reading order. An excluded sibling ("7.13 References" in a
    style guide) says nothing of the next one.
    """
    best, best_len, parent = None, 0, None
    for other, kind in reversed(earlier):
        shared = 0
        while shared < min(len(path), len(other)) and path[shared] == other[shared]:
            shared += 1
        if shared > best_len and shared < len(path) and kind not in _NAMELESS | {"excluded"}:
            best, best_len = kind, shared
        if other == path[:-1] and kind not in _NAMELESS | {"excluded"}:
            parent = kind
    # A set-up sibling ("4.2 Implementation Details") says nothing of the nameless subsections
    # after it ("4.4 Bitext Retrieval" in "4 Experiments"): set-up comes first in a chapter
    # whose heading names what the rest reports.
    if best == "method" and parent is not None:
        return parent
    return best


def _placed(section: str, kinds: dict[str, str], order: list[str]) -> str:
    """A section that still names no kind: method between the introduction and the findings."""
    kind = kinds[section]
    i = order.index(section)
    if kind == WEAK_METHOD:
        # After the first results or experiments section, a generic title ("4.2 BERT
        # baselines" under a chapter heading that stored no sentence) continues the findings.
        first = next((j for j, s in enumerate(order) if kinds[s] in _TESTED), len(order))
        return "experiments" if i > first and not _METHOD_WORD.search(section) else "method"
    if kind != "other":
        return kind
    intro = next((j for j, s in enumerate(order) if kinds[s] == "introduction"), None)
    findings = next((j for j, s in enumerate(order) if kinds[s] in _FINDINGS), len(order))
    return "method" if intro is not None and intro < i < findings else "other"


# A section whose title named no kind of its own may be corrected by its content.
_CORRECTABLE = frozenset({"method", "other"})
FINDINGS_SHARE = 0.25  # share of a section's sentences that state findings (see module doc)
FINDINGS_MIN_SENTENCES = 5  # fewer sentences say too little about a section


def read_with_content(
    outline: dict[str, str], findings: dict[str, tuple[int, int]]
) -> dict[str, str]:
    """The outline corrected by what its sections say (see the module docstring).

    Args:
        outline: section title -> kind (:func:`outline_kinds`), in reading order.
        findings: section title -> (sentences that state a finding, prose sentences).

    Returns:
        A new outline; only sections whose own title names no kind (or only generic words), read
        as method or other, change: to ``experiments`` where at least ``FINDINGS_SHARE`` of
        their (at least ``FINDINGS_MIN_SENTENCES``) sentences state findings.
    """
    out = dict(outline)
    order = list(outline)
    paths = _paths(order)
    for i, (s, kind) in enumerate(outline.items()):
        found, n = findings.get(s, (0, 0))
        nameless = _own_kind(s) in _NAMELESS and kind in _CORRECTABLE
        if (nameless or _metric_under_findings(s, kind, paths, order[:i], outline)) and (
            n >= FINDINGS_MIN_SENTENCES and found >= FINDINGS_SHARE * n
        ):
            out[s] = "experiments"
    return out


def _metric_under_findings(
    section: str,
    kind: str,
    paths: dict[str, tuple[str, ...]],
    earlier: list[str],
    outline: dict[str, str],
) -> bool:
    """A subsection titled by its set-up words inside a results or analysis chapter.

    "4.3 Representative Automatic Metrics" under "4 Results" reads as method by its title
    ("metric"), but a findings chapter's subsection named after what it measures reports what
    was measured: its content decides, as for a nameless one (:func:`read_with_content`).
    """
    path = paths.get(section, ())
    if kind != "method" or len(path) < 2:
        return False
    chapter = _nearest_relative(path, [(paths.get(t, ()), outline[t]) for t in earlier])
    return chapter in ("results", "analysis")
