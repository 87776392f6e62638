"""Relative figures: a claim's multiple ("three times as many"), difference ("12 points higher
than") or relative change ("cut by half") read against two of the evidence's absolute figures.
Sentences written for these tests."""

from __future__ import annotations

from synth.numwords import extra_numbers
from synth.textchecks import facts, numeric_agreement


def _num(claim: str, evidence: str, *also: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence), tuple(facts(a) for a in also))


def test_multiples_in_one_word():
    assert [(n.raw, n.value, n.unit) for n in extra_numbers("it runs twice as fast")] == [
        ("twice", 2.0, "x")
    ]
    assert [n.value for n in extra_numbers("the new loss halves the error")] == [2.0]
    assert [n.value for n in extra_numbers("pruning roughly tripled throughput")] == [3.0]
    assert extra_numbers("a double-blind review") == ()


def test_a_multiple_of_two_figures():
    ev = "| Tokens per document | 118 | 361 | 7.1 |"
    assert _num("Documents in the new corpus are about three times as long as before.", ev) == (
        1.0,
        0.0,
    )
    assert _num("The new corpus has documents twice as long as the old one.", ev)[0] == 0.0
    ev = "Latency fell from 0.84 s with the baseline to 0.41 s with caching."
    assert _num("Caching roughly halves the latency of the baseline.", ev) == (1.0, 0.0)
    assert _num("Caching makes the baseline about 5 times faster.", ev)[0] == 0.0


def test_a_multiple_is_not_a_frequency_or_a_repetition():
    q = facts("The model answers correctly three times in four.").quantities
    assert not any(x.multiple for x in q)
    q = facts("We ran each configuration five times with new seeds.").quantities
    assert not any(x.multiple for x in q)
    q = facts("The student model is nine times smaller than its teacher.").quantities
    assert [x.multiple for x in q] == [True]


def test_a_difference_of_two_figures():
    ev = "| Adapter | 81.4 | 69.2 | 74.8 |"
    claim = "With the adapter, precision was more than 10 points higher than recall."
    assert _num(claim, ev) == (1.0, 0.0)
    claim = "With the adapter, precision was more than 30 points higher than recall."
    assert _num(claim, ev)[0] == 0.0
    ev = "Accuracy rose from 0.62 to 0.71 once the filter was applied."
    assert _num("The filter raised accuracy by 9 points.", ev) == (1.0, 0.0)


def test_small_counts_and_long_lists_are_not_paired():
    # settings, not two measured levels: 24 / 12 is no "doubling"
    ev = "Each fold holds 24 seen datasets and 12 unseen ones."
    assert _num("Doubling the folds doubles the gain.", ev)[0] == 0.0
    ev = "We vary the data size over 1.25K, 2.5K, 5K and 10K examples."
    assert _num("The larger model needs twice the data.", ev)[0] == 0.0
    # "twice" that repeats is no multiple
    assert extra_numbers("the model trains twice on the same data") == ()


def test_a_relative_change():
    ev = "The cleaning step lowers the error rate from 12.4% to 8.1%."
    assert _num("Cleaning cuts the error rate by about a third.", ev) == (1.0, 0.0)
    assert _num("Cleaning cuts the error rate by about three quarters.", ev) == (0.0, 1.0)
