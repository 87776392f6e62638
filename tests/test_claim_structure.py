"""Claim rules read from a paper's structure: label openings, list lead-ins, section titles."""

from __future__ import annotations

import pytest

from synth.claim_outline import outline_kinds
from synth.claim_sections import section_kind
from synth.claim_units import paper_units
from synth.claims import ClaimSettings, extract_claims, is_candidate
from synth.library import Library
from synth.records import Paper, Passage, Sentence


@pytest.mark.parametrize(
    ("text", "candidate"),
    [
        # only a pointer: where to look, not what was found
        ("Table 2 shows the accuracy scores of all models.", False),
        ("Table 2 compares the results of different models.", False),
        ("Table 5 lists the hyperparameters of every run.", False),
        # the label opens a finding
        ("Table 1 shows that X is better than Y on every language pair.", True),
        (
            "Figure 2 shows 10 samples outperforms higher sampling numbers for most group sizes.",
            True,
        ),
        (
            "Fig. 4 shows a great increase in performance over the RoBERTa pretrained model, "
            "reaching an improvement of 6.73 points after 20 iterations.",
            True,
        ),
        (
            "Table 3 displays the zero-shot performance of the four models and demonstrates that "
            "our method consistently surpasses the baselines.",
            True,
        ),
        ("Table 8 shows GPT-3.5 Turbo scored higher on LID (+9.51%) and POS (+1.68%).", True),
        # an asserting verb states a finding, a presenting one points
        (
            "Figure 3 reveals a notable trend: despite three distinct institutions, the models "
            "fluctuate alike across languages.",
            True,
        ),
        ("Figure 4 highlights the results.", False),
    ],
)
def test_label_openings_are_candidates_when_they_state_a_finding(text, candidate):
    sentence = Sentence(paper_id="p", page=1, section="4 Results", text=text)
    from synth.claim_units import Unit

    unit = Unit(sentence, text, sentence.section, True)
    assert is_candidate(unit, ClaimSettings()) is candidate


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("4.4 Interpolating between references", "other"),  # no reference list
        ("References", "excluded"),
        ("7 References", "excluded"),
        ("Reference List", "excluded"),
        ("6 Single Dataset Analysis", "analysis"),  # head-final: it analyses
        ("3 Dataset Construction", "method"),
        ("5. Qualitative Results and Linguistic Analysis", "results"),
        ("4.2 Analysis Setup", "method"),
    ],
)
def test_section_titles(title, expected):
    assert section_kind(title) == expected


def test_nameless_subsection_follows_its_chapter_not_a_set_up_sibling():
    titles = [
        "1 Introduction",
        "3.1 Model Structure",
        "4 Experiments",
        "4.2 Implementation Details",
        "4.4 Bitext Retrieval",
        "5 ColD Multitask Results",
        "5.2 Unseen Datasets",
        "5.3 Few-shot",
    ]
    kinds = outline_kinds(titles)
    assert kinds["4.2 Implementation Details"] == "method"
    assert kinds["4.4 Bitext Retrieval"] == "experiments"  # was method, after its sibling
    assert kinds["5.3 Few-shot"] == "results"


def _library(tmp_path, texts: list[str]) -> Library:
    lib = Library(tmp_path / "lib")
    pid = "pdf:lists"
    lib.add_paper(
        Paper(paper_id=pid, title="T", sha256="lists", pages=1),
        [Passage(paper_id=pid, seq=i, page=1, section="1 Introduction", text=t)
         for i, t in enumerate(texts)],
        [Sentence(paper_id=pid, page=1, section="1 Introduction", text=t, passage_id=i)
         for i, t in enumerate(texts)],
    )  # fmt: skip
    return lib


def _units(lib: Library) -> list:
    """The candidate units of the one paper of a :func:`_library`."""
    passages = {p.passage_id: p for p in lib.passages("pdf:lists")}
    return list(paper_units(lib.sentences(paper_id="pdf:lists"), passages))


def test_a_list_announced_as_contributions_scores_as_contributions(tmp_path):
    lib = _library(
        tmp_path,
        [
            "In summary, our key contributions are as follows.",
            "- Introducing an approach for transferring finetuning updates between versions.",
            "- Validating the approach in a multilingual setting, without retraining.",
            "Large models are expensive to train.",
            "- Another list of plain background items follows here.",
        ],
    )
    with lib:
        units = _units(lib)
        claims = {c.text for c in extract_claims(lib)}
    sections = {u.text: u.section for u in units}
    assert (
        sections["Introducing an approach for transferring finetuning updates between versions."]
        == "Contributions"
    )
    assert (
        sections["Validating the approach in a multilingual setting, without retraining."]
        == "Contributions"
    )
    # a list after a sentence that names no contributions stays in its section
    assert sections["Another list of plain background items follows here."] == "1 Introduction"
    assert "Introducing an approach for transferring finetuning updates between versions." in claims


def test_numbered_items_are_list_items(tmp_path):
    # Papers number their contributions as often as they bullet them, and end the items with
    # semicolons: each item is a whole unit, its marker dropped, scored as what the lead-in names.
    lib = _library(
        tmp_path,
        [
            "Our contributions are as follows:",
            "1. We compare several augmentation variants for low-resource translation;",
            "2) We release a lexicon for two hundred languages;",
            "(iii) We show that the gains hold as models scale.",
            "Large models are expensive to train.",
        ],
    )
    with lib:
        units = _units(lib)
    by_text = {u.text: u for u in units}
    for text in (
        "We compare several augmentation variants for low-resource translation;",
        "We release a lexicon for two hundred languages;",
        "We show that the gains hold as models scale.",
    ):
        assert by_text[text].whole, text
        assert by_text[text].section == "Contributions", text
    assert by_text["Large models are expensive to train."].section == "1 Introduction"


def test_a_colon_before_the_next_section_does_not_end_a_sentence(tmp_path):
    lib = Library(tmp_path / "lib")
    pid = "pdf:colon"
    texts = [
        ("2 Method", "We compare three sets of approaches on the datasets:"),
        ("3 Results", "1. Fine-tuning a pre-trained model gives the best scores."),
    ]
    lib.add_paper(
        Paper(paper_id=pid, title="T", sha256="colon", pages=1),
        [Passage(paper_id=pid, seq=i, page=1, section=s, text=t) for i, (s, t) in enumerate(texts)],
        [Sentence(paper_id=pid, page=1, section=s, text=t, passage_id=i)
         for i, (s, t) in enumerate(texts)],
    )  # fmt: skip
    with lib:
        passages = {p.passage_id: p for p in lib.passages(pid)}
        units = {u.text: u.whole for u in paper_units(lib.sentences(paper_id=pid), passages)}
    assert not units["We compare three sets of approaches on the datasets:"]
    assert units["Fine-tuning a pre-trained model gives the best scores."]


def test_numbered_items_read_whole_by_the_bench(tmp_path):
    """The bench's own check (independent of the extractor) reads a numbered item as whole."""
    from bench.recall_match import cut_mid_sentence

    lib = _library(
        tmp_path,
        [
            "Our contributions are as follows:",
            "1. We compare several augmentation variants for low-resource translation;",
            "(2) We release a lexicon for two hundred languages and show gains of 4 points;",
        ],
    )
    with lib:
        claims = extract_claims(lib)
        passages = lib.passages("pdf:lists")
        by_id = {s.sentence_id: s for s in lib.sentences(paper_id="pdf:lists")}
        listed = {c.text: cut_mid_sentence(c, passages, by_id) for c in claims}
    assert "We release a lexicon for two hundred languages and show gains of 4 points;" in listed
    assert all(why == "" for why in listed.values()), listed


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("1. We release the data.", True),
        ("(2) Results hold.", True),
        ("(iv) We release it.", True),
        ("b) We release it.", True),
        ("- We release it.", True),
        ("i.e. the data is new.", False),  # a word, not a marker
        ("1.5 points higher than the baseline.", False),  # a number
        ("2.1 Data and models", False),
        ("(1)", False),  # an equation number: no item after it
    ],
)
def test_item_markers(text, marker):
    from synth.claim_units import ITEM

    assert bool(ITEM.match(text)) is marker


def test_as_follows_with_its_content_is_no_pointer():
    from synth.claim_cues import claim_logit

    stated = (
        "We summarize the findings as follows: (1) Data augmentation and model ensemble don't "
        "bring substantial benefits to calibration."
    )
    assert "pointer" not in claim_logit(stated, "5.3 Experimental Results")[1]
    assert "pointer" in claim_logit("The settings are as follows:", "5.3 Experimental Results")[1]
