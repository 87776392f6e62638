"""Flipped comparisons whose sides a predicate's verb or adverb hid, removals stated with other
verbs, stopping and missing as negations, and an unsuccessful outcome as the opposite of a
success. Sentences written for these tests."""

from __future__ import annotations

from synth.comparison_sides import comparison_frames
from synth.comparisons import comparison_flip, word_checks
from synth.textchecks import facts, negation_mismatch


def _checks(claim: str, evidence: str) -> dict[str, float]:
    from synth.comparisons import comparison_core

    return word_checks(facts(claim), facts(evidence), comparison_core(claim))


def test_a_predicates_verb_and_adverb_are_no_part_of_a_side():
    """ "usually did better", "tends to perform better", "works better": the side is the words
    before the predicate, so two sentences comparing the same things the other way round flip."""
    claim = "Keyword prompting without examples usually did better than the retrieval baseline."
    flipped = "Overall, the retrieval baseline (no filter) tends to perform better than keyword prompting."
    same = "Overall, keyword prompting tends to perform better than the retrieval baseline."
    assert comparison_flip(claim, flipped) == 1.0
    assert comparison_flip(claim, same) == 0.0
    ((first, second, *_),) = comparison_frames(
        "Dense retrieval works better than sparse retrieval."
    )
    assert "work" not in first and "dens" in first


def test_a_clause_opener_ends_the_first_side():
    """ "While the tagger is more robust than ...": "while" opens the clause, no side word;
    "Figure 3 shows 20 epochs outperform ...": the side starts after the reporting verb."""
    (frame,) = comparison_frames(
        "While the small tagger is more robust than the parser, it is slower."
    )
    assert "whil" not in frame[0] and "tagger" in frame[0]
    (frame,) = comparison_frames("Figure 3 shows that longer schedules outperform short schedules.")
    assert "figur" not in frame[0]
    (frame,) = comparison_frames("Figure 3 shows longer schedules outperform short schedules.")
    assert "figur" not in frame[0] and "schedul" in frame[0]
    # before any side word a reporting verb is the predicate: "X shows better results than Y"
    (frame,) = comparison_frames("The tagger shows better results than the parser.")
    assert "tagger" in frame[0]


def test_discarding_negates_its_object_unless_the_other_sentence_removes_it_too():
    claim = "The filtered corpus keeps sentences with mixed scripts alongside the clean ones."
    evidence = "We keep only clean sentences, discarding mixed scripts to avoid noise."
    assert negation_mismatch(facts(claim), facts(evidence)) == 1.0
    dropped = "Sentences with mixed scripts were dropped from the filtered corpus."
    removes = "To discard mixed scripts, we filter out sentences that mix two alphabets."
    assert negation_mismatch(facts(dropped), facts(removes)) == 0.0
    # a removal of the need for X still negates X ("removes the need for labels")
    assert facts("This removes the need for labels.").removals == frozenset()


def test_stopping_and_missing_negate_what_follows():
    claim = "The parser stops improving once it sees more than ten thousand trees."
    evidence = "The parser keeps improving with additional trees."
    assert negation_mismatch(facts(claim), facts(evidence)) == 1.0
    assert facts("Training stops early.").negated == 0  # no verb of doing after it
    claim = "Tamil served as one of the test languages for parsing."
    evidence = "We test parsing on Hindi and Urdu only, due to the missing Tamil treebank."
    assert negation_mismatch(facts(claim), facts(evidence)) == 1.0
    # "missing from the source": the absent thing is before the cue, the source is no scope
    assert (
        negation_mismatch(
            facts("The decoder reads a compressed code of the target beside its source."),
            facts("The code carries the information missing from the source."),
        )
        == 0.0
    )
    # both sentences speak of the missing thing: no mismatch
    assert (
        negation_mismatch(
            facts("The tagger imputes missing tags from the lexicon."),
            facts("Missing tags are imputed from the lexicon by the tagger."),
        )
        == 0.0
    )


def test_an_unsuccessful_outcome_is_the_opposite_of_a_success():
    claim = "For sarcasm detection, pruning the encoder was a success."
    evidence = "For sarcasm detection, distillation worked best, whereas pruning the encoder was unsuccessful."
    assert _checks(claim, evidence)["direction"] == 1.0
    assert (
        _checks(claim, "For sarcasm detection, pruning the encoder was a success.")["direction"]
        == 0.0
    )


def test_superlatives_of_opposite_ways():
    """ "the weakest translations" against "the best results" of one setting."""
    claim = "A window of 4 tokens gave the weakest tagging of the windows compared."
    evidence = "Our analysis shows that a window of 4 tokens yields the best tagging results."
    assert _checks(claim, evidence)["direction"] == 1.0
    same = "Our analysis shows that a window of 4 tokens yields the weakest tagging results."
    assert _checks(claim, same)["direction"] == 0.0
