"""The verifier's library state stored at ingest (synth/libstate.py): read, it gives the features
computed ones give; a code change or a changed sentence is never read stale; a library without it
is verified as before."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import synth.libfacts as libfacts
import synth.libstate as libstate
from synth.bm25 import Bm25Index
from synth.ingest import ingest
from synth.labelled import change_number, flip_direction, swap_entity
from synth.libfacts import LibraryFacts
from synth.library import Library
from synth.libstate import STATE_NAME, LibraryState, fill, source_hash
from synth.verify import Verifier

GAP = "There is a performance gap of approximately 6.15% between English and Turkish."
MBERT = "Surprisingly, mBERT demonstrates a similar resilience to pruning as BERT."


def _copy(src: Path, dst: Path, with_state: bool) -> Path:
    shutil.copytree(src, dst)
    if not with_state:
        (dst / STATE_NAME).unlink(missing_ok=True)
    return dst


def _claims(lib: Library) -> list[tuple[str, str]]:
    """Claims of every kind the checks read: restated, changed figures, flipped, swapped, and a
    few sentences of each paper (their facts, tables and word indexes all come into play)."""
    texts = [GAP, MBERT, change_number(GAP), flip_direction(MBERT), swap_entity(MBERT)]
    for paper in lib.papers():
        body = [s.text for s in lib.sentences(paper.paper_id) if len(s.text.split()) > 8]
        texts += [body[len(body) // 3], change_number(body[len(body) // 2])]
    return [(f"c{i}", t) for i, t in enumerate(dict.fromkeys(t for t in texts if t))]


def _verdicts(directory: Path, bm25_min: int = 4) -> list[tuple]:
    with Library(directory) as lib:
        verifier = Verifier(lib)
        verifier.searcher.BM25_INDEX_MIN = bm25_min  # the batch path: the BM25 index is read
        out = verifier.verify_many(_claims(lib))
        assert verifier.searcher._bm25 is not None
        return [(v.claim_id, v.label, v.confidence, v.evidence, v.checks) for v in out]


@pytest.fixture(scope="module")
def plain(papers_library: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    """The verdicts of a library without stored state (everything computed on first use)."""
    directory = _copy(papers_library, tmp_path_factory.mktemp("plain") / "library", False)
    verdicts = _verdicts(directory)
    assert not (directory / STATE_NAME).exists()  # verification stores nothing
    return verdicts


def test_ingest_stores_the_state(papers_library: Path):
    """``library_from_papers`` ingests as ``claimlab ingest`` does: the state is there, whole."""
    with Library(papers_library) as lib:
        state = LibraryState(lib)
        assert state.conn is not None
        keys = state.keys("")
        assert f"library|4|{state.fingerprint()}" in keys and f"bm25|{state.fingerprint()}" in keys
        known = LibraryFacts(lib)
        assert {f"paper|4|{known.paper_key(p.paper_id)}" for p in lib.papers()} <= keys
        assert fill(lib) == {"facts": 0, "papers": 0, "library": 0}  # nothing left to add


def test_stored_state_gives_the_computed_features(
    papers_library: Path, plain: list[tuple], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Every library sentence's facts, every paper's tables, the word rarity, number index and
    BM25 index read from the store (computing any of them here fails): identical verdicts."""
    directory = _copy(papers_library, tmp_path / "library", True)

    def computed(*_a, **_k):
        raise AssertionError("computed where stored state was expected")

    for name in ("facts", "table_cells", "_paper_entities", "slot_index", "paper_aliases",
                 "abbreviations", "tested_words"):  # fmt: skip
        monkeypatch.setattr(libfacts, name, computed)
    every = Library.sentences  # the whole library's sentences: read only to compute its tables

    def one_paper(self, paper_id=None, kinds=None):
        assert paper_id is not None, "the library-level tables were computed"
        return every(self, paper_id, kinds)

    monkeypatch.setattr(Library, "sentences", one_paper)
    monkeypatch.setattr(Bm25Index, "__init__", computed)
    monkeypatch.setattr("synth.predicates.PaperWordIndex.__init__", computed)
    assert _verdicts(directory) == plain


def test_code_change_invalidates(
    papers_library: Path, plain: list[tuple], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Another code version reads nothing stored (and computes the same verdicts); its fill
    replaces the old version's entries."""
    directory = _copy(papers_library, tmp_path / "library", True)
    monkeypatch.setattr(libstate, "code_version", lambda: "another")
    with Library(directory) as lib:
        state = LibraryState(lib)
        assert state.keys("") == set() and state.get(f"bm25|{state.fingerprint()}") is None
    assert _verdicts(directory) == plain
    with Library(directory) as lib:
        fill(lib)
    rows = sqlite3.connect(directory / STATE_NAME).execute("SELECT key FROM state").fetchall()
    assert rows and all(k.startswith("another|") for (k,) in rows)


def test_source_change_changes_the_version(tmp_path: Path):
    folder = tmp_path / "synth"
    shutil.copytree(Path(libstate.__file__).parent, folder)
    before = source_hash(folder)
    assert before == libstate.code_version()
    with open(folder / "textchecks.py", "a") as f:
        f.write("\n# a change to the parsing\n")
    source_hash.cache_clear()
    assert source_hash(folder) != before


def test_changed_sentences_are_not_read_stale(papers_library: Path, tmp_path: Path):
    """A paper whose sentences changed (a reparse) keeps no stored tables; the others do; the
    library-level tables are keyed by every sentence."""
    directory = _copy(papers_library, tmp_path / "library", True)
    with Library(directory) as lib:
        first, second = (p.paper_id for p in lib.papers()[:2])
        before = LibraryState(lib).fingerprint()
        sid = lib.sentences(first)[5].sentence_id
        with lib.transaction() as c:
            c.execute(
                "UPDATE sentences SET text = text || ' (reparsed)' WHERE sentence_id=?", (sid,)
            )
        state = LibraryState(lib)
        assert state.fingerprint() != before
        known = LibraryFacts(lib, state=state)
        known.load_paper(first)
        known.load_paper(second)
        assert first not in known._vocab and second in known._vocab
        known._idf()
        assert known._all is not None  # computed: nothing stored for these sentences
        assert known.paper_words(first) == LibraryFacts(lib).paper_words(first)


def test_old_library_without_state(papers_library: Path, plain: list[tuple], tmp_path: Path):
    """A library ingested before the state existed: verified as before; ingest fills it."""
    directory = _copy(papers_library, tmp_path / "library", False)
    with Library(directory) as lib:
        known = LibraryFacts(lib, state=LibraryState(lib))
        assert known.state is None and not (directory / STATE_NAME).exists()
        note = tmp_path / "note.txt"
        note.write_text("A short note about pruning heads of BERT models in four languages.\n")
        assert ingest(lib, [str(note)])[0].status == "ok"
        assert (directory / STATE_NAME).exists()
        assert LibraryState(lib).keys("paper|")


def test_bm25_state_round_trip(papers_library: Path):
    with Library(papers_library) as lib:
        index = Bm25Index(lib.conn)
        again = Bm25Index.from_state(index.state())
        for query in (GAP, MBERT, "pruning heads", "covid_19 tweets"):
            terms = [t for t in query.lower().replace(".", " ").split() if t.isalpha()]
            assert again.top(terms, 40) == index.top(terms, 40)
