"""Hybrid retrieval: SQLite FTS5 BM25 and dense embeddings, fused by reciprocal rank, reranked.

Every library sentence is embedded once (cached by content hash in the library); a query is scored
against the whole matrix (a few thousand rows: one matrix product), fused with BM25's ranking, and the
fused candidates are reranked on cosine similarity, content-word coverage and entity overlap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import Field

from synth.bm25 import Bm25Index
from synth.embed import Embedder, EmbedSettings
from synth.entities import tag_entities
from synth.library import Library, fts_terms
from synth.libstate import LibraryState
from synth.records import Evidence
from synth.settings import Settings

WORD_RE = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")  # lower-cased words, "xlm-r", "2.0"
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
    "ities", "ity", "ience", "ient", "ance", "ence", "ings", "ing", "edly", "ied", "ed", "ies",
    "es", "ly", "s",
)  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match inflected and derived forms of one word.

    Memoized: a library repeats the same few thousand words, and reranking stems every candidate.
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    # The inflections strip a final "e" or "y" the bare word keeps: "share" meets "shared" and
    # "shares" at "shar", "study" meets "studies" and "studied" at "stud".
    if len(word) >= 5 and word[-1] in "ey":
        word = word[:-1]
    return word


def content_words(text: str) -> set[str]:
    """Lower-cased content words, stemmed, for coverage measures."""
    # A fresh set built in the same order as ever (callers may change it; iteration order kept).
    return set(_content_stems(text))


@lru_cache(maxsize=65536)
def _content_stems(text: str) -> tuple[str, ...]:
    """The stems of ``content_words`` in text order: a sentence's words are asked for by
    retrieval, the checks and the library's word statistics, each on its own."""
    return tuple(stem(w) for w in WORD_RE.findall(text.lower()) if w not in STOPWORDS)


@lru_cache(maxsize=1)
def _openblas() -> Any:
    """numpy's (and scipy's) OpenBLAS libraries as threadpoolctl finds them (looked up once)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(internal_api="openblas")


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run numpy's OpenBLAS on one thread inside the block (the previous count is restored).

    Retrieval's products are small (a group of claims against a few thousand sentences): a second
    BLAS thread saves little, and after each product it spins idle for a while, taking a core from
    the claim encoder that runs beside the checks (2 cores: retrieval of 300 claims in groups of
    32 took 0.6 CPU s with two threads, 0.3 with one; claim by claim 2.4 against 0.6). No result
    moves: the products only preselect rows, and every score is a one-row dot product, which
    OpenBLAS never splits at this size. MKL and torch's own threads are left alone.
    """
    with _openblas().limit(limits=1):
        yield


@dataclass
class _Row:
    """One evidence sentence; its content words and entities are worked out on first use."""

    sentence_id: int
    paper_id: str
    page: int
    section: str
    text: str
    machine_generated: bool
    _words: frozenset[str] | None = None
    _entities: frozenset[str] | None = None

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset(content_words(self.text))
        return self._words

    def entity_set(self) -> frozenset[str]:
        if self._entities is None:
            tags = tag_entities(self.text)
            self._entities = frozenset(v for vals in tags.values() for v in vals)
        return self._entities


# A matrix product's scores differ from one query's dot products in the last float bits (BLAS
# kernels sum in different orders); rows within this margin of the k-th score are re-scored exactly.
_MARGIN = 1e-4


def _top_order(approx: np.ndarray, k: int, exact: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Indices of the ``k`` best rows, best first, ties in index order.

    ``approx`` (one row of a batched matrix product) only preselects, with argpartition instead of
    a full sort; the order comes from ``exact`` (per-row dot products), which do not depend on how
    many queries shared the product, so one query and a batch get the same answer.
    """
    n = approx.shape[0]
    kth = np.partition(approx, n - k)[n - k] if k < n else -np.inf
    idx = np.flatnonzero(approx >= kth - _MARGIN)
    sims = exact(idx)
    return idx[np.lexsort((idx, -sims))][:k]


class HybridSearcher:
    """Retrieves and reranks evidence sentences from one library."""

    # Queries scored against the sentence matrix per matrix product (bounds the score block).
    CHUNK = 256
    # Queries that pay for building the in-memory BM25 index (~0.3 s of CPU on 5,000 sentences,
    # ~3 ms an FTS5 query; both grow with the library): smaller batches ask FTS5.
    BM25_INDEX_MIN = 64

    def __init__(
        self,
        library: Library,
        settings: SearchSettings | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.library = library
        self.settings = settings or SearchSettings()
        self.embedder = embedder or Embedder(self.settings.embed, library)
        # BM25 in memory, read from the library's FTS5 index when first needed (a snapshot, as the
        # sentence matrix is: sentences added to the library later are not found by this searcher).
        self._bm25: Bm25Index | None = None
        # What ingest stored beside the library (``synth.libstate``): the BM25 index among it.
        self.state = LibraryState(library)
        self._load()

    # === Step 1: the sentence matrix (embedded once, cached in the library) ===================
    def _load(self) -> None:
        mg = {p.paper_id for p in self.library.papers() if p.machine_generated}
        self.rows = [
            _Row(sid, pid, page, section, text, pid in mg)
            for sid, pid, page, section, kind, text in self.library.sentence_tuples()
            if kind not in EVIDENCE_KINDS_SKIPPED and len(text.split()) >= self.settings.min_words
        ]
        self.by_id = {r.sentence_id: i for i, r in enumerate(self.rows)}
        self.matrix = self.embedder.encode([r.text for r in self.rows])

    def __len__(self) -> int:
        return len(self.rows)

    # === Step 2: candidates from BM25 and from the dense matrix, fused by rank =================
    def _dots(
        self, qvec: np.ndarray, known: dict[int, float]
    ) -> Callable[[np.ndarray], np.ndarray]:
        """Exact cosines of some rows to ``qvec``: one dot product per row, as :meth:`cosine`;
        each also kept in ``known`` (row -> cosine) for the rerank."""
        matrix = self.matrix

        def exact(idx: np.ndarray) -> np.ndarray:
            rows = idx.tolist()
            sims = np.array([matrix[i] @ qvec for i in rows], dtype=np.float32)
            known.update(zip(rows, sims.tolist(), strict=True))
            return sims

        return exact

    def bm25_index(self) -> Bm25Index:
        """The in-memory BM25 index (:class:`~synth.bm25.Bm25Index`), read from the library's
        FTS5 index on first call (or as stored at ingest for the same sentences)."""
        if self._bm25 is None:
            found = self.state.get(f"bm25|{self.state.fingerprint()}") if self.state.conn else None
            self._bm25 = (
                Bm25Index.from_state(found) if found is not None else Bm25Index(self.library.conn)
            )
        return self._bm25

    def _bm25_ids(
        self, queries: Sequence[str], excludes: Sequence[frozenset[str]]
    ) -> Iterator[list[int]]:
        """FTS5 BM25 hits of each query (``Library.fts_ids``), in order: worked out in memory by
        the BM25 index once there is one (a batch of ``BM25_INDEX_MIN`` queries builds it), FTS5
        asked for the others and for the queries the index does not model (a word that FTS5
        splits into several tokens)."""
        index = self._bm25
        if index is None and len(queries) >= self.BM25_INDEX_MIN:
            index = self.bm25_index()
        for query, ex in zip(queries, excludes, strict=True):
            limit = self.settings.bm25_k + 10 * bool(ex)
            ids = index.top(fts_terms(query), limit) if index is not None else None
            yield self.library.fts_ids(query, limit) if ids is None else ids

    def _candidates(
        self,
        ids: list[int],
        qvec: np.ndarray,
        approx: np.ndarray,
        exclude: frozenset[str],
        known: dict[int, float],
    ) -> dict[int, float]:
        """Fused reciprocal-rank scores of BM25's and the dense ranking's rows (``known`` gets the
        exact cosines the dense ranking worked out)."""
        s = self.settings
        fused: dict[int, float] = {}
        rank = 0
        for sid in ids:
            i = self.by_id.get(sid)
            if i is None or self.rows[i].paper_id in exclude:
                continue
            fused[i] = fused.get(i, 0.0) + 1.0 / (s.rrf_k + rank)
            rank += 1
        rank = 0
        k = s.dense_k + 50 * bool(exclude)
        for i in _top_order(approx, k, self._dots(qvec, known)).tolist():
            if exclude and self.rows[i].paper_id in exclude:
                continue
            fused[i] = fused.get(i, 0.0) + 1.0 / (s.rrf_k + rank)
            rank += 1
            if rank >= s.dense_k:
                break
        return fused

    # === Step 3: rerank on similarity, coverage and entity overlap ============================
    def _rerank(
        self,
        query: str,
        qvec: np.ndarray,
        fused: dict[int, float],
        known: dict[int, float] | None = None,
    ) -> list[Evidence]:
        qwords = content_words(query)
        qents = {v for vals in tag_entities(query).values() for v in vals}
        known = known or {}
        scored = []
        for i, rrf in fused.items():
            row = self.rows[i]
            cos = known.get(i)
            if cos is None:
                cos = float(self.matrix[i] @ qvec)
            cover = len(qwords & row.words) / max(1, len(qwords))
            ent = 0.0
            if qents:
                ent = len(qents & row.entity_set()) / len(qents)
            score = 0.6 * cos + 0.25 * cover + 0.1 * ent + 2.0 * rrf
            scored.append((score, i, cos))
        scored.sort(reverse=True)
        return [self._evidence(i, score) for score, i, _cos in scored[: self.settings.top_k]]

    def _evidence(self, i: int, score: float) -> Evidence:
        row = self.rows[i]
        return Evidence(
            paper_id=row.paper_id,
            page=row.page,
            section=row.section,
            text=row.text,
            sentence_id=row.sentence_id,
            score=round(score, 4),
            machine_generated=row.machine_generated,
        )

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
        return self.search_many([query], qvec[None, :], [exclude_papers])[0]

    def search_many(
        self,
        queries: Sequence[str],
        qvecs: np.ndarray,
        exclude_papers: Sequence[Sequence[str]] | None = None,
    ) -> list[list[Evidence]]:
        """:meth:`search` for many queries at once: one matrix product per chunk of queries.

        Gives exactly what ``search`` gives query by query: the matrix product only preselects;
        ranks and scores come from per-row dot products, as the one-query path computes them.

        Args:
            queries: the claims or questions.
            qvecs: their embeddings, one row per query (``Embedder.encode(queries)``).
            exclude_papers: per query, paper ids never returned.
        """
        if not self.rows:
            return [[] for _ in queries]
        excludes = [frozenset(exclude_papers[k]) if exclude_papers else frozenset()
                    for k in range(len(queries))]  # fmt: skip
        bm25 = self._bm25_ids(queries, excludes)
        out: list[list[Evidence]] = []
        with one_blas_thread():
            for start in range(0, len(queries), self.CHUNK):
                chunk = np.asarray(qvecs[start : start + self.CHUNK], dtype=np.float32)
                # One query: a matrix-vector product (a 1-row matrix product is ~10x slower).
                one = len(chunk) == 1
                block = (self.matrix @ chunk[0])[None, :] if one else chunk @ self.matrix.T
                for j, query in enumerate(queries[start : start + self.CHUNK]):
                    qvec = chunk[j]
                    known: dict[int, float] = {}  # exact cosines worked out on the way
                    fused = self._candidates(next(bm25), qvec, block[j], excludes[start + j], known)
                    out.append(self._rerank(query, qvec, fused, known))
        return out

    def cosine(self, evidence: Evidence, qvec: np.ndarray) -> float:
        """Cosine similarity of a retrieved sentence to a query vector."""
        i = self.by_id.get(evidence.sentence_id)  # type: ignore[arg-type]
        return float(self.matrix[i] @ qvec) if i is not None else 0.0
