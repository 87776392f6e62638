"""A finding denied ("we do not find evidence that X") negates X, with sentences of our own."""

from __future__ import annotations

from synth.textchecks import facts, negation_mismatch


def test_a_denied_finding_negates_what_it_would_have_found():
    ev = facts("After reading the logs, we do not find any cases where cached prompts cause drift.")
    claim = facts("Some of the drift was traced back to cached prompts.")
    assert negation_mismatch(claim, ev) == 1.0
    ev = facts("We find no evidence that longer documents have more varied summaries (Figure 3).")
    assert (
        negation_mismatch(facts("Longer documents were found to have more varied summaries."), ev)
        == 1.0
    )
    ev = facts("The probes did not show that deeper layers encode tense better than shallow ones.")
    assert (
        negation_mismatch(facts("Deeper layers encode tense better than shallow ones."), ev) == 1.0
    )


def test_a_denied_finding_matched_by_the_claims_own_negation():
    ev = facts("We do not find any cases where cached prompts cause drift.")
    assert negation_mismatch(facts("Cached prompts never caused drift in the logs."), ev) < 1.0
    ev = facts("We find no evidence that longer documents have more varied summaries.")
    claim = facts("The authors found no evidence that longer documents have more varied summaries.")
    assert negation_mismatch(claim, ev) == 0.0


def test_a_plain_negation_keeps_its_short_scope():
    # No finding denied: the words after the clause stay outside the cue's scope.
    ev = facts("The tagger does not use gazetteers, so that rare names cause most errors.")
    assert negation_mismatch(facts("Rare names cause most of the tagger's errors."), ev) < 1.0
