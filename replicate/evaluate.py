"""Zero-shot evaluation in every language of a target task.

For each language: load its evaluation split (test, else validation), predict with the trained
encoder and head (or, for retrieval, embed and match by cosine similarity), write the predictions in
the official XTREME format, score them, and keep a per-example outcome (1/0 correct, per-example F1,
or per-query AP) so runs can be compared with bootstrap and paired tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from replicate import adapters
from replicate.features import cached_features, collate, decode, length_grouped_batches
from replicate.heads import (
    RetrievalSettings,
    TaskModel,
    embed_sentences,
    tatoeba_accuracy,
    tatoeba_predictions,
)
from replicate.tasks import TaskSpec, get_task

LangProgress = Callable[[str], None]


@dataclass
class Evaluation:
    """Scores of one task over languages, with what was evaluated."""

    task: str
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    per_example: dict[str, list[float]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # lang -> why (one line)


def languages_for(task: TaskSpec, requested: Sequence[str]) -> list[str]:
    """The requested languages the task has (all of them when none are requested)."""
    if not requested:
        return list(task.languages)
    return [lang for lang in requested if lang in task.languages]


@torch.no_grad()
def predict_logits(
    model: TaskModel, head: str, fmt: str, feats: Sequence[dict], pad_id: int, batch_size: int = 32
) -> list[torch.Tensor]:
    """Logits for every feature, in the features' order (batched by length, no shuffling)."""
    model.eval()
    device = next(model.parameters()).device
    out: list[Any] = [None] * len(feats)
    for idx in length_grouped_batches(feats, batch_size, seed=0, shuffle=False):
        batch = {k: v.to(device) for k, v in collate(fmt, [feats[i] for i in idx], pad_id).items()}
        batch = {
            k: v
            for k, v in batch.items()
            if k not in ("labels", "start_positions", "end_positions")
        }
        _, logits = model(head, batch)
        for row, i in enumerate(idx):
            out[i] = logits[row].float().cpu()
    return out


def _payloads(task: TaskSpec, examples: Sequence[Any], preds: Sequence[Any]) -> tuple[Any, Any]:
    """(gold labels, predictions) in the shapes the official-format writers take."""
    if task.format == "qa":
        return list(examples), {e.guid: p for e, p in zip(examples, preds, strict=True)}
    if task.format == "tagging":
        return list(examples), list(preds)
    return [e.label for e in examples], list(preds)


def _per_example(
    task: TaskSpec, lang: str, examples: Sequence[Any], preds: Sequence[Any]
) -> list[float]:
    """Per-example outcome: 1/0 correct, token accuracy of a sentence, or a question's F1."""
    if task.format == "qa":
        answers = {e.guid: p for e, p in zip(examples, preds, strict=True)}
        return adapters.qa_per_example_f1(task.name, lang, examples, answers)
    if task.format == "tagging":
        return [
            sum(p == g for p, g in zip(pr, e.tags, strict=True)) / max(len(e.tags), 1)
            for pr, e in zip(preds, examples, strict=True)
        ]
    return [float(p == e.label) for e, p in zip(examples, preds, strict=True)]


def evaluate_with_head(
    model: TaskModel,
    head: str,
    tokenizer: Any,
    task_name: str,
    langs: Sequence[str],
    max_length: int,
    cap: int | None,
    seed: int,
    run_dir: Path,
    on_language: LangProgress | None = None,
) -> Evaluation:
    """Evaluate a trained head zero-shot on each language of ``task_name``."""
    task = get_task(task_name)
    result = Evaluation(task_name)
    for lang in langs:
        if on_language:
            on_language(f"{task_name}/{lang}")
        try:
            examples, source = adapters.load_evaluation(task_name, lang, cap, seed)
        except adapters.DataUnavailable as exc:
            result.skipped[lang] = str(exc).splitlines()[0]
            continue
        feats = cached_features(task.format, examples, tokenizer, max_length, task.label_names)
        logits = predict_logits(model, head, task.format, feats, tokenizer.pad_token_id)
        preds = [
            decode(task.format, f, lg, task.label_names)
            for f, lg in zip(feats, logits, strict=True)
        ]
        labels, payload = _payloads(task, examples, preds)
        result.scores[lang], _ = adapters.write_and_score(task_name, lang, labels, payload, run_dir)
        result.per_example[lang] = _per_example(task, lang, examples, preds)
        result.sources[lang] = source.describe()
    return result


def evaluate_retrieval(
    encoder: torch.nn.Module,
    tokenizer: Any,
    task_name: str,
    langs: Sequence[str],
    settings: RetrievalSettings,
    max_length: int,
    cap: int | None,
    seed: int,
    run_dir: Path,
    on_language: LangProgress | None = None,
) -> Evaluation:
    """Tatoeba-style bitext retrieval: each source sentence's nearest English target by cosine."""
    result = Evaluation(task_name)
    for lang in langs:
        if on_language:
            on_language(f"{task_name}/{lang}")
        try:
            rset, source = adapters.load_evaluation(task_name, lang, cap, seed)
        except adapters.DataUnavailable as exc:
            result.skipped[lang] = str(exc).splitlines()[0]
            continue
        if task_name != "tatoeba":
            result.skipped[lang] = f"{task_name}: only Tatoeba-style retrieval is wired offline"
            continue
        src = embed_sentences(encoder, tokenizer, rset.sources, settings, max_length)
        tgt = embed_sentences(encoder, tokenizer, rset.targets, settings, max_length)
        preds = tatoeba_predictions(src, tgt)
        gold = list(range(len(rset.sources)))  # target i translates source i
        result.scores[lang], _ = adapters.write_and_score(task_name, lang, gold, preds, run_dir)
        result.per_example[lang] = tatoeba_accuracy(preds)[1]
        result.sources[lang] = source.describe()
    return result
