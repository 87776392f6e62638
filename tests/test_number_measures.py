"""A figure conflicts only with a figure of the same measure: a measure named beside a figure
(kappa, QWK, COMET, chrF, ...) makes it a score of that measure, so two scores of one measure
conflict and two of different measures do not; counts in thousands, millions or billions are one
kind of figure. Sentences written for these tests."""

from __future__ import annotations

from synth.textchecks import facts, numeric_agreement


def _num(claim: str, evidence: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence))


def test_a_measure_named_beside_a_figure_makes_it_a_score_of_it():
    # two kappas conflict, though no other word is shared
    assert (
        _num(
            "The raters reached a Cohen's kappa of 0.62 on the stance labels.",
            "Agreement on stance was moderate: kappa values were 0.48 overall.",
        )[1]
        > 0.0
    )
    # a kappa and an F1, or a COMET and a chrF score, measure two things
    assert (
        _num(
            "The stance classifier scored 0.62 F1 on the held-out posts.",
            "The stance classifier's predictions agree with the raters at kappa 0.48.",
        )[1]
        == 0.0
    )
    assert (
        _num(
            "The adapted system reaches 61.0 chrF on the news test set.",
            "The adapted system reaches 84.3 COMET on the news test set.",
        )[1]
        == 0.0
    )


def test_counts_in_different_scales_are_one_kind_of_figure():
    # "1.3B" and "600M" count the same parameters in two scales
    assert (
        _num(
            "Captions were generated with a 1.3B-parameter decoder.",
            "Captions were generated with the 600M-parameter decoder.",
        )[1]
        > 0.0
    )
    assert _num(
        "Captions were generated with a 0.6B-parameter decoder.",
        "Captions were generated with the 600M-parameter decoder.",
    ) == (1.0, 0.0)


def test_a_range_of_a_named_measure_is_read_as_its_scores():
    assert (
        _num(
            "For the study we kept prompts with QWK between 0.70 and 0.75.",
            "The QWK was 0.83 for this prompt.",
        )[1]
        > 0.0
    )
