"""Words that imply a negation ("intact", "preserves", "kept private"), with sentences of our own."""

from __future__ import annotations

from synth.textchecks import facts, negation_mismatch


def test_a_word_implying_a_negation_denies_what_it_implies():
    # what a step preserves, it does not rewrite
    ev = facts("The converter preserves every unit symbol exactly as the source writes it.")
    claim = facts("The converter was allowed to rewrite unit symbols in the target style.")
    assert negation_mismatch(claim, ev) == 1.0
    # what is kept private is not released
    claim = facts("The annotations of the test split are kept private to prevent leakage.")
    ev = facts("We have released the annotations of the test split on our project page.")
    assert negation_mismatch(claim, ev) == 1.0


def test_an_implied_negation_matches_an_explicit_one():
    # "intact" and "without compromising" say the same thing
    claim = facts("Further tuning on Welsh leaves the model's English skills intact.")
    ev = facts("Tuning on Welsh improves the model without compromising its English skills.")
    assert negation_mismatch(claim, ev) < 1.0
    claim = facts("Each hospital keeps its patient notes private and sends only the weights.")
    ev = facts("Each hospital trains on its own notes and does not share its patient notes.")
    assert negation_mismatch(claim, ev) < 1.0


def test_no_negation_implied_by_a_kind_or_a_neighbouring_outcome():
    # "private" naming a kind of thing denies nothing
    claim = facts("The parser links public agencies to the firms they contract.")
    ev = facts("Links between public agencies and the private sector are hard to extract.")
    assert negation_mismatch(claim, ev) == 0.0
    # what "preserves" implies is never an outcome said of something else
    claim = facts("Dropping the query and keeping only the table hurt both tagging models.")
    ev = facts("The tagger reads the table as a graph, which preserves its row structure.")
    assert negation_mismatch(claim, ev) == 0.0
    # the words beside the cue are not negated: both sentences keep the meaning
    claim = facts("The rewriting step preserves the meaning of each question.")
    ev = facts("After the rewriting step the meaning of each question stays the same.")
    assert negation_mismatch(claim, ev) == 0.0
