"""Direction words the checks lacked: comparing verbs of the "out-" family ("outscored",
"outranks"), "fewer" in a trend, "confirms" against "contradicts", and changes of strength
("intensified", "weakened"). Sentences written for these tests."""

from __future__ import annotations

from synth.comparisons import comparison_flip, word_checks
from synth.directions import direction_flip, trend_flip
from synth.textchecks import facts


def _direction(claim: str, evidence: str) -> float:
    return word_checks(facts(claim), facts(evidence), None)["direction"]


def test_out_verbs_compare_two_sides():
    """ "A outscored B" against "B outperforms A": the sides trade places around two verbs of one
    way; the same order is agreement."""
    claim = "On the noisy split, the tagging model outscored the parsing model."
    swapped = "On the noisy split, the parsing model outperforms the tagging model by two points."
    same = "On the noisy split, the tagging model beats the parsing model by two points."
    assert comparison_flip(claim, swapped) == 1.0
    assert comparison_flip(claim, same) == 0.0
    assert comparison_flip("Lexicon features outrank syntax features.", same) == 0.0
    assert (
        comparison_flip(
            "The retrieval baseline outranked the generative reader on recall.",
            "The generative reader outpaced the retrieval baseline on recall.",
        )
        == 1.0
    )


def test_fewer_turns_a_trend_around():
    """ "More context, fewer errors of a kind" against "more context, more of them"."""
    claim = "When the context window grew, annotators flagged fewer ambiguous mentions."
    evidence = "Annotators flagged more ambiguous mentions as the context window grew."
    assert trend_flip(facts(claim), facts(evidence)) == 1.0
    agree = "As the context window grew, annotators flagged fewer ambiguous mentions overall."
    assert trend_flip(facts(claim), facts(agree)) == 0.0


def test_fewer_as_a_bound_states_no_direction():
    """ "fewer than one in ten" bounds a share; a sentence giving the share and "more detail"
    states no opposite of it."""
    claim = "In a manual check, fewer than one in ten summaries contained factual slips."
    evidence = "The manual check found slips in 7% of summaries, mostly adding more detail."
    assert _direction(claim, evidence) == 0.0


def test_confirms_against_contradicts():
    claim = "The study confirms the common view that deeper encoders generalise better."
    evidence = "Our results contradict the common view that deeper encoders generalise better."
    assert direction_flip(facts(claim), facts(evidence)) == 1.0
    same = "These results confirm the common view that deeper encoders generalise better."
    assert direction_flip(facts(claim), facts(same)) == 0.0


def test_changes_of_strength_have_a_direction():
    """ "shrank" against "intensified", "weakened" against "strengthened": one direction each
    (the loose reading, 0.5)."""
    assert (
        _direction(
            "The gender gap in refusals shrank in the newer release.",
            "The gender gap in refusals intensified in the newer release.",
        )
        >= 0.5
    )
    assert (
        _direction(
            "Label smoothing weakened the link between confidence and accuracy.",
            "Label smoothing strengthened the link between confidence and accuracy.",
        )
        >= 0.5
    )
    assert (
        _direction(
            "Label smoothing strengthened the link between confidence and accuracy.",
            "With label smoothing, the link between confidence and accuracy strengthened.",
        )
        == 0.0
    )


def test_falling_behind_is_the_opposite_of_outperforming():
    """ "falls behind X" reads as one word ("lags"), the opposite of "outperforms", though the
    sentence also says "better" of another side; "behind" alone is a place ("the idea behind")."""
    claim = "On sentence retrieval, the aligned encoder clearly outperforms the teacher model."
    evidence = (
        "Our aligned encoder performs much better than the vanilla baseline and only slightly "
        "falls behind the teacher model on sentence retrieval."
    )
    assert direction_flip(facts(claim), facts(evidence)) == 1.0
    idea = "The idea behind the aligned encoder is that it outperforms the teacher model."
    assert direction_flip(facts(claim), facts(idea)) == 0.0


def test_a_negated_noun_meets_its_verb():
    """ "no big differences" negates what "differed widely" states (a verb and its noun); a
    stem too short to tell ("use" / "user") does not."""
    from synth.textchecks import negation_mismatch

    claim = "In the human study, the three sampling methods differed widely from one another."
    evidence = "- no big differences between the sampling methods in the human study"
    assert negation_mismatch(facts(claim), facts(evidence)) == 1.0
    assert negation_mismatch(facts(claim), facts("The sampling methods differed a lot.")) == 0.0


def test_the_loose_reading_needs_one_way_on_each_side():
    """A claim with words of both ways states two findings: a sentence stating one of them in
    other words ("improves as more are added") is no flip; one way each still is (0.5)."""
    two_ways = (
        "Adding languages to the vote helps while they are well resourced; adding poorly "
        "resourced ones lowers accuracy."
    )
    one = "In well-resourced settings, accuracy improves as more languages join the vote."
    assert direction_flip(facts(two_ways), facts(one)) == 0.0
    assert (
        direction_flip(
            facts("Adding poorly resourced languages to the vote lowers accuracy."),
            facts("Adding poorly resourced languages to the vote improves accuracy slightly."),
        )
        >= 0.5
    )
