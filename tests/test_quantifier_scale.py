"""Quantifier scales (synth/quantchecks.py): a universal claim against a stated share or
exception, and quantifier words that quantify over nothing. Sentences written for the tests."""

from __future__ import annotations

from synth.quantchecks import cues, quantifier_conflict
from synth.textchecks import facts

EVERY = facts("The tagger beats the rule-based baseline on every test set.")


def test_exception_named_as_a_noun_limits_a_universal():
    only = facts("The only exception is the Finnish test set, where the tagger falls behind.")
    assert "partial" in cues(only.text)
    assert quantifier_conflict(EVERY, only) == 1.0
    assert "partial" in cues("With two exceptions, the tagger is ahead.")
    # An exception denied is a universal, not a share.
    assert "partial" not in cues("The tagger is ahead on every test set without exception.")
    assert "always" in cues("The tagger is ahead on every test set without exception.")
    assert "always" in cues("There are no exceptions to this pattern.")


def test_share_written_with_over_and_the_rest():
    assert quantifier_conflict(EVERY, facts("The tagger wins 7 over 9 test sets.")) == 1.0
    # A whole share is no exception.
    assert quantifier_conflict(EVERY, facts("The tagger wins 9 over 9 test sets.")) == 0.0
    rest = facts("Half of the prompts were written by hand; the rest of them came from templates.")
    assert quantifier_conflict(facts("All prompts were written by hand."), rest) == 1.0


def test_universal_words_beyond_every_and_all():
    for text in (
        "Everything in the archive was transcribed twice.",
        "The gains hold across the board.",
        "In all cases the parser recovers the root.",
    ):
        assert "always" in cues(text), text
    some = facts("Some recordings were transcribed only once.")
    assert quantifier_conflict(facts("Everything in the archive was transcribed twice."), some)


def test_phrases_that_quantify_over_nothing():
    # "at all", "in all", "above all", "of all the X" (a superlative's frame) state no universal.
    for text in (
        "Pruning gave no gains at all.",
        "The corpus holds 3.1 GB of text in all.",
        "Speed matters above all.",
        "Of all the taggers, only the CRF uses gazetteers.",
    ):
        assert "always" not in cues(text), text
    # "at most", "at least", "the most" state no share.
    for text in (
        "We keep at most five candidates per word.",
        "Each word has at least one candidate.",
        "The most frequent tags are nouns.",
    ):
        assert "some" not in cues(text), text
    superlative = facts("Of all the taggers compared, the CRF was the fastest.")
    assert (
        quantifier_conflict(superlative, facts("Some taggers were faster on short texts.")) == 0.0
    )
    # A quantifier beside such a phrase still counts.
    assert "always" in cues("All taggers were fast, above all the CRF.")
    assert "some" in cues("Most taggers keep at most five candidates.")


def test_a_claim_mixing_its_quantifiers_generalises_in_none():
    # The claim names its own exception ("other than"): a "some" in the evidence may be that one.
    own = facts("Every parser other than the CRF barely beat the majority baseline.")
    some = facts("Most parsers are far ahead of the baseline, some of them by ten points.")
    assert quantifier_conflict(own, some) == 0.0
    # "often ... never" states a habit about what the text never says, not a universal "never".
    habit = facts("Tagging rare senses often needs knowledge the gloss never states.")
    sometimes = facts("Annotators often use knowledge that is sometimes left unstated.")
    assert quantifier_conflict(habit, sometimes) == 0.0
    # "never saw ..., so every token was tagged": two quantifiers over two things.
    two = facts("The encoder never saw a blank word, so every input word was tagged instead.")
    assert quantifier_conflict(two, facts("All layers were frozen in some runs.")) == 0.0
    # A plain universal still meets the share that limits it.
    assert quantifier_conflict(EVERY, some) == 1.0
    plain_never = facts("The tagger never mislabels a proper noun.")
    assert quantifier_conflict(plain_never, facts("The tagger sometimes mislabels names.")) == 1.0


def test_a_universal_inside_a_condition_or_heading_a_clause_ranges_over_no_finding():
    for text in (
        "When all layers are frozen, the tagger's accuracy falls to chance.",
        "The parser would lose ten points if every word were misspelt.",
        "Where all three judges agreed, the model matched them 90% of the time.",
        "Annotators keep their notes; all they share is the final label.",
        "All we need is a list of names.",
    ):
        assert "always" not in cues(text), text
    # The finding's own universal still counts, before a condition or after one.
    for text in (
        "The tagger wins on every test set where it was compared.",
        "When trained on news, the tagger wins on every test set.",
        "All taggers improved once the gazetteer was added.",
    ):
        assert "always" in cues(text), text
    freeze = facts("When all layers are frozen, accuracy drops on some test sets.")
    assert quantifier_conflict(freeze, facts("Accuracy drops on most test sets.")) == 0.0
