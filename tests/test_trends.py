"""Trends and effects turned around (synth.directions.trend_flip): a claim and a sentence that
state one change under one cause, in opposite ways, with no two sides to compare. Sentences from
the tuning papers' claims and evidence (bench/dev and the retired held-out sets)."""

from __future__ import annotations

from synth.comparisons import word_checks
from synth.directions import trend_flip, trend_sign
from synth.textchecks import facts


def _flip(claim: str, evidence: str) -> float:
    return trend_flip(facts(claim), facts(evidence))


def test_a_trend_turned_around_conflicts():
    """Cause and effect the same way in the claim, opposite ways in the evidence: each sentence
    uses "increased", so only the product of the two directions tells them apart."""
    claim = "Raising the ALP stopping threshold increased the F1 score of both mBERT and XLM-R."
    evidence = (
        "As a result, we noticed a decrease in the F1-Score of mBERT and XLM-R as the threshold"
        " values increased, as illustrated in Figure 3."
    )
    assert trend_sign(claim) == (1, 2) and trend_sign(evidence) == (-1, 2)
    assert _flip(claim, evidence) == 1.0
    assert word_checks(facts(claim), facts(evidence), None)["direction"] == 1.0


def test_the_more_the_better_against_worse_with_more():
    claim = "The more training data SBAAM receives, the better its subtitles conform to the limits."
    evidence = "However, the model obtains worse CPL and CPS conformity with more training data."
    assert _flip(claim, evidence) == 1.0


def test_an_effect_with_one_direction_has_a_rising_cause():
    """ "scaling the data up lowers accuracy" against "performance improves with an increase in
    the data": one direction against two, opposite products."""
    claim = "At a fixed 3:1 proportion, scaling the data up to 15:5 lowers average accuracy."
    evidence = (
        "As indicated in Table 2, the performance of the model improves with an increase in the"
        " volume of augmented data."
    )
    assert _flip(claim, evidence) == 1.0
    # the same effect, stated the same way, is no conflict
    same = "Performance decreases as the volume of augmented data increases."
    assert _flip(claim, same) == 0.0


def test_the_same_trend_reworded_is_no_conflict():
    claim = "Llama2 represented the population worse when the human answers were more diverse."
    evidence = (
        "The model's representativeness of the population decreases as the diversity in answers"
        " increases."
    )
    assert _flip(claim, evidence) == 0.0
    flipped = claim.replace("worse", "better")
    assert _flip(flipped, evidence) == 1.0


def test_two_findings_listed_are_no_trend():
    """ "reducing parameters while outperforming" lists two findings (no word ties one to the
    other), and rankings ("lowest", "better ECE") state no change."""
    claim = "LMS improves over the Switch Transformer by 1.73 BLEU while using fewer parameters."
    evidence = (
        "LMS utilizes lightweight modules, reducing the number of parameters while outperforming"
        " existing methods, e.g., +1.73 BLEU over Switch Transformer."
    )
    assert _flip(claim, evidence) == 0.0
    claim = "Temperature scaling gives the lowest ECE overall and label smoothing comes second."
    evidence = "TS achieves overall better ECE, with LS being the second effective method."
    assert _flip(claim, evidence) == 0.0


def test_one_change_each_needs_two_stated_points():
    """A single change against a single change counts only between stated points ("from round 1
    to round 2"): "X improved accuracy" and "Y hurt fluency" speak of two things."""
    claim = (
        "Agreement between annotators on event relevance fell from the first round to the second."
    )
    evidence = "The agreement score for Event-relevance improved notably from 0.31 to 0.63."
    assert _flip(claim, evidence) == 1.0
    assert _flip("Pretraining improved accuracy.", "Pretraining hurt fluency.") == 0.0


def test_negation_and_comparison_are_left_to_their_checks():
    """A negated or compared sentence turns directions around in ways a sign count misses."""
    assert trend_sign("F1 did not decrease as the threshold increased.") == (0, 0)
    assert trend_sign("F1 increased more than recall as the threshold increased.") == (0, 0)
    assert trend_sign("The best model is the largest one.") == (0, 0)


def test_a_measure_that_falls_as_it_improves_is_left_alone():
    """ "More data improves WER" and "WER decreases with more data" say the same thing."""
    assert (
        _flip("More training data improves WER.", "WER decreases with more training data.") == 0.0
    )


def test_every_inflection_of_a_change_counts():
    """ "a significant drop" against "even improving": the noun and the participle are changes
    too (the loose flip of :func:`synth.directions.direction_flip`)."""
    claim = (
        "XLM-RoBERTa's NLI accuracy held up on natural Ukrainian text, even improving slightly"
        " over the translated test set."
    )
    evidence = (
        "However, there was a significant drop in XLM-RoBERTa's performance between the"
        " translated and natural test sets, likely due to domain differences."
    )
    assert word_checks(facts(claim), facts(evidence), None)["direction"] == 0.5
    claim = "Swapping HipoRank for the ORACLE extractor slightly lowered performance."
    evidence = "Interestingly, ORACLE shows slightly higher performance as compared to HR."
    assert word_checks(facts(claim), facts(evidence), None)["direction"] == 0.5
