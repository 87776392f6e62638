"""A question's facets and whether a sentence speaks to each (no model needed)."""

from __future__ import annotations

from synth.facets import question_facets, sentence_words, split_question

QUESTION = (
    "What is the comparative effect of scaling intermediate-task data volume versus model size "
    "on the robustness of zero-shot cross-lingual transfer across low-resource languages in "
    "XTREME-R?"
)


def test_the_driving_question_splits_into_its_six_facets():
    facets, contrast = split_question(QUESTION)
    assert [f.phrase for f in facets] == [
        "intermediate-task data volume",
        "model size",
        "robustness",
        "zero-shot cross-lingual transfer",
        "low-resource languages",
        "XTREME-R",
    ]
    assert contrast == (0, 1)  # "... data volume versus model size ..."
    yes_no = question_facets("Does pruning attention heads hurt multilingual BERT models?")
    assert [f.phrase for f in yes_no] == ["pruning attention heads", "multilingual BERT models"]


def test_coverage_needs_the_words_close_together_and_knows_synonyms():
    size = question_facets("model size")[0]
    assert size.coverage(sentence_words("Larger models are more robust.")) == 1.0
    assert size.coverage(sentence_words("The model size matters.")) == 1.0
    # "model" and "size" far apart are not the facet "model size".
    far = "The best model was found after we increased the training data size."
    assert size.coverage(sentence_words(far)) < size.needed
    # Spelled apart or hyphenated, a compound is the same word.
    xl = question_facets("zero-shot cross-lingual transfer")[0]
    assert xl.coverage(sentence_words("zero shot cross lingual transfer works")) == 1.0
    # A name with a short part is not its prefix: XTREME is not XTREME-R.
    xr = question_facets("XTREME-R")[0]
    assert xr.coverage(sentence_words("Results on XTREME.")) == 0.0
    assert xr.coverage(sentence_words("Results on XTREME-R.")) == 1.0
