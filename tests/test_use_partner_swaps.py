"""Entity swaps read by what a claim puts to use (use_swap) and by the partners a sentence
groups a claim's names with (partner_swap)."""

from __future__ import annotations

from synth.frame_swaps import paper_frame_swap, partner_swap, use_swap
from synth.records import Sentence

PAPER = [
    "We evaluate our tagger on six languages taken from LinCE for the tagging experiments.",
    "For relation extraction, we use the SciERC benchmark and its official splits.",
    "The tagger is fine-tuned with a learning rate of 2e-5 for ten epochs.",
]


def test_use_swap_finds_another_thing_of_the_kind_put_to_use():
    claim = "The relation extraction experiments use the DocRED benchmark."
    found = use_swap(claim, PAPER)
    assert found is not None and found[:2] == ("DocRED", "SciERC")
    found = use_swap("The tagging experiments draw six languages from MultiCoNER.", PAPER)
    assert found is not None and found[:2] == ("MultiCoNER", "LinCE")


def test_use_swap_none_when_the_paper_names_the_claims_thing():
    assert use_swap("The relation extraction experiments use the SciERC benchmark.", PAPER) is None


def test_use_swap_none_without_a_use_or_for_two_unknown_names():
    # Named, not put to use ("outperforms X"): a result the paper may never report.
    assert (
        use_swap("The tagger outperforms DocRED baselines on relation extraction.", PAPER) is None
    )
    # Two names the paper never uses: another paper's claim.
    assert use_swap("The RoBERTa experiments use the DocRED benchmark.", PAPER) is None


def test_use_swap_needs_a_thing_of_the_same_kind():
    # A language put to use against a dataset put to use is no swap.
    paper = ["We use the SciERC benchmark for relation extraction."]
    assert use_swap("The relation extraction data were taken from Swahili news.", paper) is None


def test_paper_frame_swap_reads_use_swaps():
    body = [Sentence(paper_id="p", page=1, section="", text=t) for t in PAPER]
    claim = "The relation extraction experiments use the DocRED benchmark."
    assert paper_frame_swap(claim, body) == 1.0


# One sentence naming two sources and whose languages each gives.
NER_SOURCES = (
    "We use the WikiNER data for Finnish and Estonian, and the TurkuNER data for Hungarian."
)


def test_partner_swap_finds_names_grouped_otherwise():
    sentence = NER_SOURCES
    claim = "The Hungarian data came from WikiNER, like the Finnish and Estonian data."
    assert partner_swap(claim, sentence) == 1.0
    # The other partner must be one the claim names: a name the claim never mentions says
    # nothing of the claim's grouping.
    sentence = "ModelA beats the baselines on MTOP and TOPv2 while ModelB wins on SNIPS."
    assert partner_swap("ModelB beats the baselines on MTOP and TOPv2.", sentence) == 0.0


def test_partner_swap_none_for_the_same_grouping_or_a_split_list():
    sentence = NER_SOURCES
    claim = "The Finnish and Estonian data came from WikiNER, and Hungarian data from TurkuNER."
    assert partner_swap(claim, sentence) == 0.0
    # One list the sentence splits over two clauses: no name trades partners.
    claim = "WikiNER covers Finnish, Estonian and Hungarian."
    sentence = "WikiNER covers Finnish and Estonian, while it also covers Hungarian."
    assert partner_swap(claim, sentence) == 0.0


def test_use_swap_kinds_follow_the_registries():
    # A registry's dataset against a name no registry knows: not one of a kind.
    paper = ["We take six languages from XGLUE for the tagging experiments."]
    assert use_swap("The tagging experiments draw six languages from MultiCoNER.", paper) is None
