"""Sentence splitting: the boundaries pysbd misses in papers, and the abbreviations it must keep."""

from __future__ import annotations

import pytest

from synth.sentences import split_sentences


def _split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a letter or number label of a part of the paper or of the study, then a new sentence
        (
            "Full results are in the Tables 6–9 in Appendix B. Among the local LLMs below 15B "
            "parameters, Gemma 2 9B is the top competitor.",
            [
                "Full results are in the Tables 6–9 in Appendix B.",
                "Among the local LLMs below 15B parameters, Gemma 2 9B is the top competitor.",
            ],
        ),
        (
            "Examples are shown in Table 4 in Appendix A. All examples are romanized.",
            ["Examples are shown in Table 4 in Appendix A.", "All examples are romanized."],
        ),
        (
            "Details are in Appendices A and B. The rest follows.",
            ["Details are in Appendices A and B.", "The rest follows."],
        ),
        ("We use model A. Model B fails.", ["We use model A.", "Model B fails."]),
        (
            "They are given in App. A. The list is long.",
            ["They are given in App. A.", "The list is long."],
        ),
        ("See Section IV. We train.", ["See Section IV.", "We train."]),
        ("See Appendix C.3. We agree.", ["See Appendix C.3.", "We agree."]),
        # a variable or an acronym pysbd takes for an abbreviation, before a sentence starter
        (
            "It prunes with the mask P. The parameters are updated.",
            ["It prunes with the mask P.", "The parameters are updated."],
        ),
        (
            "It has never been used for MT. We show that LLMs are robust.",
            ["It has never been used for MT.", "We show that LLMs are robust."],
        ),
        (
            "This is a better fit than synthesis via MT. Even more, the APE model fails.",
            ["This is a better fit than synthesis via MT.", "Even more, the APE model fails."],
        ),
        # "et al." ends a sentence before a sentence starter
        (
            "We follow the protocol of Larson et al. Specifically, we kept three rounds.",
            ["We follow the protocol of Larson et al.", "Specifically, we kept three rounds."],
        ),
        # pysbd cuts inside brackets ("t)" read as a list marker) and at "1..n": read on
        (
            "Both the MT model (which ignores t) and the GEC model (which ignores s) "
            "underperform TEC. The MT model has high recall.",
            [
                "Both the MT model (which ignores t) and the GEC model (which ignores s) "
                "underperform TEC.",
                "The MT model has high recall.",
            ],
        ),
        (
            "We take pairs (x_i, y_i), i = 1..n, with x_i a word. The mapping W follows.",
            ["We take pairs (x_i, y_i), i = 1..n, with x_i a word.", "The mapping W follows."],
        ),
    ],
)
def test_missed_boundaries_are_split(text: str, expected: list[str]):
    assert _split(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "We use e.g. BERT and e.g. The Pile as data.",
        "This is, i.e. We-style, a test.",
        "Smith et al. (2020) show this.",
        "As in Fig. 3 the loss falls.",
        "Fig. 2 and Figs. 3-4 show the loss.",
        "J. Smith wrote it.",
        "The guide was written by Henry S. Thompson and Johanna D. Moore.",
        "Accuracy is 85.3 points on 1.5 M sentences.",
        "BERT vs. GPT is compared, as is BERT vs. The Pile.",
        "The model (cf. Smith) works with approx. 5 GB.",
        "Both tasks (Task A. The second task) are hard.",
        "It was tested at the U.S. Army lab.",
        "See Eqs. 4 and 5 in Sec. 2 and Tab. 3.",
    ],
)
def test_abbreviations_do_not_end_sentences(sentence: str):
    assert _split(sentence + " We agree.") == [sentence, "We agree."]


def test_inline_enumerations_stay_split_and_lines_end_sentences():
    # Each enumerated item stays a piece of its own (evidence reads item by item).
    assert _split("The motivation is twofold: 1) data mixture helps; 2) LAs overfit. Fine.") == [
        "The motivation is twofold:",
        "1) data mixture helps;",
        "2) LAs overfit.",
        "Fine.",
    ]
    # A line break ends a piece even when a bracket is left open on it.
    assert _split("A heading (draft\nx) is here. We go.") == [
        "A heading (draft",
        "x) is here.",
        "We go.",
    ]


def test_offsets_index_the_text():
    text = "  Results are in Appendix B.  Among them, X wins (p < 0.05). Fine. "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Results are in Appendix B.",
        "Among them, X wins (p < 0.05).",
        "Fine.",
    ]
    assert all(text[a:b] == text[a:b].strip() for a, b in spans)
