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

import numpy as np
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


def _outcomes(
    task: TaskSpec, examples: Sequence[Any], preds: Sequence[Any]
) -> tuple[dict[str, float], list[float]]:
    """Official-scale score of one language and per-example outcomes."""
    if task.format == "tagging":
        from seqeval.metrics import f1_score, precision_score, recall_score

        gold = [list(e.tags) for e in examples]
        per = [
            sum(p == g for p, g in zip(pr, go, strict=True)) / max(len(go), 1)
            for pr, go in zip(preds, gold, strict=True)
        ]
        return {
            "f1": 100 * f1_score(gold, list(preds)),
            "precision": 100 * precision_score(gold, list(preds)),
            "recall": 100 * recall_score(gold, list(preds)),
        }, per
    if task.format == "qa":
        from replicate import metrics

        per = [
            max(metrics.squad_f1(p, a) for a in e.answer_texts)
            for e, p in zip(examples, preds, strict=True)
        ]
        ems = [
            max(metrics.squad_exact_match(p, a) for a in e.answer_texts)
            for e, p in zip(examples, preds, strict=True)
        ]
        return {"f1": 100 * float(np.mean(per)), "exact_match": 100 * float(np.mean(ems))}, per
    per = [float(p == e.label) for e, p in zip(examples, preds, strict=True)]
    return {"accuracy": 100 * float(np.mean(per)) if per else 0.0}, per


def _prediction_payload(task: TaskSpec, examples: Sequence[Any], preds: Sequence[Any]) -> Any:
    if task.format == "qa":
        return {e.guid: p for e, p in zip(examples, preds, strict=True)}
    if task.label_names and task.format != "tagging":
        return [task.label_names[p] for p in preds]
    return list(preds)


def evaluate_with_head(
    model: TaskModel,
    head: str,
    tokenizer: Any,
    task_name: str,
    langs: Sequence[str],
    max_length: int,
    cap: int | None,
    seed: int,
    out_dir: Path,
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
        adapters.write_predictions(
            task_name, lang, _prediction_payload(task, examples, preds), out_dir
        )
        result.scores[lang], result.per_example[lang] = _outcomes(task, examples, preds)
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
    out_dir: Path,
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
        adapters.write_predictions(task_name, lang, preds, out_dir)
        acc, per = tatoeba_accuracy(preds)
        result.scores[lang], result.per_example[lang] = {"accuracy": acc}, per
        result.sources[lang] = source.describe()
    return result
