"""Readers for the real local data files in ``../shared/data`` (see its SOURCES.md).

``LOCAL_SOURCES[task][split]`` says which languages have a local file and how to read it. Each reader
takes ``(data_dir, lang, split)`` and returns the task's example records in file order, with labels
mapped onto the registry's label order (NLI: entailment, neutral, contradiction).

``kind`` tells apart real evaluation/training data (``full``: the whole upstream file, ``subset``: a
real but partial copy, such as XQuAD's 153-QA excerpt) from ``fixture`` files (1-5 items, the
``dummy_data`` excerpts): fixtures prove a reader handles the real format but are never used unless
asked for, because nobody should train or evaluate on five examples by accident.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from replicate.records import (
    ClassificationExample,
    MultipleChoiceExample,
    QAExample,
    RetrievalSet,
    TaggingExample,
)
from replicate.tasks import (
    AMERICASNLI_LANGS,
    NLI_LABELS,
    TATOEBA_CODES,
    TYDIQA_NAMES,
    XCOPA_LANGS,
    XNLI_LANGS,
)

Reader = Callable[[Path, str, str], list]
NLI_INDEX = {name: i for i, name in enumerate(NLI_LABELS)}


@dataclass(frozen=True)
class LocalSource:
    """Where one task split lives locally and how to read it."""

    languages: tuple[str, ...]
    reader: Reader
    kind: str = "full"  # full | subset | fixture
    description: str = ""


# === Small file helpers ==========================================================================


def _lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [line.rstrip("\n").rstrip("\r") for line in f]


def _tsv_rows(path: Path, header: bool) -> list[list[str]]:
    # Plain split, not csv: these files contain unbalanced quotes that csv would swallow.
    rows = [line.split("\t") for line in _lines(path) if line.strip()]
    return rows[1:] if header else rows


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in _lines(path) if line.strip()]


def _nli(task: str, split: str, lang: str, rows: list[tuple[str, str, str]]) -> list:
    return [
        ClassificationExample(
            f"{task}/{lang}/{split}/{i}", p.strip(), NLI_INDEX[y.strip()], h.strip()
        )
        for i, (p, h, y) in enumerate(rows)
    ]


# === NLI ========================================================================================


def read_snli(data_dir: Path, lang: str, split: str) -> list:
    """SNLI from e-SNLI's line-aligned ``s1.*``, ``s2.*``, ``labels.*`` (dev, test)."""
    suffix = {"validation": "dev", "test": "test"}[split]
    root = data_dir / "english" / "snli"
    s1, s2, y = (_lines(root / f"{name}.{suffix}") for name in ("s1", "s2", "labels"))
    if not len(s1) == len(s2) == len(y):
        raise ValueError(f"{root}: s1/s2/labels.{suffix} differ in length")
    rows = [(a, b, lab) for a, b, lab in zip(s1, s2, y, strict=True) if lab.strip() in NLI_INDEX]
    return _nli("snli", split, lang, rows)


def read_xnli(data_dir: Path, lang: str, split: str) -> list:
    """XNLI: XTREME-format dev for 15 languages; test for sw/ur (myXNLI) and de (XGLUE)."""
    root = data_dir / "xnli"
    if split == "validation" and lang in XNLI_LANGS:
        rows = _tsv_rows(root / "xtreme_dev_15lang" / f"dev-{lang}.tsv", header=False)
        return _nli("xnli", split, lang, [(r[0], r[1], r[2]) for r in rows])
    if lang == "de" and split == "test":
        rows = _tsv_rows(root / "de_xglue" / "test.txt", header=False)
        return _nli("xnli", split, lang, [(r[0], r[1], r[2]) for r in rows])
    suffix = {"validation": "dev", "test": "test"}[split]
    header, *rows = _tsv_rows(root / "myxnli_sw_ur_my" / f"{lang}.genre.{suffix}.tsv", header=False)
    # The Myanmar files also carry the English originals: pick the columns by name.
    a, b, y = (header.index(c) for c in (f"sentence1_{lang}", f"sentence2_{lang}", "label"))
    return _nli("xnli", split, lang, [(r[a], r[b], r[y]) for r in rows])


def read_americasnli(data_dir: Path, lang: str, split: str) -> list:
    """AmericasNLI: one TSV per language (id, language, premise, hypothesis, label)."""
    folder = {"validation": "dev", "test": "test"}[split]
    rows = _tsv_rows(data_dir / "americasnli" / folder / f"{lang}.tsv", header=True)
    return _nli("americasnli", split, lang, [(r[2], r[3], r[4]) for r in rows])


def read_jiant_mnli(data_dir: Path, lang: str, split: str) -> list:
    """jiant's MNLI test fixture (5 items per split, jsonl with premise/hypothesis/label)."""
    name = {"train": "train", "validation": "val"}[split]
    rows = _jsonl(data_dir / "english" / "jiant_fixtures" / "mnli" / f"mnli_{name}.jsonl")
    return _nli("mnli", split, lang, [(r["premise"], r["hypothesis"], r["label"]) for r in rows])


# === Other classification ========================================================================


def read_pawsx(data_dir: Path, lang: str, split: str) -> list:
    """PAWS-X (id, sentence1, sentence2, label): German dev/test from XGLUE, else HF excerpts."""
    if lang == "de" and split in ("validation", "test"):
        path = (
            data_dir / "paws-x" / "de_xglue" / {"validation": "dev.tsv", "test": "test.tsv"}[split]
        )
    else:
        train = "train.tsv" if lang == "en" else "translated_train.tsv"
        name = {"train": train, "validation": "dev_2k.tsv", "test": "test_2k.tsv"}[split]
        path = data_dir / "paws-x" / "hf_excerpt" / lang / name
    rows = [r for r in _tsv_rows(path, header=True) if len(r) >= 4 and r[3].strip() in ("0", "1")]
    return [
        ClassificationExample(f"pawsx/{lang}/{split}/{r[0]}", r[1].strip(), int(r[3]), r[2].strip())
        for r in rows
    ]


def read_sst2(data_dir: Path, lang: str, split: str) -> list:
    """SST-2 (sentence, label) from forest-snow/alps: train, dev (validation), test (= GLUE dev)."""
    name = {"train": "train.tsv", "validation": "dev.tsv", "test": "test.tsv"}[split]
    rows = _tsv_rows(data_dir / "english" / "sst2" / name, header=True)
    return [
        ClassificationExample(f"sst2/{lang}/{split}/{i}", r[0].strip(), int(r[1]))
        for i, r in enumerate(rows)
    ]


# === Multiple choice ==============================================================================


def _copa_rows(task: str, lang: str, split: str, rows: list[dict]) -> list:
    # ``question`` keeps the dataset's own value (cause / effect); heads phrase it.
    return [
        MultipleChoiceExample(
            f"{task}/{lang}/{split}/{r.get('idx', i)}",
            r["premise"],
            (r["choice1"], r["choice2"]),
            int(r["label"]),
            r["question"],
        )
        for i, r in enumerate(rows)
    ]


def read_xcopa(data_dir: Path, lang: str, split: str) -> list:
    """XCOPA ``data/{lang}/{val|test}.{lang}.jsonl`` (100 val, 500 test per language)."""
    name = {"validation": "val", "test": "test"}[split]
    return _copa_rows(
        "xcopa", lang, split, _jsonl(data_dir / "xcopa" / "data" / lang / f"{name}.{lang}.jsonl")
    )


def read_copa_fixture(data_dir: Path, lang: str, split: str) -> list:
    """English COPA, HF SuperGLUE excerpt (fixture)."""
    name = {"train": "train", "validation": "val"}[split]
    path = data_dir / "english" / "hf_excerpt" / "super_glue_copa" / f"{name}.jsonl"
    return _copa_rows("copa", lang, split, _jsonl(path))


def read_socialiqa(data_dir: Path, lang: str, split: str) -> list:
    """Social IQa: ``{train,dev}.jsonl`` with 1-based ``*-labels.lst`` (mapped to 0-based)."""
    name = {"train": "train", "validation": "dev"}[split]
    root = data_dir / "english" / "socialiqa"
    rows = _jsonl(root / f"{name}.jsonl")
    labels = [y for y in _lines(root / f"{name}-labels.lst") if y.strip()]
    if len(rows) != len(labels):
        raise ValueError(f"{root}: {name}.jsonl and {name}-labels.lst differ in length")
    return [
        MultipleChoiceExample(
            f"socialiqa/{lang}/{split}/{i}",
            r["context"],
            (r["answerA"], r["answerB"], r["answerC"]),
            int(y) - 1,
            r["question"],
        )
        for i, (r, y) in enumerate(zip(rows, labels, strict=True))
    ]


def read_cosmosqa(data_dir: Path, lang: str, split: str) -> list:
    """Cosmos QA ``valid.csv`` (id, context, question, answer0-3, label)."""
    with (data_dir / "english" / "cosmosqa" / "valid.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        MultipleChoiceExample(
            f"cosmosqa/{lang}/{split}/{r['id']}",
            r["context"],
            tuple(r[f"answer{k}"] for k in range(4)),
            int(r["label"]),
            r["question"],
        )
        for r in rows
    ]


def read_commonsenseqa(data_dir: Path, lang: str, split: str) -> list:
    """CommonsenseQA ``dev_rand_split.jsonl``; the answer key letter becomes a choice index."""
    rows = _jsonl(data_dir / "english" / "commonsenseqa" / "dev_rand_split.jsonl")
    return [
        MultipleChoiceExample(
            f"commonsenseqa/{lang}/{split}/{r['id']}",
            "",
            tuple(r["choices"]["text"]),
            r["choices"]["label"].index(r["answerKey"]),
            r["question"],
        )
        for r in rows
    ]


# === QA ==========================================================================================


def squad_examples(task: str, lang: str, split: str, data: list[dict], prefix: str = "") -> list:
    """QA examples from SQuAD-format ``data`` (articles -> paragraphs -> qas); id prefix filter."""
    out = []
    for article in data:
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                if prefix and not qa["id"].startswith(prefix):
                    continue
                answers = qa.get("answers", [])
                out.append(
                    QAExample(
                        qa["id"],
                        qa["question"],
                        para["context"],
                        tuple(a["text"] for a in answers),
                        tuple(int(a["answer_start"]) for a in answers),
                    )
                )
    return out


def _squad_file(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return json.load(f)["data"]


def read_mlqa_en(data_dir: Path, lang: str, split: str) -> list:
    """MLQA en-en dev (1,148 QAs) in SQuAD v1.1 format; also SQuAD's offline stand-in."""
    path = data_dir / "english" / "mlqa_en_squad_format" / "dev-context-en-question-en.json"
    return squad_examples("mlqa", lang, split, _squad_file(path))


def read_mlqa_fixture(data_dir: Path, lang: str, split: str) -> list:
    """MLQA HF excerpt: ``{dev,test}/{split}-context-en-question-{lang}.json`` (fixture)."""
    name = {"validation": "dev", "test": "test"}[split]
    path = data_dir / "mlqa" / "hf_dummy" / name / f"{name}-context-en-question-{lang}.json"
    return squad_examples("mlqa", lang, split, _squad_file(path))


def read_xquad(data_dir: Path, lang: str, split: str) -> list:
    """XQuAD excerpt: 153 real QAs (5 articles) per language, SQuAD format."""
    return squad_examples(
        "xquad", lang, split, _squad_file(data_dir / "xquad" / "hf_dummy" / f"xquad.{lang}.json")
    )


def read_tydiqa_fixture(data_dir: Path, lang: str, split: str) -> list:
    """TyDiQA-GoldP HF excerpt; the language is the id prefix (``arabic-...``)."""
    name = {"train": "train", "test": "dev"}[split]
    path = data_dir / "tydiqa" / "hf_dummy" / f"tydiqa-goldp-v1.1-{name}.json"
    return squad_examples("tydiqa", lang, split, _squad_file(path), prefix=TYDIQA_NAMES[lang] + "-")


# === Tagging and retrieval =======================================================================


def read_wikiann_fixture(data_dir: Path, lang: str, split: str) -> list:
    """WikiANN (Rahimi splits) HF excerpt: ``lang:token<TAB>tag`` lines, blank between sentences."""
    name = {"train": "train", "validation": "dev", "test": "test"}[split]
    sentences, tokens, tags = [], [], []
    for line in [*_lines(data_dir / "wikiann" / "hf_dummy" / lang / name), ""]:
        if line.strip():
            token, tag = line.split("\t")
            tokens.append(token.split(":", 1)[1] if token.startswith(f"{lang}:") else token)
            tags.append(tag.strip())
        elif tokens:
            sentences.append(
                TaggingExample(
                    f"wikiann/{lang}/{split}/{len(sentences)}", tuple(tokens), tuple(tags)
                )
            )
            tokens, tags = [], []
    return sentences


def read_tatoeba(data_dir: Path, lang: str, split: str) -> RetrievalSet:
    """Tatoeba LASER test pairs ``tatoeba.{iso3}-eng.{iso3|eng}``: sources in lang, targets English."""
    code = TATOEBA_CODES.get(lang, lang)
    root = data_dir / "tatoeba"
    src, tgt = _lines(root / f"tatoeba.{code}-eng.{code}"), _lines(root / f"tatoeba.{code}-eng.eng")
    if len(src) != len(tgt):
        raise ValueError(f"{root}: tatoeba.{code}-eng files differ in length")
    return RetrievalSet(lang, tuple(src), tuple(tgt))


# === The registry of local files ==================================================================

_XNLI_TEST = ("de", "sw", "ur")
LOCAL_SOURCES: dict[str, dict[str, LocalSource]] = {
    "snli": {
        "validation": LocalSource(("en",), read_snli, description="e-SNLI copy of SNLI dev"),
        "test": LocalSource(("en",), read_snli, description="e-SNLI copy of SNLI test"),
    },
    "mnli": {
        "train": LocalSource(("en",), read_jiant_mnli, "fixture", "jiant test fixture"),
        "validation": LocalSource(("en",), read_jiant_mnli, "fixture", "jiant test fixture"),
    },
    "xnli": {
        "validation": LocalSource(XNLI_LANGS + ("my",), read_xnli, description="XTREME dev (+myXNLI my)"),
        "test": LocalSource(_XNLI_TEST + ("my",), read_xnli, description="myXNLI sw/ur/my, XGLUE de"),
    },
    "americasnli": {
        "validation": LocalSource(AMERICASNLI_LANGS, read_americasnli),
        "test": LocalSource(AMERICASNLI_LANGS, read_americasnli),
    },
    "pawsx": {
        "train": LocalSource(("de", "en", "es", "fr", "ja", "ko", "zh"), read_pawsx, "fixture"),
        "validation": LocalSource(("de",), read_pawsx, description="XGLUE German dev"),
        "test": LocalSource(("de",), read_pawsx, description="XGLUE German test"),
    },
    "sst2": {
        split: LocalSource(("en",), read_sst2) for split in ("train", "validation", "test")
    },
    "xcopa": {split: LocalSource(XCOPA_LANGS, read_xcopa) for split in ("validation", "test")},
    "copa": {
        split: LocalSource(("en",), read_copa_fixture, "fixture") for split in ("train", "validation")
    },
    "socialiqa": {split: LocalSource(("en",), read_socialiqa) for split in ("train", "validation")},
    "cosmosqa": {"validation": LocalSource(("en",), read_cosmosqa)},
    "commonsenseqa": {"validation": LocalSource(("en",), read_commonsenseqa)},
    "mlqa": {
        "validation": LocalSource(("en",), read_mlqa_en, description="MLQA en-en dev, SQuAD format"),
        "test": LocalSource(("ar", "de", "en", "es", "hi", "vi", "zh"), read_mlqa_fixture, "fixture"),
    },
    "xquad": {
        "test": LocalSource(
            ("ar", "de", "el", "en", "es", "hi", "ro", "ru", "th", "tr", "vi", "zh"), read_xquad, "subset"
        )
    },
    "tydiqa": {
        split: LocalSource(tuple(TYDIQA_NAMES), read_tydiqa_fixture, "fixture") for split in ("train", "test")
    },
    "wikiann": {
        split: LocalSource(
            ("en", "kk", "mr", "qu", "sw", "ta", "te", "tl", "ur", "yo"), read_wikiann_fixture, "fixture"
        )
        for split in ("train", "validation", "test")
    },
    "tatoeba": {"test": LocalSource(tuple(TATOEBA_CODES), read_tatoeba, description="LASER v1 test pairs")},
}  # fmt: skip


def local_source(
    task: str, split: str, lang: str, allow_fixtures: bool = False
) -> LocalSource | None:
    """The local source of one (task, split, lang), or None when there is none usable."""
    source = LOCAL_SOURCES.get(task, {}).get(split)
    if source is None or lang not in source.languages:
        return None
    if source.kind == "fixture" and not allow_fixtures:
        return None
    return source
