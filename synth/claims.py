"""Claim extraction: the whole sentences a paper asserts, typed, scored, with numbers and entities.

A claim is a whole sentence (never a cut one) or a whole list item (``synth.claim_units``), drawn
mostly from the abstract, the contributions, the results, the analysis and the conclusions, and
elsewhere where the authors state their own findings or design decisions. Its check-worthiness score
in [0, 1] is a logistic over a section prior (the section read with its chapter and with what it
says: ``synth.claim_outline``, ``paper_outline``) and named phrase cues (``synth.claim_cues``),
stated numbers (more when stated as an outcome) and named entities, and where the sentence sits in
its section (``synth.claim_scoring.place_step``: the end of an abstract or introduction, the start
of a conclusion, the opening of a method or data section); ``score_parts`` shows each cue part,
and sentences under ``min_score`` are not claims. A learned model over the same parts
(``synth.claim_ranker``, fitted on careful readers' lists by ``scripts/fit_claim_ranker.py``) scores
instead when its JSON is present, behind the hand weights' gate (it orders what they would list);
one ships (``synth/claim_ranker.json``, fitted on the 82 papers with readers' lists: by
leave-one-paper-out it recovers more and ranks better than these hand weights at the same share
listed; ``synth.claim_scoring`` holds the hand weights). Each claim is typed (``synth.claim_types``: result / comparison /
method / contribution), gets its numbers (``parse_numbers``) and entities (``tag_entities``).
Near-duplicates (the abstract restating a result) are merged by embedding similarity and shared
words, keeping every (paper, page) that states them. Each paper then lists its most check-worthy
claims within a budget (a share of its prose sentences, with a floor; or exactly ``top``): a careful
reader lists the findings, not every sentence in the authors' voice (``synth.claim_select``). Stored
claims live in ``synth.claim_store``. ``bench/extract_recall.py`` measures recall, share listed and
ranking against careful-reader lists.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from pydantic import Field

from synth.claim_cues import label_points_only
from synth.claim_outline import outline_kinds, read_with_content
from synth.claim_ranker import ranker_identity
from synth.claim_scoring import (
    check_worthiness,
    score_claim,
    score_parts,
    section_weight,
    states_finding,
)
from synth.claim_sections import section_kind
from synth.claim_select import merge_near_duplicates, paper_budget, within_budget
from synth.claim_store import DONE_KV, claim_from_dict, store_claims
from synth.claim_types import CLAIM_TYPES, classify_claim
from synth.claim_units import Unit, paper_units
from synth.embed import EmbedSettings
from synth.entities import parse_numbers, tag_entities
from synth.library import Library
from synth.records import Claim, Sentence
from synth.settings import Settings

# Public names, several defined in the modules this one orchestrates (import them from here).
__all__ = [
    "CLAIM_TYPES",
    "PROSE_KINDS",
    "ClaimSettings",
    "check_worthiness",
    "claim_from_dict",
    "claim_id",
    "classify_claim",
    "extract_claims",
    "is_whole_sentence",
    "library_claims",
    "merge_near_duplicates",
    "paper_budget",
    "paper_candidates",
    "paper_outline",
    "parse_numbers",
    "score_claim",
    "score_parts",
    "section_kind",
    "section_weight",
    "states_finding",
    "store_claims",
    "tag_entities",
    "within_budget",
]

# Bump when the cues, units or typing rules change: claims stored by older rules are redone.
RULES_VERSION = "cues-36"
# Sentence kinds that count as a paper's prose (the budget's base).
PROSE_KINDS = frozenset({"body", "abstract"})
_NOT_A_CLAIM = re.compile(
    r"^\W*$|https?://|[\w.+-]+@[\w-]+\.[a-z]|\bcopyright\b|^(In )?Proceedings", re.I
)


class ClaimSettings(Settings):
    """How claims are drawn from a library."""

    min_score: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Keep sentences scoring at least this (the check-worthiness line: the hand "
        "score is a logistic over section prior and cues, 0.5 where they balance; with a "
        "learned ranker (synth.claim_ranker) its odds that a careful reader lists it against "
        "those of its listing line, 0.5 at the line).",
    )
    budget_share: float = Field(
        default=0.35,
        gt=0,
        le=1,
        description="List at most this share of a paper's prose sentences (or budget_floor, "
        "whichever is more), the highest-scored first: a careful reader lists the findings, not "
        "every sentence that says 'we'. On the readers' lists of 15 papers (bench/extract_recall.py "
        "--shared-dev --tradeoff, floor 40; rules cues-20) 0.25 recovers 0.83 of their claims "
        "listing 26% of the prose, 0.30 recovers 0.87 listing 29%, 0.35 recovers 0.90 listing "
        "32%. 1.0 with a floor of 0 turns the budget off.",
    )
    budget_floor: int = Field(
        default=40,
        ge=0,
        description="A paper may always list this many claims (short papers and reports): "
        "room above the 21-30 claims careful readers listed per paper, whose lists are not "
        "exhaustive (min_score still applies).",
    )
    top: int | None = Field(
        default=None,
        ge=1,
        description="Exactly the top N claims per paper by score (replaces the budget).",
    )
    min_words: int = Field(
        default=4, ge=1, description="Shorter sentences (and list items) are not claims."
    )
    max_words: int = Field(default=80, ge=5, description="Longer 'sentences' are parse debris.")
    dedup_threshold: float = Field(
        default=0.9, ge=0, le=1, description="Cosine similarity above which two claims merge."
    )
    dedup_min_overlap: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Share of words two claims must also have in common to merge (Jaccard): "
        "a small encoder rates two framing sentences of one paper as near-duplicates.",
    )
    embed: EmbedSettings = Field(
        default_factory=EmbedSettings, description="Encoder used for near-duplicate merging."
    )


def is_whole_sentence(text: str) -> bool:
    """True when ``text`` starts like a sentence and ends with terminal punctuation."""
    t = text.strip()
    if not t:
        return False
    starts = t[0].isupper() or t[0].isdigit() or t[0] in "\"'“‘(["
    ends = re.search(r"[.!?][\"'”’)\]]*$", t) is not None
    return starts and ends and not t.endswith("et al.") and not t.endswith(" e.g.")


def claim_id(paper_id: str | None, text: str) -> str:
    """Stable id: the paper and a hash of the normalized text."""
    norm = re.sub(r"\s+", " ", text.strip().lower())
    digest = hashlib.sha256(norm.encode()).hexdigest()[:10]
    return f"{paper_id or 'user'}#{digest}"


def is_candidate(
    unit: Unit, settings: ClaimSettings, outline: dict[str, str] | None = None
) -> bool:
    """Whether a unit may be a claim at all: whole, of claim length, in a section claims come from."""
    sentence, text = unit.sentence, unit.text
    words = len(text.split())
    if not unit.whole or not (settings.min_words <= words <= settings.max_words):
        return False
    return not (
        _NOT_A_CLAIM.search(text)
        or label_points_only(text)
        or section_weight(sentence.section, sentence.kind, outline) == 0
    )


def paper_outline(sentences: list[Sentence], units: list[Unit]) -> dict[str, str]:
    """A paper's section kinds, read from its titles and from what its sections say.

    Args:
        sentences: the paper's stored sentences, in reading order (their section titles).
        units: the paper's units (``synth.claim_units.paper_units``): the share of each
            section's whole prose sentences that state a finding (:func:`states_finding`)
            corrects the kinds read from the titles with their chapters
            (``synth.claim_outline.read_with_content``).

    Returns:
        Section title -> kind, as ``section_kind`` reads it.
    """
    outline = outline_kinds(s.section for s in sentences)
    findings: dict[str, tuple[int, int]] = {}
    for u in units:
        if not u.whole or u.sentence.kind not in PROSE_KINDS:
            continue
        parts = score_parts(u.text, u.section, u.sentence.kind, outline)
        found, n = findings.get(u.sentence.section, (0, 0))
        findings[u.sentence.section] = (found + states_finding(parts), n + 1)
    return read_with_content(outline, findings)


def paper_candidates(
    library: Library, paper_id: str, settings: ClaimSettings
) -> tuple[dict[str, str], list[tuple[Unit, dict[str, float]]]]:
    """A paper's outline and its candidate units (:func:`is_candidate`), each with its place.

    The place: ``position`` among all the paper's units and ``section_position`` among its
    section's, 0 (first) to 1 (last); ``section_first`` and ``paragraph_first`` (1 or 0).
    """
    passages = {p.passage_id: p for p in library.passages(paper_id) if p.passage_id is not None}
    sentences = library.sentences(paper_id=paper_id)
    units = list(paper_units(sentences, passages, settings.max_words))
    outline = paper_outline(sentences, units)
    sections = [u.sentence.section for u in units]
    # A section's units are contiguous enough here: its first unit starts it.
    starts: dict[str, int] = {}
    for i, s in enumerate(sections):
        starts.setdefault(s, i)
    sizes = Counter(sections)
    out = []
    for i, u in enumerate(units):
        if not is_candidate(u, settings, outline):
            continue
        start, size = starts[sections[i]], sizes[sections[i]]
        prev = units[i - 1].sentence.passage_id if i else None
        place = {
            "position": i / max(1, len(units) - 1),
            "section_position": min(1.0, (i - start) / max(1, size - 1)),
            "section_first": float(i == start),
            "paragraph_first": float(u.sentence.passage_id != prev),
        }
        out.append((u, place))
    return outline, out


def claim_from_unit(
    unit: Unit,
    settings: ClaimSettings,
    outline: dict[str, str] | None = None,
    place: dict[str, float] | None = None,
) -> Claim | None:
    """The claim a unit makes, or None when it is not a check-worthy whole sentence or item.

    ``outline``: the paper's section kinds read with their chapters (``outline_kinds``);
    ``place``: where the unit sits in its paper (:func:`paper_candidates`; None when unknown).
    """
    if not is_candidate(unit, settings, outline):
        return None
    return _scored_claim(unit, settings, outline, place)


def _scored_claim(
    unit: Unit,
    settings: ClaimSettings,
    outline: dict[str, str] | None,
    place: dict[str, float] | None,
) -> Claim | None:
    """The claim a candidate unit makes (:func:`is_candidate`), or None under ``min_score``."""
    sentence, text = unit.sentence, unit.text
    score = check_worthiness(text, unit.section, sentence.kind, outline, place)
    if score < settings.min_score:
        return None
    return Claim(
        claim_id=claim_id(sentence.paper_id, text),
        text=text,
        paper_id=sentence.paper_id,
        page=sentence.page,
        section=sentence.section,
        sentence_id=sentence.sentence_id,
        type=classify_claim(text, unit.section, outline),
        score=score,
        numbers=parse_numbers(text),
        entities=tag_entities(text),
        sources=((sentence.paper_id, sentence.page),),
    )


def claim_from_sentence(sentence: Sentence, settings: ClaimSettings) -> Claim | None:
    """The claim a lone sentence makes (no neighbours known: it must look whole by itself)."""
    text = re.sub(r"\s+", " ", sentence.text).strip()
    unit = Unit(sentence, text, sentence.section, is_whole_sentence(text))
    return claim_from_unit(unit, settings)


def extract_claims(
    library: Library,
    paper_id: str | None = None,
    settings: ClaimSettings | None = None,
    embedder: object | None = None,
) -> list[Claim]:
    """Extract the claims of one paper (or of every paper) in the library.

    Args:
        library: the library to read sentences from.
        paper_id: only this paper; all papers when None.
        settings: extraction settings.
        embedder: an :class:`synth.embed.Embedder` for merging; made from the settings when None.

    Returns:
        Claims in reading order, near-duplicates merged within each paper.
    """
    from synth.embed import Embedder

    settings = settings or ClaimSettings()
    # === Step 1: whole sentences and list items -> scored, typed claims
    by_paper: dict[str, list[Claim]] = {}
    papers = [paper_id] if paper_id else [p.paper_id for p in library.papers()]
    for pid in papers:
        outline, candidates = paper_candidates(library, pid, settings)
        for unit, place in candidates:  # already candidates: score them
            claim = _scored_claim(unit, settings, outline, place)
            if claim is not None:
                by_paper.setdefault(pid, []).append(claim)
    if not by_paper:
        return []
    # === Step 2: merge near-duplicates within each paper (the abstract restating a result)
    embedder = embedder or Embedder(settings.embed, library)
    merged: list[Claim] = []
    for pid, claims in by_paper.items():
        vectors = embedder.encode([c.text for c in claims])  # type: ignore[attr-defined]
        kept = merge_near_duplicates(
            claims, vectors, settings.dedup_threshold, settings.dedup_min_overlap
        )
        # === Step 3: the paper's budget: its most check-worthy claims, in reading order
        prose = sum(s.kind in PROSE_KINDS for s in library.sentences(paper_id=pid))
        merged.extend(within_budget(kept, paper_budget(prose, settings)))
    return merged


def _done_key(paper_id: str, settings: ClaimSettings) -> str:
    # The scoring model is part of the rules: a refitted ranker re-extracts.
    return f"{paper_id}|{settings.settings_hash()}|{RULES_VERSION}|{ranker_identity()}"


def library_claims(
    library: Library, paper_id: str | None = None, settings: ClaimSettings | None = None
) -> list[Claim]:
    """The library's claims: stored ones made with these settings, else extracted and stored."""
    import json

    settings = settings or ClaimSettings()
    papers = [paper_id] if paper_id else [p.paper_id for p in library.papers()]
    out: list[Claim] = []
    missing = []
    for pid in papers:
        rows = library.conn.execute(
            "SELECT payload FROM claims WHERE paper_id=? AND settings_hash=?",
            (pid, settings.settings_hash()),
        ).fetchall()
        done = library.kv_get(DONE_KV, _done_key(pid, settings))
        # 0 claims (a template, a front page) is a finished extraction too. A paper's stored
        # claims are those of the settings it was extracted with last (a claim id is one row):
        # when other settings replaced them, extract again.
        if done is not None and done == len(rows):
            out.extend(claim_from_dict(json.loads(r[0])) for r in rows)
        else:
            missing.append(pid)
    for pid in missing:
        claims = extract_claims(library, pid, settings)
        store_claims(library, claims, settings)
        stored = len({c.claim_id for c in claims})  # one row per claim id
        library.kv_put(DONE_KV, _done_key(pid, settings), stored)
        out.extend(claims)
    out.sort(
        key=lambda c: (papers.index(c.paper_id) if c.paper_id in papers else 0, c.sentence_id or 0)
    )
    return out
