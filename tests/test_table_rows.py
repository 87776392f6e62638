"""Comparisons read off tables whose rows are named by a text cell, split over several tables,
or stated with "above"/"below"; claims that compare no two cells decide nothing.

Rows are as ingest linearises the tuning papers' markdown tables (bench/*/papers)."""

from __future__ import annotations

from synth.tablechecks import comparison_sides, table_cells, table_comparison

# CEHA (tables 8 and 9): the model is a text cell beside the group label; the same header
# twice is two tables (event relevance, then event type).
CEHA = [
    "Group | Models | Precision | Recall | F1",
    "Supervised Models: Models RoBERTa, Precision 72.86, Recall 96.67, F1 83.09.",
    "Zero-shot LLMs: Models Mistral-large, Precision 67.28, Recall 97.33, F1 79.56.",
    "Zero-shot LLMs: Models GPT-4o, Precision 80.95, Recall 90.67, F1 85.53.",
    "Group | Models | Precision | Recall | F1",
    "Zero-shot LLMs: Models Mistral-large, Precision 70.37, Recall 80.61, F1 75.14.",
    "Zero-shot LLMs: Models GPT-4o, Precision 71.82, Recall 78.79, F1 75.14.",
]
# BAD-X: one group per task, the method a text cell.
BADX = [
    "Task | Method | MYV | KPV | avg",
    "POS: Method MAD-X, MYV 67.13, KPV 47.86, avg 62.55.",
    "POS: Method BAD-X, MYV 68.40, KPV 48.95, avg 64.32.",
    "NLI: Method MAD-X, MYV 54.53, KPV 47.56, avg 44.45.",
    "NLI: Method BAD-X, MYV 53.20, KPV 49.01, avg 46.85.",
]
# XL-WSD: the published baseline in one table, the systems in the next (same columns).
WSD = [
    "Model | bg | ca | Avg.",
    "XLMR-Large: bg 72.00, ca 49.97, Avg. 65.66.",
    "Model | bg | ca | Avg.",
    "multi→mono: bg 68.82, ca 44.17, Avg. 63.30.",
    "mono→mono: bg 71.17, ca 53.31, Avg. 66.96.",
]


def test_a_text_cell_names_its_row():
    cells = table_cells(CEHA)
    mistral = [c for c in cells if "mistral" in c.words and c.col == "F1"]
    assert [c.row for c in mistral] == ["Zero-shot LLMs Mistral-large"] * 2
    assert mistral[0].group == "Zero-shot LLMs" and "model" not in mistral[0].words
    # A name ending in a digit is no value: "Models T5" is the row T5, not "Models T" = 5.
    t5 = table_cells(["Group | Models | F1", "Supervised: Models T5, F1 82.65."])
    assert [(c.row, c.col, c.value) for c in t5] == [("Supervised T5", "F1", 82.65)]


def test_rows_compare_within_one_table():
    """Mistral-large against GPT-4o: 79.56 < 85.53 in the first table, a tie in the second;
    a row of one table against a row of the other (79.56 against 75.14) decides nothing."""
    cells = table_cells(CEHA)
    wrong = "Zero-shot Mistral-large reached a higher event-relevance F1 than zero-shot GPT-4o."
    right = "Zero-shot GPT-4o reached a higher event-relevance F1 than zero-shot Mistral-large."
    deciding: list = []
    assert table_comparison(wrong, cells, deciding)[:2] == (0.0, 1.0)
    assert all(ca.table == cb.table for ca, cb in deciding)
    # GPT-4o ahead in the first table, level in the second: the tables part, nothing decided.
    assert table_comparison(right, cells) == (0.0, 0.0, 0.0)


def test_a_baseline_in_its_own_table_still_compares():
    cells = table_cells(WSD)
    assert {c.table for c in cells if c.row == "XLMR-Large"} != {
        c.table for c in cells if c.row == "mono→mono"
    }
    claim = "The sparse mono→mono system beats the published XLMR-Large baseline on every language."
    assert table_comparison(claim, cells)[:2] == (0.0, 1.0)  # 71.17 < 72.00 on bg
    claim = "On average, the mono→mono system beats the XLMR-Large baseline."
    assert table_comparison(claim, cells)[:2] == (1.0, 0.0)


def test_two_groups_compare_only_when_the_claim_names_them():
    cells = table_cells(BADX)
    assert table_comparison("On average, BAD-X beat MAD-X on NLI.", cells)[:2] == (1.0, 0.0)
    assert table_comparison("On average, MAD-X beat BAD-X on POS.", cells)[:2] == (0.0, 1.0)
    # A claim of the gap between two methods compares no two cells.
    claim = "BAD-X's advantage over MAD-X is smaller on NLI than on POS."
    assert table_comparison(claim, cells) == (0.0, 0.0, 0.0)


def test_the_first_statement_of_a_compound_claim():
    cells = table_cells(BADX)
    claim = "On average, BAD-X beat MAD-X on NLI, yet MAD-X was ahead on KPV."
    deciding: list = []
    assert table_comparison(claim, cells, deciding)[:2] == (1.0, 0.0)
    assert all(ca.col == "avg" for ca, _ in deciding)


def test_every_except_and_all_of():
    cells = table_cells(BADX)
    # Every language of NLI but MYV: the excepted column is no counterexample.
    claim = "On NLI, BAD-X beats MAD-X on every language except MYV."
    assert table_comparison(claim, cells)[:2] == (1.0, 0.0)
    assert table_comparison("On NLI, BAD-X beats MAD-X on every language.", cells)[:2] == (
        0.0,
        1.0,
    )
    # "All of DeltaLM" is the whole model, no range over the rows or columns.
    from synth.tablechecks import _EVERY

    assert not _EVERY.search("fine-tuning all of DeltaLM translates better")
    assert _EVERY.search("better on all of the languages")


def test_above_and_below_take_the_second_side_after_them():
    first, second, sign = comparison_sides(
        "Fine-tuned mBERT reaches only 0.712 accuracy on BeSLS, well below the HPLT BERT."
    )
    assert "mbert" in first and "hplt" in second and sign == -1
    first, second, sign = comparison_sides("The XLM-R-based model scores above XLM-Align.")
    assert "align" in second and "align" not in first and sign == 1


def test_side_words_stemmed_before_their_hyphen_is_split():
    """The sentence reader stems "fine-tuned" whole ("fine-tun") before splitting it; a
    label's "fine-tuned" still carries it."""
    rows = [
        "Model | ROUGE-1",
        "SPEKTRUM: Model transformer trained from scratch, ROUGE-1 30.2.",
        "SPEKTRUM: Model fine-tuned mBART, ROUGE-1 27.5.",
    ]
    claim = (
        "In the zero-shot SPEKTRUM evaluation, the transformer trained from scratch obtains a "
        "higher ROUGE-1 than fine-tuned mBART."
    )
    assert table_comparison(claim, table_cells(rows))[:2] == (1.0, 0.0)


def test_a_rival_of_a_side_word_is_another_thing():
    """BAD-X (p.5): "MA" is the multilingual adapter the paper defines; "bilingual adapters"
    is no name of it though both are adapters."""
    rows = [
        "Task | Method | MYV | avg",
        "DP: Method MA, MYV 33.36, avg 31.11.",
        "DP: Method MAD-X, MYV 34.10, avg 31.55.",
    ]
    text = ["We also compare against a multilingual adapter (MA) trained on all languages."]
    cells = table_cells(rows, text)
    assert {"multilingual", "adapter"} <= next(c for c in cells if c.row == "DP MA").words
    claim = "On dependency parsing, bilingual adapters beat MAD-X on average."
    assert table_comparison(claim, cells) == (0.0, 0.0, 0.0)
    claim = "On dependency parsing, multilingual adapters trail MAD-X on average."
    assert table_comparison(claim, cells)[:2] == (1.0, 0.0)


def test_the_other_sides_figure_in_line_with_the_named_cells():
    """DAP (BUCC): the claim's words pick mBERT+DAP's cell (86.6); LaBSE's 85.9 is in the
    same column, read off the table, not a changed figure. A figure no cell in line holds
    still conflicts."""
    from synth.tablechecks import table_numbers
    from synth.textchecks import facts

    rows = [
        "Model | BUCC de | BUCC avg",
        "mBERT+DAP: BUCC de 88.1, BUCC avg 86.6.",
        "LaBSE: BUCC de 87.9, BUCC avg 85.9.",
    ]
    cells = table_cells(rows)

    def check(claim: str) -> tuple[float, float]:
        return table_numbers(claim, facts(claim).quantities, cells)

    claim = "On the BUCC test set, mBERT+DAP reaches an average F1 of 86.6, ahead of LaBSE's {}."
    assert check(claim.format("85.9")) == (1.0, 0.0)
    assert check(claim.format("84.2")) == (0.5, 0.5)


def test_a_language_inside_a_compound_names_no_language_column():
    """DAMP: "the Hindi-English CST5 benchmark" is a code-switched set, not the English ("en")
    column of another table; a language named on its own still picks its column."""
    rows = [
        "Model | en | hi",
        "mT5-XXL: en 86.7, hi 80.1.",
        "DAMP: en 83.5, hi 81.0.",
    ]
    cells = table_cells(rows)
    claim = "On the Hindi-English CST5 benchmark, mT5-XXL still transfers better than DAMP."
    assert table_comparison(claim, cells) == (0.0, 0.0, 0.0)
    claim = "On English, mT5-XXL still transfers better than DAMP."
    assert table_comparison(claim, cells)[:2] == (1.0, 0.0)


# A leaderboard of LLMs whose names carry versions with decimals, one group per size.
VERSIONS = [
    "Group | Model | Easy | Hard | Average",
    "API: Model GPT-3.5-turbo, Easy 71.2, Hard 40.3, Average 55.8.",
    "API: Model Claude-2.1, Easy 69.0, Hard 46.9, Average 57.9.",
    "Open: Model Qwen2.5-7B, Easy 64.4, Hard 38.2, Average 51.3.",
    "Open: Model Llama-3.1-8B, Easy 60.1, Hard 35.0, Average 47.6.",
    "Ablation: Setting full, Acc 17.3(11.4), F1 80.2.",
]


def test_a_version_in_a_name_is_part_of_the_name():
    """A versioned name ("Claude-2.1") names its row: its "2.1" is no ill-formed value such as
    "17.3(11.4)", so the rows of two versioned models compare."""
    cells = table_cells(VERSIONS)
    claude = [c for c in cells if c.col == "Average" and "claud" in c.words]
    assert [c.row for c in claude] == ["API Claude-2.1"]
    assert {c.row for c in cells if c.col == "Hard"} == {
        "API GPT-3.5-turbo", "API Claude-2.1", "Open Qwen2.5-7B", "Open Llama-3.1-8B"
    }  # fmt: skip
    # An ill-formed value stays no name of its row.
    assert [(c.row, c.col) for c in cells if c.source == 5] == [("Ablation Setting full", "F1")]
    wrong = "On average, GPT-3.5-turbo scored higher than Claude-2.1."
    right = "On average, Qwen2.5-7B scored higher than Llama-3.1-8B."
    assert table_comparison(wrong, cells)[:2] == (0.0, 1.0)
    assert table_comparison(right, cells)[:2] == (1.0, 0.0)
