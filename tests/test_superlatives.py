"""Superlatives bound to the names of their own clause, with sentences of our own."""

from __future__ import annotations

from synth.superlatives import superlative_ends, superlative_flip


def test_each_name_goes_with_the_superlative_of_its_clause():
    ev = (
        "Across the regions the scores hardly differ, except that Norwegians report the highest "
        "satisfaction, while Portuguese respondents report the lowest."
    )
    ends = superlative_ends(ev)
    assert ends["norwegian"] == {("amount", 1)} and ends["portuguese"] == {("amount", -1)}
    swapped = "Portuguese respondents were the most satisfied and Norwegians the least."
    assert superlative_flip(swapped, ev) == 1.0
    same = "Norwegians were the most satisfied, while Portuguese respondents were the least."
    assert superlative_flip(same, ev) == 0.0


def test_a_listed_name_and_a_trailing_clause():
    ev = "The longest answers across all prompts come from Falcon, Vicuna, and Alpaca."
    assert superlative_flip("Vicuna gave the shortest answers of the four models.", ev) == 1.0
    assert superlative_flip("Vicuna gave some of the longest answers.", ev) == 0.0
    # "Alpaca among the longest" is no claim about Vicuna's place
    claim = "Orca gave the shortest answers, with Alpaca among the longest."
    assert superlative_flip(claim, ev) == 0.0


def test_no_flip_across_scales_or_for_quantifiers():
    # "the best" and "the lowest" can say one thing of an error rate: other scales are left alone
    ev = "The 12-layer model reaches the lowest word error rate on both test sets."
    assert superlative_flip("The 12-layer model performs the best on both test sets.", ev) == 0.0
    # "most" as a quantifier binds nothing
    ev = "Most languages gain from pretraining, and Swahili gains the most."
    assert superlative_flip("Swahili gains the least from pretraining.", ev) == 1.0
    assert superlative_flip("Swahili gains from pretraining, like most languages.", ev) == 0.0
