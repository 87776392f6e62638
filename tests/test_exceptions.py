"""Exceptions to a universal claim (synth/exceptions.py), on sentences of the tuning papers."""

from __future__ import annotations

from synth.exceptions import exception_conflict, stated_limit
from synth.textchecks import facts

# Retired bench/heldout3 cold_fusion_multitask, bench/heldout4 drishtikon_indian_culture,
# bench/dev belarusianglue_benchmark.
SHARE = (
    "We find (see App. C) that the model produced by ColD Fusion is better than the pretrained"
    " model on 75% of the datasets and degrades by only 1.73 points on the worst-case dataset."
)
INCONSISTENT = (
    "By contrast, reasoning-specialized and Indic-focused models exhibited limited or"
    " inconsistent improvements, suggesting weaker generalization of CoT."
)
NO_PATTERN = (
    "This brings some improvements, especially in BeWiC and BeRTE-WD, although there doesn't"
    " seem to be any consistent pattern."
)


def test_stated_limits():
    assert stated_limit(SHARE) and stated_limit(INCONSISTENT) and stated_limit(NO_PATTERN)
    assert stated_limit("While this list captures many euphemisms, it is by no means exhaustive.")
    assert stated_limit("The models are only able to learn a few classes.")
    # A whole share, a consistent finding and a plain result limit nothing.
    assert not stated_limit("The gains hold on 100% of the datasets.")
    assert not stated_limit("ColD Fusion consistently improves over the pretrained model.")
    assert not stated_limit("The model scores 92.4 BLEU on reference A.")


def test_universal_claim_against_a_limit():
    every = facts("The ColD Fusion model beats the pretrained RoBERTa on every evaluation dataset.")
    assert exception_conflict(every, facts(SHARE)) == 1.0
    consistent = facts(
        "Chain-of-thought prompting brought consistent gains for every model family."
    )
    assert exception_conflict(consistent, facts(INCONSISTENT)) == 1.0
    # The claim states its own exception or share: no universal to refute.
    own = facts("ColD Fusion beats the pretrained model on all datasets except a few.")
    assert exception_conflict(own, facts(SHARE)) == 0.0
    share = facts("ColD Fusion beats the pretrained model on 75% of the datasets.")
    assert exception_conflict(share, facts(SHARE)) == 0.0
    # A claim that generalises nothing.
    plain = facts("ColD Fusion beats the pretrained model on average.")
    assert exception_conflict(plain, facts(SHARE)) == 0.0
    # A universal against a sentence that limits nothing.
    assert exception_conflict(every, facts("ColD Fusion improves on all 35 datasets.")) == 0.0


def test_none_of_them_consistently_is_a_limit():
    # "none of them consistently ..." denies consistency as "not consistently" does.
    none = (
        "Of the four tokenizers, none of them consistently gives the lowest error on all corpora."
    )
    assert stated_limit(none)
    claim = facts("The unigram tokenizer gives the lowest error on every corpus.")
    assert exception_conflict(claim, facts(none)) == 1.0
    # A curly apostrophe denies it too.
    assert stated_limit("The gains don’t appear to be consistent across the domains.")
    # "none" that denies something else limits nothing.
    assert not stated_limit("None of the annotators saw the system outputs before rating them.")
