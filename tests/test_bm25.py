"""The in-memory BM25 index gives FTS5's own hits, scores' order and ties (synth/bm25.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from synth.bm25 import Bm25Index
from synth.library import Library, fts_terms
from synth.records import Paper, Passage, Sentence

SENTENCES = [
    "The model improves accuracy on the held-out test set by three points.",
    "Models trained on more data improve accuracy further.",
    "Accuracy drops when the training data are noisy.",
    "The training data are noisy.",
    "The training data are noisy.",  # a repeat: tied scores
    "Our café study reports naïve baselines and a résumé parser.",
    "Cafe owners reported higher revenue after the redesign.",
    "The encoder runs on two CPU cores at 62 claims per second.",
    "A larger encoder runs slower but reaches higher recall.",
    "Recall, precision and F1 are reported for every language.",
    "The covid_19 corpus holds tweets in twelve languages.",
    "Running, runs and ran are forms of one verb.",
    "Noisy labels hurt recall more than precision.",
    "The baseline reaches 71.3 F1 on the English portion.",
    *(
        f"Filler sentence number {k} mentions data about tokens and nothing else."
        for k in range(40)
    ),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    directory = tmp_path_factory.mktemp("bm25") / "library"
    lib = Library(directory)
    for part in (SENTENCES[:20], SENTENCES[20:]):
        sha = hashlib.sha256("\n".join(part).encode()).hexdigest()
        pid = f"text:{sha[:12]}"
        lib.add_paper(
            Paper(paper_id=pid, title="bm25 test", source="text", sha256=sha),
            [Passage(paper_id=pid, seq=0, page=1, section="Body", text=" ".join(part))],
            [Sentence(paper_id=pid, page=1, section="Body", text=t, passage_id=0) for t in part],
        )
    yield lib
    lib.close()


QUERIES = [
    "Does the model improve accuracy?",
    "noisy training data",  # two tied sentences and a stem shared by data / noisy ones
    "The cafe reports a naive baseline",  # diacritics folded by FTS5's tokenizer
    "Models model modelling",  # several words, one stem: several phrases of one token
    "encoder cores claims per second recall",
    "data",  # many hits, tied: the limit cuts through a tie
    "tokens filler nothing",
    "F1 71.3 English",
    "ran running runs",
    "zebra",  # no hit
]


def test_top_equals_fts5(library: Library):
    index = Bm25Index(library.conn)
    for query in QUERIES:
        for limit in (1, 3, 5, 40, 100):
            assert index.top(fts_terms(query), limit) == library.fts_ids(query, limit), query
    assert index.top([], 10) == []


def test_terms_fts5_splits_are_left_to_fts5(library: Library):
    index = Bm25Index(library.conn)
    assert index.tokens(["covid_19", "cafés", "running"]) == [("covid", "19"), ("cafe",), ("run",)]
    assert index.top(fts_terms("the covid_19 corpus"), 10) is None
    assert index.top(fts_terms("the corpus"), 10) == library.fts_ids("the corpus", 10)


def test_empty_library(tmp_path: Path):
    with Library(tmp_path / "empty") as lib:
        index = Bm25Index(lib.conn)
        assert index.top(["data"], 5) == [] == lib.fts_ids("data", 5)
