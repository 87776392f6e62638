"""Name variants: a claim naming a variant of the evidence's name is no entity swap."""

from __future__ import annotations

from synth.namechecks import (
    aligned_opposite,
    name_slots,
    name_variant,
    paper_aliases,
    paper_uses,
    role_swap,
    same_name,
    slot_index,
    slot_substitution,
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


def test_paper_aliases_names_written_another_way():
    # My own sentences: languages by code, initials of capitalised runs, two names run together.
    paper = [
        "Scores per language: POS-fr 81.2, POS-ja 70.4 and NER-en 88.0.",
        "Columns: Model | pt | ru | sw | avg.",
        "We report the Kullback-Leibler divergence of the two distributions.",
        "The questions come from the Web Questions and Natural Questions collections.",
        "It was a long day in Paris, and we are in an odd spot.",
    ]
    words = frozenset().union(*(content_words(t) for t in paper))
    aliases = paper_aliases(paper)
    for name in ("French", "Japanese", "Portuguese", "Swahili", "KL", "WebQuestions", "NQ"):
        (stem,) = content_words(name)
        assert not paper_uses(stem, words), name
        assert paper_uses(stem, words, aliases), name
    # A compound's parts, its stopwords aside ("English-to-French" in a paper naming both).
    (stem,) = content_words("English-to-French")
    assert paper_uses(stem, words | {"english"}, aliases)
    # Ordinary two-letter words are no codes ("in", "an", "it"), one code alone is no run, and
    # words the paper never runs together stay unused.
    for name in ("Indonesian", "Italian", "Irish", "German", "GPT-4", "LP"):
        (stem,) = content_words(name)
        assert not paper_uses(stem, words, aliases), name


def test_slot_swap_reads_a_code_as_its_language():
    paper = ["Results for NLI-en and NLI-es improve over the base model.", "The pt model runs."]
    words = frozenset().union(*(content_words(t) for t in paper))
    aliases = paper_aliases(paper)
    claim = facts("The base model improves on Spanish NLI.")
    assert paper_uses("spanish", words, aliases) and not paper_uses("spanish", words)
    assert slot_swap(claim, words, slot_index(paper), aliases) == 0.0


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


def test_role_swap_within_one_sentence():
    # Two names, or two opposites, trading places in the sentence the claim copies.
    paper = (
        "Edit statistics are reported in Table 4: in ASICS and DO, ~20% of the total number of"
        " edits in dev and test appear in the training set, while EMERSON has 60% of dev and"
        " test edits appear in the training set."
    )
    claim = (
        "In EMERSON and DO only about a fifth of dev and test edits occur in the training set,"
        " while ASICS has 60% overlap."
    )
    assert role_swap(claim, paper) == 1.0
    sizes = "The best group size is 25 for small models and 12 for large models."
    assert role_swap("The best group size was 25 for large models and 12 for small models.", sizes)
    assert not role_swap("The best group size was 25 for small models and 12 for large.", sizes)
    # The same roles, reworded, are no swap; nor is a name the sentence abbreviates.
    robust = (
        "For swap and drop noise, NLLB is more robust than TI when translating to English, while"
        " the reverse is true when translating from English."
    )
    flipped = "For swap and drop noise, TowerInstruct is more robust than NLLB into English."
    assert role_swap(flipped, robust) == 1.0
    kept = "For swap and drop noise, NLLB is more robust than TowerInstruct into English."
    assert role_swap(kept, robust) == 0.0


def test_role_swap_leaves_symmetric_and_passive_wordings_alone():
    claim = "DAMP outperforms XLM-R on the MTOP benchmark in zero-shot transfer."
    assert role_swap(claim, "XLM-R outperforms DAMP on the MTOP benchmark in zero-shot transfer.")
    passive = "XLM-R is outperformed by DAMP on the MTOP benchmark in zero-shot transfer."
    assert role_swap(claim, passive) == 0.0
    assert not role_swap(
        "BAD-X performs comparably to MAD-X on the NER task across languages.",
        "MAD-X performs comparably to BAD-X on the NER task across languages.",
    )
    assert not role_swap(
        "mBERT and XLM-R both improve on the Hindi test set after pretraining.",
        "XLM-R and mBERT both improve on the Hindi test set after pretraining.",
    )


def test_slot_substitution_names_another_thing_in_the_claims_place():
    paper = "Table 1 shows that on clean data, TI records the highest COMET for all eight pairs."
    claim = "On clean FLORES data GPT-3.5 records the highest COMET for all eight language pairs."
    assert slot_substitution(claim, paper) == 1.0
    # The paper's short form of the claim's name ("TI" for TowerInstruct) is the same thing.
    same = "On clean FLORES data TowerInstruct records the highest COMET for all eight pairs."
    assert slot_substitution(same, paper) == 0.0
    assert same_name("TowerInstruct", "TI") and same_name("E-T5", "T5")
    assert not same_name("GPT-3.5", "TI")
    # A number in the slot is the number checks' business, not a name swap.
    lr = "LoRA adapters were trained for 10 epochs with learning rate 2e-4, batch size 64."
    assert (
        slot_substitution("The adapters were trained for 10 epochs with learning rate 2e-5.", lr)
        == 0.0
    )


def test_aligned_opposite_reads_the_slot_not_the_whole_sentence():
    paper = (
        "Different from Michel et al. (2019) which pruned the least important attention heads to"
        " prove the redundancy of attention heads, this paper focuses on exploring the functional"
        " specialization phenomenon after training, thus we prune the most important heads."
    )
    claim = "Michel et al. (2019) pruned the most important heads to study specialization."
    assert aligned_opposite(claim, paper) == 1.0
    right = "Michel et al. (2019) pruned the least important heads to prove their redundancy."
    assert aligned_opposite(right, paper) == 0.0


def _lcs_table(a: list[str], b: list[str]) -> list[list[int]]:
    """The plain dynamic programme: table[i][j] = LCS(a[i:], b[j:])."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            same = a[i] == b[j]
            table[i][j] = table[i + 1][j + 1] + 1 if same else max(table[i + 1][j], table[i][j + 1])
    return table


def test_bit_parallel_lcs_and_alignment_agree_with_the_dynamic_programme():
    import random

    from synth.namechecks import _alignment, _lcs, _masks

    rng = random.Random(7)
    for _ in range(3000):
        vocab = "abcdefghij"[: rng.randint(1, 10)]
        a = [rng.choice(vocab) for _ in range(rng.randint(0, 30))]
        b = [rng.choice(vocab) for _ in range(rng.randint(0, 80))]  # past one machine word
        table = _lcs_table(a, b)
        assert _lcs(a, b) == _lcs(a, b, _masks(b)) == table[0][0]
        # The same alignment as the table's walk: a match first, else down when that keeps it.
        want, i, j = [], 0, 0
        while i < len(a) and j < len(b):
            if a[i] == b[j]:
                want.append((i, j))
                i, j = i + 1, j + 1
            elif table[i + 1][j] >= table[i][j + 1]:
                i += 1
            else:
                j += 1
        assert _alignment(a, b) == want
        assert _alignment(tuple(a), tuple(b)) == want


def test_canonical_is_memoized_and_read_only():
    from synth.namechecks import _canonical, _words

    claim, sentence = _words("TowerInstruct beats GPT-4."), _words("TI beats GPT-4 here.")
    first = _canonical(claim, sentence)
    assert isinstance(first, tuple) and first == _canonical(claim, sentence)
    assert "towerinstruct" in first
