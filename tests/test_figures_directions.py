"""Changed figures and flipped comparisons, on sentences of the tuning papers (bench/dev and the
retired held-out sets) and claims people wrote about them: a figure the next candidates only
approximate, a fraction rule that is no count rule, the one figure a restating sentence changes,
table figures, a direction with one side referred to, a participle's subject, hyphenated sides."""

from __future__ import annotations

from synth.comparisons import comparison_core, comparison_flip, word_checks
from synth.records import Number
from synth.tablechecks import table_cells, table_numbers
from synth.textchecks import facts, numeric_agreement, same_value


def _num(claim: str, evidence: str, *also: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence), tuple(facts(a) for a in also))


def test_a_hundred_times_is_a_fraction_as_a_percentage_only():
    """0.853 is 85.3 %; 20 languages are not 2,000 (AfriHate: "20 African languages" against
    "Africa being home to more than 2,000 languages")."""
    assert same_value(Number(value=0.853, raw="0.853"), Number(value=85.3, raw="85.3"))
    assert not same_value(Number(value=20.0, raw="20"), Number(value=2000.0, raw="2,000"))
    claim = "AfriHate provides hate speech datasets for 20 African languages."
    also = (
        "Despite Africa being home to more than 2,000 languages and the increasing interest in"
        " building hate speech and offensive languages resources for non-English languages."
    )
    evidence = (
        "To address this issue, we present AFRIHATE: a multilingual collection of hate speech and"
        " abusive language datasets in 15 African languages, annotated by native speakers."
    )
    assert _num(claim, evidence, also) == (0.0, 1.0)


def test_the_next_candidates_must_state_the_figure_itself():
    """WSD paper (bench/dev): "nearly 8.5 points" is changed from the evidence's "nearly 6.5";
    another paper's "8-shot" (a hedge away) or a table cell under "up to 8.1" do not bear it
    out. The figure itself, stated about the same thing, still does."""
    claim = "The final approach improved the average zero-shot WSD F-score by nearly 8.5 points."
    evidence = (
        "Overall, the micro-averaged F-score of our final approach managed to improve nearly 6.5"
        " points (cf. the first row of Table 4b and the last row in Table 4c)."
    )
    other = (
        "Our experimental results show that all three variants of NBR consistently achieve strong"
        " performance across all few-shot settings on all datasets, e.g. 34.25 points F1"
        " improvement on 8-shot ChemProt."
    )
    assert _num(claim, evidence, other) == (0.0, 1.0)
    same = "The final approach improved the average F-score by 8.5 points over the baseline."
    assert _num(claim, evidence, same)[0] == 1.0
    tec = (
        "The TEC model's F0.5 lead over the next-best system ranges from 0.1 points on DO up to"
        " 8.1 points on ASICS."
    )
    table5 = (
        "Table 5 shows that TEC achieves the best overall F0.5 score on all datasets, from +0.1 (on"
        " DO) up to +5.1 (on ASICS) above the next-best model."
    )
    row = "TEC: ASICS Prec. 57.4, ASICS Rec. 9.4, ASICS F0.5 28.4, DO Prec. 21.7, DO F0.5 7.2."
    assert _num(tec, table5, row) == (0.5, 0.5)


def test_the_one_figure_a_restating_sentence_changes():
    """Death euphemisms paper (retired): the sentence states the claim's "three" annotators and
    one more two-decimal figure, 0.86, where the claim says 0.68: changed. A hedged figure the
    sentence bears out ("roughly 90 thousand" / "90,437") is no change. The shared spelled-out
    count ("three") is incidental: it does not dilute the changed figure."""
    claim = (
        "Agreement among the three expert annotators on the test segments was only moderate, with"
        " a Cohen's kappa of 0.68."
    )
    evidence = (
        "We use Cohen's Kappa to determine Inter-Annotator Agreement (IAA) on the 16%, samples in"
        " the testing set (125 samples) annotated by all three experts, resulting in a score of"
        " 0.86, which indicates substantial agreement among annotators."
    )
    assert _num(claim, evidence) == (0.0, 1.0)
    assert _num(claim, evidence.replace("0.86", "0.68")) == (1.0, 0.0)
    tweets = "Across its 15 languages, AfriHate holds roughly 90 thousand labelled tweets."
    total = "In total, AFRIHATE contains 90,437 instances across 15 languages."
    assert _num(tweets, total)[1] == 0.0


def test_table_figures_counts_in_words_and_figures_read_off_other_cells():
    """A count in words ("all three subsets") is no cell's figure; a figure another cell on the
    claim's topic holds exactly was read off the table (WSD paper: the averages of "mono→mono"
    and "mono→multi"); one only an unrelated cell holds (a language-usage matrix's "Ru")
    still conflicts."""
    rows = [
        "Model en→xx 14 langs en→xx 28 langs en→xx 36 langs",
        "XLM-R+TR+TLM 94.4 94.5 92.4",
        "XLM-R+TR 94.9 94.8 93.0",
    ]
    cells = table_cells(rows)
    claim = "Adding TLM to XLM-R+TR lowers en→xx accuracy on all three language subsets."
    assert table_numbers(claim, facts(claim).quantities, cells) == (0.0, 0.0)
    wsd = table_cells(
        [
            "Setting en de es Avg.",
            "XLM-R Sparse 74.51 70.06 71.12 71.90",
            "mono→mono 76.21 66.10 63.10 68.47",
            "mono→multi 73.58 64.50 62.29 66.79",
        ]
    )
    read_off = "XLM-R Sparse reaches a higher average than mono→mono (68.47 vs 66.79)."
    assert table_numbers(read_off, facts(read_off).quantities, wsd)[1] == 0.0
    usage = table_cells(["Model Fi Ja Ru", "Sentri + MFiD 45.5 38.2 40.1", "Ru 2.0 1.1 74.5"])
    claim = "On Finnish, Sentri + MFiD answers with 74.5% F1 in the usage study."
    assert table_numbers(claim, facts(claim).quantities, usage) == (0.0, 1.0)


def test_a_strict_opposite_counts_with_one_side_referred_to():
    """Science journalism paper (retired): "these results are lower than those on the
    WIKIPEDIA test set" names one side and refers to the other; "higher" against "lower" is a
    flipped direction. A loose one-way word is not enough with a side missing."""
    claim = "Scores on the SPEKTRUM magazine data were higher than on the Wikipedia test set."
    evidence = (
        "However, these results are lower than those on the WIKIPEDIA test set because these"
        " models are trained on the WIKIPEDIA training and validation sets."
    )
    checks = word_checks(facts(claim), facts(evidence), comparison_core(claim))
    assert checks["direction"] == 1.0
    same = evidence.replace("lower", "higher")
    assert word_checks(facts(claim), facts(same), comparison_core(claim))["direction"] == 0.0


def test_a_participle_compares_the_main_clause_subject():
    """DAMP paper (retired): "DAMP achieves ..., outperforming even MT5-XXL" compares DAMP with
    MT5-XXL; the claim says mT5-XXL transfers better than DAMP."""
    evidence = (
        "DAMP achieves a new state-of-the-art of 20.5 on zero-shot transfer for CST5, outperforming"
        " even MT5-XXL (20.3)."
    )
    claim = (
        "On the Hindi-English CST5 benchmark, mT5-XXL still transfers better zero-shot than DAMP."
    )
    assert comparison_flip(claim, evidence) == 1.0
    agree = "On the Hindi-English CST5 benchmark, DAMP transfers better zero-shot than mT5-XXL."
    assert comparison_flip(agree, evidence) == 0.0


def test_hyphenated_side_words_count_once():
    """Fuse distillation paper (retired): "pair-wise synthesis" is two side words (its stems
    and parts all belong to it), so the swapped sides line up."""
    evidence = (
        "On average, pair-wise synthesis outperforms language-wise synthesis by 0.27 BLEU points"
        " on IWSLT'14 (+1.05 vs. +0.78)."
    )
    flipped = (
        "For multilingual translation, language-wise synthesis outperforms pair-wise synthesis."
    )
    assert comparison_flip(flipped, evidence) == 1.0
    same = "For multilingual translation, pair-wise synthesis outperforms language-wise synthesis."
    assert comparison_flip(same, evidence) == 0.0


def test_two_cells_must_share_a_label_the_claim_names():
    """BelarusianGLUE (bench/dev): "XLM-R base beat mBERT on the BeWiC word-in-context task"
    says nothing of another table's "xx→en 14 langs" column; the BeWiC column decides it."""
    from synth.tablechecks import table_comparison

    claim = "XLM-R base beat mBERT on the BeWiC word-in-context task."
    other = table_cells(["Model xx→en-14 en→xx-14", "XLM-R 59.4 57.5", "mBERT 94.0 93.2"])
    assert table_comparison(claim, other) == (0.0, 0.0, 0.0)
    bewic = table_cells(["Model BeSLS BeWiC", "mBERT 0.712 0.517", "XLM-R 0.816 0.503"])
    assert table_comparison(claim, bewic)[:2] == (0.0, 1.0)


def test_an_abbreviated_column_names_the_claims_word():
    """MNMT two-stage (bench/dev): the "avg." column of Table 1 is the claim's "averaged over
    target languages"; it decides, not each language's column (three of which do not agree)."""
    from synth.tablechecks import table_comparison

    claim = (
        "Averaged over target languages, the finetuned 12E6D model (22.0 sacreBLEU) scores"
        " higher than the many-to-one baseline (19.0)."
    )
    rows = [
        "Many-to-one: en 32.9, hu 20.8, hr 24.0, avg. 19.0.",
        "Ours: + finetuning: en 33.2, hu 19.8, hr 23.8, avg. 22.0.",
    ]
    deciding: list = []
    assert table_comparison(claim, table_cells(rows), deciding)[:2] == (1.0, 0.0)
    assert [(a.col, b.col) for a, b in deciding] == [("avg.", "avg.")]
    flipped = claim.replace("higher", "lower")
    assert table_comparison(flipped, table_cells(rows))[:2] == (0.0, 1.0)


def test_two_cells_of_the_claims_own_list_are_no_sides():
    """BAD-X (bench/dev): "bilingual adapters came out ahead of MAD-X on POS, DP and NLI" lists
    the tasks it holds on; an NLI row against a POS row (both "Avg.") compares two of them,
    not the claim's sides (the NLI row's "Language" is no side's "eight languages")."""
    from synth.tablechecks import table_comparison

    claim = (
        "Averaged over three random seeds on a subset of eight languages, bilingual adapters"
        " still came out ahead of MAD-X on POS, DP and NLI."
    )
    rows = ["Task en de avg", "POS 61.2 60.1 60.71", "NLI 44.0 44.9 44.45"]
    context = ["We evaluate on natural language inference (NLI) and dependency parsing."]
    assert table_comparison(claim, table_cells(rows, context)) == (0.0, 0.0, 0.0)
