"""Name variants: a claim naming a variant of the evidence's name is no entity swap."""

from __future__ import annotations

from synth.namechecks import (
    name_slots,
    name_variant,
    paper_uses,
    slot_index,
    slot_swap,
)
from synth.search import content_words
from synth.textchecks import facts


def test_name_variant():
    for a, b in [
        ("TyDi QA", "XOR TyDi QA"),
        ("XLM-R", "XLM-R Large"),
        ("mBERT", "mBERT-base"),
        ("QA", "TyDiQA"),
        ("nllb-1", "nllb-1.3b"),
    ]:
        assert name_variant(a, b) and name_variant(b, a), (a, b)
    # Two of a kind, or a one-letter affix that makes another thing.
    for a, b in [
        ("XLM-R Base", "XLM-R Large"),
        ("GPT-2", "GPT-4"),
        ("BERT", "mBERT"),
        ("NLI", "XNLI"),
        ("XLM", "XLM-R"),
        ("RoBERTa", "BERT"),
        ("MLQA", "XQuAD"),
        ("XLM-R", "XLM-R"),
    ]:
        assert not name_variant(a, b), (a, b)


def test_paper_uses_variants_of_a_name():
    words = frozenset(
        {"nllb-1.3b", "towerinstruct-v0.1", "24e12d", "belarusian", "english", "xtreme"}
    )
    assert paper_uses("nllb-1", words) and paper_uses("towerinstruct", words)
    assert paper_uses("e12d", words) and paper_uses("belarusian-english", words)
    # A one-letter part or affix names another thing; an unrelated name is not used.
    assert not paper_uses("xtreme-r", words | {"r"})
    assert not paper_uses("nllb-600m", words) and not paper_uses("m2m", words)


def test_slot_swap_ignores_a_variant_the_paper_uses():
    paper = [
        "We compare the NLLB-1.3B model with the OPUS baseline under swap noise.",
        "The NLLB-3.3B model behaves like the OPUS model.",
    ]
    words = frozenset().union(*(content_words(t) for t in paper))
    assert "nllb-1.3b" in words and "nllb-1" in {n for n, _ in name_slots(paper[0])}
    claim = facts("The smaller NLLB-1.3B model behaves like the OPUS model.")
    assert slot_swap(claim, words, slot_index(paper)) == 0.0
    swapped = facts("The smaller M2M-1.2B model behaves like the OPUS model.")
    assert slot_swap(swapped, words, slot_index(paper)) == 1.0
