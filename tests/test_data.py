"""Loaders on the real local files: counts, label maps, stratified caps, offline failures."""

from __future__ import annotations

from collections import Counter

import pytest

from replicate.data import (
    DataUnavailable,
    available,
    load_examples,
    stratified_cap,
    training_source,
)
from replicate.records import (
    ClassificationExample,
    MultipleChoiceExample,
    QAExample,
    RetrievalSet,
    TaggingExample,
)


@pytest.mark.parametrize(
    ("task", "split", "lang", "count"),
    [
        ("snli", "validation", "en", 9842),
        ("snli", "test", "en", 9824),
        ("xnli", "validation", "sw", 2490),
        ("xnli", "validation", "ur", 2490),
        ("xnli", "validation", "en", 2490),
        ("xnli", "test", "sw", 5010),
        ("xnli", "test", "ur", 5010),
        ("xnli", "test", "de", 5010),
        ("americasnli", "validation", "quy", 743),
        ("americasnli", "test", "aym", 750),
        ("xcopa", "validation", "qu", 100),
        ("xcopa", "test", "ht", 500),
        ("socialiqa", "train", "en", 33410),
        ("socialiqa", "validation", "en", 1954),
        ("sst2", "train", "en", 60614),
        ("sst2", "validation", "en", 6735),
        ("sst2", "test", "en", 872),
        ("pawsx", "validation", "de", 2000),
        ("pawsx", "test", "de", 2000),
        ("mlqa", "validation", "en", 1148),
        ("xquad", "test", "de", 153),
        ("cosmosqa", "validation", "en", 2985),
        ("commonsenseqa", "validation", "en", 1221),
    ],
)
def test_local_counts(shared_data, task, split, lang, count):
    assert len(load_examples(task, split, lang, data_dir=shared_data)) == count


def test_americasnli_total_matches_sources(shared_data):
    from replicate.tasks import AMERICASNLI_LANGS

    dev = sum(
        len(load_examples("americasnli", "validation", lg, data_dir=shared_data))
        for lg in AMERICASNLI_LANGS
    )
    test = sum(
        len(load_examples("americasnli", "test", lg, data_dir=shared_data))
        for lg in AMERICASNLI_LANGS
    )
    assert (dev, test) == (6666, 7486)


def test_nli_label_maps_agree_across_datasets(shared_data):
    # First SNLI dev item is labelled neutral, first XNLI dev item neutral, first de test contradiction.
    snli = load_examples("snli", "validation", data_dir=shared_data)
    xnli = load_examples("xnli", "validation", "sw", data_dir=shared_data)
    de = load_examples("xnli", "test", "de", data_dir=shared_data)
    anli = load_examples("americasnli", "test", "quy", data_dir=shared_data)
    assert [e.label for e in snli[:3]] == [1, 0, 2]  # neutral, entailment, contradiction
    assert [e.label for e in xnli[:3]] == [1, 2, 0]  # neutral, contradiction, entailment
    assert de[0].label == 2 and anli[0].label == 2 and anli[1].label == 0
    assert Counter(e.label for e in xnli) == {0: 830, 1: 830, 2: 830}
    assert isinstance(snli[0], ClassificationExample) and snli[0].text_b


def test_myanmar_file_gives_myanmar_text_not_english(shared_data):
    my = load_examples("xnli", "validation", "my", data_dir=shared_data)
    assert not my[0].text_a.isascii()


def test_multiple_choice_labels_are_zero_based(shared_data):
    siqa = load_examples("socialiqa", "validation", data_dir=shared_data)
    assert isinstance(siqa[0], MultipleChoiceExample)
    assert siqa[0].label == 2 and len(siqa[0].choices) == 3  # labels.lst says 3
    xcopa = load_examples("xcopa", "validation", "sw", data_dir=shared_data)
    assert xcopa[0].label == 1 and xcopa[0].question == "effect" and len(xcopa[0].choices) == 2
    csqa = load_examples("commonsenseqa", "validation", data_dir=shared_data)
    assert csqa[0].label == 0 and csqa[0].choices[0] == "bank"


def test_qa_and_tatoeba_records(shared_data):
    mlqa = load_examples("mlqa", "validation", "en", data_dir=shared_data)
    assert isinstance(mlqa[0], QAExample)
    ex = mlqa[0]
    start = ex.answer_starts[0]
    assert ex.context[start : start + len(ex.answer_texts[0])] == ex.answer_texts[0]
    tat = load_examples("tatoeba", "test", "sw", data_dir=shared_data)
    assert isinstance(tat, RetrievalSet) and len(tat.sources) == len(tat.targets) == 390
    assert tat.sources[0] == "Alinileta kahawa." and tat.targets[0] == "He brought me coffee."
    assert len(load_examples("tatoeba", "test", "zh", data_dir=shared_data).sources) == 1000


def test_tatoeba_has_every_xtreme_r_language(shared_data):
    from replicate.tasks import TASKS

    for lang in TASKS["tatoeba"].languages:
        assert available("tatoeba", "test", lang, shared_data), lang


def test_fixtures_only_when_asked(shared_data):
    assert not available("wikiann", "test", "sw", shared_data)
    with pytest.raises(DataUnavailable):
        load_examples("wikiann", "test", "sw", data_dir=shared_data, source="local")
    tags = load_examples(
        "wikiann", "validation", "sw", data_dir=shared_data, source="local", allow_fixtures=True
    )
    assert isinstance(tags[0], TaggingExample)
    assert tags[0].tokens[:3] == ("Khartoum", ",", "Sudan") and tags[0].tags[0] == "B-LOC"


def test_stratified_cap_keeps_label_shares(shared_data):
    sst = load_examples("sst2", "train", data_dir=shared_data)
    full = Counter(e.label for e in sst)
    capped = load_examples("sst2", "train", cap=1000, seed=3, data_dir=shared_data)
    got = Counter(e.label for e in capped)
    assert len(capped) == 1000
    for label, n in full.items():
        assert abs(got[label] - 1000 * n / len(sst)) <= 1
    snli = load_examples("snli", "validation", cap=64, seed=0, data_dir=shared_data)
    assert sorted(Counter(e.label for e in snli).values()) == [21, 21, 22]


def test_caps_are_deterministic_and_seeded(shared_data):
    a = load_examples("socialiqa", "train", cap=100, seed=7, data_dir=shared_data)
    b = load_examples("socialiqa", "train", cap=100, seed=7, data_dir=shared_data)
    c = load_examples("socialiqa", "train", cap=100, seed=8, data_dir=shared_data)
    assert [e.guid for e in a] == [e.guid for e in b]
    assert [e.guid for e in a] != [e.guid for e in c]
    guids = [e.guid for e in a]
    assert guids == sorted(guids, key=lambda g: int(g.rsplit("/", 1)[1]))  # file order kept


def test_caps_for_unlabelled_and_retrieval_data(shared_data):
    qa = load_examples("mlqa", "validation", cap=10, seed=1, data_dir=shared_data)
    assert len(qa) == 10 and qa == load_examples(
        "mlqa", "validation", cap=10, seed=1, data_dir=shared_data
    )
    tat = load_examples("tatoeba", "test", "de", cap=50, seed=0, data_dir=shared_data)
    full = load_examples("tatoeba", "test", "de", data_dir=shared_data)
    pairs = set(zip(full.sources, full.targets, strict=True))
    assert len(tat.sources) == 50 and all(
        p in pairs for p in zip(tat.sources, tat.targets, strict=True)
    )


def test_stratified_cap_edge_cases():
    exs = [ClassificationExample(str(i), "x", i % 3) for i in range(10)]
    assert stratified_cap(exs, 100) == exs
    assert stratified_cap(exs, 0) == []
    assert Counter(e.label for e in stratified_cap(exs, 3)) == {0: 1, 1: 1, 2: 1}


def test_offline_without_local_data_says_so_in_one_line(shared_data):
    with pytest.raises(DataUnavailable) as info:
        load_examples("xnli", "test", "fr", data_dir=shared_data)
    message = str(info.value)
    assert "\n" not in message and "xnli" in message and "[fr]" in message and "test" in message
    with pytest.raises(DataUnavailable, match=r"mnli \[en\] train: .*stand-in: snli"):
        load_examples("mnli", "train", data_dir=shared_data)
    with pytest.raises(DataUnavailable, match="udpos"):
        load_examples("udpos", "test", "de", data_dir=shared_data)


def test_hub_route_uses_datasets_and_fails_fast_offline(shared_data, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(DataUnavailable, match="hub"):
        load_examples("snli", "validation", data_dir=shared_data, source="hub")


def test_unknown_split_and_local_only(shared_data):
    with pytest.raises(DataUnavailable, match="unknown split"):
        load_examples("snli", "dev", data_dir=shared_data)
    with pytest.raises(DataUnavailable, match="no local data"):
        load_examples("hellaswag", "validation", data_dir=shared_data, source="local")


def test_training_sources_offline(shared_data):
    assert training_source("sst2", shared_data).split == "train"
    assert not training_source("socialiqa", shared_data).is_standin
    mnli = training_source("mnli", shared_data)
    assert (mnli.task, mnli.split) == ("snli", "validation") and "mnli" in mnli.note
    squad = training_source("squad", shared_data)
    assert (squad.task, squad.split, squad.lang) == ("mlqa", "validation", "en")
    copa = training_source("copa", shared_data)
    assert (copa.task, copa.split) == ("socialiqa", "train")
    with pytest.raises(DataUnavailable):
        training_source("hellaswag", shared_data)


# === The hub route: datasets.load_dataset on a local dataset repository ==========================


def _local_repo(root, config: str, split: str, rows: list[dict]):
    """A folder laid out like a hub dataset repo (README configs + jsonl), loadable offline."""
    import json

    (root / config).mkdir(parents=True)
    with (root / config / f"{split}.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    (root / "README.md").write_text(
        f"---\nconfigs:\n- config_name: {config}\n  data_files:\n"
        f"  - split: {split}\n    path: {config}/{split}.jsonl\n---\n"
    )
    return root


@pytest.fixture()
def hub_cache(tmp_path, monkeypatch):
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-cache")


def test_hub_route_matches_local_route_for_xnli(shared_data, tmp_path, hub_cache):
    from dataclasses import replace

    from replicate.data_hub import load_from_hub
    from replicate.tasks import TASKS

    local = load_examples("xnli", "validation", "sw", data_dir=shared_data)[:20]
    rows = [{"premise": e.text_a, "hypothesis": e.text_b, "label": e.label} for e in local]
    rows.append({"premise": "x", "hypothesis": "y", "label": -1})  # hub marks no-gold items -1
    repo = _local_repo(tmp_path / "xnli", "sw", "validation", rows)
    spec = replace(TASKS["xnli"], hf_id=str(repo))
    hub = load_from_hub(spec, "validation", "sw")
    assert [(e.text_a, e.text_b, e.label) for e in hub] == [
        (e.text_a, e.text_b, e.label) for e in local
    ]


def test_hub_route_converts_each_format(tmp_path, hub_cache):
    from dataclasses import replace

    from replicate.data_hub import load_from_hub
    from replicate.tasks import TASKS

    tat = _local_repo(
        tmp_path / "t",
        "tatoeba.swh",
        "validation",
        [{"source_sentence": "Hakuna matata.", "target_sentence": "No problems."}],
    )
    rset = load_from_hub(replace(TASKS["tatoeba"], hf_id=str(tat)), "test", "sw")
    assert rset == RetrievalSet("sw", ("Hakuna matata.",), ("No problems.",))

    panx = _local_repo(
        tmp_path / "p",
        "PAN-X.sw",
        "test",
        [{"tokens": ["Khartoum", ",", "Sudan"], "ner_tags": [5, 0, 5], "langs": ["sw"] * 3}],
    )
    tags = load_from_hub(replace(TASKS["panx"], hf_id=str(panx)), "test", "sw")
    assert tags[0].tags == ("B-LOC", "O", "B-LOC")

    siqa = _local_repo(
        tmp_path / "s",
        "default",
        "validation",
        [
            {
                "context": "c",
                "question": "q",
                "answerA": "a",
                "answerB": "b",
                "answerC": "c",
                "label": "3",
            }
        ],
    )
    spec = replace(TASKS["socialiqa"], hf_id=str(siqa), hf_config="default")
    assert load_from_hub(spec, "validation", "en")[0].label == 2  # hub labels are 1-based strings

    squad = _local_repo(
        tmp_path / "q",
        "default",
        "validation",
        [
            {
                "id": "q1",
                "title": "t",
                "context": "Paris is big.",
                "question": "What?",
                "answers": {"text": ["Paris"], "answer_start": [0]},
            }
        ],
    )
    spec = replace(TASKS["squad"], hf_id=str(squad), hf_config="default")
    assert load_from_hub(spec, "validation", "en")[0] == QAExample(
        "q1", "What?", "Paris is big.", ("Paris",), (0,)
    )


@pytest.mark.parametrize(
    ("task", "split", "lang", "count", "first_label"),
    [
        ("anli", "train", "en", 9, 0),  # R1-R3, 3 each; "e" -> entailment
        ("snli", "train", "en", 3, 1),  # SNLI 1.0 release format, first item neutral
        ("mnli", "train", "en", 5, 1),
        ("qqp", "train", "en", 3, 0),
        ("hellaswag", "validation", "en", 2, 3),
        ("copa", "validation", "en", 2, 1),
        ("tydiqa", "test", "ar", 1, None),
        ("mlqa", "test", "en", 1, None),
    ],
)
def test_format_fixtures_load_when_asked(shared_data, task, split, lang, count, first_label):
    examples = load_examples(task, split, lang, data_dir=shared_data, allow_fixtures=True)
    assert len(examples) == count
    assert getattr(examples[0], "label", None) == first_label
    assert not available(task, split, lang, shared_data)  # never used by default


def test_laser_codes_and_settings_are_accepted(shared_data):
    from replicate.data import DataSettings, xtreme_code

    assert xtreme_code("tatoeba", "cmn") == "zh" and xtreme_code("tatoeba", "swh") == "sw"
    assert xtreme_code("xnli", "sw") == "sw"
    by_laser = load_examples("tatoeba", "test", "swh", data_dir=shared_data)
    assert by_laser.lang == "sw" and len(by_laser.sources) == 390
    local_only = DataSettings(source="local", data_dir=str(shared_data))
    with pytest.raises(DataUnavailable, match="no local data"):
        load_examples("hellaswag", "validation", settings=local_only)
    fixtures = DataSettings(source="local", data_dir=str(shared_data), allow_fixtures=True)
    assert len(load_examples("hellaswag", "validation", settings=fixtures)) == 2


def test_smaller_caps_are_inside_larger_ones(shared_data):
    small = load_examples("snli", "validation", cap=100, seed=5, data_dir=shared_data)
    large = load_examples("snli", "validation", cap=1000, seed=5, data_dir=shared_data)
    assert {e.guid for e in small} <= {e.guid for e in large}
    qa_small = load_examples("mlqa", "validation", cap=20, seed=5, data_dir=shared_data)
    qa_large = load_examples("mlqa", "validation", cap=200, seed=5, data_dir=shared_data)
    assert {e.guid for e in qa_small} <= {e.guid for e in qa_large}


def test_stratified_cap_stays_within_one_of_each_share():
    exs = [
        ClassificationExample(str(i), "x", 0 if i < 70 else (1 if i < 95 else 2))
        for i in range(100)
    ]
    for cap in range(1, 100):
        got = Counter(e.label for e in stratified_cap(exs, cap, seed=1))
        assert sum(got.values()) == cap
        for label, share in ((0, 0.70), (1, 0.25), (2, 0.05)):
            assert abs(got[label] - share * cap) <= 1, (cap, label, got)


def test_hub_tag_ids_decode_with_the_datasets_own_class_names():
    from datasets import ClassLabel, Dataset, Features, Sequence, Value

    from replicate.data_hub import CONVERTERS
    from replicate.tasks import TASKS

    features = Features(
        {"tokens": Sequence(Value("string")), "pos_tags": Sequence(ClassLabel(names=["X", "NOUN"]))}
    )
    rows = Dataset.from_dict({"tokens": [["Haus", "!"]], "pos_tags": [[1, 0]]}, features=features)
    assert CONVERTERS["udpos"](TASKS["udpos"], "de", "test", rows)[0].tags == ("NOUN", "X")


def test_unknown_language_is_named(shared_data):
    with pytest.raises(DataUnavailable, match=r"xnli \[xx\] test: not a language of xnli \(ar, bg"):
        load_examples("xnli", "test", "xx", data_dir=shared_data)
