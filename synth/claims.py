"""Claim extraction: the whole sentences a paper asserts, typed, scored, with numbers and entities.

A claim is a whole sentence (never a cut one) from the abstract, the contributions, the results,
the analysis or the conclusions. Each is typed (result / comparison / method / contribution), gets
its numbers (``parse_numbers``) and entities (``tag_entities``), and a check-worthiness score in
[0, 1]. Near-duplicates (the abstract restating a result) are merged by embedding similarity,
keeping every (paper, page) that states them.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable

from pydantic import Field

from synth.embed import EmbedSettings
from synth.entities import parse_numbers, tag_entities
from synth.library import Library
from synth.records import Claim, Sentence
from synth.settings import Settings

__all__ = [
    "ClaimSettings",
    "classify_claim",
    "extract_claims",
    "is_whole_sentence",
    "parse_numbers",
    "score_claim",
    "tag_entities",
]

CLAIM_TYPES: tuple[str, ...] = ("result", "comparison", "method", "contribution")

# Section kinds claims are drawn from, matched on the lower-cased section title; weight = prior.
SECTION_WEIGHTS: dict[str, float] = {
    "abstract": 1.0,
    "conclusion": 0.9,
    "result": 0.9,
    "analysis": 0.8,
    "discussion": 0.8,
    "finding": 0.9,
    "evaluation": 0.7,
    "experiment": 0.6,
    "ablation": 0.7,
    "introduction": 0.5,  # only its contribution-like sentences rise above the threshold
    "contribution": 0.9,
    "summary": 0.8,
    "related work": 0.15,  # others' claims, restated
    "background": 0.2,
}
EXCLUDED_SECTIONS = ("reference", "bibliograph", "acknowledg", "appendix", "credits")
EXCLUDED_KINDS = frozenset(
    {"references", "caption", "title", "header", "footer", "table", "equation", "front", "footnote"}
)

_CONTRIBUTION = re.compile(
    r"\b(we|this (paper|work|report|study)|our (work|paper|contributions?))\b[^.]{0,60}?\b"
    r"(propose|introduce|present|contribute|release|develop|design|make (the following|three|two))",
    re.I,
)
_COMPARISON = re.compile(
    r"\b(outperform\w*|underperform\w*|better|worse|higher|lower|than|surpass\w*|beats?|"
    r"exceed\w*|compared (to|with)|relative to|versus|vs\.?|on par|comparable|competitive with|"
    r"best|worst|state[- ]of[- ]the[- ]art|improv\w* over|gains? over|drops? (of|from)|"
    r"more|less|fewer|larger|smaller|stronger|weaker)\b",
    re.I,
)
_RESULT = re.compile(
    r"\b(achiev\w*|obtain\w*|show\w*|find|found|observe\w*|result\w* in|improv\w*|reach\w*|"
    r"yield\w*|perform\w*|increas\w*|decreas\w*|reduc\w*|boost\w*|gain\w*|hurt\w*|degrad\w*|"
    r"benefit\w*|helps?|effective|significant\w*|demonstrat\w*|leads? to|drops?|scores?|"
    r"prov(?:ed|es|en)|noted|notice\w*|confirm\w*|reveal\w*|emerg\w*|(?:in)?effici\w*|"
    r"ineffective|learn(?:ed|s|t)|fail\w*|struggl\w*|bias\w*|visible|able to|unable to)\b",
    re.I,
)
_METHOD = re.compile(
    r"\b(we (use|used|train|trained|fine-tune|fine-tuned|employ|adopt|follow|apply|evaluate|"
    r"experiment|implement|select|selected|choose|set|run|compute|initiali[sz]e|utili[sz]e)|"
    r"(is|are|was|were) (trained|fine-tuned|used|computed|initiali[sz]ed|implemented)|"
    r"using|following|we build|our (baseline|approach|method|setup))\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(may|might|could|possibly|perhaps|(?:we|I) hypothesi[sz]e|(?:we|I) believe)\b", re.I
)
_CITED = re.compile(r"et al\.|\(\w[^()]*\d{4}\)")
_NOT_A_CLAIM = re.compile(
    r"^(Table|Figure|Fig\.)\s*\d|^\W*$|https?://|@|\bcopyright\b|^(In )?Proceedings", re.I
)


class ClaimSettings(Settings):
    """How claims are drawn from a library."""

    min_score: float = Field(
        default=0.5, ge=0, le=1, description="Keep sentences scoring at least this."
    )
    min_words: int = Field(default=6, ge=1, description="Shorter sentences are not claims.")
    max_words: int = Field(default=80, ge=5, description="Longer 'sentences' are parse debris.")
    dedup_threshold: float = Field(
        default=0.9, ge=0, le=1, description="Cosine similarity above which two claims merge."
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


def classify_claim(text: str) -> str:
    """Type a claim: ``contribution``, ``comparison``, ``result`` or ``method``.

    Args:
        text: the claim sentence.

    Returns:
        One of :data:`CLAIM_TYPES`.
    """
    if _CONTRIBUTION.search(text):
        return "contribution"
    has_numbers = bool(parse_numbers(text))
    result_cue = bool(_RESULT.search(text))
    if _COMPARISON.search(text) and (has_numbers or result_cue or _any_entity(text)):
        return "comparison"
    if _METHOD.search(text) and not (result_cue and has_numbers):
        return "method"
    if has_numbers or result_cue:
        return "result"
    return "method"


def _any_entity(text: str) -> bool:
    return any(tag_entities(text).values())


def section_weight(section: str, kind: str = "body") -> float:
    """Prior weight of a section for claims (0 for sections claims are never drawn from)."""
    low = (section or "").lower()
    if kind == "abstract" or "abstract" in low:
        return SECTION_WEIGHTS["abstract"]
    if kind in EXCLUDED_KINDS or any(x in low for x in EXCLUDED_SECTIONS):
        return 0.0
    weights = [w for key, w in SECTION_WEIGHTS.items() if key in low]
    return max(weights) if weights else 0.35


def score_claim(text: str, section: str = "", kind: str = "body") -> float:
    """Check-worthiness in [0, 1]: would a careful reader list this sentence as a claim to check?

    A logistic score over cues: stated numbers (with units or metrics), comparison and result
    verbs, named entities, first-person findings, the section's prior; hedges, citations of
    others' work and questions lower it.
    """
    numbers = parse_numbers(text)
    ents = tag_entities(text)
    words = len(text.split())
    z = -2.6 + 2.4 * section_weight(section, kind)
    z += 0.9 * bool(numbers) + 0.5 * any(n.unit or n.metric for n in numbers)
    z += 0.8 * bool(_COMPARISON.search(text)) + 0.9 * bool(_RESULT.search(text))
    z += 1.4 * bool(_CONTRIBUTION.search(text))
    z += 0.25 * min(4, sum(len(v) for v in ents.values()))
    z += 0.4 * bool(re.search(r"\b([Ww]e|[Oo]ur|I)\b", text))
    z -= 0.6 * bool(_HEDGE.search(text)) + 0.8 * bool(_CITED.search(text))
    z -= 2.0 * text.rstrip().endswith("?") + 1.0 * (words < 8)
    z -= 0.8 * bool(_METHOD.search(text) and not numbers)
    return round(1.0 / (1.0 + math.exp(-z)), 4)


def claim_id(paper_id: str | None, text: str) -> str:
    """Stable id: the paper and a hash of the normalized text."""
    norm = re.sub(r"\s+", " ", text.strip().lower())
    digest = hashlib.sha256(norm.encode()).hexdigest()[:10]
    return f"{paper_id or 'user'}#{digest}"


def claim_from_sentence(sentence: Sentence, settings: ClaimSettings) -> Claim | None:
    """The claim a sentence makes, or None when it is not a check-worthy whole sentence."""
    text = re.sub(r"\s+", " ", sentence.text).strip()
    words = len(text.split())
    if not (settings.min_words <= words <= settings.max_words):
        return None
    if not is_whole_sentence(text) or _NOT_A_CLAIM.search(text):
        return None
    if section_weight(sentence.section, sentence.kind) == 0.0:
        return None
    score = score_claim(text, sentence.section, sentence.kind)
    if score < settings.min_score:
        return None
    return Claim(
        claim_id=claim_id(sentence.paper_id, text),
        text=text,
        paper_id=sentence.paper_id,
        page=sentence.page,
        section=sentence.section,
        sentence_id=sentence.sentence_id,
        type=classify_claim(text),
        score=score,
        numbers=parse_numbers(text),
        entities=tag_entities(text),
        sources=((sentence.paper_id, sentence.page),),
    )


def merge_near_duplicates(claims: list[Claim], vectors: object, threshold: float) -> list[Claim]:
    """Merge claims whose embeddings are at least ``threshold`` similar, keeping every source.

    The highest-scoring claim of a group speaks for it; claims stating different numbers never merge.
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
            if sims[j] >= threshold and same_numbers:
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
    # === Step 1: candidate sentences -> scored, typed claims
    by_paper: dict[str, list[Claim]] = {}
    for sentence in library.sentences(paper_id=paper_id):
        claim = claim_from_sentence(sentence, settings)
        if claim is not None:
            by_paper.setdefault(sentence.paper_id, []).append(claim)
    if not by_paper:
        return []
    # === Step 2: merge near-duplicates within each paper (the abstract restating a result)
    embedder = embedder or Embedder(settings.embed, library)
    merged: list[Claim] = []
    for claims in by_paper.values():
        vectors = embedder.encode([c.text for c in claims])  # type: ignore[attr-defined]
        merged.extend(merge_near_duplicates(claims, vectors, settings.dedup_threshold))
    return merged


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
        done = library.kv_get("claims_extracted", f"{pid}|{settings.settings_hash()}")
        if done:
            out.extend(claim_from_dict(json.loads(r[0])) for r in rows)
        else:
            missing.append(pid)
    for pid in missing:
        claims = extract_claims(library, pid, settings)
        store_claims(library, claims, settings)
        library.kv_put("claims_extracted", f"{pid}|{settings.settings_hash()}", len(claims))
        out.extend(claims)
    out.sort(
        key=lambda c: (papers.index(c.paper_id) if c.paper_id in papers else 0, c.sentence_id or 0)
    )
    return out
