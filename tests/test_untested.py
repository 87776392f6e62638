from synth import untested
from synth.records import Sentence
from synth.search import content_words


def _s(text: str, section: str, kind: str = "body") -> Sentence:
    return Sentence(
        paper_id="p", passage_id=0, page=1, section=section, kind=kind, text=text,
        char_start=0, char_end=len(text), sentence_id=None,
    )  # fmt: skip


PAPER = [
    _s(
        "Gloss-free translation has been studied on Phoenix and on larger corpora.",
        "1 Introduction",
    ),
    _s("Earlier systems were trained on the Zulu portion of Corpus Foo.", "2 Related Work"),
    _s("We evaluate our encoder on Phoenix and CSL-Daily.", "4.1 Experimental Settings"),
    _s("Our encoder improves BLEU on Phoenix by 2 points.", "4.3 Results"),
    _s("Larger datasets such as Kestrel could further help scaling.", "6 Limitations"),
    _s("Nayak, A. 2024. Kestrel: a sign language corpus.", "References", "references"),
    _s("Table 9 adds results on Lumen, where the encoder also helps.", "A.1 Extra results"),
]
WORDS = frozenset().union(*(content_words(s.text) for s in PAPER))
TESTED = untested.tested_words(PAPER)


def _untested(claim: str) -> list[str]:
    return untested.untested_names(claim, WORDS, TESTED)


def test_result_for_a_name_only_in_limitations():
    assert _untested("The encoder also improves translation on Kestrel.") == ["kestrel"]


def test_result_for_a_name_only_in_related_work():
    assert _untested("The encoder transfers well to Zulu.") == ["zulu"]


def test_tested_name_is_silent():
    assert _untested("The encoder improves BLEU on CSL-Daily.") == []
    assert _untested("The encoder improves translation on Phoenix.") == []


def test_appendix_experiments_are_the_papers_own():
    assert _untested("The encoder also helps on Lumen.") == []


def test_a_description_states_no_outcome():
    assert _untested("Kestrel is a corpus of sign language videos.") == []


def test_name_never_used_is_left_to_name_missing():
    assert _untested("The encoder improves translation on Quokka.") == []


def test_citation_authors_are_not_tested_things():
    claim = "Following (Nayak et al., 2024), the encoder improves BLEU on Phoenix."
    assert _untested(claim) == []
