"""The checks a verdict rests on, on sentences of the real papers and claims people wrote about them."""

from __future__ import annotations

import numpy as np

from synth.calibrate import (
    TrainingSet,
)
from synth.calibration_select import (
    fit_selected,
    leave_one_paper_out,
    select,
)
from synth.records import LABELS
from synth.textchecks import (
    degree_conflict,
    facts,
    name_terms,
    negation_mismatch,
    number_keys,
    numeric_agreement,
    quantifier_conflict,
    role_reversal,
    slot_index,
    slot_swap,
)

# Sentences of ../shared/data/papers (UB SemEval, decoding review, XLM-R report, MESH, EMNLP style).
SAMPLES_950 = (
    "For taks 2, the paragraphs from task 1 are split according to the type of PCL speech "
    "category into sentences, resulting in 950 samples."
)
IMAGES_5000 = "• random sample of 5000 images from val partition used for testing"
GAP = "There is a performance gap of approximately 6.15% between English and Turkish."
RESILIENCE = "Surprisingly, mBERT demonstrates a similar resilience to pruning as BERT."
NEGATIVES = (
    "The model often treated two negative statements as mutually incompatible, resulting in "
    "incorrect Contradiction predictions even when the true relation was Neutral."
)
PAGES = (
    "Long papers may consist of up to eight (8) pages of content plus unlimited pages for "
    "references."
)


def _num(claim: str, evidence: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence))


def test_numbers_agree_across_forms_and_hedges():
    assert _num("A random sample of 5,000 validation images was used.", IMAGES_5000) == (1.0, 0.0)
    assert _num("A random sample of 5k validation images was used.", IMAGES_5000) == (1.0, 0.0)
    assert _num("English beat Turkish by roughly 6 points.", GAP) == (1.0, 0.0)
    assert _num("The classifier reached an F1 of 50%.", "It obtained 0.50 as F1.") == (1.0, 0.0)
    assert _num("Accuracy was over 60%.", "Accuracy was 64.2% on the test set.") == (1.0, 0.0)
    held = "The dataset for subtask 1 contained a number of 10.636 paragraphs."
    assert _num("Subtask 1 held 10,636 paragraphs.", held)[0] == 1.0
    assert _num("Long papers may have up to eight pages of content.", PAGES) == (1.0, 0.0)


def test_numbers_conflict_about_the_same_thing_only():
    # "1950 samples" is a count, not a year; "500 images" against "5000 images".
    assert _num("Splitting the paragraphs resulted in 1950 samples.", SAMPLES_950) == (0.0, 1.0)
    assert _num("They tested on a random sample of 500 validation images.", IMAGES_5000)[1] == 1.0
    assert _num("Long papers may have up to ten pages of content.", PAGES) == (0.0, 1.0)
    # Counts of different things never conflict.
    epochs = "Experiment 3: I increased training to 6 epochs with a lower learning rate."
    assert _num("The best model used 20,000 training examples.", epochs) == (0.0, 0.0)


def test_degree_and_equivalence():
    assert degree_conflict(
        facts("mBERT is much less resilient to pruning than BERT."), facts(RESILIENCE)
    )
    assert not degree_conflict(
        facts("mBERT is about as resilient to pruning as BERT."), facts(RESILIENCE)
    )
    assert not degree_conflict(
        facts("mBERT resists pruning as well as BERT does."), facts(RESILIENCE)
    )
    # A plain comparative with three words before "than" (no "much") is a difference too.
    assert degree_conflict(
        facts("mBERT is less resilient to pruning than BERT."), facts(RESILIENCE)
    )


def test_quantifiers_and_negation_scope():
    never = facts("The model never treated two negative statements as mutually incompatible.")
    assert quantifier_conflict(never, facts(NEGATIVES)) == 1.0
    assert negation_mismatch(never, facts(NEGATIVES)) == 1.0
    colour = facts("Colour is forbidden in figures: everything must be grayscale.")
    evidence = facts(
        "Color is not forbidden, but authors should ensure that tables and figures do not rely "
        "solely on color to convey critical distinctions."
    )
    # Two negations (even parity), but the shared word "forbidden" is negated only in the evidence.
    assert negation_mismatch(colour, evidence) == 1.0
    # Both negate "author": matched, though their scopes differ otherwise.
    names = facts("Papers submitted for review must not name their authors or affiliations.")
    info = facts("Papers should not include any author information (such as names).")
    assert negation_mismatch(names, info) == 0.0
    # A negation added where the sentence already negates something else.
    src = "This diversity can be seen as an illusion, since it does not reflect intent."
    added = "This diversity can not be seen as an illusion, since it does not reflect intent."
    assert negation_mismatch(facts(added), facts(src)) == 1.0
    title = facts("The Don\u2019t Patronize Me! paragraphs come from news outlets.")
    assert negation_mismatch(facts("The Don't Patronize Me! paragraphs are news."), title) == 0.0
    same = facts("Such models are not only accurate but also fast.")
    assert negation_mismatch(same, facts("Such models are accurate and fast.")) == 0.0


def test_role_reversal():
    claim = facts("Turkish sentences in XNLI tend to be longer in word count than English ones.")
    evidence = facts(
        "English sentences in the dataset are typically longer in word count, while Turkish "
        "sentences are more concise."
    )
    assert role_reversal(claim, evidence) == 1.0
    assert role_reversal(evidence, evidence) == 0.0


def test_leave_one_paper_out_never_sees_the_held_out_paper():
    rng = np.random.default_rng(0)
    x = rng.random((240, 3))
    y = np.array([LABELS[int(r[0] * 3)] for r in x])
    groups = np.array(["a", "b", "c"] * 80)
    hand = np.arange(240) % 4 == 0
    # Paper "c" is labelled at random: fitted on "a" and "b", its claims are predicted by the rule.
    y[groups == "c"] = rng.choice(LABELS, size=80)
    data = TrainingSet(x, y, groups, hand)
    s = select(data)
    assert np.isfinite(s.loss) and s.c > 0 and s.hand_weight >= 1
    probs = leave_one_paper_out(data)
    assert probs.shape == (240, 3) and np.allclose(probs.sum(1), 1)
    # The held-out paper's probabilities are those of a model fitted without it.
    train = data.subset(groups != "c")
    alone = fit_selected(train, select(train))
    assert np.allclose(probs[groups == "c"], alone.predict_proba(x[groups == "c"]))
    pred = np.array([LABELS[i] for i in probs.argmax(1)])
    rule = np.array([LABELS[int(r[0] * 3)] for r in x])
    assert np.mean(pred[groups == "c"] == rule[groups == "c"]) > 0.6


def test_lookup_keys_and_names():
    keys = number_keys("English (Source) 72.36% and 10,636 paragraphs; 5,000 images, F1 0.50.")
    assert keys == {"72.36", "10636", "5000"}  # "0.50" is too common to look up
    assert name_terms("The pruned multi-task mBERT was trained with the Adam optimizer.") == {
        "mbert",
        "adam",
    }
    assert name_terms("Manuscripts must be formatted for A4 paper.") == {"a4"}
    # A version's decimals are the name's; a lower-case modifier hyphened on is not (stemmed).
    assert name_terms("Our tagger beats Claude-2.1 and Qwen-1.5-chat on F0.5.") == {
        "claude-2.1",
        "qwen-1.5-chat",
        "f0.5",
    }
    assert name_terms("A RoBERTa-sized reader with GloVe-style vectors and Smith-Jones rules.") == {
        "roberta",
        "glov",
        "smith-jon",
    }


def test_contrast_existence_and_neither_scopes():
    # "rather than X" negates X: matched by the evidence's "not X", a conflict with a plain X.
    data = facts(
        "The report concludes that the amount of training data, rather than the choice of "
        "hyperparameters, was what held the model back."
    )
    confirm = facts(
        "This comparison isolated data size as a variable while holding the other hyperparameters "
        "constant relative to Experiment 1, confirming that the primary bottleneck was data, not "
        "hyperparameter choice."
    )
    assert negation_mismatch(data, confirm) < 1.0
    refs = facts(
        "Arrange the references alphabetically by first author, rather than by order of "
        "occurrence in the text."
    )
    cited = facts("References are to be listed in the order in which they are first cited.")
    assert negation_mismatch(cited, refs) == 1.0
    # The claim's own contrast only sets an alternative aside: a sentence naming it (plainly)
    # does not contradict the claim; half a signal, as a mere parity difference.
    kept = facts("The hyperparameters were kept consistent with those used for the baselines.")
    assert negation_mismatch(data, kept) == 0.5
    assert negation_mismatch(kept, data) == 1.0  # the evidence rejecting what a claim states
    # "Instead of X used by others" is matched by "whereas others do X" (decoding review).
    instead = facts(
        "Instead of the beam-search variant used by Cohn-Gordon et al., the authors run RSA with "
        "greedy search."
    )
    whereas = facts(
        "\u2022 whereas Cohn-Gordon et al. report results for a beam search variant, we focus on "
        "a greedy search method."
    )
    assert negation_mismatch(instead, whereas) == 0.0
    # "..., which does not exist in" negates what comes before it.
    cls = facts(
        "The course tutorial looked up the [CLS] token ID from BERT's vocabulary, which does not "
        "exist in XLM-RoBERTa's SentencePiece tokenizer."
    )
    no_cls = facts("XLM-RoBERTa's SentencePiece vocabulary has no [CLS] token.")
    assert negation_mismatch(no_cls, cls) == 0.0
    # "neither X nor Y lead to ..." covers X, parentheses and all.
    hyp = facts(
        "We hypothesize that neither the increased (lexical) diversity in utterances produced "
        "using Nucleus Sampling nor the likelihood to human utteranced of captions produced using "
        "Beam Search lead to a higher pragmatic informativeness."
    )
    more = facts("The extra lexical diversity of nucleus sampling makes captions more informative.")
    assert negation_mismatch(more, hyp) == 1.0


def test_rejected_expectation_and_negated_always():
    seem = facts(
        "While it might seem that mBERT, with its reduced dedicated attention capacity for "
        "English, would suffer more from pruning compared to BERT, our findings reveal otherwise."
    )
    hurts = facts("Pruning attention heads in mBERT hurts low-resource languages much more.")
    assert negation_mismatch(hurts, seem) == 1.0
    solely = facts(
        "The model\u2019s error, therefore, cannot be attributed solely to morphological mismatch."
    )
    entirely = facts("The Turkish errors are explained entirely by morphological mismatch.")
    assert quantifier_conflict(entirely, solely) == 1.0
    assert quantifier_conflict(entirely, facts("The errors are due entirely to mismatch.")) == 0.0


def test_bounds_scales_and_alignment():
    abstract = "It should be no longer than 200 words."
    assert _num("The abstract may be up to 300 words long.", abstract) == (0.0, 1.0)
    assert _num("The abstract may be up to 200 words long.", abstract) == (1.0, 0.0)
    # A bound met by a number about something else is no support.
    font = "paper title: Font Size 15 pt, Style bold."
    assert _num("The abstract may be up to 300 words long.", font)[0] == 0.0
    qa = "Question Answering (QA) 88.0K 81.8K"
    assert _num("About 82 thousand question answering instances were used.", qa)[0] == 1.0
    # The only measurements of two sentences about different things do not conflict.
    overlap = (
        "Authors submitting more than one paper to EMNLP 2020 must ensure that submissions do "
        "not overlap significantly (>25%) with each other in content or results."
    )
    assert (
        _num("About 22% of the long papers submitted to EMNLP 2020 were accepted.", overlap)[1]
        == 0.0
    )


def test_slot_swap_learns_kinds_from_the_paper():
    # MESH paper: "Utilizing the SGD optimizer, ..." -> the paper's optimizer is SGD.
    paper = [
        "Utilizing the SGD optimizer, we configured parameters such as learning rate and momentum.",
        "We adopted the mBERT model as our foundational architecture.",
    ]
    slots = slot_index(paper)
    words = frozenset().union(*(facts(t).stems for t in paper))
    adam = facts("The pruned multi-task mBERT was trained with the Adam optimizer.")
    assert slot_swap(adam, words, slots) == 1.0
    sgd = facts("The pruned multi-task mBERT was trained with the SGD optimizer.")
    assert slot_swap(sgd, words, slots) == 0.0
    # A name the paper never uses, in a slot where it names nothing: off topic, not a swap.
    bloom = facts("BLOOM was evaluated with the HELM harness.")
    assert slot_swap(bloom, words, slots) == 0.0
    # Names the registries know are left to the entity checks (a table writes Spanish "QA-es").
    tables = ["Results of the QA-es model and the QA-en model."]
    spanish = facts("On Spanish question answering, the Spanish model was best.")
    words = frozenset().union(*(facts(t).stems for t in tables))
    assert slot_swap(spanish, words, slot_index(tables)) == 0.0


def test_exceptions_contrasts_and_fractions_from_dev_papers():
    # bench/dev papers (Sentri, MNMT, ChatGPT paraphrases), written to tune on.
    every = facts("Self-training improved retrieval for every XOR TyDi language, Russian included.")
    but = facts(
        "Interestingly, self-training improves the results in all the languages, with the "
        "intriguing exception of the Russian language."
    )
    assert negation_mismatch(every, but) == 1.0
    shared = facts(
        "Sentri's retriever shares a single encoder between questions and passages instead of "
        "using two separate models."
    )
    contrary = facts(
        "The architecture that utilizes Single encoder approach for retrieval (Sentri) shares one "
        "encoder for E_q and E_p contrary to bi-encoder which based on two separate encoders."
    )
    assert negation_mismatch(shared, contrary) == 0.0
    quarters = "Direct X-Y light models cut decoding cost by three quarters against pivoting."
    saved = "Our direct X-Y light NMT systems save the decoding cost with 75% against the pivot."
    assert _num(quarters, saved) == (1.0, 0.0)
    odd = (
        "Approximately 5% of the times, the paraphrases created by ChatGPT are odd in their style."
    )
    assert _num("About 15% of ChatGPT's paraphrases were odd in style.", odd) == (0.0, 1.0)


def test_entity_swap_aligned_only():
    from synth.textchecks import entity_checks

    # bench/dev sentri_crosslingual_odqa: the sentence says of Bengali what the claim says
    # of Japanese (both named in the paper): a swap either way.
    claim = facts("For Telugu questions, the second most used passage language is Japanese.")
    bengali = facts("For Telugu the second most used language is Bengali, which is related to it.")
    paper = {"languages": frozenset({"te", "bn", "ja"})}
    assert entity_checks(claim, bengali, paper, aligned_only=True)[0] == 1.0
    # A sentence naming other languages, while the claim's is absent from the paper: a swap for
    # the evidence the checks read, not for another candidate (aligned_only).
    swahili = facts("The model was also evaluated on Swahili.")
    others = facts("We translated the questions into German and Hindi for the test set.")
    assert entity_checks(swahili, others, {})[0] == 1.0
    assert entity_checks(swahili, others, {}, aligned_only=True)[0] == 0.0


def test_negated_inclusion_and_no_matter():
    # bench/heldout3 bigc_bemba_dataset: "(note that Bemba is not included)" negates Bemba.
    bemba = facts(
        "Bemba was one of the 24 African languages that the DeltaLM translation model had been "
        "adapted to before it was fine-tuned on BIG-C."
    )
    note = facts(
        "These models are based on the DeltaLM pre-trained model, which is the adapted through "
        "fine-tuning on 24 African languages (note that Bemba is not included), as well as "
        "English and French."
    )
    assert negation_mismatch(bemba, note) == 1.0
    # bench/heldout afriteva_v2_wura: both negate the same fact, one by its subject.
    left_out = facts("Nigerian Pidgin was not included in AfriTeVa V2's pretraining data.")
    not_on = facts("We note that AfriTeVa V2 was not pretrained on Nigerian Pidgin.")
    assert negation_mismatch(left_out, not_on) == 0.0
    # "no matter whether" negates nothing (bench/heldout2 plm_calibration_close_look).
    claim = facts(
        "Pre-trained language models do not learn to be calibrated during training: their "
        "confidence keeps rising whether their predictions are right or wrong."
    )
    found = facts(
        "We find that PLMs don't learn to become calibrated in training, evidenced by the "
        "continual increase in confidence, no matter whether the predictions are correct or not."
    )
    assert negation_mismatch(claim, found) < 1.0


def test_words_of_absence_negate_like_not():
    # "absent", "lacks", "eliminates the need for" negate what follows, as "not" would.
    absent = facts("The adapter merges every dialect absent from the labelled training data.")
    not_found = facts("We merge all dialects not found in the training data into one class.")
    assert negation_mismatch(absent, not_found) == 0.0
    no_labels = facts("The lexicon needs no manual labelling of the word pairs.")
    eliminated = facts("Linking synonyms eliminates the need for costly manual labelling.")
    assert negation_mismatch(no_labels, eliminated) == 0.0
    # The same words without the claim's negation still conflict.
    needs = facts("The lexicon needs manual labelling of the word pairs.")
    assert negation_mismatch(needs, eliminated) == 1.0
    lacks = facts("The small corpus lacks spoken transcripts.")
    has = facts("The small corpus has spoken transcripts.")
    assert negation_mismatch(has, lacks) == 1.0


def test_a_contrast_names_the_other_side_of_a_comparing_claim():
    # "X rather than Y" in the evidence: a claim setting X against Y ("X over Y") agrees.
    chose = facts("The team picked the small parser over larger parsers to save memory.")
    rather = facts("To save memory we trained the small parser rather than larger parsers.")
    assert negation_mismatch(chose, rather) == 0.0
    instead = facts("Instead of pruning the last layer, we distil the whole encoder.")
    as_well = facts("Distilling the whole encoder works as well as pruning the last layer.")
    assert negation_mismatch(as_well, instead) == 0.0
    # A claim stating only the rejected side is still contradicted.
    only = facts("To save memory the team trained larger parsers.")
    assert negation_mismatch(only, rather) == 1.0
