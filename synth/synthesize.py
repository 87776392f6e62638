"""Synthesis: a question in, the library's relevant claims out, grouped by theme, cited, compared.

The question is split into facets (``synth.facets``: "model size", "low-resource languages", ...).
Claims are ranked by relevance to the question (embedding similarity and how many facets they speak
to), grouped into themes by the facets they address (claims on several facets at once first), and
compared across papers: two claims on the same point agree, or conflict when the checks of
``synth.textchecks`` find opposite directions, a negation or different numbers. Every line cites
paper and page; machine-generated sources are shown, marked, and left out of the evidence count.
Per facet, the synthesis says which human-written papers make a claim on it, which only mention it,
and which facets no paper addresses: the gaps an experiment has to fill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pydantic import Field

from synth.claims import ClaimSettings, library_claims
from synth.embed import Embedder, EmbedSettings
from synth.facets import Facet, sentence_words, split_question
from synth.library import Library
from synth.records import Claim
from synth.settings import Settings
from synth.textchecks import direction_flip, facts, negation_mismatch, numeric_agreement


class SynthesisSettings(Settings):
    """How a question is answered from the library's claims."""

    top_n: int = Field(default=20, ge=1, description="Claims kept after ranking by relevance.")
    min_relevance: float = Field(
        default=0.45, ge=0, le=1, description="Claims on no facet are dropped below this."
    )
    per_facet: int = Field(default=4, ge=1, description="Best claims kept for each facet.")
    same_point: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="Similarity at which two claims speak to the same point.",
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


FINDING_TYPES = frozenset({"result", "comparison"})  # claim types that report an outcome


def _is_finding(line: CitedClaim) -> bool:
    return line.claim.type in FINDING_TYPES


@dataclass(frozen=True)
class Theme:
    """Claims about one thing, with the human-written papers that back them."""

    name: str
    claims: tuple[CitedClaim, ...]
    papers: tuple[str, ...]  # human-written papers cited (the evidence count)
    machine_generated_papers: tuple[str, ...] = ()
    facets: tuple[int, ...] = ()  # the question's facets these claims speak to

    @property
    def evidence_count(self) -> int:
        return len(self.papers)


@dataclass(frozen=True)
class FacetStatus:
    """One facet of the question and the human-written papers that speak to it."""

    phrase: str
    claim_papers: tuple[str, ...]  # papers with an extracted claim on it
    mention_papers: tuple[str, ...]  # papers with any sentence on it
    full_papers: tuple[str, ...] = ()  # papers with a claim that says every word of the facet

    @property
    def status(self) -> str:
        """claimed | partly claimed | mentioned only | gap."""
        if self.full_papers:
            return "claimed"
        if self.claim_papers:
            return "partly claimed"
        return "mentioned only" if self.mention_papers else "gap"


@dataclass(frozen=True)
class Synthesis:
    """The answer to a question from one library."""

    question: str
    themes: tuple[Theme, ...]
    considered: int  # claims in the library
    excluded_machine_generated: tuple[str, ...]
    settings_hash: str
    models: dict[str, str] = field(default_factory=dict)
    facets: tuple[FacetStatus, ...] = ()
    answer: tuple[str, ...] = ()  # what the library can and cannot say, from the counts
    titles: dict[str, str] = field(default_factory=dict)  # paper id -> short citation

    @property
    def gaps(self) -> tuple[str, ...]:
        """Facets no human-written paper in the library addresses."""
        return tuple(f.phrase for f in self.facets if f.status == "gap")


def relate(a: Claim, b: Claim) -> str | None:
    """'conflict' when two claims on one point disagree (direction, negation, numbers), else 'agree'."""
    fa, fb = facts(a.text), facts(b.text)
    _, conflicting = numeric_agreement(fa, fb)
    if direction_flip(fa, fb) >= 1.0 or negation_mismatch(fa, fb) or conflicting >= 0.5:
        return "conflict"
    return "agree"


def _theme_name(facets: list[Facet], hit: tuple[int, ...]) -> str:
    if not hit:
        return "close to the question, on none of its facets"
    return " + ".join(facets[k].phrase for k in hit)


def _coverage(library: Library, facets: list[Facet], mg: set[str]) -> list[tuple[str, ...]]:
    """Per facet: the human-written papers any of whose sentences says it (claim or not)."""
    papers: list[set[str]] = [set() for _ in facets]
    for s in library.sentences():
        if s.paper_id in mg or s.kind in ("references", "title", "front"):
            continue
        words = sentence_words(s.text)
        for k, f in enumerate(facets):
            if s.paper_id not in papers[k] and f.coverage(words) >= f.needed:
                papers[k].add(s.paper_id)
    return [tuple(sorted(p)) for p in papers]


def _answer(
    facets: list[Facet],
    statuses: list[FacetStatus],
    contrast: tuple[int, int] | None,
    n_papers: int,
    n_mg: int,
) -> tuple[str, ...]:
    """What the library can and cannot say about the question, from the coverage counts."""
    lines = [
        f"The library holds {n_papers} human-written paper(s)"
        + (f" and {n_mg} machine-generated source(s), shown but never counted." if n_mg else ".")
    ]
    claimed = [
        f"{st.phrase} ({len(st.claim_papers)} paper(s)"
        + (")" if st.status == "claimed" else ", only some of its words)")
        for st in statuses
        if st.status in ("claimed", "partly claimed")
    ]
    passing = [st.phrase for st in statuses if st.status == "mentioned only"]
    gaps = [st.phrase for st in statuses if st.status == "gap"]
    if claimed:
        lines.append("Claims speak to: " + "; ".join(claimed) + ".")
    if passing:
        lines.append("Mentioned, but in no extracted claim: " + "; ".join(passing) + ".")
    if gaps:
        lines.append("No human-written paper in the library addresses: " + "; ".join(gaps) + ".")
    if contrast is not None:
        a, b = (statuses[k] for k in contrast)
        if not (a.claim_papers and b.claim_papers):
            lines.append(
                f"So the library cannot answer the comparison of {facets[contrast[0]].phrase} "
                f"versus {facets[contrast[1]].phrase} from claims; it has to be measured "
                "(claimlab replicate sweep)."
            )
    return tuple(lines)


def synthesize(
    library: Library, question: str, settings: SynthesisSettings | None = None
) -> Synthesis:
    """Answer ``question`` from the library's claims (see the module docstring)."""
    settings = settings or SynthesisSettings()
    embedder = Embedder(settings.embed, library)
    papers = {p.paper_id: p for p in library.papers()}
    mg = {pid for pid, p in papers.items() if p.machine_generated}
    facets, contrast = split_question(question)
    titles = {pid: p.citation for pid, p in papers.items()}
    # === Step 1: every claim of the library, scored against the question and each facet
    claims = library_claims(library, settings=settings.claims)
    qvec = embedder.encode([question])[0]
    vecs = embedder.encode([c.text for c in claims]) if claims else np.zeros((0, len(qvec)))
    cover = np.array([[f.coverage(sentence_words(c.text)) for f in facets] for c in claims])
    cover = cover.reshape(len(claims), len(facets)).astype(float)
    hits = cover >= np.array([f.needed for f in facets])
    facet_part = cover.mean(axis=1) if facets and claims else np.zeros(len(claims))
    rel = 0.5 * (vecs @ qvec) + 0.5 * facet_part
    # Every facet keeps its best claims (a facet the question names is never crowded out by
    # another); claims on no facet fill up to top_n only when similar enough to the question.
    ranked = [int(i) for i in np.argsort(-rel)]
    chosen: list[int] = []
    for k in range(len(facets)):
        chosen += [i for i in ranked if hits[i, k]][: settings.per_facet]
    chosen += [i for i in ranked if hits[i].any() or rel[i] >= settings.min_relevance]
    order = sorted(dict.fromkeys(chosen), key=lambda i: -rel[i])[: settings.top_n]
    # === Step 2: themes = the set of facets a claim speaks to (several facets first)
    groups: dict[tuple[int, ...], list[int]] = {}
    for i in order:
        groups.setdefault(tuple(int(k) for k in np.flatnonzero(hits[i])), []).append(i)
    # === Step 3: agreement and conflict across papers, citations, evidence counts
    themes = []
    for hit, idx in groups.items():
        lines = []
        for i in idx:
            c = claims[i]
            agree, conflict = [], []
            for j in idx:
                other = claims[j]
                if j == i or other.paper_id == c.paper_id:
                    continue
                if float(vecs[i] @ vecs[j]) < settings.same_point:
                    continue
                (conflict if relate(c, other) == "conflict" else agree).append(other.claim_id)
            cites = c.sources or ((c.paper_id or "", c.page or 0),)
            lines.append(CitedClaim(c, round(float(rel[i]), 4), tuple(cites),
                                    c.paper_id in mg, tuple(agree), tuple(conflict)))  # fmt: skip
        human = tuple(sorted({p for ln in lines for p, _ in ln.citations if p not in mg}))
        machine = tuple(sorted({p for ln in lines for p, _ in ln.citations if p in mg}))
        # Findings before set-up: a question is answered by results, not by how a study ran.
        lines.sort(key=lambda cl: (not _is_finding(cl), -cl.relevance))
        themes.append(Theme(_theme_name(facets, hit), tuple(lines), human, machine, hit))
    themes.sort(
        key=lambda t: (
            not any(_is_finding(cl) for cl in t.claims),
            -len(t.facets),
            -max(cl.relevance for cl in t.claims),
        )
    )
    # === Step 4: per facet, who says it (claims, any sentence) and what the library cannot say
    mentions = _coverage(library, facets, mg)
    statuses = []
    for k, f in enumerate(facets):

        def papers_of(rows: np.ndarray) -> tuple[str, ...]:
            cites = (claims[i].sources or ((claims[i].paper_id or "", 0),) for i in rows)
            return tuple(sorted({p for cs in cites for p, _ in cs if p not in mg}))

        statuses.append(FacetStatus(f.phrase, papers_of(np.flatnonzero(hits[:, k])), mentions[k],
                                    papers_of(np.flatnonzero(cover[:, k] >= 1.0))))  # fmt: skip
    n_human = sum(1 for pid in papers if pid not in mg)
    return Synthesis(
        question=question,
        themes=tuple(themes),
        considered=len(claims),
        excluded_machine_generated=tuple(sorted(mg)),
        settings_hash=settings.settings_hash(),
        models={"embedding": embedder.stamp},
        facets=tuple(statuses),
        answer=_answer(facets, statuses, contrast, n_human, len(mg)),
        titles=titles,
    )
