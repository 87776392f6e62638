"""Claim units: the whole sentences and whole list items of a paper, read from the library.

A claim is never a cut sentence. Whether a stored sentence is whole depends on its neighbours:
one that starts in lower case is whole when the text before it ended a sentence (drafts write
"this way, we have ..."), not when it continues a sentence broken by a column, an equation or a
caption. A bullet item is a unit of its own, whole from its marker to its end even without a final
period ("– best results for RSA decoding"); a short item with no verb-like ending ("• results")
is a lead-in that names what the items under it are. A numbered item ("1. We release ...;",
"(ii) ...", "3) ...") is a list item as a bullet is: papers number their contributions and
findings as often as they bullet them, and often end the items with a semicolon. Inside a
paragraph, a stored sentence with no terminal punctuation was broken by the sentence splitter (at
"1) ... and 2) ..." or an abbreviation): it is read on into the next one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from synth.records import Passage, Sentence

# The markers that open a list item, by style. A number ends with ")" or "." ("1)", "(2)",
# "3."), a roman numeral or a letter only with a bracket ("(iv)", "b)"): "i.e." and "a." are words.
ITEM_MARKERS = {
    "bullet": r"[•●▪◦∙‣○■□–—*-]",
    "number": r"\(?\d{1,2}\)|\d{1,2}\.",
    "roman or letter": r"\(?(?:[ivx]{1,4}|[a-h])\)",
}
ITEM = re.compile(r"^\s*(?:" + "|".join(ITEM_MARKERS.values()) + r")\s+(?=\S)")
_END = re.compile(r"[.!?][\"'”’)\]]*$")
_ABBREV_END = re.compile(
    r"\b(?:e\.g|i\.e|cf|vs|et al|Fig|Figs|Eq|Sec|Tab|approx|resp|viz)\.$", re.I
)
# A period that closes an abbreviation pysbd does not know: "Acc.", "No.", "avg.", "approx."
_SHORT_END = re.compile(
    r"\b(?:[A-Z][a-z]{0,3}|[A-Z]{2,4}|approx|avg|acc|resp|cf|vs|etc|al|incl|esp)\.$"
)
_STARTS_OK = re.compile(r"^[A-Z0-9\"'“‘(\[]")
LEAD_IN_MAX_WORDS = 3


@dataclass(frozen=True)
class Unit:
    """A candidate claim: its text, the stored sentence it starts at, and whether it is whole."""

    sentence: Sentence
    text: str
    section: str  # the section used for scoring: a list's lead-in ("results") where it names one
    whole: bool


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends a sentence: terminal punctuation, not an abbreviation."""
    t = text.strip()
    return bool(_END.search(t)) and not _ABBREV_END.search(t)


def is_whole_in_context(text: str, previous: str | None, introduces_list: bool = False) -> bool:
    """Whether a stored sentence is whole, given the text stored just before it.

    Args:
        text: the sentence.
        previous: the sentence (of any kind) stored just before it in reading order; None at
            the start of a section.
        introduces_list: the sentence is the last of its passage and a list follows, so a
            closing colon ends it ("we tried different approaches to balance it:").
    """
    t = text.strip()
    if not t:
        return False
    ends = ends_sentence(t) or (introduces_list and t.endswith(":"))
    if not ends:
        return False
    if _STARTS_OK.match(t):
        return True
    # A lower-case start is a sentence only where the text before it ended one.
    return previous is None or ends_sentence(previous) or previous.strip().endswith(":")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def paper_units(
    sentences: list[Sentence], passages: dict[int, Passage], max_words: int = 80
) -> Iterator[Unit]:
    """The candidate claims of one paper, in reading order.

    Args:
        sentences: the paper's stored sentences, in reading order.
        passages: the paper's passages by id (for list items, which are passages of their own).
        max_words: a longer list item is split into its sentences.
    """
    section, lead, previous, list_lead = None, None, None, None
    groups = [list(g) for _, g in itertools.groupby(sentences, key=_paragraph)]
    for i, sents in enumerate(groups):
        first = sents[0]
        if first.section != section:
            section, lead, previous = first.section, None, None
        passage = passages.get(first.passage_id) if first.passage_id is not None else None
        ptext = passage.text if passage else " ".join(s.text for s in sents)
        item = _clean(ITEM.sub("", ptext, count=1))
        # An item of whole sentences is read sentence by sentence; an item in bullet style (no
        # final period, or one line) is one unit.
        bullet_style = len(sents) == 1 or not ends_sentence(sents[-1].text)
        is_item = ITEM.match(ptext) and first.kind in ("body", "abstract")
        if is_item and bullet_style and _fits(item, max_words):
            if len(item.split()) <= LEAD_IN_MAX_WORDS and not ends_sentence(item):
                lead = item.rstrip(":").strip()
            else:
                yield Unit(first, item, _scoring_section(section or "", lead or list_lead), True)
            previous = item if ends_sentence(item) else item + ":"
            continue
        if not (is_item and list_lead):
            list_lead = None
        lead = None
        if ITEM.match(ptext):
            previous = None  # a list item starts where its marker is
        nxt = groups[i + 1][0] if i + 1 < len(groups) else None
        # (a list under the next section title is not introduced by this paragraph)
        list_follows = (
            nxt is not None and nxt.section == first.section and _starts_list(nxt, passages)
        )
        acc: list[str] = []
        for j, s in enumerate(sents):
            acc.append(s.text)
            last = j == len(sents) - 1
            text = _clean(" ".join(acc))
            if len(acc) == j + 1:  # the item's marker, split off as a sentence or not
                text = ITEM.sub("", text, count=1)
            same_section = not last and sents[j + 1].section == s.section
            if same_section and (
                not ends_sentence(text) or _split_at_abbreviation(text, sents[j + 1])
            ):
                continue  # the splitter broke a sentence inside its paragraph: read on
            start = sents[j - len(acc) + 1]
            whole = is_whole_in_context(text, previous, introduces_list=last and list_follows)
            yield Unit(start, text, _scoring_section(start.section, list_lead), whole)
            previous, acc = text, []
        if list_follows and not is_item:
            list_lead = _names_list(previous or "")


def _split_at_abbreviation(text: str, following: Sentence) -> bool:
    """A period after a short word ("AVG Acc.") with the paragraph going on in lower case."""
    return bool(_SHORT_END.search(text)) and bool(re.match(r"[a-z]", following.text.lstrip()))


def _paragraph(sentence: Sentence) -> object:
    """A sentence's paragraph: its passage; a sentence stored without one stands alone."""
    return sentence.passage_id if sentence.passage_id is not None else ("alone", id(sentence))


def _fits(item: str, max_words: int) -> bool:
    return len(item.split()) <= max_words


def _starts_list(sentence: Sentence, passages: dict[int, Passage]) -> bool:
    passage = passages.get(sentence.passage_id) if sentence.passage_id is not None else None
    return bool(ITEM.match(passage.text if passage else sentence.text))


# The sentence before a list that says what its items are ("In summary, our key contributions
# are as follows.", "Our main findings are:"): the items are contributions or findings, however
# they are phrased ("Introducing an approach for ...", "Validating the approach in ...").
_LIST_NAMES = (
    ("Contributions", re.compile(r"\bcontributions?\b[^.]{0,40}(?:follows?|below|:)", re.I)),
    ("Findings", re.compile(r"\b(?:findings|results)\b[^.]{0,40}(?:follows?|below|:)", re.I)),
)


def _names_list(text: str) -> str | None:
    """The kind of items a list's lead-in sentence announces (contributions, findings), if any."""
    return next((name for name, pattern in _LIST_NAMES if pattern.search(text)), None)


def _scoring_section(section: str, lead: str | None) -> str:
    """A list's lead-in ("results", "method") decides the section kind when it names one."""
    from synth.claim_sections import section_kind

    if lead and section_kind(lead) not in ("other", "excluded"):
        return lead
    return section
