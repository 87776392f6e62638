"""Entity swaps read by who holds a scale's end (holder_swap) and by what the paper puts to use
for the claim's purpose (rival_use), with sentences of a made-up paper."""

from __future__ import annotations

from synth.records import Sentence
from synth.rival_use import paper_rival_use, rival_use
from synth.superlatives import holder_swap


def test_holder_swap_another_name_at_the_claims_end():
    ev = "Among all systems, QuickNet-3 leads across all retrieval metrics on the news split."
    claim = "ZetaLM-2 led all systems on every retrieval metric on the news split."
    assert holder_swap(claim, ev) == 1.0
    ev = "ParseX-4 and TagLM-2 have the largest vocabulary overlap (41.2%)."
    claim = "Of the tokenizers, TagLM-2 and ByteLM-1 have the largest vocabulary overlap."
    assert holder_swap(claim, ev) == 1.0
    # Either way round a copula.
    ev = "The best detector of omissions is AttnScore-2, which reads token contributions."
    assert holder_swap("SimEmb-3 is the strongest detector of omissions.", ev) == 1.0


def test_holder_swap_none_for_the_same_holder_or_no_end():
    ev = "Among all systems, QuickNet-3 leads across all retrieval metrics on the news split."
    assert holder_swap("QuickNet-3 led all systems on every retrieval metric.", ev) == 0.0
    ev = "QuickNet-3 reaches higher recall than ZetaLM-2 on the news split."
    assert holder_swap("ZetaLM-2 reached the highest recall on the news split.", ev) == 0.0


def test_holder_swap_none_when_the_end_is_shared_or_compared():
    claim = "ZetaLM-2 reached the highest recall on the news split."
    # one of several at the top
    ev = "QuickNet-3 is one of the best systems on the news split."
    assert holder_swap(claim, ev) == 0.0
    # examples of the top, or a clause that compares (an end said of a comparison's gain)
    ev = "Top systems such as QuickNet-3 and FastRank-1 reach similar recall on the news split."
    assert holder_swap(claim, ev) == 0.0
    ev = "QuickNet-3 beats FastRank-1 by the largest recall margin on the news split."
    assert holder_swap(claim, ev) == 0.0
    # A clause of its own that says who leads is no comparison: it names the holder.
    ev = "QuickNet-3 has the highest recall on the news split, ahead of FastRank-1."
    assert holder_swap(claim, ev) == 1.0


def test_holder_swap_none_when_the_claims_holder_holds_the_end_elsewhere():
    # The swapped name is a condition (a benchmark), the claim's holder is borne out.
    claim = "ZetaLM-2 scored highest on NewsBench-5, at 61.1%."
    ev = (
        "The highest scoring open model is QuickNet-3 (63.0%), while ZetaLM-2 is the best "
        "compact model (61.1%)."
    )
    assert holder_swap(claim, ev) == 0.0


PAPER = [
    "We adopt TextSimp-2 as the simplification model of our pipeline, trained with rewards.",
    "We apply RankSel-1 as the selection model, a lightweight unsupervised extractor.",
    "Results are reported with BLEU and SARI on the held-out articles.",
]


def test_rival_use_another_thing_put_to_use_for_the_claims_purpose():
    # The paper names RankSel-1, but for selection: the simplification model is TextSimp-2.
    claim = "The simplification model of the pipeline is implemented with RankSel-1."
    found = rival_use(claim, PAPER)
    assert found is not None and found[:2] == ("RankSel-1", "TextSimp-2")


def test_rival_use_none_when_the_claims_thing_is_said_of_as_much():
    assert rival_use("The selection model is implemented with RankSel-1.", PAPER) is None
    claim = "The simplification model of the pipeline is implemented with TextSimp-2."
    assert rival_use(claim, PAPER) is None


def test_rival_use_none_without_a_use_a_shared_purpose_or_a_thing_of_the_kind():
    # Named, not put to use.
    assert (
        rival_use("RankSel-1 outperforms the simplification model of the pipeline.", PAPER) is None
    )
    # Put to use for something no sentence of the paper speaks of.
    assert rival_use("The evaluation uses the METEOR metric.", PAPER) is None
    # A language put to use is no model.
    claim = "The simplification model of the pipeline is trained with German data."
    assert rival_use(claim, PAPER) is None


def test_paper_rival_use_reads_the_papers_sentences():
    body = [Sentence(paper_id="p", page=1, section="", text=t) for t in PAPER]
    claim = "The simplification model of the pipeline is implemented with RankSel-1."
    assert paper_rival_use(claim, body) == 1.0
    assert paper_rival_use("The pipeline has two stages.", body) == 0.0


# A paper whose tools are named with plain capitalised words ("Bertalign").
TOOLS = [
    "Unlike other corpora, which use an aligner supporting European languages only, we align "
    "the subtitle lines with the transcript sentences using Bertalign (Liu and Zhu, 2023).",
    "Results are reported with SubER on the held-out talks.",
]


def test_rival_use_plain_capitalised_tool_names():
    # "Gentle" and "Bertalign" are plain capitalised words: names where they stand.
    claim = "Transcript sentences were matched to subtitle lines with the Gentle forced aligner."
    found = rival_use(claim, TOOLS)
    assert found is not None and found[:2] == ("Gentle", "Bertalign")


def test_rival_use_no_plain_word_qualifying_the_next():
    # "European languages": a plain capitalised word before a lower-case one qualifies it.
    paper = ["To match subtitle lines with transcript sentences, we use European aligners."]
    claim = "Transcript sentences were matched to subtitle lines with the Gentle forced aligner."
    assert rival_use(claim, paper) is None


def test_rival_use_no_eponym_put_to_use():
    # "Krippendorff's alpha" names a measure after a person, not a tool.
    paper = ["Agreement on the subtitle lines was measured using Fleiss, a standard package."]
    claim = "Agreement on the subtitle lines was measured with Krippendorff's alpha."
    assert rival_use(claim, paper) is None
    claim = "Agreement on the subtitle lines was measured with Krippendorff."
    found = rival_use(claim, paper)
    assert found is not None and found[:2] == ("Krippendorff", "Fleiss")


def test_rival_use_tools_written_in_lower_case():
    paper = [
        "We use the MaChAmp toolkit (van der Goot et al., 2021) with default hyperparameter "
        "settings to fine-tune the word-level language taggers.",
        "Each line is assigned a language using CLD3 (Salcianu et al., 2018).",
    ]
    claim = "The word-level language taggers were fine-tuned with the fairseq toolkit."
    found = rival_use(claim, paper)
    assert found is not None and found[:2] == ("fairseq", "MaChAmp")
    claim = "The language of each line was identified with langid.py."
    found = rival_use(claim, paper)
    assert found is not None and found[:2] == ("langid.py", "CLD3")
    # The claim's own tool, said in the paper: no swap.
    assert rival_use(claim, [*paper, "Each line is assigned a language with langid.py."]) is None


def test_rival_use_no_describing_word_read_as_a_tool():
    paper = ["We fine-tune the word-level language taggers using the MaChAmp toolkit."]
    for claim in (
        "The word-level language taggers were fine-tuned with the same toolkit.",
        "The word-level language taggers were fine-tuned with a statistical package.",
        "The word-level language taggers were fine-tuned with an evaluation toolkit.",
    ):
        assert rival_use(claim, paper) is None
