"""A figure conflicts only with a figure of the same kind of quantity: a share is no count of
things, a count is no level measured to decimals; "close to" hedges; "spoken by 900 speakers"
names who, not a difference; "three out of the eight" is a share; every figure of a listed
difference is one; "seventy thousand" is one number. Sentences written for these tests."""

from __future__ import annotations

from synth.textchecks import facts, numeric_agreement


def _num(claim: str, evidence: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence))


def test_a_share_is_no_count_of_things():
    # the share's whole, or another count of the same things, does not contradict a share
    assert (
        _num(
            "About a third of the 60 recordings were made outdoors.",
            "The corpus holds 60 recordings from twelve villages.",
        )[1]
        == 0.0
    )
    assert _num(
        "Roughly one in four reviews mentions the price.",
        "We sampled 400 reviews from the shop's website.",
    ) == (0.0, 0.0)
    # two shares of the same thing still conflict, and two counts do
    assert _num(
        "About a third of the recordings were made outdoors.",
        "Only 12% of the recordings were made outdoors.",
    ) == (0.0, 1.0)
    assert (
        _num(
            "The corpus holds 80 recordings.",
            "The corpus holds 60 recordings from twelve villages.",
        )[1]
        > 0.0
    )


def test_a_count_is_no_level_to_decimals():
    assert (
        _num(
            "Both raters scored all three dialects.",
            "The two raters agree with a kappa of 0.71 on the dialect labels.",
        )[1]
        == 0.0
    )
    assert _num(
        "Five annotators labelled the tweets.",
        "Annotators labelled the tweets with an agreement of 0.64.",
    ) == (0.0, 0.0)
    # two levels to decimals still conflict
    assert (
        _num(
            "The raters agree with a kappa of 0.81 on the dialect labels.",
            "The two raters agree with a kappa of 0.71 on the dialect labels.",
        )[1]
        > 0.0
    )


def test_close_to_is_a_hedge():
    assert _num(
        "The parser runs at close to 300 sentences per second.",
        "The parser processes 291 sentences per second.",
    ) == (1.0, 0.0)
    assert _num(
        "The parser runs at close to 200 sentences per second.",
        "The parser processes 291 sentences per second.",
    ) == (0.0, 1.0)


def test_by_after_a_participle_names_who():
    # "spoken by 2,500 speakers" is a level (a count of speakers), not a difference of 2,500
    assert _num(
        "The dialect has about 9,000 speakers.",
        "The dialect is spoken by 2,500 speakers in three valleys.",
    ) == (0.0, 1.0)
    # "improves by" is still a difference
    q = facts("The new tagger improves accuracy by 3.1 points.").quantities[0]
    assert q.delta


def test_out_of_the_whole_is_a_share():
    assert _num(
        "The filter helps on half of the eight languages.",
        "The filter helps on three out of the eight languages.",
    ) == (0.0, 1.0)
    assert _num(
        "The filter helps on three of the eight languages.",
        "The filter helps on three out of the eight languages.",
    ) == (1.0, 0.0)


def test_a_listed_difference_is_a_difference():
    # every figure of a list of gains is a gain, not a level
    qs = facts("The adapters bring accuracy gains of 1.4% and 2.7% on the two sets.").quantities
    assert [q.delta for q in qs[:2]] == [True, True]
    qs = facts(
        "The largest improvements are 12.5%, 14.1% and 20.3% for the three sizes."
    ).quantities
    assert [q.delta for q in qs[:3]] == [True, True, True]
    assert facts("We observe a 4.2 points F1 improvement on the small split.").quantities[0].delta
    assert facts("The tagger achieves an error reduction of 18% overall.").quantities[0].delta
    # levels listed after a level stay levels
    qs = facts("The tagger scores 64.4 and 71.3 on the two sets.").quantities
    assert [q.delta for q in qs[:2]] == [False, False]
    assert (
        _num(
            "The tagger scores 72.31 F1 on the news split.",
            "Our tagger improves F1 by 2.05% and 3.12% on the news and forum splits.",
        )[1]
        == 0.0
    )


def test_tens_before_a_scale_word():
    assert _num(
        "The annotation cost close to seventy thousand dollars.",
        "In total, the annotation cost $70,000.",
    ) == (1.0, 0.0)
    assert [(q.number.raw, q.value) for q in facts("about ninety languages").quantities] == [
        ("ninety", 90.0)
    ]
