"""This session's checks, on sentences of the real papers (shared and bench/dev) and claims
people wrote about them: comparison sides, shares short of all, round figures, one-way direction
words, omission as negation, ranges, and a sentence naming another thing in the claim's slot."""

from __future__ import annotations

from synth.quantchecks import quantifier_conflict
from synth.textchecks import facts, negation_mismatch, numeric_agreement

GAP = "There is a performance gap of approximately 6.15% between English and Turkish."
RESILIENCE = "Surprisingly, mBERT demonstrates a similar resilience to pruning as BERT."


def _num(claim: str, evidence: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence))


def test_comparison_sides_must_be_named_by_the_evidence():
    """A comparison's sides are the words nearest its comparative; a sentence about two other
    sides ("mBERT vs BERT") does not carry "low-resource languages vs English"."""
    from synth.comparisons import comparison_core, sides_found, sides_missing

    claim = "Pruning attention heads in mBERT hurts low-resource languages much more than English"
    first, second = comparison_core(claim)
    assert {"low-resource", "low", "resource"} <= first and second == {"english"}
    assert comparison_core("mBERT is about as resilient to pruning as BERT.") == (
        {"mbert"},
        {"bert"},
    )
    a, b = comparison_core(
        "Removing the contrastive regularization (CACR) hurts more than removing CLISM."
    )
    assert "cacr" in a and "clism" in b
    assert comparison_core("Pruning improves accuracy.") is None  # no second side
    rejected = facts(
        "While it might seem that mBERT, with its reduced dedicated attention capacity for "
        "English, would suffer more from pruning compared to BERT, our findings reveal otherwise."
    )
    core = comparison_core(claim)
    assert not sides_found(core, rejected.stems) and sides_missing(core, rejected.stems) == 0.5
    # ... and 1.0 read with the sentence's own comparison (mBERT against BERT: English is named
    # only in passing)
    assert sides_missing(core, rejected.stems, rejected.text) == 1.0
    mbert_core = comparison_core("mBERT is much less resilient to pruning than BERT.")
    assert sides_found(mbert_core, facts(RESILIENCE).stems)
    assert sides_missing(mbert_core, facts(GAP).stems) == 1.0


def test_every_against_a_share_short_of_all():
    """ "every language" against the BAD-X paper's "a majority of languages ... gains on 8/10"
    (the evidence also says "all three tasks"); "almost entirely" is no universal."""
    majority = facts(
        "As a general trend, we observe that the proposed Balanced BAD-X variant outperforms "
        "MAD-X and MAs over a majority of languages and across all three tasks: besides offering "
        "higher average results, we also report gains on 8/10 (POS; accuracy), 9/10 (DP; UAS), "
        "and 8/10 (NLI; accuracy) target languages."
    )
    every = facts(
        "Balanced BAD-X outperforms MAD-X on every one of the low-resource target languages in "
        "all three tasks."
    )
    assert quantifier_conflict(every, majority) == 1.0
    most = facts("Balanced BAD-X outperforms MAD-X on most target languages in all three tasks.")
    assert quantifier_conflict(most, majority) == 0.0
    russian = facts(
        "Interestingly, self-training improves the results in all the languages, with the "
        "intriguing exception of the Russian language."
    )
    assert (
        quantifier_conflict(facts("Self-training improved retrieval for every language."), russian)
        == 1.0
    )
    assert (
        quantifier_conflict(
            facts("It helped in 10 of 10 languages."), facts("It helped in 10/10 languages.")
        )
        == 0.0
    )
    korean = facts(
        "The highest self-usage percentage is shown by Korean language (almost entirely, 97.6%), "
        "with negligible usage of other languages, except English with 1.4%."
    )
    hedged = facts("Answers to Korean questions are drawn almost entirely from Korean passages.")
    assert quantifier_conflict(hedged, korean) == 0.0


def test_a_round_figure_in_the_paper_is_not_a_rounded_claim():
    """ChatGPT paper: "we set temperature to 1": the claim's 0.7 is no rounding of it, and the
    word before both numbers ("temperature") says they are about the same thing."""
    evidence = (
        "As for the other parameters, we set temperature to 1 (the higher the value the more "
        "randomness in the output), n to 13 (number of returned responses), model to "
        "gpt-3.5-turbo and the presence penalty to 1.5."
    )
    assert _num(
        "ChatGPT was queried with temperature 0.7 and a presence penalty of 1.5.", evidence
    ) == (0.5, 0.5)
    assert _num(
        "ChatGPT was queried with temperature 1 and a presence penalty of 1.5.", evidence
    ) == (1.0, 0.0)
    # A claim may still round the paper's figure.
    assert _num("The gap between English and Turkish is about 6%.", GAP) == (1.0, 0.0)


def test_one_way_direction_words_and_omission_as_negation():
    """Dev papers (Sentri, CLISM): "degrades" against "keeps improving"; "left out of the
    fine-tuning input" against "we append the [QUE] token ... during fine-tuning"."""
    from synth.textchecks import direction_flip

    degrades = facts(
        "We observe that with the number of contexts more than 5 performance of extractive "
        "reader degrades."
    )
    improving = facts(
        "The extractive reader keeps improving as more retrieved contexts are passed to it."
    )
    assert direction_flip(improving, degrades) == 0.5
    assert (
        direction_flip(facts("The extractive reader degrades with more contexts."), degrades) == 0.0
    )
    append = facts(
        "In other words, we append the [QUE] token to the input sequence during fine-tuning."
    )
    left_out = facts(
        "The [QUE] token is used only during pre-training and is left out of the fine-tuning input."
    )
    assert negation_mismatch(left_out, append) == 1.0
    assert (
        negation_mismatch(facts("The [QUE] token is appended to the fine-tuning input."), append)
        == 0.0
    )


def test_a_range_hyphen_is_no_minus_sign():
    """CLISM (dev): "an absolute lead of 5%-15% on F1" bears out "5 to 15 F1 points"."""
    lead = "In the early stage of training, ours maintains an absolute lead of 5%-15% on F1 score over XLM-R."
    assert [n.value for n in facts(lead).numbers] == [5.0, 15.0]
    assert _num("The pre-trained model stays 5 to 15 F1 points ahead of XLM-R.", lead) == (1.0, 0.0)
    assert [n.value for n in facts("The loss moved from 3 to -2 after pruning.").numbers] == [
        3.0,
        -2.0,
    ]


def test_a_sentence_naming_another_thing_in_the_claims_slot():
    """BAD-X and Sentri (dev papers): the sentence that states the claim's figure or words names
    another language where the claim names one; a name in the claim that the sentence shares
    is no swap."""
    from synth.namechecks import local_swap

    wixarika = facts("The highest improvement of 6.67% is observed for Wixarika.")
    aymara = facts(
        "The largest NLI improvement of BAD-X over MAD-X, 6.67 points, is observed for Aymara."
    )
    assert local_swap(aymara, wixarika) == 1.0
    assert (
        local_swap(facts("The highest improvement, 6.67%, is observed for Wixarika."), wixarika)
        == 0.0
    )
    bengali = facts("For Telugu the second most used language is Bengali, which is related to it.")
    japanese = facts("For Telugu questions, the second most used passage language is Japanese.")
    assert local_swap(japanese, bengali) == 1.0
    assert (
        local_swap(
            facts("For Telugu questions, the second most used language is Bengali."), bengali
        )
        == 0.0
    )
