"""Text comparisons stated with "compared to" after their comparative, and sides that share a
word in two inflections (the session-10 cases from the retired sets)."""

from __future__ import annotations

from synth.comparison_sides import comparison_frames
from synth.comparisons import comparison_flip


def test_a_comparative_before_compared_to_says_the_way():
    """plm_calibration_close_look: "E-T5 exhibits significantly better calibration performance
    compared to the adapted E-MLP" against a claim with the two methods swapped."""
    evidence = (
        "For extrinsic methods, the extended E-T5 exhibits significantly better calibration "
        "performance compared to the adapted E-MLP."
    )
    frame = comparison_frames(evidence)[0]
    assert frame[3][frame[2]] == "better" and "t5" in frame[0] and "mlp" in frame[1]
    swapped = "The adapted MLP mitigates overconfidence clearly better than the extended T5."
    assert comparison_flip(swapped, evidence) == 1.0
    same = "The extended T5 calibrates clearly better than the adapted MLP."
    assert comparison_flip(same, evidence) == 0.0
    # A fronted "Compared to Y, X is ..." still reads its main clause.
    fronted = "Compared to ChatGPT, the Falcon data was of considerably lower quality."
    frame = comparison_frames(fronted)[0]
    assert "falcon" in frame[0] and "chatgpt" in frame[1]


def test_a_word_both_sides_have_in_two_inflections_tells_them_not_apart():
    """chnls_chinese_lexical_substitution: "substitute" on one side and "substitutes" on the
    other are one word; read as two they made the sides look swapped."""
    claim = (
        "Judging whether a proposed substitute fits is far easier for annotators than thinking "
        "of substitutes unaided."
    )
    evidence = (
        "Assessing the suitability of these substitutes is much simpler for the annotator "
        "compared to generating a substitute from memory."
    )
    assert comparison_flip(claim, evidence) == 0.0
