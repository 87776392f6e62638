"""Claim extraction: numbers, entities, types, scores, whole sentences, merging."""

from __future__ import annotations

import pytest

from synth.claims import (
    classify_claim,
    extract_claims,
    is_whole_sentence,
    merge_near_duplicates,
    parse_numbers,
    score_claim,
    tag_entities,
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
    assert score_claim(finding, "Results") > 0.8
    assert score_claim(background, "Introduction") < 0.3
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


# Claims a careful reader lists for three of the real papers (substrings of their sentences).
READER_CLAIMS = (
    # xlmr_xnli_en_tr_student_report
    "performance gap of approximately 6.15%",
    "Resulted in moderate accuracy (~64%)",
    "resulted in lower accuracy (~60.5%)",
    "training data size to 10,000 examples",
    "primary bottleneck was data",
    "systematic bias toward predicting Contradiction",
    "two negative statements as mutually incompatible",
    # mesh_xtreme_mbert_pruning
    "similar resilience to pruning as BERT",
    "most important 30% heads improves model",
    "match or surpass the performance of larger distilled",
    "remains effective across various tasks",
    "multi-task models can be enhanced",
    "brain-like functional specialization",
    # ub_semeval2022_task4
    "gave the best result on the validation dataset was BERT",
    "The results overall are low",
    "proved to be inneficient",
)


def test_extraction_recovers_what_a_reader_lists(papers_library):
    with Library(papers_library) as lib:
        claims = extract_claims(lib)
        n_sentences = len(lib.sentences())
    found = [k for k in READER_CLAIMS if any(k in c.text for c in claims)]
    assert len(found) / len(READER_CLAIMS) >= 0.8, set(READER_CLAIMS) - set(found)
    assert len(claims) < 0.15 * n_sentences  # not every sentence
    assert all(is_whole_sentence(c.text) for c in claims)
    assert all(c.page and c.section and c.sources for c in claims)
