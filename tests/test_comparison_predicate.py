"""Comparison sides past a predicate: "X <verb phrase> more/better/less ... than Y" binds X, the
subject before the verb, not the verb or its object (sentences of our own)."""

from __future__ import annotations

from synth.comparison_sides import comparison_core
from synth.comparisons import comparison_flip


def test_subject_before_a_verb_and_its_object():
    first, second = comparison_core("Rule-based parsers deal with rare idioms better than LSTMs.")
    assert {"rule-bas", "parser"} & first and not {"deal", "idiom", "rare"} & first
    assert second == {"lstms"} or "lstm" in " ".join(second)
    first, _ = comparison_core("Character models cope with typos better than word models do.")
    assert "charact" in " ".join(first) and not {"cope", "typo"} & first


def test_subject_before_an_intransitive_verb():
    first, second = comparison_core("The tiny student scorer helped more than the large one.")
    assert "tiny" in first and "help" not in first
    first, _ = comparison_core("The byte-level tagger holds up better than the word tagger.")
    assert "byte-level" in first and not {"hold", "up"} & first
    first, _ = comparison_core("Data filtering matters more than model size.")
    assert "filter" in " ".join(first) and "matter" not in first


def test_verb_that_makes_its_object_something():
    first, second = comparison_core("Back-translation makes the tagger more robust than dropout.")
    assert "back-translation" in first and "tagger" not in first and "dropout" in " ".join(second)


def test_an_affected_object_stays_the_side():
    """ "X helps A more than it helps B", "X hurts A more than B": A and B are compared."""
    first, second = comparison_core("Warmup helps small batches far more than it helps large ones.")
    assert "small" in first and "warmup" not in first
    first, second = comparison_core("Quantization hurts rare languages more than English.")
    assert "rare" in first and second == {"english"}


def test_participle_is_no_predicate():
    """ "data made by X": a modifier of the subject, whose words stay on the side."""
    first, _ = comparison_core("Summaries made by annotators outscore summaries made by models.")
    assert "annotator" in " ".join(first)


def test_no_subject_word_keeps_the_words():
    first, _ = comparison_core("The use of adapters is more efficient than full finetuning.")
    assert "adapter" in first


def test_predicate_sides_flip_against_the_evidence():
    claim = "Character models cope with noisy spelling better than word models."
    evidence = "Word models handle noisy spelling better than character models."
    assert comparison_flip(claim, evidence) == 1.0
    agree = "Character models perform better than word models on noisy spelling."
    assert comparison_flip(claim, agree) == 0.0
