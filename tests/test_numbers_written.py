"""How figures are written: number words that scale one another, shares of a point, slashed
pairs of figures, identifiers, and a shared spelled-out count that must not dilute a changed
figure. Sentences from the tuning papers (bench/dev and the retired held-out sets)."""

from __future__ import annotations

from synth.entities import parse_numbers
from synth.numwords import extra_numbers
from synth.textchecks import facts, numeric_agreement


def _num(claim: str, evidence: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence))


def _words(text: str) -> list[tuple[str, float, str | None]]:
    return [(n.raw, n.value, n.unit) for n in extra_numbers(text)]


def test_number_words_that_scale_one_another_are_one_number():
    assert _words("three hundred thousand pairs and five thousand each") == [
        ("three hundred thousand", 300000.0, None),
        ("five thousand", 5000.0, None),
    ]
    assert _words("capped at one million pairs") == [("one million", 1e6, None)]
    assert _words("two hundred annotators") == [("two hundred", 200.0, None)]
    # digits before the scale word are read by numchecks with the digits
    assert _words("about 82 thousand instances") == []


def test_a_share_of_a_point_is_a_difference_in_points():
    assert _words("by roughly a quarter of a BLEU point") == [
        ("a quarter of a BLEU point", 0.25, "points")
    ]
    assert _words("half a point better") == [("half a point", 0.5, "points")]
    assert _words("on three quarters of the datasets") == [("three quarters", 75.0, "%")]
    assert _words("more than four-fifths fewer exceptions") == [("four-fifths", 80.0, "%")]


def test_restated_figures_agree():
    """lms_fuse (0.27 BLEU as a quarter of a point), nat_syntactic (0.3M as three hundred
    thousand), dap (1 million as one million)."""
    assert _num(
        "Pair-wise synthesis beats language-wise synthesis by roughly a quarter of a BLEU point.",
        "On average, pair-wise synthesis outperforms language-wise synthesis by 0.27 BLEU points.",
    ) == (1.0, 0.0)
    assert _num(
        "The experiments used three hundred thousand sentence pairs for training and five"
        " thousand each for validation and testing.",
        "0.3M, 5K, and 5K synthesized sentence pairs are generated as training, validation, and"
        " test sets respectively.",
    ) == (1.0, 0.0)
    assert _num(
        "Training data was capped at one million sentence pairs per language.",
        "For each language, we retain at most 1 million sentence pairs at random.",
    ) == (1.0, 0.0)
    # a changed compound still conflicts
    assert _num(
        "The experiments used four hundred thousand sentence pairs for training.",
        "0.3M synthesized sentence pairs are generated for training.",
    ) == (0.0, 1.0)


def test_slashed_pairs_and_identifiers():
    raws = [n.raw for n in parse_numbers("It scores 35.9%/50.8% on Dataset 1 in IWSLT'14.")]
    assert raws == ["35.9%", "50.8%"]
    assert [n.raw for n in parse_numbers("from 2015/01/01 to 2024/01/29, in wave 13")] == []
    # a small count after such a word with three digits or more stays a count
    assert [n.raw for n in parse_numbers("the dataset 1200 samples")] == ["1200"]


def test_a_shared_spelled_count_does_not_dilute_a_changed_figure():
    """clinical_contradiction: "Two annotators ... 249" against "Two annotators ... 149"."""
    claim = "Two domain-knowledgeable annotators labelled 249 SNOMED phrase pairs."
    evidence = "Two annotators with domain knowledge label 149 SNOMED phrase-pairs."
    assert _num(claim, evidence) == (0.0, 1.0)
    # with the figure kept, the count still counts as a match
    assert _num(claim, evidence.replace("149", "249")) == (1.0, 0.0)


def test_one_thing_in_so_many_is_a_share():
    """atasc_subtitling: "roughly one subtitle in forty" against "2.6% of the subtitles"."""
    assert _words("roughly one subtitle in forty had") == [("one subtitle in forty", 2.5, "%")]
    assert _words("two models in four languages") == [("two", 2.0, None), ("four", 4.0, None)]
    assert _num(
        "Roughly one subtitle in forty had to be corrected for a translation error.",
        "For translation adjustments, 2.6% of the subtitles are edited due to translation errors.",
    ) == (1.0, 0.0)


def test_the_counted_thing_named_before_the_other_figure():
    """afriteva_v2 ("a 250,000-token vocabulary" / "vocabulary size 150,000") and chnls ("the 20
    candidates" / "the top 15 candidate substitutes"): the only figures of both, of one thing."""
    assert _num(
        "AfriTeVa V2 uses a subword tokenizer with a 250,000-token vocabulary.",
        "We pretrain a T5 model with a subword-tokenizer of vocabulary size 150,000.",
    ) == (0.0, 1.0)
    assert _num(
        "AfriTeVa V2 uses a subword tokenizer with a 150,000-token vocabulary.",
        "We pretrain a T5 model with a subword-tokenizer of vocabulary size 150,000.",
    ) == (1.0, 0.0)
    assert _num(
        "The ensemble kept the 20 candidates with the most votes.",
        "We select the top 15 candidate substitutes with the highest votes.",
    ) == (0.0, 1.0)
    # another counted thing stays apart: 6 epochs are no 20,000 examples
    assert _num("We train for 6 epochs.", "The set holds 20,000 examples.") == (0.0, 0.0)


def test_half_as_a_change_or_a_split():
    """dap_crosslingual ("raises the cost by only about half" / "by about 50%") and
    death_euphemisms ("split almost exactly in half")."""
    assert _words("raises the training cost by only about half") == [("half", 50.0, "%")]
    assert _words("split almost exactly in half between the classes") == [("half", 50.0, "%")]
    assert _words("by half a point") == [("half a point", 0.5, "points")]
    assert _words("in the first half of the year") == []
    assert _num(
        "Relative to translation ranking alone, DAP raises the training cost by only about half.",
        "DAP only increases the training cost by about 50% against the TR-only baseline.",
    ) == (1.0, 0.0)


def test_tens_and_units_in_one_word_are_one_number():
    assert _words("each judge rated forty-four prompts") == [("forty-four", 44.0, None)]
    assert _words("Ninety-one runs, then twenty-three more") == [
        ("Ninety-one", 91.0, None),
        ("twenty-three", 23.0, None),
    ]
    assert _words("roughly sixty-five thousand tweets") == [("sixty-five thousand", 65000.0, None)]
    # the units alone are not a figure of their own: "forty-four" is no "four"
    assert _num("We label thirty-six dialects.", "Our corpus covers 36 dialects.") == (1.0, 0.0)
    assert _num("We label thirty-six dialects.", "Our corpus covers 39 dialects.")[1] == 1.0


def test_a_gap_the_claim_implies_is_no_conflict():
    # the sentence states the gap between the claim's two levels, not a third level
    claim = "Readers with hints took about 38 seconds per page, against roughly 29 seconds without."
    assert _num(claim, "Readers with hints needed roughly 9 more seconds per page.") == (0.0, 0.0)
    ratio = "The pruned model decodes 120 tokens per second against 40 for the full one."
    assert _num(ratio, "Pruning makes decoding 3 times faster in tokens per second.")[1] == 0.0
    # a gap that does not follow from the claim's levels still conflicts
    assert _num(claim, "Readers with hints needed roughly 20 more seconds per page.")[1] > 0.0
    # a sentence stating one of the claim's figures is read figure by figure
    changed = "Accuracy went from 40.0 to 60.5 on the hard split."
    assert _num(changed, "Accuracy went from 40.0 to 20.5 on the hard split.")[1] > 0.0
    # two small counts of different things have no gap
    assert _num("We train on 5 languages and 12 tasks.", "We train on 7 languages.")[1] > 0.0


def test_half_of_a_scale_word_is_one_number():
    """ "half a thousand" is 500, not a thousand; "one and a half million" is 1.5 million."""
    assert _words("half a thousand of the questions") == [("half a thousand", 500.0, None)]
    assert _words("two and a half million tokens") == [("two and a half million", 2.5e6, None)]
    assert _words("one and a half thousand answers") == [("one and a half thousand", 1500.0, None)]
    assert _words("a thousand answers") == [("a thousand", 1000.0, None)]
    assert _num(
        "The shared task received one and a half thousand submissions.",
        "In total, the shared task received 1,500 submissions.",
    ) == (1.0, 0.0)
    assert _num(
        "The shared task received half a thousand submissions.",
        "In total, the shared task received 1,500 submissions.",
    ) == (0.0, 1.0)


def test_a_decimal_out_of_a_scale_is_a_score_not_a_share():
    """ "7.5 out of 10" rates on a scale (its 5 is no count of 10)."""
    assert _words("rated 7.5 out of 10 on average") == []
    assert _words("seven out of ten raters") == [("seven out of ten", 70.0, "%")]
    assert (
        _num(
            "Raters gave the summaries about 7.5 out of 10 for fluency.",
            "The summaries obtain an average fluency score of 7.48.",
        )[1]
        == 0.0
    )


def test_units_and_tens_after_hundred_are_one_number():
    """ "four hundred and fifty" is 450 (not 400 and 50), "one hundred seventy thousand" 170,000."""
    assert _words("four hundred and fifty essays") == [("four hundred and fifty", 450.0, None)]
    assert _words("a hundred and twenty-one raters") == [("a hundred and twenty-one", 121.0, None)]
    assert _words("one hundred seventy thousand pairs") == [
        ("one hundred seventy thousand", 170000.0, None)
    ]
    assert _words("six hundred and thirty-two million tokens") == [
        ("six hundred and thirty-two million", 632e6, None)
    ]
    assert _words("two hundred and the rest") == [("two hundred", 200.0, None)]
    assert _num(
        "The board hired three hundred and fifty students.",
        "Overall, 350 students were hired by the board.",
    ) == (1.0, 0.0)


def test_a_year_that_counts_data_points_is_a_count():
    assert [n.value for n in parse_numbers("The probe rests on 2080 data points in all.")] == [
        2080.0
    ]
    assert parse_numbers("The probe was released in 2020 by the authors.") == ()


def test_a_figure_a_scale_word_states_bears_out_the_one_it_rounds():
    """ "3.2 thousand" rounds 3,231 (within half its last digit), not 3,300; spelled ("two
    thousand") within 5%: "a thousand" is no 626."""
    assert _num(
        "The survey covers roughly 3.2 thousand villages and about 2.8 thousand towns.",
        "The numbers of villages and towns surveyed are 3,231 and 2,805, respectively.",
    ) == (1.0, 0.0)
    assert (
        _num(
            "The tagger has about 0.94 million weights.",
            "Our compact tagger, at 943,946 weights in total, runs on a phone.",
        )[0]
        == 1.0
    )
    assert _num("The tagger has 3.2 thousand rules.", "The tagger has 3,300 rules in total.") == (
        0.0,
        1.0,
    )
    assert (
        _num(
            "The archive holds just under three million letters.",
            "In total the archive contains 2.91M scanned letters.",
        )[0]
        == 1.0
    )
    assert _num(
        "The archive holds about a thousand letters.", "The archive holds 626 letters."
    ) == (0.0, 1.0)


def test_two_hedges_before_a_difference():
    """ "by only about 2 percent" is a difference, as "by about 2 percent" is."""
    assert _num(
        "The new parser beat the old one by only about 2 percent.",
        "The new parser achieves a 6.26% improvement over the old one.",
    ) == (0.0, 1.0)


def test_an_average_count_meets_a_count_of_the_same_thing():
    """ "about three dialects" against "4.2 different dialects" on average: one thing counted
    ("three tasks" and "66.26 on the tasks" still are not)."""
    assert _num(
        "Each speaker uses about three dialects on average.",
        "On average each speaker uses 4.2 different dialects.",
    ) == (0.0, 1.0)
    assert (
        _num("The model was tested on three tasks.", "The model scored 66.26 on the tasks.")[1]
        == 0.0
    )


def test_a_short_plural_meets_its_singular_beside_a_figure():
    assert _num(
        "A 4-bit code suffices for the decoder.",
        "With fewer than 12 bits, the decoder recovers nothing.",
    ) == (0.0, 1.0)
