"""A figure bound to the wrong thing: the sentence states the claim's value, but of another
condition, entity or counted thing (``synth.numbinding``, read by ``numchecks.numeric_agreement``).
Sentences in the style of the retired held-out papers; claims in the style people wrote."""

from __future__ import annotations

from synth.numbinding import Binding, bindings, misbound
from synth.numchecks import _spans, numeric_agreement
from synth.textchecks import facts


def _agree(claim: str, evidence: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence))


def _bind(text: str) -> tuple[Binding, ...]:
    f = facts(text)
    return bindings(f.text, tuple(_spans(f.text, f.numbers)))


STAGES = (
    "ByT5 outperforms subword-based models by a large margin with an absolute 8.9% improvement "
    "over the best subword-based model after Stage 1 training, and a 3.7% improvement after "
    "Stage 2 training."
)
STUDY = (
    "Each of the 20 participants was required to attend a 90-minute session to grade 30 answers "
    "so that we collected a total of 600 assessment scores."
)
LANGS = (
    "Transferring the diff vector yields absolute accuracy improvements of 4.7% for Malagasy and "
    "15.5% for Turkish on the Global MMLU benchmark, without additional training."
)
RESPECTIVELY = (
    "Recycling fine-tuning updates yields a 4.7% and 15.5% absolute improvement for Malagasy and "
    "Turkish, respectively, compared to Llama 3.1 8B Instruct."
)
ROW = "Zero-shot LLMs: Models Mistral-large, Precision 67.28, Recall 97.33, F1 79.56."
BY = "We outperform the state-of-the-art LaBSE by 0.9% and other variants by at least 3.0%."
RUN = (
    "Fine-tuning used a learning rate of 1e-4, a batch size of 3, a weight decay of 0.1 during "
    "10 epochs with an early stopping patience of 3."
)


def test_slots_hold_what_each_figure_is_said_of():
    first, second = _bind(STAGES)
    assert first.slot("after") == {"stag", "1", "train"}
    assert second.slot("after") == {"stag", "2", "train"}
    participants, _, answers, _ = _bind(STUDY)
    assert "participant" in participants.slot("label")
    assert "answer" in answers.slot("label")
    precision, recall, f1 = _bind(ROW)
    assert precision.slot("label") == {"precision"}
    assert f1.slot("label") == {"f1"}
    # "respectively" gives each figure its item of the list
    malagasy, turkish, _ = _bind(RESPECTIVELY)
    assert malagasy.slot("resp") == {"malagas"} and turkish.slot("resp") == {"turkish"}


def test_a_figure_inside_a_name_is_no_figure_of_its_own():
    claim = _bind("It raises Llama 3.1 8B Instruct's Malagasy accuracy by more than ten points.")
    size, ten = claim
    assert size.slots == ()
    assert "malagas" in ten.frame


def test_a_value_said_of_another_condition_conflicts():
    # the claim's "Stage 2" is the 3.7% figure's condition; 8.9% is Stage 1's
    claim = "After supervised Stage 2 training, ByT5 still leads the best subword model by almost nine points."
    assert _agree(claim, STAGES) == (0.0, 1.0)
    assert _agree("ByT5 beats the best subword model by 8.9% after Stage 1.", STAGES) == (1.0, 0.0)
    assert _agree("After Stage 2, ByT5 still leads by 3.7%.", STAGES) == (1.0, 0.0)


def test_swapped_counts_conflict():
    claim = "The first user study recruited 30 participants, each of whom graded 20 answers."
    assert _agree(claim, STUDY) == (0.0, 1.0)
    claim = "Each of 20 participants graded 30 answers in a 90-minute session."
    assert _agree(claim, STUDY) == (1.0, 0.0)


def test_a_figure_of_another_label_in_a_row_conflicts():
    claim = "The few-shot Mistral-Large filter reached 79 % precision on the No class."
    assert _agree(claim, ROW) == (0.0, 1.0)
    assert _agree("Mistral-large reached 97.33 recall.", ROW) == (1.0, 0.0)


def test_figures_of_two_compared_things_swapped_conflict():
    claim = "On BUCC, DAP beats LaBSE by 3.0% and the other variants by at least 0.9%."
    assert _agree(claim, BY) == (0.0, 1.0)
    assert _agree("DAP beats LaBSE by 0.9% and other variants by at least 3%.", BY) == (1.0, 0.0)


def test_a_count_of_another_thing_conflicts():
    # "3" is the batch size and the patience; the epochs were 10
    assert _agree("After pruning, the model is fine-tuned for only three epochs.", RUN)[1] == 1.0
    assert _agree("The model is fine-tuned for 10 epochs with a batch size of 3.", RUN)[1] == 0.0


def test_the_figure_of_another_item_of_a_list_conflicts():
    # 15.5% is Turkish's gain: "for Turkish", or its item of the "respectively" list
    claim = "Recycling fine-tuning raises Malagasy accuracy by 15.5%."
    assert _agree(claim, LANGS) == (0.0, 1.0)
    assert _agree(claim, RESPECTIVELY) == (0.0, 1.0)
    # the figure of the thing the claim names: no conflict, whatever else the list states
    claim = "Turkish accuracy improves by 15.5% with the transferred diff vector."
    assert _agree(claim, LANGS) == (1.0, 0.0)
    claim = "Transferring the diff vector raises Malagasy accuracy by 4.7%."
    assert _agree(claim, RESPECTIVELY) == (1.0, 0.0)


def test_words_on_both_sides_do_not_decide():
    mine, other = _bind(STAGES)
    # the claim names both conditions: nothing says which figure it means
    assert not misbound(frozenset({"stag", "1", "2", "train"}), mine, other)
    assert misbound(frozenset({"stag", "2"}), mine, other)
    assert not misbound(frozenset({"stag", "1"}), mine, other)


def test_values_said_of_swapped_names_conflict():
    evidence = "Corrected OPUS declines 0.58 COMET, versus only 0.45 for TI."
    claim = "The clean-data cost of source correction is 0.45 COMET for OPUS and 0.58 for TI."
    assert _agree(claim, evidence)[1] > 0.0
    claim = "Corrected OPUS declines 0.58 COMET, against 0.45 for TowerInstruct."
    assert _agree(claim, evidence) == (1.0, 0.0)


def test_respectively_reads_items_with_a_bracketed_aside():
    evidence = (
        "The variants yield relative improvements of up to 5.8 and 2.7 F1 scores on QA "
        "(Hindi-English) and SA (Tamil-English), respectively, compared to standard pretraining."
    )
    qa, sa = _bind(evidence)
    assert qa.slot("resp") == {"qa", "hindi-english"}
    assert sa.slot("resp") == {"sa", "tamil-english"}
    # "up to 8.5" holds for 2.7, but 2.7 is Tamil-English SA's figure
    claim = (
        "Compared to standard pretraining, the variants improve Hindi-English QA by up to 8.5 F1."
    )
    assert _agree(claim, evidence) == (0.0, 1.0)
    claim = (
        "Compared to standard pretraining, the variants improve Hindi-English QA by up to 5.8 F1."
    )
    assert _agree(claim, evidence) == (1.0, 0.0)


def test_a_count_in_words_is_no_rounded_decimal():
    evidence = "The variants yield improvements of up to 5.8 and 2.7 F1 on QA and SA."
    assert _agree("All three MLM variants improve sentiment F1.", evidence) == (0.0, 0.0)
    assert _agree("All three variants were trained.", "We train 3 variants.") == (1.0, 0.0)


def test_figures_listed_together_share_their_words():
    evidence = (
        "Our systems outperform the baselines of direct bilingual models and pivot translation "
        "models, averagely giving +6.0 and +4.1 BLEU, without extra data."
    )
    six, four = _bind(evidence)
    assert six.slots == four.slots  # "averagely giving" and "BLEU" are said of both
    claim = "The systems improve on direct bilingual models by about 6 BLEU on average."
    assert _agree(claim, evidence) == (1.0, 0.0)


def test_a_figure_glued_to_its_noun_still_counts_it():
    evidence = "They are based on 12-layer encoders instead of the 24 layers of XLM-R."
    twelve, _ = _bind(evidence)
    assert "layer" in twelve.slot("label")
    claim = "The monolingual encoders have 12 layers instead of XLM-R's 24."
    assert _agree(claim, evidence) == (1.0, 0.0)
