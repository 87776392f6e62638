"""Hybrid retrieval: the batched path gives exactly the per-query results; the cheap FTS ids query
matches the full one; the dense top-k cut is deterministic under ties."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np
import pytest

from synth.embed import Embedder, EmbedSettings
from synth.library import Library
from synth.records import Paper, Passage, Sentence
from synth.search import (
    HybridSearcher,
    SearchSettings,
    _top_order,
    content_words,
    one_blas_thread,
    stem,
)


def _add_text_paper(library: Library, sentences: list[str], title: str) -> str:
    sha = hashlib.sha256("\n".join(sentences).encode()).hexdigest()
    pid = f"text:{sha[:12]}"
    paper = Paper(paper_id=pid, title=title, source="text", sha256=sha)
    passage = Passage(paper_id=pid, seq=0, page=1, section="Body", text=" ".join(sentences))
    sents = [
        Sentence(paper_id=pid, page=1, section="Body", text=t, passage_id=0) for t in sentences
    ]
    library.add_paper(paper, [passage], sents)
    return pid


@pytest.fixture(scope="module")
def snli_library(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three text 'papers' of real SNLI premises (a few hundred sentences: fast to embed)."""
    lines = (shared_data / "english" / "snli" / "s1.dev").read_text().splitlines()
    premises = list(dict.fromkeys(t.strip() for t in lines if len(t.split()) >= 5))[:360]
    directory = tmp_path_factory.mktemp("snli") / "library"
    with Library(directory) as lib:
        for k in range(3):
            _add_text_paper(lib, premises[k * 120 : (k + 1) * 120], f"SNLI premises {k}")
    return directory


@pytest.fixture(scope="module")
def searcher(snli_library: Path) -> HybridSearcher:
    lib = Library(snli_library)
    yield HybridSearcher(lib, SearchSettings(embed=EmbedSettings(backend="torch")))
    lib.close()


QUERIES = [
    "A man is playing a guitar on stage.",
    "Two dogs run through the snow.",
    "A woman in a red dress is walking down the street.",
    "Children are playing soccer in a park.",
    "Somebody is cooking dinner in a kitchen.",
    "The quick brown fox.",
]


def test_search_many_equals_search_one_by_one(searcher: HybridSearcher):
    vectors = searcher.embedder.encode(QUERIES)
    papers = sorted({r.paper_id for r in searcher.rows})
    exclude = [(papers[k % len(papers)],) for k in range(len(QUERIES))]
    batched = searcher.search_many(QUERIES, vectors)
    assert batched == [searcher.search(q, v) for q, v in zip(QUERIES, vectors, strict=True)]
    batched_ex = searcher.search_many(QUERIES, vectors, exclude)
    one_by_one = [
        searcher.search(q, v, ex) for q, v, ex in zip(QUERIES, vectors, exclude, strict=True)
    ]
    assert batched_ex == one_by_one
    for found, ex in zip(batched_ex, exclude, strict=True):
        assert found and all(e.paper_id not in ex for e in found)
    # Chunking (several matrix products) changes nothing; no thread is left behind.
    threads = threading.active_count()
    searcher.CHUNK = 2
    try:
        assert searcher.search_many(QUERIES, vectors, exclude) == batched_ex
    finally:
        del searcher.CHUNK
    assert threading.active_count() == threads
    assert len(batched[0]) == searcher.settings.top_k
    assert "guitar" in batched[0][0].text.lower() or "music" in batched[0][0].text.lower()


def test_fts_ids_match_fts_search(searcher: HybridSearcher):
    lib = searcher.library
    for q in QUERIES:
        assert lib.fts_ids(q, 30) == [s.sentence_id for s, _ in lib.fts_search(q, 30)]
    assert lib.fts_ids("the of and", 10) == []  # only stopwords: no terms


def test_bm25_ids_are_fts5s(searcher: HybridSearcher):
    """The searcher's in-memory BM25 gives FTS5's hits in FTS5's order, query order kept, with
    and without an excluded paper (a longer list), and for a term FTS5 splits (asked of FTS5)."""
    queries = [*QUERIES, "A man_with a guitar", "the of and", "Dogs running; a dog runs."]
    excludes = [frozenset({"x"}) if k % 2 else frozenset() for k in range(len(queries))]
    assert searcher._bm25 is None  # a few queries: FTS5 answers, no index is built
    fts = list(searcher._bm25_ids(queries, excludes))
    searcher.bm25_index()
    got = list(searcher._bm25_ids(queries, excludes))
    assert got == fts
    k = searcher.settings.bm25_k
    want = [
        searcher.library.fts_ids(q, k + 10 * bool(ex))
        for q, ex in zip(queries, excludes, strict=True)
    ]
    assert got == want and all(got[:5]) and got[-2] == []


def test_sentence_tuples_follow_sentences(searcher: HybridSearcher):
    lib = searcher.library
    tuples = lib.sentence_tuples()
    sents = lib.sentences()
    assert [(t[0], t[1], t[5]) for t in tuples] == [
        (s.sentence_id, s.paper_id, s.text) for s in sents
    ]


def test_top_order_is_deterministic_under_ties():
    rng = np.random.default_rng(0)
    exact = rng.integers(0, 20, size=500).astype(np.float32) / 20  # many ties
    # The batched product's scores: off in the last bits, which must not change the answer.
    approx = exact + rng.normal(0, 1e-6, size=500).astype(np.float32)
    for k in (1, 7, 40, 499, 500, 800):
        got = _top_order(approx, k, lambda idx: exact[idx])
        want = np.lexsort((np.arange(exact.size), -exact))[:k]
        assert got.tolist() == want.tolist()


def test_empty_library_and_empty_batch(tmp_path: Path):
    with Library(tmp_path / "empty") as lib:
        s = HybridSearcher(lib, SearchSettings(embed=EmbedSettings(backend="torch")))
        assert len(s) == 0 and s.search("anything") == []
        assert s.search_many(["a", "b"], np.zeros((2, 384), dtype=np.float32)) == [[], []]
    emb = Embedder(EmbedSettings(backend="torch"))
    assert emb.encode([]).shape == (0, 384)


def test_stem_meets_inflections_of_a_word_ending_in_e_or_y():
    # A bare word and its inflections share one stem: "share" / "shared" / "shares".
    for forms in (
        ("share", "shared", "shares", "sharing"),
        ("substitute", "substitutes", "substituted"),
        ("increase", "increases", "increased", "increasing"),
        ("study", "studies", "studied", "studying"),
        ("accuracy", "accuracies"),
        ("agree", "agreed", "agrees"),
        ("effective", "effectively"),
    ):
        assert len({stem(w) for w in forms}) == 1, forms
    # Short words keep their last letter; different words stay apart.
    assert stem("base") == "base" and stem("free") == "free" and stem("only") == "only"
    assert stem("share") != stem("shark") and stem("model") != stem("mode")


def test_content_words_of_a_paraphrase_meet_its_source():
    claim = content_words("The contributors share the averaged model.")
    source = content_words("Each contributor shares a model; the shared models are averaged.")
    assert claim <= source


def test_rerank_reads_the_cosines_the_dense_ranking_worked_out(searcher: HybridSearcher):
    """The dense ranking's exact cosines are kept for the rerank: the same floats as a fresh dot
    product, so the evidence and its scores are those of a rerank that works them all out."""
    vectors = searcher.embedder.encode(QUERIES)
    for query, qvec in zip(QUERIES, vectors, strict=True):
        ids = searcher.library.fts_ids(query, searcher.settings.bm25_k)
        known: dict[int, float] = {}
        fused = searcher._candidates(ids, qvec, searcher.matrix @ qvec, frozenset(), known)
        assert known and set(known) <= set(range(len(searcher.rows)))
        assert all(v == float(searcher.matrix[i] @ qvec) for i, v in known.items())
        assert searcher._rerank(query, qvec, fused, known) == searcher._rerank(query, qvec, fused)


def test_one_blas_thread_limits_openblas_and_restores_it(
    searcher: HybridSearcher, monkeypatch: pytest.MonkeyPatch
):
    import contextlib

    from threadpoolctl import ThreadpoolController, threadpool_limits

    import synth.search

    def openblas_threads() -> list[int]:
        found = ThreadpoolController().select(internal_api="openblas").lib_controllers
        return [lib.num_threads for lib in found]

    vectors = searcher.embedder.encode(QUERIES)
    with threadpool_limits(limits=2, user_api="blas"):  # as on a 2-core machine
        before = openblas_threads()
        with one_blas_thread():
            assert all(n == 1 for n in openblas_threads())
        assert openblas_threads() == before
        one = searcher.search_many(QUERIES, vectors)
        assert openblas_threads() == before
        # The same evidence when the products run on two threads.
        monkeypatch.setattr(synth.search, "one_blas_thread", contextlib.nullcontext)
        assert searcher.search_many(QUERIES, vectors) == one
