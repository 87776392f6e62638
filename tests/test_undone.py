"""undone_match: the paper's sentence holding most of the claim says the thing was not done."""

from __future__ import annotations

from synth.predicates import PaperWordIndex
from synth.search import content_words
from synth.undone import says_undone, undone_match, undone_sentences

PAPER = [
    "We evaluate source correction on the MTNT test set with COMET.",
    "Correction does not improve results on the whole.",
    "The oracle outperforms the baseline by about 0.5 COMET.",
    "Future work could investigate a routing mechanism that decides for each example whether to "
    "apply correction.",
]


def _match(claim: str, paper: list[str]) -> float:
    words = content_words(claim)
    return undone_match(
        claim, words, PaperWordIndex(paper), undone_sentences(paper), {w: 1.0 for w in words}
    )


def test_sentences_saying_a_thing_was_not_done():
    assert says_undone("Future work could investigate a routing mechanism.")
    assert says_undone(
        "For reasoning models, not covered in our evaluation, it remains to be seen."
    )
    assert says_undone("We did not empirically compare them against a reference set.")
    assert says_undone("We leave joint training of both models for future work.")
    assert says_undone("It would be interesting to apply TEC systems to other settings.")
    # Findings stated with a modal or an expectation are results, not work left undone.
    assert not says_undone("Training on intents can further improve individual-level accuracy.")
    assert not says_undone("Correction does not improve results on the whole.")
    assert undone_sentences(PAPER) == {3}


def test_a_claim_made_of_the_future_work_reads_it():
    claim = (
        "A routing mechanism deciding for each example whether to apply correction improves COMET."
    )
    # The future-work sentence holds more of the claim (routing, mechanism, example, correction)
    # than any sentence stating a result (correction, COMET).
    words = content_words(claim)
    assert len(words & content_words(PAPER[3])) > len(words & content_words(PAPER[0]))
    assert _match(claim, PAPER) == 1.0


def test_a_claim_a_done_sentence_holds_as_well_reads_nothing():
    # The first sentence holds as much of this claim as any undone one: the paper did it.
    assert _match("Source correction was evaluated on the MTNT test set with COMET.", PAPER) == 0.0
    # No undone sentence in the paper at all.
    assert _match("A routing mechanism improves COMET.", PAPER[:3]) == 0.0


def test_a_claim_that_itself_says_the_thing_is_left_open_reads_nothing():
    claim = "The authors leave a routing mechanism for each example to future work."
    assert _match(claim, PAPER) == 0.0


def test_empty_inputs_read_nothing():
    assert _match("", PAPER) == 0.0
    assert _match("A routing mechanism helps.", []) == 0.0


def test_undone_match_is_calibrated():
    from synth.calibrate import CALIBRATED_FEATURES, FEATURES

    assert "undone_match" in FEATURES and "undone_match" in CALIBRATED_FEATURES
