from synth.library import SCHEMA_VERSION, Library
from synth.records import Paper, Passage, Sentence


def _paper(pid: str = "pdf:abc", sha: str = "s1") -> Paper:
    return Paper(paper_id=pid, title="A title", authors=("A. Author",), sha256=sha, pages=1)


def test_add_dedup_and_search(library_dir):
    lib = Library(library_dir)
    assert lib.schema_version == SCHEMA_VERSION
    passages = [Passage("pdf:abc", 0, 1, "1 Introduction", "XLM-R improves XNLI accuracy.")]
    sentences = [
        Sentence("pdf:abc", 1, "1 Introduction", "XLM-R improves XNLI accuracy.", passage_id=0)
    ]
    assert lib.add_paper(_paper(), passages, sentences) is True
    # Same content again is a no-op, even under another id.
    assert lib.add_paper(_paper("pdf:other"), passages, sentences) is False
    hits = lib.fts_search("does XLM-R improve xnli")
    assert hits and hits[0][0].text == "XLM-R improves XNLI accuracy."
    assert hits[0][0].page == 1 and hits[0][0].section == "1 Introduction"
    assert lib.sentences()[0].passage_id == lib.passages("pdf:abc")[0].passage_id
    lib.close()
    # Reopening keeps everything and does not migrate twice.
    lib2 = Library(library_dir)
    assert [p.paper_id for p in lib2.papers()] == ["pdf:abc"]


def test_failed_write_leaves_nothing(library_dir):
    lib = Library(library_dir)
    bad = [Sentence("pdf:abc", 1, "S", None, passage_id=0)]  # text NOT NULL -> fails mid-write
    try:
        lib.add_paper(_paper(), [Passage("pdf:abc", 0, 1, "S", "x")], bad)
    except Exception:
        pass
    assert lib.papers() == []
    assert lib.count_sentences() == 0
