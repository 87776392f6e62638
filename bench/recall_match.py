"""How bench/extract_recall.py matches a reader's claim to an extracted one, and checks whole sentences.

A reader's quote and a claim are bags of tokens; a claim recovers a quote when it covers enough of
the quote's tokens (and is not a fragment of it). A claim is cut mid-sentence when it does not end
where its sentence ends in the stored passage text (checked independently of the extractor).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from synth.records import Claim, Passage, Sentence

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_ABBREV_END = re.compile(r"\b(?:e\.g|i\.e|cf|vs|et al|Fig|Eq|Sec|Tab|approx|resp)\.$", re.I)


# --- matching ---------------------------------------------------------------------------------
def tokens(text: str) -> Counter[str]:
    """Normalised word and number tokens of ``text`` (a multiset)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(\w)-\s+(\w)", r"\1\2", text)  # a hyphenated line break left in either side
    return Counter(_TOKEN.findall(text))


def coverage(quote: Counter[str], text: Counter[str]) -> float:
    """Share of the quote's tokens that ``text`` contains (multiset intersection)."""
    total = sum(quote.values())
    return sum((quote & text).values()) / total if total else 0.0


def best_cover(quote: Counter[str], texts: list[Counter[str]]) -> tuple[float, int]:
    """The highest coverage of ``quote`` among ``texts`` and its index (-1 when none)."""
    best, where = 0.0, -1
    for i, t in enumerate(texts):
        c = coverage(quote, t)
        if c > best:
            best, where = c, i
    return best, where


def same_claim(gold: Counter[str], claim: Counter[str], cover: float) -> bool:
    """The claim covers the gold quote, or is a good part of it (at least half its length)."""
    if coverage(gold, claim) >= cover:
        return True
    half = sum(claim.values()) >= 0.5 * sum(gold.values())
    return half and coverage(claim, gold) >= cover


# --- whole sentences, checked on the stored text ----------------------------------------------
# A list item's marker: a bullet, a number ("1.", "2)", "(3)"), a bracketed roman numeral or
# letter ("(iv)", "b)"). Written here apart from synth.claim_units: the check is independent.
_MARKER = re.compile(r"^\s*(?:[•●▪◦∙‣○■□–—*-]|\(?\d{1,2}\)|\d{1,2}\.|\(?(?:[ivx]{1,4}|[a-h])\))\s+")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _ends(text: str) -> bool:
    t = text.strip()
    return bool(re.search(r"[.!?][\"'”’)\]]*$", t)) and not _ABBREV_END.search(t)


def _span(text: str, passage_text: str, start: int) -> tuple[int, int]:
    """Where ``text`` (whitespace collapsed) lies in the passage, searched from its sentence on."""
    pattern = r"\s*".join(re.escape(w) for w in text.split())
    m = re.compile(pattern).search(passage_text, max(0, start - 3))
    return (m.start(), m.end()) if m else (start, start + len(text))


def cut_mid_sentence(claim: Claim, passages: list[Passage], by_id: dict[int, Sentence]) -> str:
    """Why an extracted claim looks cut ('' when whole), judged on the stored passage text.

    Whole: a complete list item (its passage's whole text after the marker), or a text that ends
    with terminal punctuation (or a colon right before a list), is not followed in its passage by
    more of the same sentence (a lower-case continuation), and starts at the passage start or
    right after an ended sentence.
    """
    s = by_id.get(claim.sentence_id) if claim.sentence_id is not None else None
    if s is None:
        return "sentence not in the library"
    i = next((k for k, p in enumerate(passages) if p.passage_id == s.passage_id), None)
    if i is None:
        return "passage not in the library"
    passage, text = passages[i], _norm(claim.text)
    if _MARKER.match(passage.text) and _norm(_MARKER.sub("", passage.text, count=1)) == text:
        return ""  # a whole list item
    nxt = passages[i + 1] if i + 1 < len(passages) else None
    start, end = _span(text, passage.text, s.char_start - passage.char_start)
    before, after = passage.text[:start].rstrip(), passage.text[end:].lstrip()
    at_marker = bool(before) and bool(_MARKER.fullmatch(before + " "))
    if at_marker:
        before = "."  # the sentence starts right after its list marker
    if not before and i > 0 and passages[i - 1].section == passage.section:
        before = passages[i - 1].text.rstrip()
    if not after and nxt is not None and nxt.section == passage.section:
        after = nxt.text.lstrip()
    list_next = text.endswith(":") and bool(_MARKER.match(after))
    if not (_ends(text) or list_next):
        return "no terminal punctuation"
    # After a period, lower case goes on the same sentence when the period closed a short
    # word (an abbreviation pysbd did not know); drafts that start sentences in lower case
    # ("... beam search. this way, we ...") are not cut.
    short_end = re.search(r"\b\w{1,3}\.$", text) is not None
    if re.match(r"[a-z]", after) and not _MARKER.match(after) and (short_end or not _ends(text)):
        return "the text goes on in lower case"
    if re.match(r"[a-z]", text) and before and not (_ends(before) or before.endswith(":")):
        return "starts mid-sentence"
    return ""
