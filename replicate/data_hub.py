"""Loading tasks from the Hugging Face hub with ``datasets.load_dataset`` (the online path).

Each converter turns the hub's rows for one task into claimlab's example records, with labels in the
registry's order. With ``HF_DATASETS_OFFLINE=1`` the hub call fails at once; the failure becomes one
:class:`~replicate.data.DataUnavailable` line in :func:`replicate.data.load_examples`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from replicate.records import (
    ClassificationExample,
    MultipleChoiceExample,
    QAExample,
    RetrievalSet,
    TaggingExample,
)
from replicate.tasks import TaskSpec

Row = dict[str, Any]


def _guid(task: str, lang: str, split: str, i: int, row: Row) -> str:
    key = row.get("id", row.get("idx", row.get("ind", i)))
    return f"{task}/{lang}/{split}/{key}"


def _pair(spec: TaskSpec, lang: str, split: str, rows: Iterable[Row], a: str, b: str) -> list:
    # Hub NLI sets mark items without a gold label with -1; they cannot be trained or scored.
    return [
        ClassificationExample(_guid(spec.name, lang, split, i, r), r[a], int(r["label"]), r[b])
        for i, r in enumerate(rows)
        if int(r["label"]) >= 0
    ]


def _nli(spec, lang, split, rows):
    return _pair(spec, lang, split, rows, "premise", "hypothesis")


def _pawsx(spec, lang, split, rows):
    return _pair(spec, lang, split, rows, "sentence1", "sentence2")


def _qqp(spec, lang, split, rows):
    return _pair(spec, lang, split, rows, "question1", "question2")


def _sst2(spec, lang, split, rows):
    return [
        ClassificationExample(_guid(spec.name, lang, split, i, r), r["sentence"], int(r["label"]))
        for i, r in enumerate(rows)
        if int(r["label"]) >= 0
    ]


def _copa(spec, lang, split, rows):
    return [
        MultipleChoiceExample(
            _guid(spec.name, lang, split, i, r),
            r["premise"],
            (r["choice1"], r["choice2"]),
            int(r["label"]),
            r["question"],
        )
        for i, r in enumerate(rows)
        if int(r["label"]) >= 0
    ]


def _socialiqa(spec, lang, split, rows):
    return [
        MultipleChoiceExample(
            _guid(spec.name, lang, split, i, r),
            r["context"],
            (r["answerA"], r["answerB"], r["answerC"]),
            int(r["label"]) - 1,  # the hub keeps the 1-based "1".."3"
            r["question"],
        )
        for i, r in enumerate(rows)
    ]


def _cosmosqa(spec, lang, split, rows):
    return [
        MultipleChoiceExample(
            _guid(spec.name, lang, split, i, r),
            r["context"],
            tuple(r[f"answer{k}"] for k in range(4)),
            int(r["label"]),
            r["question"],
        )
        for i, r in enumerate(rows)
        if int(r["label"]) >= 0
    ]


def _commonsenseqa(spec, lang, split, rows):
    return [
        MultipleChoiceExample(
            _guid(spec.name, lang, split, i, r),
            "",
            tuple(r["choices"]["text"]),
            list(r["choices"]["label"]).index(r["answerKey"]),
            r["question"],
        )
        for i, r in enumerate(rows)
        if r["answerKey"]
    ]


def _hellaswag(spec, lang, split, rows):
    return [
        MultipleChoiceExample(
            _guid(spec.name, lang, split, i, r), r["ctx"], tuple(r["endings"]), int(r["label"])
        )
        for i, r in enumerate(rows)
        if str(r["label"]).strip()
    ]


def _qa(spec, lang, split, rows):
    prefix = spec.hf_lang_names.get(lang, "") + "-" if spec.name == "tydiqa" else ""
    return [
        QAExample(
            str(r["id"]),
            r["question"],
            r["context"],
            tuple(r["answers"]["text"]),
            tuple(int(s) for s in r["answers"]["answer_start"]),
        )
        for r in rows
        if not prefix or str(r["id"]).startswith(prefix)
    ]


def _class_names(rows: Any, column: str) -> tuple[str, ...]:
    # Tag ids are decoded with the dataset's own ClassLabel names when it declares them.
    feature = getattr(rows, "features", {}).get(column) if hasattr(rows, "features") else None
    inner = getattr(feature, "feature", None)
    return tuple(getattr(inner, "names", ()) or ())


def _tagging(column: str) -> Callable:
    def convert(spec, lang, split, rows):
        names = _class_names(rows, column) or spec.label_names
        out = []
        for i, r in enumerate(rows):
            tags = tuple(t if isinstance(t, str) else names[int(t)] for t in r[column])
            tokens = tuple(
                t.split(":", 1)[1] if t.startswith(f"{lang}:") else t for t in r["tokens"]
            )
            out.append(TaggingExample(_guid(spec.name, lang, split, i, r), tokens, tags))
        return out

    return convert


def _bitext(spec, lang, split, rows):
    rows = list(rows)
    return RetrievalSet(
        lang,
        tuple(r["source_sentence"] for r in rows),
        tuple(r["target_sentence"] for r in rows),
    )


CONVERTERS: dict[str, Callable] = {
    "anli": _nli,
    "mnli": _nli,
    "snli": _nli,
    "xnli": _nli,
    "americasnli": _nli,
    "qqp": _qqp,
    "pawsx": _pawsx,
    "sst2": _sst2,
    "copa": _copa,
    "xcopa": _copa,
    "socialiqa": _socialiqa,
    "cosmosqa": _cosmosqa,
    "commonsenseqa": _commonsenseqa,
    "hellaswag": _hellaswag,
    "squad": _qa,
    "xquad": _qa,
    "mlqa": _qa,
    "tydiqa": _qa,
    "udpos": _tagging("pos_tags"),
    "panx": _tagging("ner_tags"),
    "wikiann": _tagging("ner_tags"),
    "bucc2018": _bitext,
    "tatoeba": _bitext,
}


def load_from_hub(spec: TaskSpec, split: str, lang: str):
    """Load one (task, split, lang) with ``datasets.load_dataset`` and convert it.

    Raises:
        KeyError: the task has no hub split of that name or no converter (Mewsli-X, LAReQA, CCG).
        Exception: whatever ``datasets`` raises when the hub cannot be reached.
    """
    import datasets  # imported here: it is slow to import and unused on the local path

    if spec.hf_id is None or spec.name not in CONVERTERS:
        raise KeyError(f"no hub loader for {spec.name}")
    hf_split = spec.hf_splits[split]
    dataset = datasets.load_dataset(spec.hf_id, spec.config_for(lang), split=hf_split)
    return CONVERTERS[spec.name](spec, lang, split, dataset)
