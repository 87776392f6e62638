"""Readers for the real local data files in ``../shared/data`` (see its SOURCES.md).

Each reader takes ``(data_dir, lang, split)`` and returns the task's example records in file order,
with labels mapped onto the registry's label order (NLI: entailment, neutral, contradiction).
Which reader serves which (task, split, language) is written out in :mod:`replicate.data_sources`;
the 1-5 item format fixtures have their readers in :mod:`replicate.data_fixtures`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from replicate.records import (
    ClassificationExample,
    MultipleChoiceExample,
    QAExample,
    RetrievalSet,
)
from replicate.tasks import (
    NLI_LABELS,
    TATOEBA_CODES,
    XNLI_LANGS,
)

NLI_INDEX = {name: i for i, name in enumerate(NLI_LABELS)}


# === Small file helpers ==========================================================================


def read_lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [line.rstrip("\n").rstrip("\r") for line in f]


def tsv_rows(path: Path, header: bool) -> list[list[str]]:
    # Plain split, not csv: these files contain unbalanced quotes that csv would swallow.
    rows = [line.split("\t") for line in read_lines(path) if line.strip()]
    return rows[1:] if header else rows


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in read_lines(path) if line.strip()]


def nli_examples(task: str, split: str, lang: str, rows: list[tuple[str, str, str]]) -> list:
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
    s1, s2, y = (read_lines(root / f"{name}.{suffix}") for name in ("s1", "s2", "labels"))
    if not len(s1) == len(s2) == len(y):
        raise ValueError(f"{root}: s1/s2/labels.{suffix} differ in length")
    rows = [(a, b, lab) for a, b, lab in zip(s1, s2, y, strict=True) if lab.strip() in NLI_INDEX]
    return nli_examples("snli", split, lang, rows)


def read_xnli(data_dir: Path, lang: str, split: str) -> list:
    """XNLI: XTREME-format dev for 15 languages; test for sw/ur (myXNLI) and de (XGLUE)."""
    root = data_dir / "xnli"
    if split == "validation" and lang in XNLI_LANGS:
        rows = tsv_rows(root / "xtreme_dev_15lang" / f"dev-{lang}.tsv", header=False)
        return nli_examples("xnli", split, lang, [(r[0], r[1], r[2]) for r in rows])
    if lang == "de" and split == "test":
        rows = tsv_rows(root / "de_xglue" / "test.txt", header=False)
        return nli_examples("xnli", split, lang, [(r[0], r[1], r[2]) for r in rows])
    suffix = {"validation": "dev", "test": "test"}[split]
    header, *rows = tsv_rows(root / "myxnli_sw_ur_my" / f"{lang}.genre.{suffix}.tsv", header=False)
    # The Myanmar files also carry the English originals: pick the columns by name.
    a, b, y = (header.index(c) for c in (f"sentence1_{lang}", f"sentence2_{lang}", "label"))
    return nli_examples("xnli", split, lang, [(r[a], r[b], r[y]) for r in rows])


def read_americasnli(data_dir: Path, lang: str, split: str) -> list:
    """AmericasNLI: one TSV per language (id, language, premise, hypothesis, label)."""
    folder = {"validation": "dev", "test": "test"}[split]
    rows = tsv_rows(data_dir / "americasnli" / folder / f"{lang}.tsv", header=True)
    return nli_examples("americasnli", split, lang, [(r[2], r[3], r[4]) for r in rows])


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
    rows = [r for r in tsv_rows(path, header=True) if len(r) >= 4 and r[3].strip() in ("0", "1")]
    return [
        ClassificationExample(f"pawsx/{lang}/{split}/{r[0]}", r[1].strip(), int(r[3]), r[2].strip())
        for r in rows
    ]


def read_sst2(data_dir: Path, lang: str, split: str) -> list:
    """SST-2 (sentence, label) from forest-snow/alps: train, dev (validation), test (= GLUE dev)."""
    name = {"train": "train.tsv", "validation": "dev.tsv", "test": "test.tsv"}[split]
    rows = tsv_rows(data_dir / "english" / "sst2" / name, header=True)
    return [
        ClassificationExample(f"sst2/{lang}/{split}/{i}", r[0].strip(), int(r[1]))
        for i, r in enumerate(rows)
    ]


# === Multiple choice ==============================================================================


def copa_examples(task: str, lang: str, split: str, rows: list[dict]) -> list:
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
    return copa_examples(
        "xcopa",
        lang,
        split,
        read_jsonl(data_dir / "xcopa" / "data" / lang / f"{name}.{lang}.jsonl"),
    )


def read_socialiqa(data_dir: Path, lang: str, split: str) -> list:
    """Social IQa: ``{train,dev}.jsonl`` with 1-based ``*-labels.lst`` (mapped to 0-based)."""
    name = {"train": "train", "validation": "dev"}[split]
    root = data_dir / "english" / "socialiqa"
    rows = read_jsonl(root / f"{name}.jsonl")
    labels = [y for y in read_lines(root / f"{name}-labels.lst") if y.strip()]
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
    rows = read_jsonl(data_dir / "english" / "commonsenseqa" / "dev_rand_split.jsonl")
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


def squad_file(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return json.load(f)["data"]


def read_mlqa_en(data_dir: Path, lang: str, split: str) -> list:
    """MLQA en-en dev (1,148 QAs) in SQuAD v1.1 format; also SQuAD's offline stand-in."""
    path = data_dir / "english" / "mlqa_en_squad_format" / "dev-context-en-question-en.json"
    return squad_examples("mlqa", lang, split, squad_file(path))


def read_xquad(data_dir: Path, lang: str, split: str) -> list:
    """XQuAD excerpt: 153 real QAs (5 articles) per language, SQuAD format."""
    return squad_examples(
        "xquad", lang, split, squad_file(data_dir / "xquad" / "hf_dummy" / f"xquad.{lang}.json")
    )


# === Tagging and retrieval =======================================================================


def read_tatoeba(data_dir: Path, lang: str, split: str) -> RetrievalSet:
    """Tatoeba LASER test pairs ``tatoeba.{iso3}-eng.{iso3|eng}``: sources in lang, targets English."""
    code = TATOEBA_CODES.get(lang, lang)
    root = data_dir / "tatoeba"
    src, tgt = (
        read_lines(root / f"tatoeba.{code}-eng.{code}"),
        read_lines(root / f"tatoeba.{code}-eng.eng"),
    )
    if len(src) != len(tgt):
        raise ValueError(f"{root}: tatoeba.{code}-eng files differ in length")
    return RetrievalSet(lang, tuple(src), tuple(tgt))
