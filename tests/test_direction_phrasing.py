"""Comparisons written in ways the direction checks used to miss (session 25, DIR11): quality
adjectives after "more"/"less", amounts of a verb or an effect, bracketed asides, "ones" of the
object's kind, plurals of short names, a subject on the other side, and lose/gain opposites."""

from synth.comparison_sides import comparison_core
from synth.comparisons import comparison_flip, word_checks
from synth.directions import direction_flip, opposite_before_same_word
from synth.quantchecks import TOKEN, comparative_before
from synth.textchecks import facts


def _checks(claim: str, evidence: str) -> dict[str, float]:
    return word_checks(facts(claim), facts(evidence), comparison_core(claim))


def test_more_accurate_is_better_quality():
    claim = "The CNN taggers were more accurate than the LSTM taggers."
    assert comparison_flip(claim, "The CNN taggers performed worse than the LSTM taggers.") == 1.0
    assert comparison_flip(claim, "The CNN taggers performed better than the LSTM taggers.") == 0.0
    less = "The CNN taggers were less robust than the LSTM taggers."
    assert comparison_flip(less, "The CNN taggers outperform the LSTM taggers.") == 1.0


def test_a_short_names_plural_lines_up_with_it():
    claim = "The GRU classifiers were more accurate than the Transformer models."
    evidence = "The small GRUs achieve worse results than the Transformer models."
    assert comparison_flip(claim, evidence) == 1.0
    assert comparison_flip(claim, evidence.replace("worse", "better")) == 0.0


def test_more_before_a_preposition_compares_the_verbs_amount():
    claim = "Pretraining matters more for parsing than for classification."
    evidence = "Pretraining has a more pronounced impact on classification than parsing."
    assert comparison_flip(claim, evidence) > 0.0
    same = "Pretraining has a more pronounced impact on parsing than classification."
    assert comparison_flip(claim, same) == 0.0


def test_a_bracketed_aside_breaks_no_clause():
    low = [
        t.lower() for t in TOKEN.findall("a larger gain on retrieval (BUCC, Tatoeba) than tagging")
    ]
    assert low[comparative_before(low, low.index("than"))] == "larger"


def test_ones_keep_the_object_as_the_side():
    first, second = comparison_core("The parsers handled short sentences better than long ones.")
    assert "short" in first and "parser" not in first
    evidence = "All of our parsers perform better on long sentences than short sentences."
    assert comparison_flip("The parsers handled short sentences better than long ones.", evidence)
    # no object: "one" is of the subject's kind
    first, _ = comparison_core("The tiny student scorer helped more than the large one.")
    assert "tiny" in first


def test_the_claims_subject_on_the_other_side_is_a_loose_flip():
    claim = "Adapters trained on news did better than adapters trained on tweets."
    evidence = "The tweet model beats the news-trained adapters in every setting."
    assert comparison_flip(claim, evidence) == 0.5


def test_opposites_before_one_word_flip_without_the_sides():
    claim = "Domain-specific encoders are less parameter-efficient than generic encoders."
    evidence = "Specialised LMs tend to be more parameter-efficient than multilingual LMs."
    assert opposite_before_same_word(facts(claim), facts(evidence)) == 1.0
    assert _checks(claim, evidence)["direction"] == 1.0
    # the evidence says both: no flip
    both = "They are more parameter-efficient on A and less parameter-efficient on B than LMs."
    assert _checks(claim, both)["direction"] == 0.0
    # other words, other sides: nothing
    assert _checks(claim, "Multilingual LMs are larger than specialised LMs.")["direction"] == 0.0


def test_losing_and_gaining_are_opposites():
    claim = facts("Swahili lost accuracy after adding the noisy data.")
    assert direction_flip(claim, facts("Swahili gained accuracy after adding the noisy data."))
    assert direction_flip(claim, facts("Swahili improved after adding the noisy data."))
    assert not direction_flip(claim, facts("Swahili lost accuracy after adding noisy data too."))


def test_such_as_is_no_equivalence():
    claim = "With overlap metrics such as BLEU or ChrF as the fitness, search keeps rewriting."
    assert comparison_core(claim) is None
    assert comparison_core("The small model is as fast as the large one.") is not None
