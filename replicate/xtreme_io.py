"""The per-task files the official XTREME scorer reads, written and read exactly as it does.

google-research/xtreme ``evaluate.py`` reads ``{root}/{task}/test-{lang}.{tsv|json}`` for
predictions and labels alike:

- ``label`` (xnli, pawsx, tatoeba, xcopa; americasnli here): one label per line, compared as
  stripped strings (XNLI writes class names, PAWS-X ``0``/``1``, Tatoeba the index of the retrieved
  English sentence, XCOPA the chosen option).
- ``tag`` (panx, udpos): one tag per line, a blank line between sentences.
- ``bucc`` (bucc2018): one ``source_id<TAB>target_id`` pair per line.
- ``squad`` (xquad, mlqa, tydiqa): labels are SQuAD v1.1 JSON (``{"data": [...]}``), predictions a
  JSON object mapping question id to answer text.
- ``ranking`` (mewslix, lareqa): JSON objects mapping query id to a list of ids (labels: the
  relevant ones; predictions: the ranking, best first).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from replicate.records import QAExample, TaggingExample
from replicate.tasks import TaskSpec, get_task

FORMATS: dict[str, str] = {
    "xnli": "label",
    "pawsx": "label",
    "tatoeba": "label",
    "xcopa": "label",
    "americasnli": "label",
    "panx": "tag",
    "udpos": "tag",
    "bucc2018": "bucc",
    "xquad": "squad",
    "mlqa": "squad",
    "tydiqa": "squad",
    "mewslix": "ranking",
    "lareqa": "ranking",
}
JSON_FORMATS = ("squad", "ranking")


def folder_name(task: str | TaskSpec) -> str:
    """The scorer's folder for a task (``wikiann`` is scored as ``panx``)."""
    spec = get_task(task) if isinstance(task, str) else task
    if not spec.xtreme_name:
        raise KeyError(f"{spec.name} has no official prediction format (it is not a target task)")
    return spec.xtreme_name


def file_format(task: str | TaskSpec) -> str:
    """``label``, ``tag``, ``bucc``, ``squad`` or ``ranking``."""
    return FORMATS[folder_name(task)]


def file_name(task: str | TaskSpec, lang: str) -> str:
    """``test-{lang}.json`` for QA and ranking tasks, ``test-{lang}.tsv`` otherwise."""
    suffix = "json" if file_format(task) in JSON_FORMATS else "tsv"
    return f"test-{lang}.{suffix}"


# === Readers (what evaluate.py does) =============================================================


def read_label(path: Path) -> list[str]:
    """One stripped entry per line (XNLI, PAWS-X, Tatoeba, XCOPA, BUCC)."""
    with Path(path).open(encoding="utf-8") as f:
        return [line.strip() for line in f]


def read_tag(path: Path) -> list[list[str]]:
    """Sentences of tags: one tag per line, blank lines between sentences."""
    sentences: list[list[str]] = []
    current: list[str] = []
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                current.append(line)
            else:
                sentences.append(current)
                current = []
    if current:
        sentences.append(current)
    return sentences


def read_json(path: Path) -> Any:
    """SQuAD data (the ``data`` list when present, as evaluate.py's read_squad) or an id map."""
    with Path(path).open(encoding="utf-8") as f:
        payload = json.load(f)
    if isinstance(payload, dict) and "data" in payload and isinstance(payload["data"], list):
        return payload["data"]
    return payload


def read_file(task: str | TaskSpec, path: Path) -> Any:
    """Read one prediction or label file of ``task`` with the reader its format uses."""
    fmt = file_format(task)
    if fmt == "tag":
        return read_tag(path)
    if fmt in JSON_FORMATS:
        return read_json(path)
    return read_label(path)


# === Writers ====================================================================================


def _as_names(values: Iterable[Any], names: Sequence[str]) -> list[str]:
    # Label ids become class names when the task has them (XNLI: "entailment"), else their digits.
    return [names[v] if names and isinstance(v, int) else str(v) for v in values]


def _lines_payload(spec: TaskSpec, fmt: str, values: Any) -> str:
    if fmt == "label":
        return "".join(f"{v}\n" for v in _as_names(values, spec.label_names))
    if fmt == "bucc":
        return "".join(f"{a}\t{b}\n" for a, b in values)
    # tag: sentences of tags (ids or names) or TaggingExamples, one blank line after each sentence
    chunks = []
    for sentence in values:
        tags = sentence.tags if isinstance(sentence, TaggingExample) else sentence
        chunks.append("".join(f"{t}\n" for t in _as_names(tags, spec.label_names)) + "\n")
    return "".join(chunks)


def squad_payload(examples: Iterable[QAExample]) -> dict[str, Any]:
    """SQuAD v1.1 JSON for QA examples (one paragraph per question; the scorer reads only qas)."""
    data = [
        {
            "title": "",
            "paragraphs": [
                {
                    "context": ex.context,
                    "qas": [
                        {
                            "id": ex.guid,
                            "question": ex.question,
                            "answers": [
                                {"text": t, "answer_start": s}
                                for t, s in zip(ex.answer_texts, ex.answer_starts, strict=False)
                            ],
                        }
                    ],
                }
            ],
        }
        for ex in examples
    ]
    return {"version": "1.1", "data": data}


def _write(task: str, lang: str, text: str, out_dir: Path) -> Path:
    folder = Path(out_dir) / folder_name(task)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(task, lang)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # never leave a half-written file for the scorer
    return path


def write_predictions(task: str, lang: str, predictions: Any, out_dir: str | Path) -> Path:
    """Write one language's predictions as ``{out_dir}/{folder}/test-{lang}.{tsv|json}``.

    Args:
        task: Registry name of a target task.
        lang: Language code (XTREME code; Tatoeba ``zh`` not ``cmn``).
        predictions: label/tatoeba/xcopa: a sequence of label ids or names (ids become the task's
            class names); tag: a sequence of sentences of tags (ids or names); bucc: (source id,
            target id) pairs; squad: ``{question id: answer text}``; ranking: ``{query id: [ids]}``.
        out_dir: Root folder holding one subfolder per task, as the official scorer expects.

    Returns:
        The path written.
    """
    spec = get_task(task)
    fmt = file_format(spec)
    if fmt in JSON_FORMATS:
        text = json.dumps(dict(predictions), ensure_ascii=False)
    else:
        text = _lines_payload(spec, fmt, predictions)
    return _write(task, lang, text, Path(out_dir))


def write_labels(task: str, lang: str, labels: Any, out_dir: str | Path) -> Path:
    """Write one language's gold labels in the official format (the LABEL_DIR side).

    Args:
        labels: As for predictions, except squad: a sequence of QAExamples (written as SQuAD v1.1
            JSON) or an already-built SQuAD dict; ranking: ``{query id: [relevant ids]}``;
            tatoeba: the gold target index of each source (``range(n)`` for aligned pairs).
    """
    spec = get_task(task)
    fmt = file_format(spec)
    if fmt == "squad":
        payload = labels if isinstance(labels, Mapping) else squad_payload(labels)
        text = json.dumps(payload, ensure_ascii=False)
    elif fmt == "ranking":
        text = json.dumps({k: list(v) for k, v in dict(labels).items()}, ensure_ascii=False)
    else:
        text = _lines_payload(spec, fmt, labels)
    return _write(task, lang, text, Path(out_dir))
