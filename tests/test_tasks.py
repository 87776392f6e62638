"""The task registry: complete, consistent, and matching the official language lists."""

from __future__ import annotations

import pytest

from replicate.tasks import (
    INTERMEDIATE_TASKS,
    NLI_LABELS,
    PAPER_INTERMEDIATE_TASKS,
    TARGET_TASKS,
    TASKS,
    get_task,
    task_for_xtreme_name,
)

XTREME = ("xnli", "pawsx", "udpos", "panx", "xquad", "mlqa", "tydiqa", "bucc2018", "tatoeba")
XTREME_R_ADDED = ("xcopa", "wikiann", "mewslix", "lareqa")


def test_every_task_of_the_issue_is_registered():
    for name in PAPER_INTERMEDIATE_TASKS + ("snli", "socialiqa") + XTREME + XTREME_R_ADDED:
        assert name in TASKS, name
    assert "americasnli" in TASKS
    assert set(PAPER_INTERMEDIATE_TASKS) <= set(INTERMEDIATE_TASKS)
    assert set(XTREME + XTREME_R_ADDED) <= set(TARGET_TASKS)


@pytest.mark.parametrize(
    ("task", "count"),
    [
        ("xnli", 15),
        ("pawsx", 7),
        ("xcopa", 11),
        ("panx", 40),
        ("wikiann", 48),
        ("xquad", 12),
        ("mlqa", 7),
        ("tydiqa", 9),
        ("bucc2018", 4),
        ("tatoeba", 41),
        ("mewslix", 11),
        ("lareqa", 11),
        ("americasnli", 10),
    ],
)
def test_language_counts_match_the_benchmarks(task, count):
    spec = TASKS[task]
    assert len(spec.languages) == count
    assert len(set(spec.languages)) == count  # no duplicates


def test_xtreme_subsets_are_inside_xtreme_r_lists():
    assert len(TASKS["tatoeba"].benchmark_languages["xtreme"]) == 36
    assert len(TASKS["udpos"].benchmark_languages["xtreme"]) == 33
    assert len(TASKS["xquad"].benchmark_languages["xtreme"]) == 11
    for spec in TASKS.values():
        for langs in spec.benchmark_languages.values():
            assert set(langs) <= set(spec.languages), spec.name


def test_xcopa_languages_are_exactly_anchors_list():
    assert TASKS["xcopa"].languages == tuple("et ht id it qu sw ta th tr vi zh".split())


def test_tatoeba_maps_xtreme_codes_to_laser_codes():
    tatoeba = TASKS["tatoeba"]
    assert tatoeba.dataset_code("zh") == "cmn"
    assert tatoeba.dataset_code("sw") == "swh"
    assert tatoeba.dataset_code("fa") == "pes"
    assert set(tatoeba.lang_codes) == set(tatoeba.languages)
    assert tatoeba.config_for("zh") == "tatoeba.cmn"


def test_hub_configs_fill_in_the_language():
    assert get_task("xnli").config_for("sw") == "sw"
    assert get_task("udpos").config_for("de") == "udpos.German"
    assert get_task("udpos").config_for("af") == "udpos.Afrikans"  # the hub config's spelling
    assert get_task("panx").config_for("sw") == "PAN-X.sw"
    assert get_task("mlqa").config_for("zh") == "mlqa.zh.zh"
    assert get_task("snli").config_for("en") is None


def test_nli_tasks_share_one_label_order():
    for name in ("snli", "mnli", "anli", "xnli", "americasnli"):
        assert TASKS[name].label_names == NLI_LABELS == ("entailment", "neutral", "contradiction")
        assert TASKS[name].num_labels == 3


def test_metrics_and_lengths_follow_the_recipe():
    for spec in TASKS.values():
        assert spec.primary_metric in spec.metrics, spec.name
        assert set(spec.metrics) <= {
            "accuracy",
            "f1",
            "precision",
            "recall",
            "exact_match",
            "map@20",
        }
        expected = 384 if spec.format == "qa" else 256
        assert spec.max_length == expected, spec.name
    assert TASKS["xquad"].metrics == ("f1", "exact_match")
    assert TASKS["bucc2018"].primary_metric == "f1"
    assert TASKS["mewslix"].primary_metric == "map@20"
    assert TASKS["udpos"].num_labels == 17


def test_english_training_sources_and_standins():
    assert TASKS["xnli"].english_train == ("mnli",)
    assert TASKS["xquad"].english_train == TASKS["mlqa"].english_train == ("squad",)
    assert TASKS["pawsx"].english_train == ("pawsx",)
    assert TASKS["xcopa"].english_train == ("socialiqa", "copa")
    assert TASKS["mnli"].offline_standin == ("snli", "en")
    assert TASKS["squad"].offline_standin == ("mlqa", "en")
    assert TASKS["copa"].offline_standin == ("socialiqa", "en")
    for spec in TASKS.values():
        for name in spec.english_train:
            assert name in TASKS, (spec.name, name)


def test_groups_and_official_folder_names():
    assert TASKS["xnli"].group == "classification"
    assert TASKS["udpos"].group == "structured prediction"
    assert TASKS["tydiqa"].group == "question answering"
    assert TASKS["tatoeba"].group == "retrieval"
    assert task_for_xtreme_name("panx").name == "panx"
    assert TASKS["wikiann"].xtreme_name == "panx"
    assert task_for_xtreme_name("bucc2018").format == "retrieval"


def test_unknown_task_names_the_known_ones():
    with pytest.raises(KeyError, match="known: .*xnli"):
        get_task("xnly")


def test_task_specs_are_hashable_and_frozen():
    import dataclasses

    assert len({TASKS["xnli"], TASKS["xnli"], TASKS["snli"]}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        TASKS["xnli"].max_length = 10  # type: ignore[misc]
