"""Check-worthiness cues and section reading: the phenomena behind missed and junk claims."""

from __future__ import annotations

import re

import pytest

from synth.claim_outline import outline_kinds, read_with_content
from synth.claim_ranker import use_ranker
from synth.claim_units import Unit
from synth.claims import ClaimSettings, claim_from_unit, extract_claims, score_parts
from synth.library import Library
from synth.records import Sentence


def _parts(text: str, section: str = "4 Results") -> dict[str, float]:
    return score_parts(text, section)


def _unit(text: str, section: str = "4 Results") -> Unit:
    sentence = Sentence(paper_id="p", page=1, section=section, text=text, passage_id=0)
    return Unit(sentence, text, section, True)


# --- cues that fired on the wrong words ------------------------------------------------------
def test_a_metric_with_an_at_sign_is_not_an_email():
    settings = ClaimSettings()
    metric = "Our system outperforms the previous state-of-the-art system in R@2kt by 4 points."
    assert claim_from_unit(_unit(metric), settings) is not None
    email = "Contact the first author at jane.doe@example.org for the data we collected."
    assert claim_from_unit(_unit(email), settings) is None


def test_an_author_named_you_is_not_the_reader():
    cited = (
        "Our core idea is to push representations of one sequence in two languages together "
        "via contrastive learning (You et al., 2022)."
    )
    assert "instruction" not in _parts(cited, "1 Introduction")
    assert "instruction" in _parts("You should cite the natbib styles.", "7 Citations")


def test_it_should_be_noted_prefaces_a_finding():
    noted = "It should be noted that the taboo method does not increase the syntactic diversity."
    assert "instruction" not in _parts(noted)
    assert "instruction" in _parts("Papers should not be submitted on any other paper size.")


def test_ours_is_the_authors_voice():
    # (In a findings section "we" adds nothing: everything there is the authors' own.)
    ours = "For example, ours achieve 35.9% EM with only 512 examples."
    assert "first_person" in _parts(ours, "1 Introduction")


def test_a_measured_example_of_their_own_is_not_an_illustration():
    text = "For example, ours achieve 35.9% EM with only 512 examples, outperforming all baselines."
    parts = _parts(text, "1 Introduction")
    assert "measured" in parts and "illustration" not in parts
    quoted = 'For example, "the cat" and "a cat" are merged.'
    assert "illustration" in _parts(quoted)


def test_a_pointer_that_goes_on_to_state_a_finding():
    goes_on = (
        "The results are shown in Table 2, and again point to BAD-X's superiority over MAD-X "
        "in all three tasks."
    )
    assert "pointer" not in _parts(goes_on)
    trailing = (
        "The multi-mono approach gives a better average than the multilingual encoder, "
        "as it can be seen in Table 4b."
    )
    assert "pointer" not in _parts(trailing)
    before = (
        "Fine-tuning on actual human corrections provides substantial gains; results without "
        "fine-tuning can be found in Appendix Section B."
    )
    assert "pointer" not in _parts(before)
    # Pointers alone still are pointers.
    assert "pointer" in _parts("The results are shown in Table 2.")
    assert "pointer" in _parts("Table 3 lists the hyperparameters of every model we trained.")
    assert "pointer" in _parts(
        "Examples of system outputs for each error type are shown in Table 5."
    )


@pytest.mark.parametrize(
    "text",
    [
        "We show the alignment accuracies of the language pairs in Figure 3.",
        "We then show the correlation between the two variants of LaSE in the third column of "
        "Table 2 for each target language.",
        "We present the prompts for all 8 tasks in the Appendix G.",
        "The correlation coefficients of the calculated scores are shown in the second column "
        "of Table 2.",
        "Detailed information on the evaluation criteria can be found in the Appendix C.",
        "Results were averaged by language family and visualized in Figure 4.",
        "The performance of the GPT family on LID, POS and NER is detailed in Appendix I.",
    ],
)
def test_pointers_in_the_authors_voice_or_to_a_column(text):
    assert "pointer" in _parts(text)


def test_a_pointer_with_its_finding_is_no_pointer():
    assert "pointer" not in _parts("We show in Table 3 that BAD-X outperforms MAD-X on NER.")
    assert "pointer" not in _parts("As illustrated in Figure 3, the gains grow with model size.")


def test_a_hedged_explanation_ranks_below_the_finding_it_explains():
    from synth.claim_scoring import score_claim

    finding = "LLaMA3-8B-Instruct outperforms LLaMA3-8B-Base by 7.73 points on CM-GSM8K."
    guess = "This is likely due to the increased complexity of the mathematical reasoning."
    assert "explanation" in _parts(guess)
    assert score_claim(guess, "4.2 Main Results") < score_claim(finding, "4.2 Main Results")
    # A measured attribution, or one the authors find, is no guess.
    measured = "A 5 point average improvement is due to the replacement of the XLM-R encoder."
    assert "explanation" not in _parts(measured)


def test_a_section_that_opens_with_its_finding_is_no_roadmap():
    finding = (
        "In this section, we establish that the m2m model consistently outperforms m2o, o2m, "
        "and summarize-then-translate baselines given equal training steps."
    )
    assert "roadmap" not in _parts(finding, "5 Experiments")
    roadmap = "In this section, we first present the pre-training data collection."
    assert "roadmap" in _parts(roadmap, "4 Experiments")


def test_uncited_has_been_in_a_conclusion_is_the_authors_own():
    text = "The effectiveness of the BAD-X framework has been demonstrated on three transfer tasks."
    assert "background" not in _parts(text, "4 Conclusion")
    assert "background" in _parts(text, "1 Introduction")


def test_to_show_is_a_purpose_not_a_finding():
    text = "We cite (Harper, 2014) to show how papers without a DOI appear in the bibliography."
    assert "finding_verb" not in _parts(text, "7.14 Digital Object Identifiers")
    assert "finding_verb" in _parts("We show that pruning hurts Turkish more than English.")


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("We decided to use the FiD model as a reader since it aggregates passages.", "decision"),
        ("In contrast to (Asai et al., 2021b) we train only the retriever.", "sets_apart"),
        (
            "We tried both readers and found out that abstractive is more profitable.",
            "finding_verb",
        ),
        ("The combination of monolingual encoders performed the best.", "outcome_verb"),
        ("Our research provides a thorough comparison of multilingual encoders.", "contribution"),
        ("The average results are slightly inferior to those of the multi approach.", "comparison"),
    ],
)
def test_cues_of_choices_contrasts_and_findings(text, cue):
    assert cue in _parts(text, "3 Method")


def test_setting_apart_counts_only_in_the_authors_voice():
    assert "sets_apart" not in _parts("Unlike BERT, ELMo uses recurrent layers.", "2 Background")


# --- layout: a template's measurements are not claims -----------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Gap between columns: 0.6 cm",
        "Left and right margins: 2.5 cm",
        "author names: Font Size 12 pt, Style bold.",
        "Center the word Abstract in a 12 point bold font above the body of the abstract.",
        "The paper must be printed on US Letter paper, 8.5 inches wide.",
    ],
)
def test_layout_measurements_are_not_claims(text):
    parts = _parts(text, "7.2 Layout")
    assert "layout" in parts and "numbers" not in parts and "measured" not in parts
    # Not even in a results section: a page measures nothing of a model.
    assert claim_from_unit(_unit(text, "4 Results"), ClaimSettings()) is None


def test_points_of_accuracy_are_not_layout():
    text = "Pruning half of the heads drops accuracy by 2.1 points on XNLI."
    parts = _parts(text)
    assert "layout" not in parts and parts["numbers"] > 0


def test_the_template_pdf_lists_no_layout(papers_library, shared_data):
    """The EMNLP template (formatting instructions) yields no claim measuring the page."""
    import hashlib

    pdf = next((shared_data / "papers" / "structural_neg_emnlp2020_review").glob("*.pdf"))
    pid = "pdf:" + hashlib.sha256(pdf.read_bytes()).hexdigest()[:12]
    with Library(papers_library) as lib:
        claims = extract_claims(lib, pid)
    layout = re.compile(r"\d\s?(?:cm|pt|inch)|\bpoint (?:bold )?font|margin|column", re.I)
    assert not [c.text for c in claims if layout.search(c.text)]
    assert len(claims) <= 2, [c.text for c in claims]


# --- sections read by what they say -----------------------------------------------------------
def test_a_nameless_section_that_states_findings_is_an_experiments_section():
    titles = ["Abstract", "1 Introduction", "3 Validity and diversity", "3.1 Data collection",
              "3.3 Diversity of the paraphrases", "5 Results", "6 Conclusion"]  # fmt: skip
    outline = outline_kinds(titles)
    assert outline["3.3 Diversity of the paraphrases"] == "method"  # by its place alone
    findings = {"3.3 Diversity of the paraphrases": (6, 19), "3.1 Data collection": (2, 29)}
    read = read_with_content(outline, findings)
    assert read["3.3 Diversity of the paraphrases"] == "experiments"
    assert read["3.1 Data collection"] == "method"  # mostly procedure
    # Titles that name their kind are never overridden, nor sections with too few sentences.
    assert read_with_content(outline, {"5 Results": (0, 20)})["5 Results"] == "results"
    few = read_with_content(outline, {"3.3 Diversity of the paraphrases": (2, 3)})
    assert few["3.3 Diversity of the paraphrases"] == "method"


def test_a_results_subsection_titled_by_its_metrics_is_read_by_content():
    titles = ["Abstract", "1 Introduction", "3 Experimentation", "3.3 Evaluation Metrics",
              "4 Results", "4.1 Human Evaluation", "4.3 Representative Automatic Metrics",
              "6 Conclusion"]  # fmt: skip
    outline = outline_kinds(titles)
    assert outline["4.3 Representative Automatic Metrics"] == "method"  # by its title alone
    findings = {"4.3 Representative Automatic Metrics": (4, 11), "3.3 Evaluation Metrics": (4, 11)}
    read = read_with_content(outline, findings)
    assert read["4.3 Representative Automatic Metrics"] == "experiments"
    # The same title in a set-up chapter stays method, and so does one that states no findings.
    assert read["3.3 Evaluation Metrics"] == "method"
    quiet = read_with_content(outline, {"4.3 Representative Automatic Metrics": (1, 11)})
    assert quiet["4.3 Representative Automatic Metrics"] == "method"


def test_a_paper_without_a_findings_heading_reads_its_chapters_by_content():
    titles = ["Abstract", "1 Introduction", "2 Two-Stage Training for MNMT Models",
              "3 WMT'21 Multilingual Translation Task", "4 In-house Large-Scale Setting",
              "5 Conclusion"]  # fmt: skip
    outline = outline_kinds(titles)
    assert outline["4 In-house Large-Scale Setting"] == "method"  # by its place alone
    findings = {
        "2 Two-Stage Training for MNMT Models": (1, 7),
        "3 WMT'21 Multilingual Translation Task": (5, 27),
        "4 In-house Large-Scale Setting": (12, 38),
    }
    read = read_with_content(outline, findings)
    assert read["2 Two-Stage Training for MNMT Models"] == "method"
    assert read["3 WMT'21 Multilingual Translation Task"] == "method"  # mostly set-up
    assert read["4 In-house Large-Scale Setting"] == "experiments"
    # A style guide states no findings: nothing moves.
    guide = outline_kinds(["1 Introduction", "3 Resources", "4 Length of Submission", "7 Layout"])
    none_found = {"4 Length of Submission": (0, 15), "7 Layout": (1, 10)}
    assert read_with_content(guide, none_found) == guide


def test_the_abstract_ranks_above_a_results_section():
    """The abstract states the headline claims: the same sentence ranks higher there."""
    from synth.claims import score_claim

    text = "Bilingual adapters improve zero-shot transfer to low-resource languages."
    assert score_claim(text, "Abstract", "abstract") > score_claim(text, "4 Results")
    assert score_claim(text, "4 Results") > score_claim(text, "3 Method")


# --- the shape of a measured comparison, of a procedure, of a data count ----------------------
def test_comparisons_outrank_procedure_and_data_counts_in_a_findings_section():
    from synth.claim_scoring import score_claim

    finding = [
        "For key noise, NLLB is more robust than TI for every pair except ko→en.",
        "First, all BAD-X variants outperform MAD-X on all three tasks on average.",
        "In terms of ΔQE, GPT-3.5 performs best for all language pairs.",
    ]
    not_finding = [
        "This resulted in 3784 samples for the Prompt split and 2253 samples for the Taboo split.",
        "We evaluate the TAs every 250 steps on the English validation set.",
        "To investigate, we trained a 1.3B parameter decoder-only model on the same data.",
    ]
    assert "comparative" in _parts(finding[0], "4 Experiments")
    assert "outperforms" in _parts(finding[1])
    assert "superlative" in _parts(finding[2], "4 Experiments")
    passive = "Overall, the highest scores were observed for commercial models with native prompts."
    assert "superlative" in _parts(passive, "4 Experiments")
    assert "data_count" in _parts(not_finding[0])
    assert "procedure" in _parts(not_finding[2], "5 Analysis")
    # A count of data lowers a sentence's score; set-up and procedure rank below every finding.
    assert _parts(not_finding[0])["data_count"] < 0
    low = max(score_claim(t, "4 Experiments") for t in not_finding[1:])
    assert all(score_claim(t, "4 Experiments") > low for t in finding)


def test_a_quantity_is_not_a_comparison():
    for text in ("Authors submitting more than one paper must ensure they do not overlap.",
                 "We detected less than 1% of the data to be overlapping.",
                 "We use a loss rather than a margin."):  # fmt: skip
        assert "comparative" not in _parts(text), text


# --- resource papers: making a dataset is a contribution ---------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "We collect the first Urdu dataset for machine-generated fake and true news.",
        "To investigate this, we build and release the ACED corpus with three TEC datasets.",
        "We collected 2,000 hours of transcribed speech from radio broadcasts as a new corpus.",
        "It includes five novel expert-crafted datasets.",
        "We have synthesized 22 datasets and compiled 30 open-source code-mixed datasets.",
        # what their own resource covers: its scope
        "This challenge set includes six linguistic phenomena that require inter-sentence context.",
        "Our proposed test set focuses on cases requiring both intra- and inter-sentential context.",
        "In total, our benchmark encompasses eight tasks and 18 languages from seven families.",
        # its novelty among resources
        "CrossSum provides the first publicly available XLS dataset for many of these pairs.",
    ],
)
def test_making_a_resource_is_a_contribution(text):
    from synth.claim_scoring import score_claim

    assert "resource" in _parts(text, "1 Introduction")
    # It ranks with the paper's contributions, above a plain statement of the introduction.
    plain = "The task is usually framed as binary classification over short news items."
    assert score_claim(text, "1 Introduction") > score_claim(plain, "1 Introduction") + 0.2


def test_using_or_describing_a_dataset_is_not_making_one():
    for text in ("We use the XNLI dataset for evaluation.",
                 "We also compare the collected datasets on syntactical diversity.",
                 "The dataset contains 2000 sentences with positive or negative polarity.",
                 "The dev and test sets contain 400 instances each, half of them positive.",
                 "We generate a synthetic t by corrupting the German side of the data."):  # fmt: skip
        assert "resource" not in _parts(text, "3 Data"), text


def test_a_finding_set_against_cited_work_is_the_authors_own():
    text = (
        "Among the local LLMs below 15B parameters, Gemma 2 9B is the top competitor, in line "
        "with the findings of Thellmann et al. (2024)."
    )
    assert "cited" not in _parts(text, "4 Experiments")
    # Elsewhere, and without the relation, a citation still marks others' work.
    assert "cited" in _parts(text, "2 Related Work")
    assert "cited" in _parts("Gemma 2 9B is the top competitor (Thellmann et al., 2024).")


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (
            "The resulting models achieve state-of-the-art performances on multiple xSL "
            "benchmarks.",
            "result_phrase",
        ),
        ("It is also notable that TI and GPT-3.5 have high fertility even on clean text.",
         "finding_verb"),
        ("We further validated this by inspecting the model outputs and found no exact copies.",
         "finding_verb"),
    ],
)  # fmt: skip
def test_stated_results_and_notable_findings(text, cue):
    assert cue in _parts(text, "1 Introduction")


@pytest.mark.parametrize(
    "text",
    [
        "Advanced models excel at few-shot learning on knowledge and truthfulness reasoning.",
        "Few-shot learning minimally enhances mathematical reasoning.",
        "Cross-family code-mixing can impair the performance of LLMs.",
        "The models still lag behind fully supervised models by a significant margin.",
    ],
)
def test_outcomes_stated_with_excel_enhance_impair_lag(text):
    assert "outcome_verb" in _parts(text, "4.4 K-shot Analysis")


def test_excellent_is_no_outcome():
    assert "outcome_verb" not in _parts("The annotators had an excellent command of Bemba.")


def test_an_introduction_closes_with_its_claims():
    """The same sentence ranks higher at the end of the introduction than at its start."""
    from synth.claim_scoring import check_worthiness

    text = "Bilingual adapters improve zero-shot transfer to low-resource languages."
    first, last = ({"section_position": p} for p in (0.0, 1.0))
    intro = "1 Introduction"
    assert check_worthiness(text, intro, place=last) > check_worthiness(text, intro, place=first)
    # An abstract closes with its findings; a conclusion opens with them (future work last).
    abstract = ("Abstract", "abstract")
    assert check_worthiness(text, *abstract, place=last) > check_worthiness(
        text, *abstract, place=first
    )
    conclusion = "6 Conclusion"
    assert check_worthiness(text, conclusion, place=first) > check_worthiness(
        text, conclusion, place=last
    )
    # With no place known the place is not read.
    assert check_worthiness(text, intro) == check_worthiness(text, intro, place=None)
    # The hand weights step for place only there (PLACE_STEPS). A learned ranker may read place
    # elsewhere too: over the 82 papers with readers' lists, readers listed 0.27 of the first
    # fifth of a results section's candidates and 0.37-0.40 of the later ones.
    with use_ranker(None):
        assert check_worthiness(text, "4 Results", place=last) == check_worthiness(
            text, "4 Results", place=first
        )


def test_a_bound_on_a_measured_difference_is_not_a_formula():
    bound = "Our best systems are significantly better by ≥ +0.5 sacreBLEU for 83% of directions."
    assert "formula" not in _parts(bound)
    assert "formula" in _parts("The loss is L = -log p(y | x) for every x ∈ X.", "3 Method")
    assert "formula" in _parts("We clip the gradient so that ‖g‖ ≤ c holds.", "3 Method")


def test_making_a_resource_is_typed_a_contribution():
    from synth.claim_types import classify_claim

    made = "We collect the first Urdu dataset for machine-generated fake and true news."
    assert classify_claim(made, "1 Introduction") == "contribution"
    assert classify_claim(made, "3 Data Collection") == "contribution"
    # One that states an outcome stays a finding.
    found = (
        "A systematic evaluation against this novel benchmark reveals that LLMs approach humans."
    )
    assert classify_claim(found, "Abstract") != "contribution"


def test_the_opening_of_a_method_or_data_section_says_what_it_describes():
    from synth.claim_scoring import check_worthiness

    text = "BeRTE-WD is a small-scale textual entailment dataset for Belarusian, from Wikidata."
    opening = {"section_first": 1.0, "section_position": 0.0}
    inside = {"section_first": 0.0, "section_position": 0.0}
    data = "3.2.5 Textual entailment dataset"
    # A hand weight (METHOD_OPENING, from 8 of 28 openings listed on 15 papers): over the 82 papers
    # with readers' lists, readers listed 22 of 428 method openings (0.051) against 227 of 4,189
    # other method-section candidates (0.054), and a learned ranker need not follow it.
    with use_ranker(None):
        assert check_worthiness(text, data, place=opening) > check_worthiness(
            text, data, place=inside
        )
        # Not in a results section: there the first sentence is no definition.
        assert check_worthiness(text, "4 Results", place=opening) == check_worthiness(
            text, "4 Results", place=inside
        )
