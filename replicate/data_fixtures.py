"""Readers for the 1-5 item format fixtures in ``../shared/data`` (HF ``dummy_data``, jiant tests).

They prove that claimlab reads each upstream format, for tasks whose full data is not local (MNLI,
ANLI, QQP, HellaSwag, COPA, TyDiQA, WikiANN, MLQA beyond English). ``replicate.data`` uses them
only when asked (``allow_fixtures=True``): nobody should train or evaluate on five items by accident.
"""

from __future__ import annotations

from pathlib import Path

from replicate.data_local import (
    NLI_INDEX,
    copa_examples,
    nli_examples,
    read_jsonl,
    read_lines,
    squad_examples,
    squad_file,
    tsv_rows,
)
from replicate.records import ClassificationExample, MultipleChoiceExample, TaggingExample
from replicate.tasks import TYDIQA_NAMES

EXCERPT = ("english", "hf_excerpt")
ANLI_LABELS = {"e": "entailment", "n": "neutral", "c": "contradiction"}


def read_jiant_mnli(data_dir: Path, lang: str, split: str) -> list:
    """jiant's MNLI test fixture (5 items per split, jsonl with premise/hypothesis/label)."""
    name = {"train": "train", "validation": "val"}[split]
    rows = read_jsonl(data_dir / "english" / "jiant_fixtures" / "mnli" / f"mnli_{name}.jsonl")
    return nli_examples(
        "mnli", split, lang, [(r["premise"], r["hypothesis"], r["label"]) for r in rows]
    )


def read_copa_fixture(data_dir: Path, lang: str, split: str) -> list:
    """English COPA, HF SuperGLUE excerpt (fixture)."""
    name = {"train": "train", "validation": "val"}[split]
    path = data_dir / "english" / "hf_excerpt" / "super_glue_copa" / f"{name}.jsonl"
    return copa_examples("copa", lang, split, read_jsonl(path))


def read_mlqa_fixture(data_dir: Path, lang: str, split: str) -> list:
    """MLQA HF excerpt: ``{dev,test}/{split}-context-en-question-{lang}.json`` (fixture)."""
    name = {"validation": "dev", "test": "test"}[split]
    path = data_dir / "mlqa" / "hf_dummy" / name / f"{name}-context-en-question-{lang}.json"
    return squad_examples("mlqa", lang, split, squad_file(path))


def read_tydiqa_fixture(data_dir: Path, lang: str, split: str) -> list:
    """TyDiQA-GoldP HF excerpt; the language is the id prefix (``arabic-...``)."""
    name = {"train": "train", "test": "dev"}[split]
    path = data_dir / "tydiqa" / "hf_dummy" / f"tydiqa-goldp-v1.1-{name}.json"
    return squad_examples("tydiqa", lang, split, squad_file(path), prefix=TYDIQA_NAMES[lang] + "-")


def read_wikiann_fixture(data_dir: Path, lang: str, split: str) -> list:
    """WikiANN (Rahimi splits) HF excerpt: ``lang:token<TAB>tag`` lines, blank between sentences."""
    name = {"train": "train", "validation": "dev", "test": "test"}[split]
    sentences, tokens, tags = [], [], []
    for line in [*read_lines(data_dir / "wikiann" / "hf_dummy" / lang / name), ""]:
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


def read_anli_fixture(data_dir: Path, lang: str, split: str) -> list:
    """ANLI rounds R1-R3 (jsonl, labels e/n/c), concatenated like the hub's train_r1+r2+r3."""
    name = {"train": "train", "validation": "dev", "test": "test"}[split]
    rows = []
    for rnd in ("R1", "R2", "R3"):
        rows += read_jsonl(data_dir.joinpath(*EXCERPT, "anli", rnd, f"{name}.jsonl"))
    pairs = [(r["context"], r["hypothesis"], ANLI_LABELS[r["label"]]) for r in rows]
    return nli_examples("anli", split, lang, pairs)


def read_snli_fixture(data_dir: Path, lang: str, split: str) -> list:
    """SNLI 1.0 train excerpt (the original tab-separated release; ``-`` gold labels dropped)."""
    header, *rows = tsv_rows(data_dir.joinpath(*EXCERPT, "snli", "snli_1.0_train.txt"), False)
    g, a, b = (header.index(c) for c in ("gold_label", "sentence1", "sentence2"))
    pairs = [(r[a], r[b], r[g]) for r in rows if r[g] in NLI_INDEX]
    return nli_examples("snli", split, lang, pairs)


def read_qqp_fixture(data_dir: Path, lang: str, split: str) -> list:
    """GLUE QQP tsv (id, qid1, qid2, question1, question2, is_duplicate)."""
    name = {"train": "train.tsv", "validation": "dev.tsv"}[split]
    rows = tsv_rows(data_dir.joinpath(*EXCERPT, "glue", "QQP", name), header=True)
    return [
        ClassificationExample(f"qqp/{lang}/{split}/{r[0]}", r[3], int(r[5]), r[4])
        for r in rows
        if len(r) >= 6
    ]


def read_hellaswag_fixture(data_dir: Path, lang: str, split: str) -> list:
    """HellaSwag jsonl (ctx, four endings, label)."""
    name = {"train": "train", "validation": "val"}[split]
    rows = read_jsonl(data_dir.joinpath(*EXCERPT, "hellaswag", f"hellaswag_{name}.jsonl"))
    return [
        MultipleChoiceExample(
            f"hellaswag/{lang}/{split}/{r['ind']}", r["ctx"], tuple(r["endings"]), int(r["label"])
        )
        for r in rows
    ]
