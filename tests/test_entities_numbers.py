"""Numbers that name things are no results: references ("section 4", "Tables 2 and 3",
"Eq. (3)"), versions ("Claude 3.5", "Python 3.11", "Aya 23 8B"), venues' years ("WMT 2021");
results (percentages, scores, counts with units) stay. Sentences from the shared and bench/dev
papers and claims people wrote about them."""

from __future__ import annotations

from synth.entities import parse_numbers


def _raw(text: str) -> list[str]:
    return [n.raw for n in parse_numbers(text)]


def test_references_of_any_case_and_in_lists_are_no_results():
    assert _raw("In section 4, we measure human performance on BelarusianGLUE.") == []
    assert _raw("However, Tables 2 and 3 show that OPUS suffers more from perturbations.") == []
    assert _raw("Full evaluation results are available in the Tables 6–9 in Appendix B.") == []
    assert _raw("For Bi-Encoder we report results for stages 1 and 2.") == []
    assert _raw("The loss in Eq. (3) is minimized; Equation (12) gives its gradient.") == []
    assert _raw("In the next 3 figures (2, 3 , 4), the most common words are shown.") == ["3"]
    # the result after a reference list stays
    assert _raw("As Tables 2 and 3 show, the gap is 6.15%.") == ["6.15%"]


def test_reference_words_need_a_word_boundary():
    """ "jv 1.2" (a language code ending in v), "dev 250", "declines 0.58 COMET", "baseline
    (19.0)": results, not "v 1.2", "line 0.58" references."""
    assert "1.2" in _raw("Bilingual: mk 24.1, jv 1.2, ta 1.8, avg. 17.1.")
    assert _raw("No. instances train 1500, No. instances dev 250, No. instances test 250.") == [
        "1500",
        "250",
        "250",
    ]
    assert _raw("Corrected OPUS declines 0.58 COMET, versus only 0.45 for TI.") == ["0.58", "0.45"]
    assert "19.0" in _raw("The finetuned model (22.0 sacreBLEU) beats the baseline (19.0).")


def test_versions_and_venue_years_are_no_results():
    assert _raw("Claude 3.5 Sonnet tends to provide reasoning, when prompted in Belarusian.") == []
    assert _raw("We use Python 3.11 and PyTorch 2.1 on CUDA 11.8.") == []
    assert _raw("Gemini 1.5 Pro beats GPT-3.5 by 4 points.") == ["4 points"]
    # the version before a size is a name part; the size stays (a different model's size is a
    # conflict worth reading)
    assert _raw("Aya 23 8B outperforms Llama 3.1 8B on every BelarusianGLUE task.") == ["8B", "8B"]
    assert _raw("Gemma 2 9B is the strongest of the local LLMs under 15B parameters.") == [
        "9B",
        "15B",
    ]
    assert _raw("The encoder of the WMT 2019 shared task winner was BERT-based.") == []
    # a year that counts stays; so does a date's day (a deadline is a checkable fact)
    assert _raw("The 1950 samples were annotated twice.") == ["1950"]
    assert _raw("The paper submission deadline for EMNLP 2020 was June 1, 2020.") == ["1"]


def test_results_stay():
    assert _raw("Claude 3.5 Sonnet scores 71.2% on the benchmark.") == ["71.2%"]
    nums = parse_numbers("XLM-R scores 79.2 and mBERT 65.4 on XNLI.")
    assert [n.value for n in nums] == [79.2, 65.4]
    assert _raw("R@2kt MKQA 53.3, R@2kt XOR 51.0") == ["53.3", "51.0"]
    assert _raw("In-house data with 4.1B sentence pairs; BLOOMZ up to 7B parameters.") == [
        "4.1B",
        "7B",
    ]
    assert _raw("Sentences: <en,ar> 0.4M, <en,hi> 0.3M, Total 1M.") == ["0.4M", "0.3M", "1M"]


def test_label_as_a_verb_counts_things():
    """ "label 1" names a class; "annotators ... label 149 SNOMED phrase-pairs" counts them."""
    assert _raw("Two annotators with domain knowledge label 149 SNOMED phrase-pairs.") == ["149"]
    assert _raw("Texts with label 1 are rare in the training split.") == []
    assert _raw("We merge labels 0 and 1 into one class.") == []
