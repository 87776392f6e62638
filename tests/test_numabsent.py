"""A figure in digits its paper states nowhere, not even rounded (``numchecks.paper_absent``): a
claim on the paper's topic bringing a number of its own. Sentences in the style of the tuning
papers, claims in the style people wrote."""

from __future__ import annotations

from synth.numchecks import paper_absent
from synth.textchecks import facts


def _paper(*sentences: str):
    return tuple(q for s in sentences for q in facts(s).quantities)


PAPER = _paper(
    "XLM-R Large reaches 76.4% accuracy on the Turkish XNLI test set.",
    "We fine-tune for 3 epochs with a learning rate of 2e-5 and a batch size of 32.",
    "The corpus holds 10,963 paragraphs from 20 countries.",
    "| Model | en | tr |",
    "| XLM-R Base | 84.1 | 71.9 |",
)


def test_a_figure_the_paper_never_states_is_absent():
    assert paper_absent(facts("XLM-R Large reaches 90% accuracy on XNLI in Swahili."), PAPER) == 1.0
    claim = facts("The best model was trained with a batch size of 16.")
    assert paper_absent(claim, PAPER) == 1.0
    # one of two figures absent
    claim = facts("XLM-R Large was trained for 3 epochs with a batch size of 64.")
    assert paper_absent(claim, PAPER) == 0.5


def test_a_figure_the_paper_states_or_rounds_is_not_absent():
    assert paper_absent(facts("XLM-R Large reaches 76.4% accuracy in Turkish."), PAPER) == 0.0
    # rounded, with or without a hedge, and read off a table row
    assert paper_absent(facts("XLM-R Large reaches about 76% in Turkish."), PAPER) == 0.0
    assert paper_absent(facts("The corpus holds almost 11,000 paragraphs."), PAPER) == 0.0
    assert paper_absent(facts("XLM-R Base scores 72 on Turkish."), PAPER) == 0.0


def test_figures_in_words_and_claims_without_figures_are_left_out():
    assert paper_absent(facts("XLM-R Base gets roughly a third of them wrong."), PAPER) == 0.0
    assert paper_absent(facts("XLM-R Large beats XLM-R Base on Turkish XNLI."), PAPER) == 0.0
    assert paper_absent(facts("XLM-R Large reaches 90% accuracy."), ()) == 1.0


def test_the_calibrator_reads_it():
    from synth.calibrate import CALIBRATED_FEATURES

    assert "num_absent" in CALIBRATED_FEATURES
