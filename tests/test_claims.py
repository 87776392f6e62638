"""Claim extraction: numbers, entities, types, scores, whole sentences, merging."""

from __future__ import annotations

import pytest

from synth.claim_outline import outline_kinds
from synth.claim_units import is_whole_in_context, paper_units
from synth.claims import (
    ClaimSettings,
    classify_claim,
    extract_claims,
    is_whole_sentence,
    library_claims,
    merge_near_duplicates,
    paper_budget,
    parse_numbers,
    score_claim,
    score_parts,
    section_kind,
    tag_entities,
    within_budget,
)
from synth.library import Library
from synth.records import Claim, Paper, Passage, Sentence


def test_parse_numbers_units_lists_and_metrics():
    nums = parse_numbers(
        "Intermediate training on SQuAD, MNLI and HellaSwag improves BUCC by 8.2, 7.5, and 7.0 points."
    )
    assert [n.value for n in nums] == [8.2, 7.5, 7.0]
    assert all(n.unit == "points" for n in nums)
    nums = parse_numbers("It reaches 85.3% accuracy on XNLI but 71.2% in Turkish (Table 3).")
    assert [(n.value, n.unit, n.metric) for n in nums] == [
        (85.3, "%", "accuracy"),
        (71.2, "%", "accuracy"),
    ]
    assert [n.value for n in parse_numbers("Accuracy drops by −6.1 points.")] == [-6.1]


def test_parse_numbers_skips_names_years_and_references():
    text = "GPT-2 on an L4 GPU (Smith et al., 2020) gets F1 of 0.61, see Figure 2 and Section 4.1."
    nums = parse_numbers(text)
    assert [(n.value, n.metric) for n in nums] == [(0.61, "F1")]
    counts = parse_numbers("mBERT improves by +2.3 F1 over 40 languages.")
    assert counts[0].value == 2.3 and counts[0].metric == "F1"
    assert counts[1].value == 40 and counts[1].metric is None


def test_tag_entities_registries():
    ents = tag_entities(
        "XLM-R Large beats mBERT on XNLI, PAWS-X and WikiANN in XTREME-R for Swahili and Quechua."
    )
    assert ents["models"] == ("XLM-R Large", "mBERT")
    assert ents["tasks"] == ("XNLI", "PAWS-X", "PAN-X")
    assert "XTREME-R" in ents["datasets"] and "XNLI" in ents["datasets"]
    assert ents["languages"] == ("sw", "qu")
    assert tag_entities("Results for en-tr and de, fr, sw pairs.")["languages"] == (
        "en",
        "tr",
        "de",
        "fr",
        "sw",
    )
    # Ambiguous codes ("it", "de") are not languages in running English text.
    assert tag_entities("We show it works, as de Souza noted.")["languages"] == ()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("We propose a simple head-pruning method for multi-task learning.", "contribution"),
        ("XLM-R outperforms mBERT on XNLI by 5 points.", "comparison"),
        ("The model achieved 85% accuracy on the English test set.", "result"),
        ("We use the pretrained XLM-R Large model as a starting point.", "method"),
    ],
)
def test_classify_claim(text, kind):
    assert classify_claim(text) == kind


def test_score_prefers_findings_over_background():
    finding = "XLM-R outperforms mBERT on XNLI by 5.2 accuracy points."
    background = "Neural models are used for a variety of problems in language and vision."
    assert score_claim(finding, "Results") > 0.9
    # Background sits well under the line a claim must reach.
    assert score_claim(background, "Introduction") < 0.4  # the hand weights' line is 0.5
    # Voice alone does not outrank a measured outcome: "we use X" is procedure, not a finding.
    procedure = "We use the XLM-R model in all experiments."
    assert score_claim(procedure, "Experiments") < score_claim(finding, "Experiments")
    assert score_parts(finding, "Results")["measured"] > 0
    assert score_claim(finding + "?", "Results") < score_claim(finding, "Results")


def test_whole_sentences_only():
    assert is_whole_sentence("We see large gains on BUCC.")
    assert not is_whole_sentence("We see large gains on BUCC and Tatoeba sentence retrieval tas")
    assert not is_whole_sentence("of the model improves by 3 points.")


def _library_with(tmp_path, sentences: list[tuple[str, str, int]]) -> Library:
    lib = Library(tmp_path / "lib")
    paper = Paper(paper_id="pdf:abc", title="T", sha256="abc", pages=3)
    passages = [Passage(paper_id="pdf:abc", seq=0, page=1, section="Abstract", text="x")]
    sents = [
        Sentence(paper_id="pdf:abc", page=page, section=sec, text=text, passage_id=0)
        for text, sec, page in sentences
    ]
    lib.add_paper(paper, passages, sents)
    return lib


def test_extract_claims_merges_restatements_and_keeps_sources(tmp_path):
    lib = _library_with(
        tmp_path,
        [
            ("Our model improves XNLI accuracy by 3.1 points over XLM-R.", "Abstract", 1),
            ("This paper is organised as follows.", "Introduction", 1),
            ("Our model improves the XNLI accuracy by 3.1 points over XLM-R.", "5 Results", 3),
            ("Our model improves PAWS-X accuracy by 1.2 points over XLM-R.", "5 Results", 3),
            ("Smith et al. (2019) describe the", "5 Results", 3),
            ("We thank the reviewers for their comments and suggestions.", "Acknowledgments", 3),
        ],
    )
    claims = extract_claims(lib)
    texts = [c.text for c in claims]
    assert len(claims) == 2, texts
    xnli = next(c for c in claims if "XNLI" in c.text)
    assert set(xnli.sources) == {("pdf:abc", 1), ("pdf:abc", 3)}
    assert all(c.numbers and c.type in ("comparison", "result") for c in claims)


def test_merge_never_merges_different_numbers():
    a = Claim(claim_id="a", text="A gains 3 points.", score=0.9, numbers=parse_numbers("3 points"))
    b = Claim(claim_id="b", text="A gains 4 points.", score=0.8, numbers=parse_numbers("4 points"))
    merged = merge_near_duplicates([a, b], [[1.0, 0.0], [1.0, 0.0]], 0.9)
    assert len(merged) == 2


# --- sections, units, merging --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "kind", "expected"),
    [
        ("Abstract", "abstract", "abstract"),
        ("7.6 Abstract", "abstract", "other"),  # a style guide's section about abstracts
        ("3.3 Evaluation Metrics", "body", "method"),
        ("3.3 Evaluation Method", "body", "method"),
        ("4 Training & Evaluation Methodologies", "body", "method"),
        ("4 Evaluation", "body", "results"),
        ("4. Quantitative Results", "body", "results"),
        ("5. Qualitative Results and Linguistic Analysis", "body", "results"),
        ("II. Related Works", "body", "related"),
        ("V. Conclusion and Future Scope", "body", "conclusion"),
        ("Acknowledgements", "body", "excluded"),
        ("7 References", "body", "excluded"),
        # "Preference" holds "reference": a results section, not the references
        ("4.2 Human Preference Study", "body", "other"),
        ("goal", "body", "aims"),
    ],
)
def test_section_kind(title, kind, expected):
    assert section_kind(title, kind) == expected


def test_whole_in_context():
    assert is_whole_in_context("this way, we have three extensions.", "We use beam search.")
    # A lower-case start after a sentence left open is the rest of that sentence.
    assert not is_whole_in_context("significantly after epoch 3.", "validation loss spiked")
    assert not is_whole_in_context("the model improves.", "as shown by Smith et al.")
    assert is_whole_in_context("We tried two ways to balance it:", None, introduces_list=True)
    assert not is_whole_in_context("We tried two ways to balance it:", None)


def _paper(tmp_path, passages: list[tuple[str, str]]) -> Library:
    """A one-paper library whose passages (section, text) are each one sentence."""
    lib = Library(tmp_path / "lib")
    paper = Paper(paper_id="pdf:units", title="T", sha256="units", pages=1)
    ps, ss = [], []
    for i, (section, text) in enumerate(passages):
        ps.append(Passage(paper_id="pdf:units", seq=i, page=1, section=section, text=text))
        ss.append(Sentence(paper_id="pdf:units", page=1, section=section, text=text, passage_id=i))
    lib.add_paper(paper, ps, ss)
    return lib


def test_units_lists_and_continuations(tmp_path):
    lib = _paper(
        tmp_path,
        [
            ("4 Results", "Validation loss spiked significantly after the second epoch and"),
            ("4 Results", "accuracy dropped by 3 points on the Turkish test set."),
            ("4 Results", "• results"),
            ("4 Results", "– best results for RSA decoding"),
            ("4 Results", "– no big differences between other strategies"),
        ],
    )
    with lib:
        passages = {p.passage_id: p for p in lib.passages("pdf:units")}
        units = list(paper_units(lib.sentences(paper_id="pdf:units"), passages))
        claims = extract_claims(lib)
    whole = {u.text: u.whole for u in units}
    assert not whole["Validation loss spiked significantly after the second epoch and"]
    assert not whole["accuracy dropped by 3 points on the Turkish test set."]  # a continuation
    assert whole["best results for RSA decoding"] and "results" not in whole  # lead-in, no unit
    assert [c.text for c in claims] == [
        "best results for RSA decoding",
        "no big differences between other strategies",
    ]


def test_score_parts_name_their_reasons():
    parts = score_parts(
        "We present our methodology, experimental setup and results.", "Introduction"
    )
    assert (
        parts["roadmap"] < 0
        and score_claim(
            "We present our methodology, experimental setup and results.", "Introduction"
        )
        < 0.2
    )
    own = score_parts(
        "Our approach differs from Smith et al. (2020) in that we prune heads.", "Related Work"
    )
    assert "first_person" in own and "cited" not in own and "section:other" in own
    others = score_parts("Smith et al. (2020) prune heads to improve speed by 2x.", "Related Work")
    assert (
        "cited" in others
        and score_claim("Smith et al. (2020) prune heads to improve speed by 2x.", "Related Work")
        < 0.25
    )
    quoted = score_parts("The suffix marks negation, as in gitmedim (“I did not go”).", "Analysis")
    assert "first_person" not in quoted


def test_merge_needs_shared_words():
    a = Claim(claim_id="a", text="In this paper, we set up a multilingual test bed.", score=0.9)
    b = Claim(claim_id="b", text="This work implements a framework for meta-learning.", score=0.8)
    vecs = [[1.0, 0.0], [0.99, 0.141]]
    assert len(merge_near_duplicates([a, b], vecs, 0.9, min_overlap=0.5)) == 2
    assert len(merge_near_duplicates([a, b], vecs, 0.9, min_overlap=0.0)) == 1


def _units_of_one_passage(tmp_path, section: str, parts: list[str]) -> list:
    """The units of a paper with one passage that the splitter left in ``parts``."""
    lib = Library(tmp_path / "lib")
    passage = Passage(paper_id="pdf:one", seq=0, page=1, section=section, text=" ".join(parts))
    sents = [
        Sentence(paper_id="pdf:one", page=1, section=section, text=t, passage_id=0) for t in parts
    ]
    lib.add_paper(Paper(paper_id="pdf:one", title="T", sha256="one", pages=1), [passage], sents)
    with lib:
        passages = {p.passage_id: p for p in lib.passages("pdf:one")}
        return list(paper_units(lib.sentences(paper_id="pdf:one"), passages))


def test_units_read_on_over_a_broken_split(tmp_path):
    # pysbd splits "The reasons are 1) ... and 2) ..." into three pieces: one sentence again.
    parts = ["We use greedy search.", "The reasons are", "1) compute limits and",
             "2) a cleaner comparison."]  # fmt: skip
    units = _units_of_one_passage(tmp_path, "3 Method", parts)
    assert [(u.text, u.whole) for u in units] == [
        ("We use greedy search.", True),
        ("The reasons are 1) compute limits and 2) a cleaner comparison.", True),
    ]


def test_numbers_in_names_and_citations_are_not_stated_numbers():
    nums = parse_numbers("BERT [7] reaches 85.1 F1 on SQuAD 2.0, as prior work [3, 12] found.")
    assert [(n.value, n.metric) for n in nums] == [(85.1, "F1")]
    assert [n.value for n in parse_numbers("Llama 2 gains 2.5 points with GPT-4 labels.")] == [2.5]
    # A year-like number that counts something is a number; a year in a citation is not.
    assert [(n.value, n.metric) for n in parse_numbers("It gave 1950 samples (Lin, 2014).")] == [
        (1950.0, None)
    ]


def test_a_reason_for_a_choice_is_not_an_outcome():
    text = (
        "We use the pretrained XLM-R Large model as a starting point for all our experiments, "
        "as it currently achieves state-of-the-art results."
    )
    assert classify_claim(text) == "method"
    assert classify_claim("Our pruned model achieves 85% accuracy, as Table 2 shows.") == "result"


def test_units_read_on_over_an_unknown_abbreviation(tmp_path):
    parts = ["Despite fluctuations in the AVG Acc.", "of alignment, every prompt improves accuracy.",
             "We use it.", "The rest is fine."]  # fmt: skip
    texts = [u.text for u in _units_of_one_passage(tmp_path, "4 Results", parts)]
    assert texts == [
        "Despite fluctuations in the AVG Acc. of alignment, every prompt improves accuracy.",
        "We use it.",
        "The rest is fine.",
    ]


def test_outline_reads_sections_with_their_chapters():
    roman = outline_kinds(
        ["Abstract", "I. Introduction", "II. Related Works", "A. Head Importance Score",
         "B. Interpreting: Important Attention-head Pruning", "A. Experimental Setup", "D. Results",
         "V. Conclusion and Future Scope", "References"]
    )  # fmt: skip
    # "B." follows its sibling "A." (a method section), not the Roman chapter stored before it.
    assert roman["B. Interpreting: Important Attention-head Pruning"] == "method"
    assert roman["II. Related Works"] == "related" and roman["D. Results"] == "results"
    numbered = outline_kinds(
        ["1 Introduction", "2 Lightweight LS Modules", "2.1 Matrix Synthesis", "3 Experimental Setup",
         "3.2.1 Cross-lingual Question Answering", "4 Results", "4.1.2 Machine Translation",
         "4.2 Impact of Data Quality", "5.1 Main Result", "5.2.1 Group Size", "6 Related Work",
         "6.1 Early Approaches", "7.13 References", "7.14 Digital Object Identifiers",
         "A Appendix", "A.1 Robust Analysis Implementation"]
    )  # fmt: skip
    # The chapter decides where the title names no kind or only generic words.
    assert numbered["4.1.2 Machine Translation"] == "results"
    assert numbered["4.2 Impact of Data Quality"] == "results"
    assert numbered["3.2.1 Cross-lingual Question Answering"] == "method"  # a task, not an aim
    assert numbered["5.2.1 Group Size"] == "results"  # its cousin "5.1 Main Result"
    assert numbered["6.1 Early Approaches"] == "related"
    # Named after the paper's own method, between the introduction and the experiments.
    assert numbered["2 Lightweight LS Modules"] == numbered["2.1 Matrix Synthesis"] == "method"
    assert numbered["A.1 Robust Analysis Implementation"] == "excluded"  # the appendix
    # An excluded sibling says nothing of the next section.
    assert numbered["7.14 Digital Object Identifiers"] != "excluded"
    assert section_kind("4.1.2 Machine Translation", outline=numbered) == "results"
    assert section_kind("4.1.2 Machine Translation") == "other"  # alone: it names no kind
    assert section_kind("4.2 Impact of Data Quality") == "method"  # alone: generic words


_MARKDOWN = """# A Paper About Pruning

## Abstract

We prune attention heads in mBERT and keep 98% of its XNLI accuracy.

## 1 Introduction

Multilingual encoders are large. We study which heads matter.

## 3 Experimental Setup

### 3.2 Machine Translation

We train each model for 10 epochs on the WMT data with a batch size of 32.

## 4 Results

We report BLEU on the WMT test sets.

### 4.1 Machine Translation

Pruning half of the heads drops BLEU by only 0.4 points on average.

Table 2: BLEU of the pruned models; pruning half of the heads costs 0.4 points.

| model | BLEU |
|---|---|
| full | 30.1 |
| pruned | 29.7 |

The pruned model is faster:
- Decoding is 1.6 times faster with half of the heads pruned.
- Memory use drops by 30% with half of the heads pruned.
"""


def test_markdown_structure_reaches_the_claims(tmp_path):
    from synth.ingest import ingest

    path = tmp_path / "paper.md"
    path.write_text(_MARKDOWN, encoding="utf-8")
    with Library(tmp_path / "lib") as lib:
        pid = ingest(lib, [str(path)])[0].paper_id
        kinds = {p.text[:8]: p.kind for p in lib.passages(pid)}
        assert kinds["Table 2:"] == "caption"  # as the PDF path reads captions
        items = [p for p in lib.passages(pid) if p.text.startswith("- ")]
        assert len(items) == 2  # each list item its own passage
        claims = {c.text: c for c in extract_claims(lib, pid)}
    assert "Pruning half of the heads drops BLEU by only 0.4 points on average." in claims
    assert claims["Decoding is 1.6 times faster with half of the heads pruned."].numbers
    assert not any(t.startswith("Table") for t in claims)
    finding = claims["Pruning half of the heads drops BLEU by only 0.4 points on average."]
    assert finding.section == "4.1 Machine Translation" and finding.type in ("result", "comparison")
    # The same generic title under the set-up chapter is procedure: it ranks lower.
    setup = "We train each model for 10 epochs on the WMT data with a batch size of 32."
    assert claims.get(setup) is None or claims[setup].score < finding.score


def _claim(text: str, score: float, sid: int) -> Claim:
    return Claim(claim_id=f"p#{sid}", text=text, paper_id="p", page=1, section="4 Results",
                 sentence_id=sid, type="result", score=score)  # fmt: skip


def test_budget_keeps_the_highest_scored_in_reading_order():
    claims = [_claim(f"c{i}", s, i) for i, s in enumerate([0.6, 0.9, 0.7, 0.95, 0.6])]
    kept = within_budget(claims, 3)
    assert [c.text for c in kept] == ["c1", "c2", "c3"]  # the top 3, in reading order
    assert within_budget(claims, 10) == claims
    # Ties keep the earlier sentence.
    assert [c.text for c in within_budget(claims, 4)] == ["c0", "c1", "c2", "c3"]
    settings = ClaimSettings()
    assert paper_budget(40, settings) == settings.budget_floor  # a short paper: the floor
    assert paper_budget(400, settings) == 140  # a long one: its share of prose sentences
    assert paper_budget(400, ClaimSettings(top=5)) == 5
    assert paper_budget(400, ClaimSettings(budget_share=1.0, budget_floor=0)) == 400


def test_top_n_lists_the_best_claims(tmp_path):
    lib = _library_with(
        tmp_path,
        [
            ("Our model improves XNLI accuracy by 3.1 points over XLM-R.", "5 Results", 3),
            (
                "We use the Adam optimiser with a learning rate of 2e-5 for all runs.",
                "5 Results",
                3,
            ),
            ("Our model improves PAWS-X accuracy by 1.2 points over XLM-R.", "5 Results", 3),
        ],
    )
    every = extract_claims(lib, settings=ClaimSettings(min_score=0.0))
    best = extract_claims(lib, settings=ClaimSettings(min_score=0.0, top=2))
    assert len(every) == 3 and len(best) == 2
    assert all("improves" in c.text for c in best)  # the findings, not the optimiser


def test_stored_claims_follow_the_settings_asked_for(tmp_path):
    lib = _library_with(
        tmp_path,
        [
            ("Our model improves XNLI accuracy by 3.1 points over XLM-R.", "5 Results", 3),
            ("Our model improves PAWS-X accuracy by 1.2 points over XLM-R.", "5 Results", 3),
        ],
    )
    default, top1 = ClaimSettings(), ClaimSettings(top=1)
    assert len(library_claims(lib, settings=default)) == 2
    assert len(library_claims(lib, settings=top1)) == 1  # replaces the paper's stored rows
    assert len(library_claims(lib, settings=default)) == 2  # so these are extracted again
    assert len(library_claims(lib, settings=default)) == 2  # and then read back


def test_budget_defaults():
    settings = ClaimSettings()
    # Chosen on the shared + dev readers' lists (bench/extract_recall.py --shared-dev --tradeoff):
    # the smallest share that recovered >= 0.80 of their claims when chosen (0.813, listing 31%
    # of the prose); with the section reading and cue fixes since, it recovers 0.876 there.
    assert (settings.budget_share, settings.budget_floor, settings.min_score) == (0.35, 40, 0.5)
    assert paper_budget(100, settings) == 40 and paper_budget(300, settings) == 105


def test_bench_budget_curve_and_tradeoff(recall_bench):
    bench = recall_bench
    claims = [
        Claim(claim_id=f"c{i}", text=t, score=s)
        for i, (t, s) in enumerate(
            [("Alpha beats beta by two points.", 0.9), ("Gamma is a dataset.", 0.2),
             ("Delta helps epsilon a lot.", 0.6)]
        )
    ]  # fmt: skip
    gold = [{"quote": "Delta helps epsilon a lot."}, {"quote": "Alpha beats beta by two points."}]
    curve = bench.budget_curve(claims, gold, 0.8)
    assert curve == {"first_rank": [1, 0], "candidates": 3, "scores": [0.9, 0.6, 0.2]}
    rows = bench.tradeoff({"p": {"gold": 2, "prose_sentences": 10, "unbudgeted": curve}})
    one = next(r for r in rows if r["share"] == 0.10 and r["floor"] == 0)  # budget 1
    two = next(r for r in rows if r["share"] == 0.20 and r["floor"] == 0)  # budget 2
    assert (one["recall"], one["ratio_prose"]) == (0.5, 0.1)
    assert (two["recall"], two["ratio_prose"]) == (1.0, 0.2)


def test_claims_help_states_the_settings_defaults():
    from typer.testing import CliRunner

    from claimlab.cli import app

    text = " ".join(CliRunner().invoke(app, ["claims", "--help"]).output.split())
    defaults = ClaimSettings()
    # The help names defaults by hand (rich would eat "[default: ...]" as markup); they must be
    # ClaimSettings' own.
    assert f"(default: {defaults.budget_share})" in text.replace("│ ", "")
    assert f"(default: {defaults.budget_floor})" in text.replace("│ ", "")
