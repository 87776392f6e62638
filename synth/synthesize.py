"""Synthesis: a question in, the library's relevant claims out, grouped by theme, cited, compared.

Claims are ranked by relevance to the question (embedding similarity, content-word and entity
overlap), grouped into themes (the task or dataset they are about, else embedding clusters), and
compared across papers: two claims on the same point agree, or conflict when the checks of
``synth.textchecks`` find opposite directions, a negation or different numbers. Every line cites
paper and page; machine-generated sources are shown, marked, and left out of the evidence count.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from pydantic import Field

from synth.claims import ClaimSettings, library_claims
from synth.embed import Embedder, EmbedSettings
from synth.library import Library
from synth.records import Claim
from synth.search import STOPWORDS, content_words
from synth.settings import Settings
from synth.textchecks import direction_flip, facts, negation_mismatch, numeric_agreement


class SynthesisSettings(Settings):
    """How a question is answered from the library's claims."""

    top_n: int = Field(default=20, ge=1, description="Claims kept after ranking by relevance.")
    min_relevance: float = Field(default=0.3, ge=0, le=1, description="Claims below are dropped.")
    same_point: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="Similarity at which two claims speak to the same point.",
    )
    theme_threshold: float = Field(
        default=0.45, ge=0, le=1, description="Similarity to join an embedding-cluster theme."
    )
    claims: ClaimSettings = Field(default_factory=ClaimSettings, description="Claim extraction.")
    embed: EmbedSettings = Field(default_factory=EmbedSettings, description="Encoder.")


@dataclass(frozen=True)
class CitedClaim:
    """A claim as a line of the synthesis: relevance, citations, how it relates to the others."""

    claim: Claim
    relevance: float
    citations: tuple[tuple[str, int], ...]  # (paper id, page)
    machine_generated: bool = False
    agrees_with: tuple[str, ...] = ()  # claim ids
    conflicts_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """Claims about one thing, with the human-written papers that back them."""

    name: str
    claims: tuple[CitedClaim, ...]
    papers: tuple[str, ...]  # human-written papers cited (the evidence count)
    machine_generated_papers: tuple[str, ...] = ()

    @property
    def evidence_count(self) -> int:
        return len(self.papers)


@dataclass(frozen=True)
class Synthesis:
    """The answer to a question from one library."""

    question: str
    themes: tuple[Theme, ...]
    considered: int  # claims in the library
    excluded_machine_generated: tuple[str, ...]
    settings_hash: str
    models: dict[str, str] = field(default_factory=dict)


def relate(a: Claim, b: Claim) -> str | None:
    """'conflict' when two claims on one point disagree (direction, negation, numbers), else 'agree'."""
    fa, fb = facts(a.text), facts(b.text)
    _, conflicting = numeric_agreement(fa, fb)
    if direction_flip(fa, fb) >= 1.0 or negation_mismatch(fa, fb) or conflicting >= 0.5:
        return "conflict"
    return "agree"


def _theme_key(claim: Claim) -> str | None:
    for kind in ("tasks", "datasets", "models"):
        names = claim.entities.get(kind, ())
        if names:
            return names[0]
    return None


def _group(claims: list[Claim], vecs: np.ndarray, threshold: float) -> dict[str, list[int]]:
    """Themes: the first named task/dataset/model; otherwise greedy embedding clusters."""
    keyed: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        keyed.setdefault(_theme_key(c) or "", []).append(i)
    # A named task/dataset/model is a theme when two claims or more share it.
    groups = {k: v for k, v in keyed.items() if k and len(v) >= 2}
    loose = sorted(i for k, v in keyed.items() if not k or len(v) < 2 for i in v)
    clusters: list[list[int]] = []
    for i in loose:
        best = max(clusters, key=lambda cl: float(vecs[cl].mean(0) @ vecs[i]), default=None)
        if best is not None and float(vecs[best].mean(0) @ vecs[i]) >= threshold:
            best.append(i)
        else:
            clusters.append([i])
    for cl in clusters:
        words = Counter(
            w
            for i in cl
            for w in set(re.findall(r"[a-z][a-z-]+", claims[i].text.lower()))
            if len(w) > 3 and w not in STOPWORDS
        )
        name = ", ".join(w for w, _ in words.most_common(3)) or "other"
        groups.setdefault(name, []).extend(cl)
    return groups


def synthesize(
    library: Library, question: str, settings: SynthesisSettings | None = None
) -> Synthesis:
    """Answer ``question`` from the library's claims (see the module docstring)."""
    settings = settings or SynthesisSettings()
    embedder = Embedder(settings.embed, library)
    papers = {p.paper_id: p for p in library.papers()}
    # === Step 1: every claim of the library, ranked by relevance to the question
    claims = library_claims(library, settings=settings.claims)
    if not claims:
        return Synthesis(
            question, (), 0, (), settings.settings_hash(), {"embedding": embedder.stamp}
        )
    qvec = embedder.encode([question])[0]
    vecs = embedder.encode([c.text for c in claims])
    qwords = content_words(question)
    rel = vecs @ qvec * 0.7 + 0.3 * np.array(
        [len(qwords & content_words(c.text)) / max(1, len(qwords)) for c in claims]
    )
    order = [i for i in np.argsort(-rel) if rel[i] >= settings.min_relevance][: settings.top_n]
    kept = [claims[i] for i in order]
    kvecs = vecs[order]
    # === Step 2: themes
    groups = _group(kept, kvecs, settings.theme_threshold)
    # === Step 3: agreement and conflict across papers, citations, evidence counts
    mg = {pid for pid, p in papers.items() if p.machine_generated}
    themes = []
    for name, idx in groups.items():
        lines = []
        for i in idx:
            c = kept[i]
            agree, conflict = [], []
            for j in idx:
                other = kept[j]
                if (
                    j == i
                    or other.paper_id == c.paper_id
                    or float(kvecs[i] @ kvecs[j]) < settings.same_point
                ):
                    continue
                (conflict if relate(c, other) == "conflict" else agree).append(other.claim_id)
            cites = c.sources or ((c.paper_id or "", c.page or 0),)
            lines.append(CitedClaim(c, round(float(rel[order[i]]), 4), tuple(cites),
                                    c.paper_id in mg, tuple(agree), tuple(conflict)))  # fmt: skip
        human = tuple(sorted({p for ln in lines for p, _ in ln.citations if p not in mg}))
        machine = tuple(sorted({p for ln in lines for p, _ in ln.citations if p in mg}))
        themes.append(Theme(name, tuple(lines), human, machine))
    themes.sort(key=lambda t: -max(cl.relevance for cl in t.claims))
    return Synthesis(
        question=question,
        themes=tuple(themes),
        considered=len(claims),
        excluded_machine_generated=tuple(sorted(mg)),
        settings_hash=settings.settings_hash(),
        models={"embedding": embedder.stamp},
    )
