"""Hybrid retrieval: SQLite FTS5 BM25 and dense embeddings, fused by reciprocal rank, reranked.

Every library sentence is embedded once (cached by content hash in the library); a query is scored
against the whole matrix (a few thousand rows: one matrix product), fused with BM25's ranking, and the
fused candidates are reranked on cosine similarity, content-word coverage and entity overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from pydantic import Field

from synth.embed import Embedder, EmbedSettings
from synth.entities import tag_entities
from synth.library import Library
from synth.records import Evidence, Sentence
from synth.settings import Settings

_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
STOPWORDS = frozenset(
    "a an the of in on for to and or is are was were be been by with as at from that this these those"
    " it its we our than then which who whom their there here into over under also can could may"
    " might will would should has have had do does did such using use used both each other more most"
    " very not no".split()
)
EVIDENCE_KINDS_SKIPPED = frozenset({"references", "title", "header", "footer", "front", "equation"})


class SearchSettings(Settings):
    """How evidence is retrieved for a claim."""

    bm25_k: int = Field(default=40, ge=1, description="Candidates taken from FTS5 BM25.")
    dense_k: int = Field(default=40, ge=1, description="Candidates taken from dense similarity.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal-rank-fusion constant.")
    top_k: int = Field(default=5, ge=1, description="Evidence sentences kept after reranking.")
    min_words: int = Field(default=4, ge=1, description="Shorter sentences are never evidence.")
    embed: EmbedSettings = Field(default_factory=EmbedSettings, description="Dense encoder.")


# Suffixes stripped (longest first) so "resilient" and "resilience" meet at "resil".
_SUFFIXES = (
    "ational", "ization", "iveness", "fulness", "ousness", "ements", "ement", "ments", "ment",
    "ities", "ity", "ience", "ient", "ance", "ence", "ings", "ing", "edly", "ed", "ies", "es",
    "ly", "s",
)  # fmt: skip


def stem(word: str) -> str:
    """A light suffix stripper: enough to match inflected and derived forms of one word."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """Lower-cased content words, stemmed, for coverage measures."""
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


@dataclass
class _Row:
    sentence: Sentence
    machine_generated: bool
    words: set[str]
    entities: frozenset[str] | None = None  # tagged on first use, then kept

    def entity_set(self) -> frozenset[str]:
        if self.entities is None:
            tags = tag_entities(self.sentence.text)
            self.entities = frozenset(v for vals in tags.values() for v in vals)
        return self.entities


class HybridSearcher:
    """Retrieves and reranks evidence sentences from one library."""

    def __init__(
        self,
        library: Library,
        settings: SearchSettings | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.library = library
        self.settings = settings or SearchSettings()
        self.embedder = embedder or Embedder(self.settings.embed, library)
        self._load()

    # === Step 1: the sentence matrix (embedded once, cached in the library) ===================
    def _load(self) -> None:
        mg = {p.paper_id for p in self.library.papers() if p.machine_generated}
        rows = [
            s
            for s in self.library.sentences()
            if s.kind not in EVIDENCE_KINDS_SKIPPED
            and len(s.text.split()) >= self.settings.min_words
        ]
        self.rows = [_Row(s, s.paper_id in mg, content_words(s.text)) for s in rows]
        self.by_id = {r.sentence.sentence_id: i for i, r in enumerate(self.rows)}
        self.matrix = self.embedder.encode([r.sentence.text for r in self.rows])

    def __len__(self) -> int:
        return len(self.rows)

    # === Step 2: candidates from BM25 and from the dense matrix, fused by rank =================
    def _candidates(
        self, query: str, qvec: np.ndarray, exclude: frozenset[str]
    ) -> dict[int, float]:
        s = self.settings
        fused: dict[int, float] = {}
        hits = self.library.fts_search(query, limit=s.bm25_k + 10 * bool(exclude))
        rank = 0
        for sent, _score in hits:
            i = self.by_id.get(sent.sentence_id)
            if i is None or sent.paper_id in exclude:
                continue
            fused[i] = fused.get(i, 0.0) + 1.0 / (s.rrf_k + rank)
            rank += 1
        sims = self.matrix @ qvec if len(self.rows) else np.zeros(0)
        order = np.argsort(-sims)[: s.dense_k + 50 * bool(exclude)]
        rank = 0
        for i in order:
            if self.rows[i].sentence.paper_id in exclude:
                continue
            fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (s.rrf_k + rank)
            rank += 1
            if rank >= s.dense_k:
                break
        return fused

    # === Step 3: rerank on similarity, coverage and entity overlap ============================
    def _rerank(self, query: str, qvec: np.ndarray, fused: dict[int, float]) -> list[Evidence]:
        qwords = content_words(query)
        qents = {v for vals in tag_entities(query).values() for v in vals}
        scored = []
        for i, rrf in fused.items():
            row = self.rows[i]
            cos = float(self.matrix[i] @ qvec)
            cover = len(qwords & row.words) / max(1, len(qwords))
            ent = 0.0
            if qents:
                ent = len(qents & row.entity_set()) / len(qents)
            score = 0.6 * cos + 0.25 * cover + 0.1 * ent + 2.0 * rrf
            scored.append((score, i, cos))
        scored.sort(reverse=True)
        out = []
        for score, i, _cos in scored[: self.settings.top_k]:
            s = self.rows[i].sentence
            out.append(
                Evidence(
                    paper_id=s.paper_id,
                    page=s.page,
                    section=s.section,
                    text=s.text,
                    sentence_id=s.sentence_id,
                    score=round(score, 4),
                    machine_generated=self.rows[i].machine_generated,
                )
            )
        return out

    def search(
        self, query: str, qvec: np.ndarray | None = None, exclude_papers: tuple[str, ...] = ()
    ) -> list[Evidence]:
        """Top evidence sentences for ``query``, best first.

        Args:
            query: the claim or question.
            qvec: its embedding, when already computed (batch verification).
            exclude_papers: paper ids never returned (e.g. the claim's own paper).
        """
        if not self.rows:
            return []
        if qvec is None:
            qvec = self.embedder.encode([query])[0]
        fused = self._candidates(query, qvec, frozenset(exclude_papers))
        return self._rerank(query, qvec, fused)

    def cosine(self, evidence: Evidence, qvec: np.ndarray) -> float:
        """Cosine similarity of a retrieved sentence to a query vector."""
        i = self.by_id.get(evidence.sentence_id)
        return float(self.matrix[i] @ qvec) if i is not None else 0.0
