"""names_apart: the claim's names its paper uses, never together in one passage of it."""

from __future__ import annotations

import pytest

from synth.name_pairs import claim_names, names_apart
from synth.predicates import PaperWordIndex

PAPER = [
    "We prompt Llama2 with the survey questions in German.",
    "Its answers lean towards left-wing parties.",
    "This section describes the data.",
    "The annotation guidelines follow earlier work.",
    "GLES is a German election study with thousands of responses.",
    "Llama2 answers the GLES questions less consistently than humans do.",
]


def test_claim_names_keep_a_sentence_initial_name_only():
    assert claim_names("GPT-4o scores above the human baseline on BeWSC.") == {"gpt-4o", "bewsc"}
    assert claim_names("mBERT beats XLM-R on Tatoeba.") == {"mbert", "xlm-r", "tatoeba"}
    # A capitalised plain word opening the claim is not a name.
    assert claim_names("Training on GLES helps.") == {"gles"}


def test_names_the_paper_says_together_are_not_apart():
    idx = PaperWordIndex(PAPER)
    # Llama2 and GLES stand together in the last sentence: a claim the paper may state.
    assert names_apart("Llama2 answers GLES questions inconsistently.", idx) == 0.0


def test_names_the_paper_never_says_together_are_apart():
    idx = PaperWordIndex(PAPER[:5])  # no sentence names Llama2 and GLES together
    got = names_apart("Fine-tuning Llama2 on GLES responses removed its lean.", idx)
    assert got == pytest.approx(0.5)  # the best passage holds one of the two names
    # Three names, two of them in one passage (sentences 0-1 hold Llama2 and German).
    got = names_apart("Fine-tuning Llama2 on German GLES data helps.", idx)
    assert got == pytest.approx(1 / 3)


def test_fewer_than_two_names_the_paper_uses_read_nothing():
    idx = PaperWordIndex(PAPER[:5])
    assert names_apart("Llama2 leans left.", idx) == 0.0
    # A name the paper never uses is name_missing's, not a pair apart.
    assert names_apart("Llama2 beats Mistral on this task.", idx) == 0.0
    assert names_apart("", PaperWordIndex([])) == 0.0


def test_names_apart_is_calibrated():
    from synth.calibrate import CALIBRATED_FEATURES, FEATURES

    assert "names_apart" in FEATURES and "names_apart" in CALIBRATED_FEATURES


def test_a_possessive_s_is_no_name():
    assert claim_names("TowerInstruct's tokenizer splits Korean text.") == {
        "towerinstruct",
        "korean",
    }
