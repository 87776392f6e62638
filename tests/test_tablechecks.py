"""Comparisons read off tables, on table rows of the shared papers as ingest linearises them."""

from __future__ import annotations

from synth.tablechecks import comparison_sides, label_words, table_cells, table_comparison

# MESH (p.5): linearised rows "Row: col value, ...", columns with language codes.
MESH = [
    "NLI-en NLI-es QA-en QA-es NER-en NER-es PA-en PA-es",
    "m-BERTbase: NLI-en 65.51±4.0, NLI-es 62.91±3.2, QA-en 53.0±1.9, QA-es 55.28±1.3.",
    "Train random 30% heads: NLI-en 72.06±4.0, NLI-es 68.50±3.2, QA-en 69.72±1.9, QA-es 66.71±1.3.",
    "Train most imp 30% heads: NLI-en 75.40±4.0, NLI-es 74.11±3.2, QA-en 72.12±1.9, QA-es 73.60±1.3.",
]
MESH_TEXT = ["Question Answering (QA) 88.0K 81.8K", "Natural Language Inference (NLI) 392k 392k"]
# UB SemEval (p.4): raw rows under a header and a header that groups its columns.
UB = [
    "Lemmatized (F1_Score) Stemmed (F1_Score)",
    "Approach Simple Word2Vec Simple Word2Vec",
    "LSTM (64 neurons) 0.2693 0.2109 0.3213 0.2093",
    "LSTM (128 neurons) 0.2317 0.2308 0.2789 0.2412",
]
XLMR = [
    "Language Test Set Accuracy",
    "English (Source): Test Set Accuracy 72.36%.",
    "Turkish (Target): Test Set Accuracy 66.21%.",
]


def test_cells_of_both_row_shapes():
    cells = table_cells(UB)
    lstm = {(c.row, c.col): c.value for c in cells}
    assert lstm[("LSTM (128 neurons)", "Stemmed (F1_Score) Simple")] == 0.2789
    assert lstm[("LSTM (64 neurons)", "Lemmatized (F1_Score) Word2Vec")] == 0.2109
    mesh = table_cells(MESH, MESH_TEXT)
    qa_es = next(c for c in mesh if c.row == "Train random 30% heads" and c.col == "QA-es")
    assert qa_es.value == 66.71 and {"spanish", "question", "qa"} <= qa_es.words


def test_sides_of_a_comparison():
    first, second, sign = comparison_sides(
        "After fine-tuning on both languages, XLM-R did better on the Turkish test set than on "
        "the English one."
    )
    assert "turkish" in first and "english" in second and sign == 1
    first, second, sign = comparison_sides("The 64-neuron LSTM trails the 128-neuron one.")
    assert "64" in first and "128" in second and sign == -1
    assert comparison_sides("The model was trained for six epochs.") is None


def test_comparisons_borne_out_or_contradicted_by_two_cells():
    mesh = table_cells(MESH, MESH_TEXT)
    right = "On Spanish question answering, training the most important 30% of heads beat training a random 30% of heads."
    wrong = "On Spanish question answering, training a random 30% of heads beat training the most important 30% of heads."
    assert table_comparison(right, mesh)[:2] == (1.0, 0.0)
    assert table_comparison(wrong, mesh)[:2] == (0.0, 1.0)
    # "without Word2Vec" picks the Simple column (there the 64-neuron LSTM is ahead).
    ub = table_cells(UB)
    lstm = "On the stemmed data without Word2Vec, the 128-neuron LSTM beat the 64-neuron LSTM."
    assert table_comparison(lstm, ub)[:2] == (0.0, 1.0)
    xlmr = table_cells(XLMR)
    assert table_comparison(
        "XLM-R did better on the English test set than on the Turkish one.", xlmr
    )[:2] == (1.0, 0.0)
    assert table_comparison(
        "XLM-R did better on the Turkish test set than on the English one.", xlmr
    )[:2] == (0.0, 1.0)
    # A comparison the table does not hold decides nothing.
    assert table_comparison("BLOOM outperforms GPT-3 on Swahili question answering.", mesh) == (
        0.0,
        0.0,
        0.0,
    )


def test_language_codes_in_labels():
    assert "telugu" in label_words("Te") and "spanish" in label_words("QA-es")
    assert "italian" not in label_words("it was lower") and label_words("no") == frozenset()


def test_deciding_cells_name_their_rows():
    cells = table_cells(XLMR)
    deciding: list = []
    claim = "XLM-R achieved higher test accuracy on English than on Turkish."
    assert table_comparison(claim, cells, deciding)[:2] == (1.0, 0.0)
    assert deciding and {c.source for pair in deciding for c in pair} == {1, 2}
    # Cells whose short labels are read as the claim's words ("imp" -> important) keep their row.
    deciding = []
    claim = "On Spanish question answering, training the most important 30% of heads beat training a random 30% of heads."  # fmt: skip
    assert table_comparison(claim, table_cells(MESH, MESH_TEXT), deciding)[:2] == (1.0, 0.0)
    assert {c.source for pair in deciding for c in pair} == {2, 3}


def test_a_table_decided_verdict_cites_the_table_rows(papers_library):
    from synth.library import Library
    from synth.verify import Verifier

    with Library(papers_library) as lib:
        verifier = Verifier(lib)
        right = verifier.verify_one(
            "XLM-R achieved higher test accuracy on English than on Turkish."
        )
        wrong = verifier.verify_one(
            "XLM-R achieved higher test accuracy on Turkish than on English."
        )
    # The two rows whose cells decided the comparison are the rationale, before any prose.
    for verdict, label in ((right, "SUPPORTS"), (wrong, "REFUTES")):
        assert verdict.label == label
        texts = [e.text for e in verdict.evidence[:2]]
        assert texts == XLMR[1:] and all(e.page == 3 for e in verdict.evidence[:2])


def test_cells_must_carry_the_sides_nearest_the_comparative():
    """ "Pruning ... hurts low-resource languages much more than English": a pruned row's NLI-es
    cell carries "pruning" and "language" (Natural Language Inference) but not low-resource
    languages, so it decides nothing (before, it refuted the claim)."""
    mesh = table_cells(
        MESH + ["Prune least imp 30% heads: NLI-en 69.16±4.0, NLI-es 63.16±3.2, QA-en 65.88±1.9."],
        MESH_TEXT,
    )
    claim = "Pruning attention heads in mBERT hurts low-resource languages much more than English"
    assert table_comparison(claim, mesh) == (0.0, 0.0, 0.0)


def test_short_forms_in_lower_case():
    from synth.tablechecks import abbreviations

    found = abbreviations(
        ["We evaluate on dependency parsing (DP) and LAS score (DP) and Natural Language "
         "Inference (NLI)."]
    )  # fmt: skip
    assert found["dp"] == {"dependenc", "pars"} and found["nli"] >= {"natural", "infer"}


def test_a_claimed_figure_against_the_cells_that_carry_its_words():
    """UB SemEval (p.4): the claim's 0.67 is the row's 0.067 misread; the row that carries the
    claim's words (lemmatized, Random Forest, F1) decides; bounds say nothing."""
    from synth.tablechecks import table_numbers
    from synth.textchecks import facts

    rows = [
        "Lemmatized (F1_Score), Random Forest: Simple 0.067, SPE 0.31, SMOTE 0.19, SVMSMOTE 0.16.",
        "Stemmed (F1_Score), Random Forest: Simple 0.12, SPE 0.28, SMOTE 0.21, SVMSMOTE 0.15.",
    ]
    cells = table_cells(rows)

    def check(claim: str) -> tuple[float, float]:
        return table_numbers(claim, facts(claim).quantities, cells)

    claim = "Random Forest on the lemmatized data reached an F1 of {} with SMOTE."
    assert check(claim.format("0.67")) == (0.0, 1.0)
    assert check(claim.format("0.19")) == (1.0, 0.0)
    assert check(claim.format("19%")) == (1.0, 0.0)  # a share as a percentage
    assert check("Random Forest on the lemmatized data reached an F1 below 0.5.") == (0.0, 0.0)
    # Too few of the claim's words in any label: nothing decided.
    assert check("The forest grew 0.67 metres a year.") == (0.0, 0.0)


def test_a_figure_with_a_unit_word_keeps_its_own_precision():
    """'85.3 points' is stated to one decimal, as '85.3' is: a cell of 85.34 matches both."""
    from synth.tablechecks import table_numbers
    from synth.textchecks import facts

    cells = table_cells(["XNLI (F1), XLM-R Large: English 85.34, Turkish 76.12."])
    for claim in (
        "XLM-R Large reaches an English XNLI F1 of 85.3.",
        "XLM-R Large reaches an English XNLI F1 of 85.3 points.",
    ):
        assert table_numbers(claim, facts(claim).quantities, cells) == (1.0, 0.0), claim


# A results table as ingest linearises it (invented rows), and a table of agreement scores
# whose header names its columns only.
TAGGERS = [
    "System Precision Recall F1",
    "Tagger-A (fine-tuned): Precision 81.2, Recall 79.0, F1 80.1.",
    "Tagger-B (fine-tuned): Precision 77.5, Recall 76.8, F1 77.1.",
    "Tagger-C (fine-tuned): Precision 84.0, Recall 83.2, F1 83.6.",
]
AGREEMENT = [
    "Alpha (R1-R2) Alpha (R1-R3) Alpha (R2-R3)",
    "Raters: Alpha (R1-R2) 0.71, Alpha (R1-R3) 0.64, Alpha (R2-R3) 0.77.",
]


def test_a_quantified_bound_against_the_cells_it_ranges_over():
    """'every X above N': one cell on the wrong side breaks it; all cells on its side bear it."""
    from synth.tablechecks import table_threshold

    def check(claim: str, rows: list[str]) -> tuple[float, float]:
        return table_threshold(claim, table_cells(rows))[:2]

    # One tagger's F1 (77.1) is under 80: the quantifier is broken.
    assert check("Every fine-tuned tagger reached an F1 above 80.", TAGGERS) == (0.0, 1.0)
    assert check("All taggers exceeded an F1 of 78%.", TAGGERS) == (0.0, 1.0)
    # The same form, true of every row: no conflict.
    assert check("Every fine-tuned tagger reached an F1 above 75.", TAGGERS) == (1.0, 0.0)
    assert check("Each tagger kept its recall below 90.", TAGGERS) == (1.0, 0.0)
    assert check("Each tagger kept its recall below 80.", TAGGERS) == (0.0, 1.0)
    # Agreement on a 0-1 scale: one pair of raters (0.64) under 0.7.
    assert check("Every pair of raters reached an alpha above 0.7.", AGREEMENT) == (0.0, 1.0)
    assert check("Every pair of raters reached an alpha above 0.6.", AGREEMENT) == (1.0, 0.0)
    # No quantifier, no bound, no column the claim names, or another scale: nothing decided.
    assert check("Tagger-A reached an F1 above 80.", TAGGERS) == (0.0, 0.0)
    assert check("Every fine-tuned tagger did well.", TAGGERS) == (0.0, 0.0)
    assert check("Every tagger ran in under 3 hours.", TAGGERS) == (0.0, 0.0)
    assert check("Every fine-tuned tagger reached an F1 above 0.75.", TAGGERS) == (0.0, 0.0)
    # A denied quantifier is no claim about every cell.
    assert check("Not every tagger reached an F1 above 80.", TAGGERS) == (0.0, 0.0)
    assert check("All but one tagger reached an F1 above 80.", TAGGERS) == (0.0, 0.0)


def test_slashed_cells_one_figure_per_metric():
    from synth.tablecells import slashed_cells

    # A column naming one metric per figure: the words before the first metric head each.
    assert slashed_cells("CoLA dev acc / MCC 0.61 / -0.02") == [
        ("CoLA dev acc", 0.61),
        ("CoLA dev MCC", -0.02),
    ]
    assert slashed_cells("Baseline P / R / F1 72.2 / 59.9 / 65.5") == [
        ("Baseline P", 72.2),
        ("Baseline R", 59.9),
        ("Baseline F1", 65.5),
    ]
    # No metric per figure (named in a header above): the first figure only.
    assert slashed_cells("SQuAD 81.3/72.0") == [("SQuAD", 81.3)]
    assert slashed_cells("TE 88.7 / 78.7") == [("TE", 88.7)]
    # A plain cell is not slashed.
    assert slashed_cells("WiC acc 0.61") == []


# Rows whose cells hold two metrics each ("acc / MCC 0.51 / 0.03"): before, the first figure was
# read into the column's name and the row compared on the second.
SLASHED = [
    "AlphaNet: Parse acc 0.812, Agree acc / MCC 0.530 / 0.041, Sense acc 0.590.",
    "BetaNet: Parse acc 0.790, Agree acc / MCC 0.610 / 0.020, Sense acc 0.540.",
]


def test_comparison_on_slashed_cells():
    cells = table_cells(SLASHED)
    labels = {(c.row, c.col): c.value for c in cells}
    assert labels[("AlphaNet", "Agree acc")] == 0.53
    assert labels[("AlphaNet", "Agree MCC")] == 0.041
    assert not any(any(ch.isdigit() for ch in c.col) for c in cells)
    # Accuracy: BetaNet is ahead; MCC: AlphaNet is ahead.
    assert table_comparison("AlphaNet beat BetaNet on Agree accuracy.", cells)[:2] == (0.0, 1.0)
    assert table_comparison("BetaNet beat AlphaNet on Agree accuracy.", cells)[:2] == (1.0, 0.0)
    assert table_comparison("AlphaNet beat BetaNet on Agree MCC.", cells)[:2] == (1.0, 0.0)
