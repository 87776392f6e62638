"""A typed slot ("the Adam optimizer", "the XLM-R base model") the paper fills with another name."""

from __future__ import annotations

from synth.frame_swaps import paper_frame_swap, source_swap, typed_swap
from synth.records import Sentence

PAPER = [
    "Utilizing the SGD optimizer, we configured the learning rate for training.",
    "In all experimental setups, the BERT base model is employed for pruning.",
    "We train a biomedical RE model on the pruning data.",
    "Dataset 2: UFN2023 This dataset was constructed from real news.",
]


def test_typed_swap_finds_another_filler_of_the_same_head():
    found = typed_swap("The pruned model was trained with the Adam optimizer.", PAPER)
    assert found is not None and found[:2] == ("Adam", "SGD")
    paper = ["We encode the inputs with a frozen LaBSE encoder before pruning."]
    found = typed_swap("The pruned model encodes inputs with the XLM-R encoder.", paper)
    assert found is not None and found[:2] == ("XLM-R", "LaBSE")


def test_typed_swap_none_when_the_paper_uses_the_claims_name():
    # The paper's own filler: the claim restates it, whatever the paraphrase.
    assert typed_swap("The pruned model was trained with the SGD optimizer.", PAPER) is None


def test_typed_swap_none_for_a_generic_head():
    # "model" types no slot: a name near it is often no model ("the CHNLS training split"),
    # and a paper names many models in its related work.
    assert typed_swap("The pruning experiments used the cased XLM-R base model.", PAPER) is None
    claim = "A substitution model trained on the CHNLS split beat the ensemble."
    assert typed_swap(claim, PAPER) is None


def test_typed_swap_none_for_adjectives_and_parts_of_longer_names():
    # A name turned adjective qualifies a thing; "CC BY" is one name, not "CC" in a slot.
    assert typed_swap("The Adam-based optimizer was used for training.", PAPER) is None
    assert typed_swap("The UFN2023 dataset is released under a CC BY licence.", PAPER) is None
    # "Base" beside the claim's "BERT" is part of that name, not another filler.
    paper = ["We prune a BERT Base encoder on the pruning data."]
    assert typed_swap("The pruning experiments used the BERT Large encoder.", paper) is None


def test_typed_swap_none_for_two_unseen_names_or_no_shared_words():
    # Two names the paper never uses: another paper's claim, not a swap.
    assert typed_swap("MESH was trained with the Adam optimizer.", PAPER) is None
    # The filler's sentence shares none of the claim's other words: another topic.
    assert typed_swap("Decoding used the Adam optimizer.", PAPER[:1]) is None


def test_typed_swap_leaves_benchmarks_alone():
    # An unseen benchmark beside the paper's own is a result it never reports (not enough info).
    paper = ["On the MKQA dataset, Sentri improves question answering."]
    assert typed_swap("Sentri improves question answering on the XQuAD benchmark.", paper) is None


def test_paper_frame_swap_counts_typed_swaps():
    body = [Sentence(paper_id="p", page=1, section="", text=t, kind="body") for t in PAPER]
    assert paper_frame_swap("The pruned model was trained with the Adam optimizer.", body) == 1.0
    assert paper_frame_swap("The pruned model was trained with the SGD optimizer.", body) == 0.0


SOURCES = [
    "We introduce a dataset of 255k compound words across 56 languages obtained from Wiktionary.",
    "We pick 6 languages from TyDiQA to conduct the question answering experiments.",
    "Following the survey from Clark et al. (2022), we report accuracy.",
]


def test_source_swap_finds_another_source_however_reworded():
    claim = "The dataset of 255k words was assembled from Wikipedia articles in 56 languages."
    found = source_swap(claim, SOURCES)
    assert found is not None and found[:2] == ("Wikipedia", "Wiktionary")
    found = source_swap("The question answering experiments use six languages from MLQA.", SOURCES)
    assert found is not None and found[:2] == ("MLQA", "TyDiQA")


def test_source_swap_none_for_the_papers_own_source_or_few_shared_words():
    claim = "The dataset of 255k words was assembled from Wiktionary entries in 56 languages."
    assert source_swap(claim, SOURCES) is None
    # A sentence sharing under half the claim's other words gives another thing's source.
    assert (
        source_swap("Speech recordings were collected from Wikipedia volunteers.", SOURCES) is None
    )


def test_source_swap_none_for_an_authors_name_or_a_result_on_a_benchmark():
    # "from Clark et al." cites an author, not a source.
    assert source_swap("We report accuracy following the survey from Smith.", SOURCES) is None
    # "on XQuAD" is a result the paper may never report, not a source.
    claim = "The question answering experiments pick six languages on MLQA."
    assert source_swap(claim, SOURCES) is None
