"""A typed slot ("the Adam optimizer", "the XLM-R base model") the paper fills with another name."""

from __future__ import annotations

from synth.frame_swaps import paper_frame_swap, typed_swap
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
    found = typed_swap("All of the pruning experiments used the cased XLM-R base model.", PAPER)
    assert found is not None and found[:2] == ("XLM-R", "BERT")


def test_typed_swap_none_when_the_paper_uses_the_claims_name():
    # The paper's own filler: the claim restates it, whatever the paraphrase.
    assert typed_swap("The pruned model was trained with the SGD optimizer.", PAPER) is None


def test_typed_swap_none_for_a_generic_heads_plain_modifier():
    # "RE model" names a task, not a model: only a registry's name fills a generic head.
    assert typed_swap("The biomedical XLNet model was trained on pruning data.", PAPER[2:3]) is None


def test_typed_swap_none_for_adjectives_and_parts_of_longer_names():
    # A name turned adjective qualifies a thing; "CC BY" is one name, not "CC" in a slot.
    assert typed_swap("The Adam-based optimizer was used for training.", PAPER) is None
    assert typed_swap("The UFN2023 dataset is released under a CC BY licence.", PAPER) is None
    # "Base" beside the claim's "BERT" is part of that name, not another filler.
    paper = ["We train a BERT Base model on the pruning data."]
    assert typed_swap("The pruning experiments used the BERT Large model.", paper) is None


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
