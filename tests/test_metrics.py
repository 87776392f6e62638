"""Official XTREME metrics against values computed by hand, file formats, and `claimlab score`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimlab.cli import app
from replicate.metrics import (
    accuracy,
    average_precision_at_k,
    bucc_f1,
    map_at_k,
    mlqa_exact_match,
    mlqa_f1,
    mlqa_normalize,
    official_average,
    qa_em_f1,
    seqeval_f1,
    squad_exact_match,
    squad_f1,
    squad_normalize,
    write_labels,
    write_predictions,
)
from replicate.records import QAExample
from replicate.scoring import ScoreError, score_dirs
from replicate.xtreme_io import read_tag

# === accuracy ===================================================================================


def test_accuracy_counts_equal_stripped_labels():
    labels = ["entailment", "neutral", "contradiction", "neutral"]
    preds = ["entailment", "contradiction", "contradiction", "neutral "]
    assert accuracy(labels, preds) == {"accuracy": 75.0}  # 3 of 4
    with pytest.raises(ValueError, match="3 predictions for 4 labels"):
        accuracy(labels, preds[:3])


# === seqeval ====================================================================================


def test_seqeval_counts_whole_entities_only():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG"]]
    pred = [["B-PER", "I-PER", "O", "O"], ["B-ORG", "I-ORG", "O"]]
    # gold entities PER, LOC, ORG(3 tokens); predicted PER and a partial ORG: 1 correct of 2 / of 3.
    got = seqeval_f1(gold, pred)
    assert got["precision"] == pytest.approx(50.0)
    assert got["recall"] == pytest.approx(100 / 3)
    assert got["f1"] == pytest.approx(40.0)  # 2 * 1/2 * 1/3 / (1/2 + 1/3)


def test_seqeval_reads_an_initial_i_tag_as_a_start_as_conlleval_does():
    assert seqeval_f1([["B-PER", "I-PER"]], [["I-PER", "I-PER"]])["f1"] == pytest.approx(100.0)


def test_seqeval_on_plain_pos_tags_merges_runs_like_the_official_scorer():
    # Plain tags become chunks of type tag[1:]: NOUN NOUN is one chunk "OUN". Gold chunks
    # OUN(0-1), ERB(2), DJ(3); predicted OUN(0), ERB(1-2), DJ(3): only DJ(3) matches -> 1/3.
    got = seqeval_f1([["NOUN", "NOUN", "VERB", "ADJ"]], [["NOUN", "VERB", "VERB", "ADJ"]])
    assert got["f1"] == pytest.approx(100 / 3)
    assert got["precision"] == pytest.approx(100 / 3) and got["recall"] == pytest.approx(100 / 3)


def test_seqeval_rejects_misaligned_sentences():
    with pytest.raises(ValueError, match="sentence 1: 1 predicted tags for 2 tokens"):
        seqeval_f1([["O", "O"]], [["O"]])


# === SQuAD v1.1 =================================================================================


def test_squad_normalisation_and_pair_scores():
    assert squad_normalize("The  Cat, sat.") == "cat sat"
    assert squad_exact_match("The Cat sat.", "a cat sat") == 1.0
    # pred tokens cat sat on mat, gold cat sat: P = 2/4, R = 2/2, F1 = 2/3
    assert squad_f1("cat sat on the mat", "the cat sat") == pytest.approx(2 / 3)
    assert squad_f1("dog", "cat") == 0.0
    # SQuAD drops ASCII punctuation only: guillemets stay, MLQA's normalisation drops them.
    assert squad_exact_match("«cat»", "cat") == 0.0
    assert mlqa_exact_match("«cat»", "cat", "en") == 1.0


def _squad(*qas: tuple[str, list[str]]) -> list[dict]:
    return [
        {
            "paragraphs": [
                {
                    "context": "",
                    "qas": [
                        {"id": qid, "answers": [{"text": t, "answer_start": 0} for t in golds]}
                        for qid, golds in qas
                    ],
                }
            ]
        }
    ]


def test_squad_dataset_score_takes_best_gold_and_zero_for_unanswered():
    data = _squad(("q1", ["Paris", "the city of Paris"]), ("q2", ["the cat sat"]), ("q3", ["x"]))
    preds = {"q1": "city of Paris", "q2": "cat sat on the mat"}
    # q1: EM 1 (second gold), F1 1; q2: EM 0, F1 2/3; q3 unanswered: 0, 0.
    got = qa_em_f1(data, preds, "xquad", "en")
    assert got["exact_match"] == pytest.approx(100 / 3)
    assert got["f1"] == pytest.approx(100 * (1 + 2 / 3) / 3)


# === MLQA language-aware normalisation ==========================================================


def test_mlqa_chinese_is_split_into_characters():
    assert mlqa_normalize("这是北京。Hello, World!", "zh") == "这 是 北 京 hello world"
    # pred 北 京 大 学 vs gold 北 京: P = 2/4, R = 1 -> F1 = 2/3; SQuAD sees one token each -> 0.
    assert mlqa_f1("北京大学", "北京", "zh") == pytest.approx(2 / 3)
    assert squad_f1("北京大学", "北京") == 0.0


def test_mlqa_articles_depend_on_the_language():
    assert mlqa_exact_match("der Hund", "Hund", "de") == 1.0
    assert mlqa_exact_match("der Hund", "Hund", "en") == 0.0
    assert mlqa_exact_match("la casa", "casa", "es") == 1.0
    assert mlqa_exact_match("của nhà", "nhà", "vi") == 1.0
    assert mlqa_normalize("the cat", "hi") == "the cat"  # Hindi: no articles removed
    # Arabic: every "ال" goes, even inside a word (the official pattern's behaviour).
    assert mlqa_exact_match("الكتاب", "كتاب", "ar") == 1.0
    assert mlqa_normalize("مال", "ar") == "م"
    with pytest.raises(ValueError, match="'sw'"):
        mlqa_normalize("x", "sw")


def test_mlqa_average_matches_hand_computation():
    # de: "3050 und 3350" vs "3050 und 3350 Meter": P 1, R 3/4 -> F1 6/7; es: "unas estructuras
    # en" vs a 15-word gold: articles unas/un dropped, 2 of 13 gold tokens -> F1 4/15.
    de = _squad(("d", ["3050 und 3350 Meter"]))
    es = _squad(
        (
            "e",
            [
                "unas estructuras en forma de abanico que seguían un patrón de hojas, lenguas y lóbulos"
            ],
        )
    )
    assert qa_em_f1(de, {"d": "3050 und 3350"}, "mlqa", "de")["f1"] == pytest.approx(600 / 7)
    assert qa_em_f1(es, {"e": "unas estructuras en"}, "mlqa", "es")["f1"] == pytest.approx(400 / 15)


# === BUCC and mAP@20 ============================================================================


def test_bucc_f1_over_sets_of_pairs():
    gold = ["de-1\ten-1", "de-2\ten-2", "de-3\ten-3", "de-4\ten-4"]
    pred = ["de-1\ten-1", "de-2\ten-9", "de-3\ten-3", "de-3\ten-3"]  # duplicate counts once
    got = bucc_f1(gold, pred)  # 2 correct of 3 predicted, of 4 gold
    assert got["precision"] == pytest.approx(200 / 3)
    assert got["recall"] == pytest.approx(50.0)
    assert got["f1"] == pytest.approx(400 / 7)  # 2PR/(P+R) = (2/3)/(7/6)
    assert bucc_f1(gold, ["x\ty"]) == {"f1": 0.0, "precision": 0.0, "recall": 0.0}


def test_average_precision_at_k_by_hand():
    assert average_precision_at_k(["A"], ["B", "A", "C"]) == pytest.approx(0.5)
    assert average_precision_at_k(["A", "B"], ["A", "C", "B"]) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision_at_k(["A", "B"], ["A", "A", "B"]) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision_at_k(["A"], [f"d{i}" for i in range(20)] + ["A"]) == 0.0  # rank 21
    many = [f"r{i}" for i in range(25)]
    assert average_precision_at_k(many, many[:20]) == pytest.approx(1.0)  # divisor min(25, 20)


def test_map_at_20_averages_over_labelled_queries():
    labels = {"q1": ["A"], "q2": ["A", "B"], "q3": ["X"]}
    preds = {"q1": ["B", "A", "C"], "q2": ["A", "C", "B"]}  # q3 has no ranking -> AP 0
    assert map_at_k(labels, preds) == {"map@20": pytest.approx(100 * (0.5 + 5 / 6) / 3)}


def test_official_average_metric():
    assert official_average("mlqa", {"exact_match": 40.0, "f1": 60.0}) == 50.0
    assert official_average("panx", {"f1": 70.0, "precision": 1.0, "recall": 2.0}) == 70.0
    assert official_average("xnli", {"accuracy": 80.0}) == 80.0
    assert official_average("mewslix", {"map@20": 30.0}) == 30.0


# === Files and score_dirs =======================================================================


def test_classification_files_use_class_names(tmp_path):
    path = write_labels("xnli", "sw", [0, 1, 2, 1], tmp_path / "labels")
    assert path == tmp_path / "labels" / "xnli" / "test-sw.tsv"
    assert path.read_text() == "entailment\nneutral\ncontradiction\nneutral\n"
    write_predictions("xnli", "sw", [0, 2, 2, 1], tmp_path / "preds")
    write_labels("xnli", "ur", [0, 0], tmp_path / "labels")
    write_predictions("xnli", "ur", ["entailment", "neutral"], tmp_path / "preds")
    result = score_dirs("xnli", tmp_path / "preds", tmp_path / "labels")
    assert result["scores"] == {"sw": {"accuracy": 75.0}, "ur": {"accuracy": 50.0}}
    assert result["average"] == {"accuracy": 62.5, "metric": 62.5}


def test_tagging_files_round_trip_and_score(tmp_path):
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG"]]
    pred = [["B-PER", "I-PER", "O", "O"], [3, 4, 0]]  # ids become NER names: B-ORG I-ORG O
    write_labels("panx", "de", gold, tmp_path / "l")
    path = write_predictions("panx", "de", pred, tmp_path / "p")
    assert path.read_text().split("\n\n")[0] == "B-PER\nI-PER\nO\nO"
    assert read_tag(path) == [["B-PER", "I-PER", "O", "O"], ["B-ORG", "I-ORG", "O"]]
    result = score_dirs("panx", tmp_path / "p" / "panx", tmp_path / "l" / "panx")
    assert result["scores"]["de"]["f1"] == pytest.approx(40.0)


def test_qa_files_round_trip_and_score(tmp_path):
    examples = [
        QAExample("z1", "哪里?", "他在北京大学。", ("北京",), (2,)),
        QAExample("z2", "谁?", "他在北京大学。", ("他",), (0,)),
    ]
    label_path = write_labels("mlqa", "zh", examples, tmp_path / "l")
    assert json.loads(label_path.read_text())["data"][0]["paragraphs"][0]["qas"][0]["id"] == "z1"
    write_predictions("mlqa", "zh", {"z1": "北京大学", "z2": "他"}, tmp_path / "p")
    result = score_dirs("mlqa", tmp_path / "p", tmp_path / "l")
    assert result["scores"]["zh"] == {
        "exact_match": pytest.approx(50.0),
        "f1": pytest.approx(100 * (2 / 3 + 1) / 2),
    }
    assert result["average"]["metric"] == pytest.approx((50.0 + 100 * (2 / 3 + 1) / 2) / 2)


def test_bucc_tatoeba_and_ranking_files(tmp_path):
    write_labels("bucc2018", "de", [("de-1", "en-1"), ("de-2", "en-2")], tmp_path / "l")
    write_predictions("bucc2018", "de", [("de-1", "en-1")], tmp_path / "p")
    assert score_dirs("bucc2018", tmp_path / "p", tmp_path / "l")["scores"]["de"]["recall"] == 50.0
    write_labels("tatoeba", "sw", range(5), tmp_path / "l")
    write_predictions("tatoeba", "sw", [0, 1, 3, 3, 4], tmp_path / "p")
    assert score_dirs("tatoeba", tmp_path / "p", tmp_path / "l")["scores"] == {
        "sw": {"accuracy": 80.0}
    }
    write_labels("mewslix", "de", {"q1": ["Q1"], "q2": ["Q2"]}, tmp_path / "l")
    path = write_predictions("mewslix", "de", {"q1": ["Q9", "Q1"], "q2": ["Q2"]}, tmp_path / "p")
    assert path.name == "test-de.json"
    got = score_dirs("mewslix", tmp_path / "p", tmp_path / "l")
    assert got["scores"]["de"] == {"map@20": pytest.approx(75.0)}  # (1/2 + 1) / 2


def test_missing_and_mismatched_files_are_reported_one_by_one(tmp_path):
    for lang in ("sw", "ur", "de"):
        write_labels("xnli", lang, [0, 1], tmp_path / "l")
    write_predictions("xnli", "sw", [0, 1], tmp_path / "p")
    write_predictions("xnli", "ur", [0], tmp_path / "p")  # one line short
    write_predictions("xnli", "fr", [0, 1], tmp_path / "p")  # no label file
    problems: list[tuple[str, str]] = []
    result = score_dirs(
        "xnli", tmp_path / "p", tmp_path / "l", on_problem=lambda s, m: problems.append((s, m))
    )
    assert result["scores"] == {"sw": {"accuracy": 100.0}}
    messages = {Path(s).name: m for s, m in problems}
    assert messages["test-fr.tsv"] == "no label file for this language"
    assert messages["test-de.tsv"] == "missing prediction file"
    assert "1 predictions for 2 labels" in messages["test-ur.tsv"]
    with pytest.raises(ScoreError, match="test-fr.tsv: no label file"):
        score_dirs("xnli", tmp_path / "p", tmp_path / "l")
    with pytest.raises(ScoreError, match="label folder not found"):
        score_dirs("xnli", tmp_path / "p", tmp_path / "nowhere")


# === claimlab score =============================================================================


def _xnli_dirs(tmp_path: Path) -> tuple[Path, Path]:
    write_labels("xnli", "sw", [0, 1, 2, 0], tmp_path / "labels")
    write_predictions("xnli", "sw", [0, 1, 1, 1], tmp_path / "preds")
    write_labels("xnli", "ur", [2, 2], tmp_path / "labels")
    write_predictions("xnli", "ur", [2, 2], tmp_path / "preds")
    return tmp_path / "preds" / "xnli", tmp_path / "labels" / "xnli"


def test_cli_score_json_prints_exactly_one_object(tmp_path):
    pred, label = _xnli_dirs(tmp_path)
    result = CliRunner().invoke(app, ["score", "xnli", str(pred), str(label), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload == {
        "task": "xnli",
        "scores": {"sw": {"accuracy": 50.0}, "ur": {"accuracy": 100.0}},
        "average": {"accuracy": 75.0, "metric": 75.0},
    }


def test_cli_score_table_and_problem_lines(tmp_path):
    pred, label = _xnli_dirs(tmp_path)
    (pred / "test-ur.tsv").unlink()
    result = CliRunner().invoke(app, ["score", "xnli", str(pred), str(label)])
    assert result.exit_code == 1
    assert "sw" in result.stdout and "50.00" in result.stdout
    # rich wraps stderr at the terminal width; the message itself is one line
    assert "test-ur.tsv: missing prediction file" in result.stderr.replace("\n", "")
    bad = CliRunner().invoke(app, ["score", "snli", str(pred), str(label), "--json"])
    assert (
        bad.exit_code == 2
        and "not a scorable task" in bad.stderr.replace("\n", " ")
        and bad.stdout == ""
    )
