"""Shares of a count: "two thirds of the 30 languages" read against the part ("20 languages")
or another share of the same whole ("seven out of ten"), and two bounds of a share in words.
Sentences written for these tests."""

from __future__ import annotations

from synth.numwords import ratio_whole
from synth.textchecks import facts, numeric_agreement


def _num(claim: str, evidence: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence))


def test_the_whole_of_a_share_in_counts():
    assert ratio_whole("seven out of ten") == 10.0
    assert ratio_whole("one in twenty") == 20.0
    assert ratio_whole("45 samples out of 300") == 300.0
    assert ratio_whole("two thirds") is None and ratio_whole("70%") is None


def test_the_part_bears_out_a_share_of_a_count():
    claim = "The tagger was trained on two thirds of the 30 treebanks and tested on the rest."
    ev = "We train the tagger on 20 treebanks and keep the remaining 10 treebanks for testing."
    assert _num(claim, ev) == (1.0, 0.0)
    hedged = "Roughly half of the 40 participants were native speakers."
    assert _num(hedged, "Of our participants, 19 participants were native speakers.") == (1.0, 0.0)
    # Another part of the same count is no share of it: the whole still conflicts.
    wrong = "The tagger was trained on two thirds of the 36 treebanks and tested on the rest."
    assert _num(wrong, ev)[1] > 0.0
    # A count of something else bears out nothing.
    other = "We train the tagger for 20 epochs on a single GPU."
    assert _num(claim, other)[0] < 1.0


def test_another_share_of_the_same_whole():
    claim = "The pruned model matches the full one on only half of the ten test suites."
    ev = "The pruned model matches the full model on seven out of ten test suites."
    assert _num(claim, ev)[1] > 0.0
    same = "The pruned model matches the full one on seven of the ten test suites."
    assert _num(same, ev) == (1.0, 0.0)


def test_two_upper_bounds_of_a_share_in_words():
    ev = "On rare words, recall stays below 5% for every system."
    assert _num("Every system recalls fewer than one in twenty rare words.", ev) == (1.0, 0.0)
    # The evidence's bound is looser than the claim's: it does not say as much.
    loose = "On rare words, recall stays below 6% for every system."
    assert _num("Every system recalls fewer than one in twenty rare words.", loose)[0] == 0.0
    # Bounds in digits stay exact: "up to 10" is not "up to 8".
    assert (
        _num("Each batch holds up to 10 documents.", "Each batch holds up to 8 documents.")[0]
        == 0.0
    )


def test_a_share_counts_the_words_after_its_of():
    # "about half of the English test questions" counts "English test questions": the share of
    # "test questions" the evidence states is about the same thing (two figures a side, so
    # only the words around each figure align them).
    claim = (
        "With 8 retrieved passages, the reader answered about half of the English test"
        " questions correctly."
    )
    low = "With 8 retrieved passages, only 31.5% of test questions were answered correctly."
    assert _num(claim, low) == (0.5, 0.5)
    near = "With 8 retrieved passages, 48.9% of test questions were answered correctly."
    assert _num(claim, near) == (1.0, 0.0)
