"""Claim extraction: the whole sentences a paper asserts, typed, scored, with numbers and entities.

A claim is a whole sentence (never a cut one) or a whole list item (``synth.claim_units``), drawn
mostly from the abstract, the contributions, the results, the analysis and the conclusions, and
elsewhere where the authors state their own findings or design decisions. Its check-worthiness
score in [0, 1] is a logistic over a section prior (the section read with its chapter:
``synth.claim_outline``) and named phrase cues (``synth.claim_cues``), stated numbers (more when
stated as an outcome) and named entities; ``score_parts`` shows each part, and sentences under
``min_score`` are not claims. A learned model over the same parts (``synth.claim_ranker``, fitted
on careful readers' lists by ``scripts/fit_claim_ranker.py``) scores instead when its JSON is
present; none ships: by leave-one-paper-out it did not beat these hand weights. Each claim is typed (``synth.claim_types``: result / comparison /
method / contribution), gets its numbers (``parse_numbers``) and entities (``tag_entities``).
Near-duplicates (the abstract restating a result) are merged by embedding similarity and shared
words, keeping every (paper, page) that states them. Each paper then lists its most check-worthy
claims within a budget (a share of its prose sentences, with a floor; or exactly ``top``): a
careful reader lists the findings, not every sentence in the authors' voice.
``bench/extract_recall.py`` measures recall, share listed and ranking against careful-reader lists.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable

from pydantic import Field

from synth.claim_cues import SECTION_PRIORS, claim_logit, section_kind
from synth.claim_outline import outline_kinds, read_with_content
from synth.claim_ranker import active_ranker, ranker_features, ranker_identity
from synth.claim_types import CLAIM_TYPES, classify_claim
from synth.claim_units import Unit, paper_units
from synth.embed import EmbedSettings
from synth.entities import parse_numbers, tag_entities
from synth.library import Library
from synth.records import Claim, Sentence
from synth.settings import Settings

__all__ = [
    "CLAIM_TYPES",
    "ClaimSettings",
    "check_worthiness",
    "classify_claim",
    "extract_claims",
    "is_whole_sentence",
    "parse_numbers",
    "score_claim",
    "score_parts",
    "section_kind",
    "tag_entities",
]

# Bump when the cues, units or typing rules change: claims stored by older rules are redone.
RULES_VERSION = "cues-7"
# Logit offset that puts a plain statement in a results section near the 0.5 line: cues decide.
_BIAS = -0.4

_OUTCOME_CUES = ("outcome_verb", "comparison", "finding_verb", "result_phrase")
_OTHERS_CUES = ("cited", "background")
# Sentence kinds that count as a paper's prose (the budget's base).
PROSE_KINDS = frozenset({"body", "abstract"})
# Passage kinds that never hold claims (tables hold numbers, but not sentences that state them).
EXCLUDED_KINDS = frozenset(
    {"references", "caption", "title", "header", "footer", "table", "equation", "front", "footnote"}
)
_NOT_A_CLAIM = re.compile(
    r"^(Table|Figure|Fig\.)\s*\d|^\W*$|https?://|[\w.+-]+@[\w-]+\.[a-z]|\bcopyright\b|"
    r"^(In )?Proceedings",
    re.I,
)


class ClaimSettings(Settings):
    """How claims are drawn from a library."""

    min_score: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Keep sentences scoring at least this (the check-worthiness line: the hand "
        "score is a logistic over section prior and cues, 0.5 where they balance; with a "
        "learned ranker (synth.claim_ranker) the probability that a careful reader lists it).",
    )
    budget_share: float = Field(
        default=0.35,
        gt=0,
        le=1,
        description="List at most this share of a paper's prose sentences (or budget_floor, "
        "whichever is more), the highest-scored first: a careful reader lists the findings, not "
        "every sentence that says 'we'. On the readers' lists (bench/extract_recall.py "
        "--shared-dev --tradeoff) 0.25 recovers 0.78 of their claims listing 26% of the prose, "
        "0.35 recovers 0.81 listing 31%. 1.0 with a floor of 0 turns the budget off.",
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
        if any(k in parts for k in _OUTCOME_CUES) and not any(k in parts for k in _OTHERS_CUES):
            # A number stated as an outcome ("X outperforms Y by 2.1 BLEU") is a measured
            # finding, in the first person or not: it ranks with the authors' own findings
            # (unless it is cited work's).
            parts["measured"] = 0.8
            # "For example, ours achieve 35.9% EM ...": an instance of the authors' own
            # measured finding, not an illustration of a phrase.
            parts.pop("illustration", None)
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
    z = sum(score_parts(text, section, kind, outline).values())
    return round(1.0 / (1.0 + math.exp(-z)), 4)


def check_worthiness(
    text: str,
    section: str = "",
    kind: str = "body",
    outline: dict[str, str] | None = None,
    place: dict[str, float] | None = None,
) -> float:
    """A paper claim's ``score``: how likely a careful reader is to list the sentence.

    The hand weights (:func:`score_claim`), or a learned model (``synth.claim_ranker``: a
    logistic regression over :func:`score_parts` fitted on careful readers' lists) when its JSON
    is present or one is set with ``use_ranker``. ``place``: where the unit sits in its paper
    (:func:`paper_candidates`).
    """
    ranker = active_ranker()
    if ranker is None:
        return score_claim(text, section, kind, outline)
    parts = score_parts(text, section, kind, outline)
    return round(ranker.probability(ranker_features(text, parts, place)), 4)


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
        _NOT_A_CLAIM.search(text) or section_weight(sentence.section, sentence.kind, outline) == 0
    )


# Cues of a stated finding, and those that say a sentence is not one (for reading sections).
_FINDING_PARTS = ("finding_verb", "result_phrase", "measured")
_NOT_FINDING_PARTS = ("instruction", "question", "future", "cited", "background")


def states_finding(parts: dict[str, float]) -> bool:
    """Whether a sentence's score parts say it states a finding (of the authors' own)."""
    return any(k in parts for k in _FINDING_PARTS) and not any(
        k in parts for k in _NOT_FINDING_PARTS
    )


def paper_outline(sentences: list[Sentence], units: list[Unit]) -> dict[str, str]:
    """A paper's section kinds: read from its titles with their chapters, then corrected by
    what the sections say (``synth.claim_outline.read_with_content``)."""
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
    out = []
    for i, u in enumerate(units):
        if not is_candidate(u, settings, outline):
            continue
        start = sections.index(sections[i])  # a section's units are contiguous enough here
        size = sum(1 for s in sections if s == sections[i])
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


def word_overlap(a: str, b: str) -> float:
    """Jaccard overlap of the lower-cased word sets of two texts."""
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def merge_near_duplicates(
    claims: list[Claim], vectors: object, threshold: float, min_overlap: float = 0.0
) -> list[Claim]:
    """Merge claims whose embeddings are at least ``threshold`` similar, keeping every source.

    The highest-scoring claim of a group speaks for it; claims stating different numbers never
    merge, nor do claims sharing less than ``min_overlap`` of their words.
    """
    import numpy as np

    vecs = np.asarray(vectors, dtype=np.float32)
    order = sorted(range(len(claims)), key=lambda i: -claims[i].score)
    kept: list[int] = []
    sources: dict[int, list[tuple[str, int]]] = {}
    for i in order:
        target = None
        if kept:
            sims = vecs[kept] @ vecs[i]
            j = int(np.argmax(sims))
            same_numbers = {n.value for n in claims[i].numbers} == {
                n.value for n in claims[kept[j]].numbers
            }
            lexical = word_overlap(claims[i].text, claims[kept[j]].text) >= min_overlap
            if sims[j] >= threshold and same_numbers and lexical:
                target = kept[j]
        if target is None:
            kept.append(i)
            sources[i] = list(claims[i].sources)
        else:
            sources[target].extend(s for s in claims[i].sources if s not in sources[target])
    kept.sort(key=lambda i: (claims[i].paper_id or "", claims[i].sentence_id or 0))
    return [_with_sources(claims[i], sources[i]) for i in kept]


def _with_sources(claim: Claim, sources: Iterable[tuple[str, int]]) -> Claim:
    from dataclasses import replace

    return replace(claim, sources=tuple(sources))


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
        for unit, place in candidates:
            claim = claim_from_unit(unit, settings, outline, place)
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


def paper_budget(prose_sentences: int, settings: ClaimSettings) -> int:
    """How many claims a paper with this many prose sentences may list."""
    if settings.top is not None:
        return settings.top
    return max(settings.budget_floor, math.ceil(settings.budget_share * prose_sentences))


def within_budget(claims: list[Claim], budget: int) -> list[Claim]:
    """The ``budget`` highest-scored claims (ties: the earlier one), kept in reading order."""
    if len(claims) <= budget:
        return claims
    ranked = sorted(range(len(claims)), key=lambda i: (-claims[i].score, i))
    keep = set(ranked[:budget])
    return [c for i, c in enumerate(claims) if i in keep]


def store_claims(library: Library, claims: list[Claim], settings: ClaimSettings) -> None:
    """Replace the stored claims of the papers in ``claims`` (one transaction)."""
    import json

    papers = sorted({c.paper_id for c in claims if c.paper_id})
    with library.transaction() as conn:
        conn.executemany("DELETE FROM claims WHERE paper_id=?", [(p,) for p in papers])
        conn.executemany(
            "INSERT OR REPLACE INTO claims (claim_id, paper_id, settings_hash, payload)"
            " VALUES (?,?,?,?)",
            [
                (c.claim_id, c.paper_id, settings.settings_hash(), json.dumps(c.to_dict()))
                for c in claims
            ],
        )


def claim_from_dict(data: dict) -> Claim:
    """Rebuild a Claim from its ``to_dict`` form."""
    from synth.records import Number

    fields = dict(data)
    fields["numbers"] = tuple(Number(**n) for n in data.get("numbers", ()))
    fields["entities"] = {k: tuple(v) for k, v in data.get("entities", {}).items()}
    fields["sources"] = tuple(tuple(s) for s in data.get("sources", ()))
    return Claim(**fields)


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
        done = library.kv_get("claims_extracted", _done_key(pid, settings))
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
        library.kv_put("claims_extracted", _done_key(pid, settings), stored)
        out.extend(claims)
    out.sort(
        key=lambda c: (papers.index(c.paper_id) if c.paper_id in papers else 0, c.sentence_id or 0)
    )
    return out
