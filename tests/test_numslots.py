"""A changed figure whose sentence retrieval missed: the paper states another value in the same
slot and never the claim's (``numchecks.paper_slot_conflict``); "about half of" as a share.
Sentences from the retired held-out and bench/dev papers, claims in the style people wrote."""

from __future__ import annotations

from synth.numchecks import paper_slot_conflict
from synth.textchecks import facts


def _paper(*sentences: str):
    return tuple(q for s in sentences for q in facts(s).quantities)


PAPER = _paper(
    "We train and test ColD Fusion for 30 iterations.",
    "We simulate 8 contributors by sampling 8 datasets at each iteration.",
    "We hired five annotators and provide them with 25 randomly selected outputs.",
    "The best model reaches 86.65% accuracy on the held-out split.",
)


def test_a_figure_the_paper_states_only_otherwise_is_changed():
    claim = facts("The main experiment ran ColD Fusion for 50 iterations.")
    assert paper_slot_conflict(claim, PAPER) == 1.0
    claim = facts("The human evaluation relied on ten bilingual annotators.")
    assert paper_slot_conflict(claim, PAPER) == 1.0
    # one of two figures changed: half the claim's figures
    claim = facts("ColD Fusion ran for 30 iterations with 16 simulated contributors each.")
    assert paper_slot_conflict(claim, PAPER) == 0.5


def test_a_figure_the_paper_states_or_rounds_is_no_conflict():
    assert paper_slot_conflict(facts("ColD Fusion ran for 30 iterations."), PAPER) == 0.0
    assert paper_slot_conflict(facts("Human judgements came from five annotators."), PAPER) == 0.0
    # rounded with a hedge
    claim = facts("The best model reaches about 87% accuracy on the held-out split.")
    assert paper_slot_conflict(claim, PAPER) == 0.0


def test_a_figure_of_something_the_paper_never_counts_is_silent():
    """No slot mate: the paper is silent, which is not enough information, not a conflict."""
    claim = facts("The corpus was collected from 40 websites.")
    assert paper_slot_conflict(claim, PAPER) == 0.0
    assert paper_slot_conflict(facts("The model has no numbers here."), PAPER) == 0.0


def test_about_half_of_is_a_share():
    nums = facts("About half of the Japanese subtitle blocks complied with the limit.").numbers
    assert [(n.value, n.unit) for n in nums] == [(50.0, "%")]
    assert facts("Scores drop in the first half of the test set.").numbers == ()


def test_the_paper_sentences_stating_the_slot_are_the_rationale(tmp_path):
    """``LibraryFacts.slot_evidence``: the sentences where the paper states another value in the
    slot of a figure it never states (what a REFUTES verdict shows when retrieval missed them)."""
    from synth.libfacts import LibraryFacts
    from synth.library import Library
    from synth.records import Paper, Passage, Sentence

    texts = [
        "ColD Fusion lets contributors improve a shared base model over several iterations.",
        "We train and test ColD Fusion for 30 iterations.",
        "We simulate 8 contributors by sampling 8 datasets at each iteration.",
    ]
    lib = Library(tmp_path / "lib")
    paper = Paper(paper_id="text:cold", title="ColD Fusion", sha256="cold")
    passages = [Passage(paper_id="text:cold", seq=0, page=2, section="Setup", text=" ".join(texts))]
    sents = [
        Sentence(paper_id="text:cold", page=2, section="Setup", text=t, passage_id=0) for t in texts
    ]
    lib.add_paper(paper, passages, sents)
    known = LibraryFacts(lib)
    claim = facts("The main experiment ran ColD Fusion for 50 iterations.")
    shown = known.slot_evidence("text:cold", claim)
    assert [e.text for e in shown] == [texts[1]]
    assert shown[0].page == 2 and shown[0].section == "Setup"
    assert known.slot_evidence("text:cold", facts("ColD Fusion ran for 30 iterations.")) == []
    lib.close()
