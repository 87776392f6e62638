"""This session's checks, on sentences of the real papers (shared and bench/dev) and claims
people wrote about them: comparison sides, shares short of all, round figures, one-way direction
words, omission as negation, ranges, and a sentence naming another thing in the claim's slot."""

from __future__ import annotations

from synth.quantchecks import quantifier_conflict
from synth.textchecks import facts, negation_mismatch, numeric_agreement

GAP = "There is a performance gap of approximately 6.15% between English and Turkish."
RESILIENCE = "Surprisingly, mBERT demonstrates a similar resilience to pruning as BERT."


def _num(claim: str, evidence: str) -> tuple[float, float]:
    return numeric_agreement(facts(claim), facts(evidence))


def test_comparison_sides_must_be_named_by_the_evidence():
    """A comparison's sides are the words nearest its comparative; a sentence about two other
    sides ("mBERT vs BERT") does not carry "low-resource languages vs English"."""
    from synth.comparisons import comparison_core, sides_found, sides_missing

    claim = "Pruning attention heads in mBERT hurts low-resource languages much more than English"
    first, second = comparison_core(claim)
    assert {"low-resourc", "low", "resourc"} <= first and second == {"english"}
    assert comparison_core("mBERT is about as resilient to pruning as BERT.") == (
        {"mbert"},
        {"bert"},
    )
    a, b = comparison_core(
        "Removing the contrastive regularization (CACR) hurts more than removing CLISM."
    )
    assert "cacr" in a and "clism" in b
    assert comparison_core("Pruning improves accuracy.") is None  # no second side
    rejected = facts(
        "While it might seem that mBERT, with its reduced dedicated attention capacity for "
        "English, would suffer more from pruning compared to BERT, our findings reveal otherwise."
    )
    core = comparison_core(claim)
    assert not sides_found(core, rejected.stems) and sides_missing(core, rejected.stems) == 0.5
    # ... and 1.0 read with the sentence's own comparison (mBERT against BERT: English is named
    # only in passing)
    assert sides_missing(core, rejected.stems, rejected.text) == 1.0
    mbert_core = comparison_core("mBERT is much less resilient to pruning than BERT.")
    assert sides_found(mbert_core, facts(RESILIENCE).stems)
    assert sides_missing(mbert_core, facts(GAP).stems) == 1.0


def test_every_against_a_share_short_of_all():
    """ "every language" against the BAD-X paper's "a majority of languages ... gains on 8/10"
    (the evidence also says "all three tasks"); "almost entirely" is no universal."""
    majority = facts(
        "As a general trend, we observe that the proposed Balanced BAD-X variant outperforms "
        "MAD-X and MAs over a majority of languages and across all three tasks: besides offering "
        "higher average results, we also report gains on 8/10 (POS; accuracy), 9/10 (DP; UAS), "
        "and 8/10 (NLI; accuracy) target languages."
    )
    every = facts(
        "Balanced BAD-X outperforms MAD-X on every one of the low-resource target languages in "
        "all three tasks."
    )
    assert quantifier_conflict(every, majority) == 1.0
    most = facts("Balanced BAD-X outperforms MAD-X on most target languages in all three tasks.")
    assert quantifier_conflict(most, majority) == 0.0
    russian = facts(
        "Interestingly, self-training improves the results in all the languages, with the "
        "intriguing exception of the Russian language."
    )
    assert (
        quantifier_conflict(facts("Self-training improved retrieval for every language."), russian)
        == 1.0
    )
    assert (
        quantifier_conflict(
            facts("It helped in 10 of 10 languages."), facts("It helped in 10/10 languages.")
        )
        == 0.0
    )
    korean = facts(
        "The highest self-usage percentage is shown by Korean language (almost entirely, 97.6%), "
        "with negligible usage of other languages, except English with 1.4%."
    )
    hedged = facts("Answers to Korean questions are drawn almost entirely from Korean passages.")
    assert quantifier_conflict(hedged, korean) == 0.0


def test_a_round_figure_in_the_paper_is_not_a_rounded_claim():
    """ChatGPT paper: "we set temperature to 1": the claim's 0.7 is no rounding of it, and the
    word before both numbers ("temperature") says they are about the same thing."""
    evidence = (
        "As for the other parameters, we set temperature to 1 (the higher the value the more "
        "randomness in the output), n to 13 (number of returned responses), model to "
        "gpt-3.5-turbo and the presence penalty to 1.5."
    )
    assert _num(
        "ChatGPT was queried with temperature 0.7 and a presence penalty of 1.5.", evidence
    ) == (0.5, 0.5)
    assert _num(
        "ChatGPT was queried with temperature 1 and a presence penalty of 1.5.", evidence
    ) == (1.0, 0.0)
    # A claim may still round the paper's figure.
    assert _num("The gap between English and Turkish is about 6%.", GAP) == (1.0, 0.0)


def test_one_way_direction_words_and_omission_as_negation():
    """Dev papers (Sentri, CLISM): "degrades" against "keeps improving"; "left out of the
    fine-tuning input" against "we append the [QUE] token ... during fine-tuning"."""
    from synth.textchecks import direction_flip

    degrades = facts(
        "We observe that with the number of contexts more than 5 performance of extractive "
        "reader degrades."
    )
    improving = facts(
        "The extractive reader keeps improving as more retrieved contexts are passed to it."
    )
    assert direction_flip(improving, degrades) == 0.5
    assert (
        direction_flip(facts("The extractive reader degrades with more contexts."), degrades) == 0.0
    )
    append = facts(
        "In other words, we append the [QUE] token to the input sequence during fine-tuning."
    )
    left_out = facts(
        "The [QUE] token is used only during pre-training and is left out of the fine-tuning input."
    )
    assert negation_mismatch(left_out, append) == 1.0
    assert (
        negation_mismatch(facts("The [QUE] token is appended to the fine-tuning input."), append)
        == 0.0
    )


def test_a_range_hyphen_is_no_minus_sign():
    """CLISM (dev): "an absolute lead of 5%-15% on F1" bears out "5 to 15 F1 points"."""
    lead = "In the early stage of training, ours maintains an absolute lead of 5%-15% on F1 score over XLM-R."
    assert [n.value for n in facts(lead).numbers] == [5.0, 15.0]
    assert _num("The pre-trained model stays 5 to 15 F1 points ahead of XLM-R.", lead) == (1.0, 0.0)
    assert [n.value for n in facts("The loss moved from 3 to -2 after pruning.").numbers] == [
        3.0,
        -2.0,
    ]


def test_a_sentence_naming_another_thing_in_the_claims_slot():
    """BAD-X and Sentri (dev papers): the sentence that states the claim's figure or words names
    another language where the claim names one; a name in the claim that the sentence shares
    is no swap."""
    from synth.namechecks import local_swap

    wixarika = facts("The highest improvement of 6.67% is observed for Wixarika.")
    aymara = facts(
        "The largest NLI improvement of BAD-X over MAD-X, 6.67 points, is observed for Aymara."
    )
    assert local_swap(aymara, wixarika) == 1.0
    assert (
        local_swap(facts("The highest improvement, 6.67%, is observed for Wixarika."), wixarika)
        == 0.0
    )
    bengali = facts("For Telugu the second most used language is Bengali, which is related to it.")
    japanese = facts("For Telugu questions, the second most used passage language is Japanese.")
    assert local_swap(japanese, bengali) == 1.0
    assert (
        local_swap(
            facts("For Telugu questions, the second most used language is Bengali."), bengali
        )
        == 0.0
    )


def test_comparison_flip_reads_the_way_and_the_sides():
    """Sentences of bench/dev: the same two sides compared the other way, or swapped sides with
    the same way ("harder" = "more challenging", "outperforms" = "superior to"); a bound ("more
    than a quarter") and a comparison of two other things ("mBERT vs BERT") are no flip."""
    from synth.comparisons import comparison_flip

    headlines = (
        "Moreover, short headlines are more challenging to classify than long articles, as the "
        "latter provide more context and greater token variation."
    )
    assert (
        comparison_flip(
            "Long news articles are harder to classify than short headlines.", headlines
        )
        == 1.0
    )
    assert (
        comparison_flip("Short headlines are harder to classify than long articles.", headlines)
        == 0.0
    )
    superior = (
        "We observe that the single encoder approach superior to the Bi-Encoder in terms of "
        "memory efficiency and overall performance."
    )
    assert (
        comparison_flip(
            "At equal size, the bi-encoder retriever outperforms the single shared encoder.",
            superior,
        )
        == 1.0
    )
    short = "The multilingual adapter falls short of MAD-X on all three tasks."
    assert comparison_flip("The multilingual adapter outperforms MAD-X.", short) == 1.0
    lag = "Multilingual adapters lag behind MAD-X and BAD-X as they aim to fit too many languages."
    assert comparison_flip("The multilingual adapter outperforms MAD-X.", lag) == 1.0
    assert comparison_flip("The multilingual adapter underperforms MAD-X.", lag) == 0.0
    longer = "ChatGPT-generated samples are on average longer than those collected from humans."
    # the subject is named by both, the other side in other words: a loose flip
    assert (
        comparison_flip(
            "ChatGPT's paraphrases are on average shorter than the crowdsourced ones.", longer
        )
        == 0.5
    )
    assert (
        comparison_flip(
            "mBERT is much less resilient to pruning than BERT.",
            "mBERT is not less resilient to pruning than BERT.",
        )
        == 1.0
    )
    bound = (
        "Authors submitting more than one paper must ensure that submissions do not overlap "
        "significantly (>25%) with each other in content or results."
    )
    assert (
        comparison_flip(
            "Two submissions may not share more than a quarter of their content.", bound
        )
        == 0.0
    )
    rejected = (
        "While it might seem that mBERT would suffer more from pruning compared to BERT, our "
        "findings reveal otherwise."
    )
    walk = "Pruning attention heads in mBERT hurts low-resource languages much more than English"
    assert comparison_flip(walk, rejected) == 0.0
    # lower is better for errors: "better" and "higher" part ways there
    assert (
        comparison_flip("XLM-R gets a better WER than mBERT.", "XLM-R has a higher WER than mBERT.")
        == 0.0
    )
    assert (
        comparison_flip(
            "XLM-R gets a better accuracy than mBERT.", "XLM-R has a lower accuracy than mBERT."
        )
        == 1.0
    )


def test_direction_words_beyond_the_flipping_pairs():
    """Opposites the labelled-set builder does not flip with ("poorer", "high"/"low"), whole
    hyphenated words ("low-resource" states no direction), and negative prefixes beside the same
    word ("seen"/"unseen languages"; not "limited to four pages" / "unlimited pages")."""
    from synth.textchecks import direction_flip

    combined = (
        "Combining short and long texts during training yields poorer performance than using "
        "either short or long texts alone."
    )
    claim = "Combining short and long texts for training gave better results than either alone."
    assert direction_flip(facts(claim), facts(combined)) == 1.0
    low = "Even more, the BERT-APE model achieves a particularly low F0.5 score."
    assert direction_flip(facts("BERT-APE scores a high F0.5 on ACED."), facts(low)) == 1.0
    tasks = facts("We evaluate BAD-X on three tasks with low-resource target languages.")
    assert direction_flip(facts("Bilingual adapters came out ahead of MAD-X on POS."), tasks) == 0.0
    assert (
        direction_flip(
            facts("It works for unseen languages."), facts("It works for seen languages.")
        )
        == 1.0
    )
    pages = facts("Short papers will be given five pages and unlimited pages for references.")
    assert direction_flip(facts("Short papers are limited to four pages of content."), pages) == 0.0


def test_negation_reaches_alternatives_and_word_parts():
    """ "without the need for architecture change or extra data collection" negates the data
    collection too; "exclude the translator" meets "translation"; "intent-adhering" names
    "intent"."""
    extra = facts(
        "We demonstrate that our systems outperform the baselines, averagely giving +6.0 BLEU, "
        "without the need for architecture change or extra data collection."
    )
    assert (
        negation_mismatch(facts("Beating the baselines required extra training data."), extra)
        == 1.0
    )
    fid = facts(
        "We use the FiD model as a reader since it allows us to exclude the translator from a "
        "pipeline."
    )
    assert negation_mismatch(facts("The reader needs a machine translation step."), fid) == 1.0
    assert negation_mismatch(facts("The reader works without a translation step."), fid) == 0.0


def test_entity_said_of_another_in_an_aligned_sentence():
    """A sentence saying what the claim says, of another language of the paper ("Bengali" where
    the claim says "Japanese"), is a swap even though the paper names both."""
    from synth.textchecks import entity_checks

    bengali = facts("For Telugu the second most used language is Bengali, which is related to it.")
    claim = facts("For Telugu questions, the second most used passage language is Japanese.")
    paper = {"languages": frozenset({"te", "bn", "ja"})}
    assert entity_checks(claim, bengali, paper)[0] == 1.0
    same = facts("For Telugu questions, the second most used passage language is Bengali.")
    assert entity_checks(same, bengali, paper)[0] == 0.0
    # a sentence about another topic that names another language is no swap
    other = facts("Japanese questions are answered from Wikipedia passages in many languages.")
    assert entity_checks(claim, other, paper)[0] == 0.0


def test_every_but_and_split_are_shares_short_of_all():
    split = facts(
        "The faux-COMET results show a split, where GPT-3.5 has the highest scores for both "
        "to-English pairs but TI passes it for en-de and en-es."
    )
    every = facts("On MultiLexNorm, GPT-3.5 has the best faux-COMET for every language pair.")
    assert quantifier_conflict(every, split) == 1.0
    but = facts("Both beat GPT-3.5's slope for every noise type but character deletion.")
    exceptdrop = facts(
        "Both report flatter COMET-slopes than GPT-3.5 for all noise types except drop."
    )
    assert quantifier_conflict(but, exceptdrop) == 0.0


def test_values_said_of_swapped_names():
    """ "0.45 COMET for OPUS and 0.58 for TowerInstruct" against the MT-noise paper's "OPUS
    declines 0.58 COMET, versus only 0.45 for TI": the same numbers, said of other names."""
    from synth.namechecks import binding_swap, local_swap, number_names

    paper = facts(
        "However, these degradations are small, and become smaller as the base model gets "
        "larger: corrected OPUS declines 0.58 COMET, versus only 0.45 for TI."
    )
    assert number_names(paper.text) == {"0.58": "opus", "0.45": "ti"}
    swapped = facts("The clean-data cost of correction is 0.45 COMET for OPUS and 0.58 for TI.")
    assert binding_swap(swapped, paper) == 1.0 and local_swap(swapped, paper) == 1.0
    right = facts("The clean-data cost of correction is 0.58 COMET for OPUS and 0.45 for TI.")
    assert binding_swap(right, paper) == 0.0
    # digits of names and references are no measured values
    gemma = facts("Among the local LLMs (Tables 6-9), Gemma 2 9B is the top competitor.")
    assert number_names(gemma.text) == {}


def test_shares_stated_as_counts():
    """ "331 samples out of 1950" is about 17 %, "four out of five" about 79 %, "one in ten" an
    upper bound on 9 %; a share in words ("roughly a fifth") is coarse."""
    taboo = (
        "ChatGPT ignored these instructions for 331 samples out of 1950, where 6 taboo words "
        "were given."
    )
    assert _num("ChatGPT broke the taboo rule in about 17% of its samples.", taboo) == (1.0, 0.0)
    assert _num("ChatGPT broke the taboo rule in about 27% of its samples.", taboo)[0] == 0.0
    study = "In the user study, 79% of TEC suggestions were accepted."
    assert _num("Reviewers accepted nearly four out of five TEC suggestions.", study) == (1.0, 0.0)
    few = "They found that 9% of samples had minor discrepancies."
    assert _num("They found minor discrepancies in fewer than one in ten samples.", few)[0] == 1.0
    mtnt = "Indeed, 21.8% of MTNT examples improve with correction."
    assert _num("On MTNT, roughly a fifth of examples improve with correction.", mtnt) == (1.0, 0.0)


def test_harm_and_outcome_words():
    """ "hurts more than" says the first side fares worse (tables and sentences alike); a
    negated good outcome ("didn't provide good results") meets the claim's "improved"; a bound
    ("more than five million people") is no comparison of two other things."""
    from synth.comparisons import comparison_flip, sides_missing
    from synth.tablechecks import comparison_sides

    claim = "Removing the contrastive regularization (CACR) hurts more than removing CLISM."
    assert comparison_sides(claim)[2] == -1
    assert comparison_flip(claim, "Removing CLISM hurts more than removing CACR.") == 1.0
    assert comparison_flip(claim, "Removing CACR is better than removing CLISM.") == 1.0
    assert comparison_flip(claim, "Removing CACR is worse than removing CLISM.") == 0.0
    good = facts(
        "We will notice in the results section that this collection and generation of new "
        "dataset didn't provide good results."
    )
    improved = facts("Adding hate speech data clearly improved the binary PCL classifier.")
    assert negation_mismatch(improved, good) == 1.0
    wolof = facts(
        "The gain is particularly high for Wolof, a West-African language spoken by more than "
        "five million people, with ~9% improvement."
    )
    core = (frozenset({"bad-x", "wolof"}), frozenset({"mad-x"}))
    assert sides_missing(core, wolof.stems, wolof.text) == 0.5


def test_a_difference_is_no_level():
    """ "higher by roughly 6 points" says nothing of the level "66.21%", but conflicts with
    another difference ("a gap of approximately 6.15%" against "by roughly 9 points"), and a
    gain worded as a level ("gains on average 1.06%") still meets "by 2.4 points"."""
    by6 = "English test accuracy was higher than Turkish test accuracy by roughly 6 points."
    assert _num(by6, "Turkish (Target): Test Set Accuracy 66.21%.") == (0.0, 0.0)
    by9 = by6.replace("6 points", "9 points")
    assert _num(by9, GAP) == (0.0, 1.0)
    gains = "In particular, BAD-X gains on average 1.06% in accuracy compared to MAD-X on POS."
    assert _num("On POS, BAD-X improves accuracy over MAD-X by 2.4 points.", gains)[1] == 1.0


def test_long_comparisons_are_read_from_their_degree_word():
    """The comparative a "than" closes may stand many words before it ("less resilient to
    attention head pruning than"): the first side is read before the degree word, the measure
    after it, and the degree cue ("differ") is set however long the phrase between them."""
    from synth.comparisons import comparison_core, comparison_flip
    from synth.quantchecks import degree_conflict

    long_claim = "mBERT is less resilient to attention head pruning than BERT."
    short_claim = "mBERT is less resilient to pruning than BERT."
    assert comparison_core(long_claim) == comparison_core(short_claim) == ({"mbert"}, {"bert"})
    # the shared paper's sentence states equivalence: both lengths meet it as a degree conflict
    for claim in (long_claim, short_claim, "mBERT is much less robust to structured pruning of "
                  "its attention heads in the middle layers than BERT."):  # fmt: skip
        assert degree_conflict(facts(claim), facts(RESILIENCE)) == 1.0, claim
    # the opposite comparative with the same sides is a flip, whatever the phrase's length
    more = "mBERT is more resilient to pruning than BERT."
    assert comparison_flip(long_claim, more) == 1.0
    assert comparison_flip(long_claim, "mBERT is less resilient to pruning than BERT.") == 0.0
    # "suffers more from pruning than": the first side fares worse ("suffer" is no comparative)
    better = "mBERT does better under pruning than BERT."
    assert comparison_flip("mBERT suffers more from head pruning than BERT.", better) == 1.0


def test_harm_verbs_and_conditions_set_the_sides_and_the_way():
    """ "A hurts X much more than Y": X fares worse, read through the verb's object; "faster
    when A than when B" compares the two conditions; "rather than" and nouns ending in -er
    ("encoder") are no degree words; "we show that X ..." starts the side after "that"."""
    from synth.comparisons import comparison_core, comparison_flip
    from synth.quantchecks import cues

    claim = "Pruning attention heads in mBERT hurts low-resource languages much more than English"
    assert comparison_flip(claim, "Pruning hurts English much more than low-resource languages.")
    assert comparison_flip(claim, "Low-resource languages do better after pruning than English.")
    assert not comparison_flip(claim, "Low-resource languages do worse after pruning than English.")
    first, second = comparison_core(
        "Reviewers were significantly faster per character when TEC suggestions were shown "
        "than when they were hidden."
    )
    assert {"tec", "suggestion", "shown"} <= first and "hidden" in second
    # the dev paper's sentence: the side is "large pretrained models", not "we show"
    first, _ = comparison_core(
        "We show (§3) that large pretrained models are much more robust to synthetic errors than "
        "conventional NMT models (see Figure 1), even when they perform similarly on clean data."
    )
    assert first == {"larg", "pretrain"}
    assert "differ" not in cues("The best run came from data rather than hyperparameters.")
    assert "differ" not in cues("We train the encoder on English data and test it on Turkish.")
    assert "differ" in cues(
        "We replicate their process using ChatGPT and show that ChatGPT generated data are more "
        "diverse both in terms of lexical and syntactical diversity than those created by humans."
    )


def test_a_fronted_second_side_is_read_with_the_main_clause():
    """ "Compared to Y, X is <comparative>": Y is the second side, X the main clause's subject
    (the dev paper's "Compared to ChatGPT, ... the Falcon collected data was of considerably
    lower quality"); a generic fronted side ("Compared to this,") compares nothing named."""
    from synth.comparisons import comparison_core, comparison_flip

    falcon = (
        "Compared to ChatGPT, where we detected no paraphrases that had altered meaning, the "
        "Falcon collected data was of considerably lower quality."
    )
    first, second = comparison_core(falcon)
    assert "falcon" in first and second == {"chatgpt"}
    assert comparison_flip("The Falcon data had higher quality than the ChatGPT data.", falcon)
    assert not comparison_flip("The Falcon data had lower quality than the ChatGPT data.", falcon)
    fronted = "Compared to BERT, mBERT is more resilient to pruning."
    assert comparison_core(fronted) == ({"mbert"}, {"bert"})
    assert comparison_flip("mBERT is less resilient to pruning than BERT.", fronted) == 1.0
    assert (
        comparison_core(
            "Compared to this, the ChatGPT prompt mode data features 1218 unique words, which "
            "is a 28.75% increase in vocabulary size."
        )
        is None
    )


def test_versions_and_dotted_names_stay_whole_on_a_side():
    """A name's version number is part of the side ("Gemma 2" and "Gemma 1" are two sides) and
    a dotted size split by the tokenizer ("Qwen-0.5B") is one name again; a version takes none
    of a side's three words, while a hyphenated word's parts still count as words."""
    from synth.comparisons import comparison_core, comparison_flip, sides_missing
    from synth.textchecks import facts

    claim = "Gemma 2 is more robust to typos than Gemma 1."
    first, second = comparison_core(claim)
    assert "gemma 2" in first and "gemma 1" in second and "gemma 1" not in first
    evidence = "On noisy input, Gemma 1 is more robust to typos than Gemma 2."
    assert comparison_flip(claim, evidence) == 1.0
    assert comparison_flip(claim, "Gemma 2 is more robust to typos than Gemma 1 is.") == 0.0
    # the version is named by the name and the number
    assert sides_missing((first, second), facts(evidence).stems) == 0.0
    assert sides_missing((first, second), facts("Gemma gains more with extra data.").stems) > 0
    a, b = comparison_core("Qwen-0.5B is more fluent than Phi-2 on the dialogue set.")
    assert "qwen-0.5b" in a and b >= {"phi-2"}
    # "Mixtral 8" keeps its version and leaves room for two more words of the side
    a, _ = comparison_core("The Mixtral 8 sparse router is faster than a dense one.")
    assert {"mixtral", "mixtral 8", "spars", "router"} <= a
    # a hyphenated word nearest the comparative fills the side with its stem and its parts
    _, b = comparison_core("A CNN is better than pre-trained multilingual encoders.")
    assert b == {"pre-train", "pre", "train"}
