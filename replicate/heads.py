"""Task heads on a shared encoder, and retrieval by pooled hidden states.

The encoder is carried between phases; heads are dropped. ``TaskModel`` holds one encoder and one
head per task (several during multi-task intermediate training). Every head maps the encoder's last
hidden states and its batch to ``(loss, logits)``. Retrieval tasks have no head: sentences are
embedded by pooling one hidden layer (``layer`` and ``pooling`` are settings, recorded with results)
and matched by cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

IGNORE = -100  # label for sub-word and special positions in tagging (torch's CE ignore index)


def pool_tokens(hidden: torch.Tensor, mask: torch.Tensor | None, pooling: str) -> torch.Tensor:
    """One vector per sequence: the first token (``cls``) or the mean over real tokens (``mean``)."""
    if pooling == "cls":
        return hidden[:, 0]
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


class ClassificationHead(nn.Module):
    """Sentence / sentence-pair classification (RoBERTa-style dense+tanh+out) on a pooled vector.

    ``cls`` pools the first token as XLM-R's head does; ``mean`` suits encoders trained for mean
    pooling (multilingual-e5's first-token state is nearly the same for every input).
    """

    def __init__(
        self, hidden: int, num_labels: int, dropout: float = 0.1, pooling: str = "cls"
    ) -> None:
        super().__init__()
        self.pooling = pooling
        self.dense = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, num_labels)

    def forward(self, hidden: torch.Tensor, batch: dict[str, torch.Tensor]) -> tuple[Any, Any]:
        pooled = pool_tokens(hidden, batch.get("attention_mask"), self.pooling)
        x = self.dropout(torch.tanh(self.dense(self.dropout(pooled))))
        logits = self.out(x)
        labels = batch.get("labels")
        loss = F.cross_entropy(logits.float(), labels) if labels is not None else None
        return loss, logits


class MultipleChoiceHead(nn.Module):
    """Scores each (context, choice) sequence; the batch is flattened to (B * choices, T)."""

    def __init__(self, hidden: int, dropout: float = 0.1, pooling: str = "cls") -> None:
        super().__init__()
        self.pooling = pooling
        self.dropout = nn.Dropout(dropout)
        self.score = nn.Linear(hidden, 1)

    def forward(self, hidden: torch.Tensor, batch: dict[str, torch.Tensor]) -> tuple[Any, Any]:
        num_choices = int(batch["num_choices"])
        pooled = pool_tokens(hidden, batch.get("attention_mask"), self.pooling)
        logits = self.score(self.dropout(pooled)).view(-1, num_choices)
        labels = batch.get("labels")
        loss = F.cross_entropy(logits.float(), labels) if labels is not None else None
        return loss, logits


class QAHead(nn.Module):
    """Extractive QA: start and end logits over the tokens."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.span = nn.Linear(hidden, 2)

    def forward(self, hidden: torch.Tensor, batch: dict[str, torch.Tensor]) -> tuple[Any, Any]:
        logits = self.span(hidden).float()
        # Padding and question tokens can never be answers.
        logits = logits.masked_fill(~batch["context_mask"].bool().unsqueeze(-1), -1e4)
        start, end = logits.unbind(-1)
        loss = None
        if "start_positions" in batch:
            loss = (
                F.cross_entropy(start, batch["start_positions"])
                + F.cross_entropy(end, batch["end_positions"])
            ) / 2
        return loss, torch.stack([start, end], dim=-1)


class TaggingHead(nn.Module):
    """Token tagging: one label per first sub-word of each word."""

    def __init__(self, hidden: int, num_labels: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, num_labels)

    def forward(self, hidden: torch.Tensor, batch: dict[str, torch.Tensor]) -> tuple[Any, Any]:
        logits = self.out(self.dropout(hidden))
        labels = batch.get("labels")
        loss = None
        if labels is not None:
            loss = F.cross_entropy(
                logits.float().view(-1, logits.size(-1)), labels.view(-1), ignore_index=IGNORE
            )
        return loss, logits


def make_head(fmt: str, hidden: int, num_labels: int, pooling: str = "cls") -> nn.Module:
    """The head for a task format (``retrieval`` has none and raises).

    ``pooling`` (``cls`` or ``mean``) is how sequence-level heads summarise the tokens.
    """
    if fmt in ("classification", "pair_classification"):
        return ClassificationHead(hidden, num_labels, pooling=pooling)
    if fmt == "multiple_choice":
        return MultipleChoiceHead(hidden, pooling=pooling)
    if fmt == "qa":
        return QAHead(hidden)
    if fmt == "tagging":
        return TaggingHead(hidden, num_labels)
    raise ValueError(f"format {fmt!r} has no trainable head")


class TaskModel(nn.Module):
    """One encoder, one head per task. ``forward(task, batch)`` returns ``(loss, logits)``."""

    def __init__(self, encoder: nn.Module, heads: dict[str, nn.Module]) -> None:
        super().__init__()
        self.encoder = encoder
        self.heads = nn.ModuleDict(heads)

    def forward(self, task: str, batch: dict[str, torch.Tensor]) -> tuple[Any, Any]:
        hidden = self.encoder(
            input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]
        ).last_hidden_state
        return self.heads[task](hidden, batch)


# --- retrieval ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetrievalSettings:
    """How sentences are embedded for retrieval; recorded with every retrieval result."""

    layer: int  # hidden_states index: 0 = embeddings, k = output of layer k
    pooling: str  # "mean" or "cls"

    def describe(self) -> dict[str, Any]:
        return {"retrieval_layer": self.layer, "pooling": self.pooling}


def default_layer(num_layers: int) -> int:
    """The middle layer (ANCHORS: a middle layer works best; XLM-R Large wants 10 of 24... ~ middle)."""
    return max(1, num_layers // 2)


@torch.no_grad()
def embed_sentences(
    encoder: nn.Module,
    tokenizer: Any,
    texts: Sequence[str],
    settings: RetrievalSettings,
    max_length: int = 128,
    batch_size: int = 64,
) -> np.ndarray:
    """L2-normalised sentence embeddings from one hidden layer, pooled as the settings say."""
    encoder.eval()
    device = next(encoder.parameters()).device
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding per batch
    out = np.zeros((len(texts), encoder.config.hidden_size), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        enc = tokenizer(
            [texts[i] for i in idx],
            padding=True,
            truncation=True,
            max_length=max_length,
            return_tensors="pt",
        ).to(device)
        hidden = encoder(
            input_ids=enc["input_ids"],
            attention_mask=enc["attention_mask"],
            output_hidden_states=True,
        ).hidden_states[settings.layer]
        if settings.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        out[idx] = F.normalize(pooled.float(), dim=-1).cpu().numpy()
    return out


def nearest_neighbours(queries: np.ndarray, candidates: np.ndarray, k: int = 1) -> np.ndarray:
    """Indices of the ``k`` most cosine-similar candidates per query (inputs are normalised)."""
    sims = queries @ candidates.T
    k = min(k, candidates.shape[0])
    top = np.argpartition(-sims, kth=k - 1, axis=1)[:, :k]
    rows = np.arange(sims.shape[0])[:, None]
    return top[rows, np.argsort(-sims[rows, top], axis=1)]


def tatoeba_predictions(src: np.ndarray, tgt: np.ndarray) -> list[int]:
    """For each source sentence, the index of its nearest target (XTREME's Tatoeba prediction)."""
    return nearest_neighbours(src, tgt, 1)[:, 0].tolist()


def tatoeba_accuracy(predictions: Sequence[int]) -> tuple[float, list[float]]:
    """Accuracy (0-100) when gold target ``i`` translates source ``i``; plus per-example outcomes."""
    hits = [float(p == i) for i, p in enumerate(predictions)]
    return 100.0 * sum(hits) / max(len(hits), 1), hits


def bucc_candidates(src: np.ndarray, tgt: np.ndarray) -> list[tuple[int, int, float]]:
    """Best target per source with its cosine score, for thresholded bitext mining."""
    best = nearest_neighbours(src, tgt, 1)[:, 0]
    return [(i, int(j), float(src[i] @ tgt[j])) for i, j in enumerate(best)]


def bucc_f1(
    candidates: Sequence[tuple[int, int, float]], gold: set[tuple[int, int]]
) -> tuple[float, float]:
    """Best F1 (0-100) over score thresholds, as XTREME's BUCC evaluation picks it; and the threshold."""
    ranked = sorted(candidates, key=lambda c: -c[2])
    best_f1, best_t, tp = 0.0, 1.0, 0
    for n, (i, j, score) in enumerate(ranked, start=1):
        tp += (i, j) in gold
        precision, recall = tp / n, tp / max(len(gold), 1)
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        if f1 > best_f1:
            best_f1, best_t = f1, score
    return 100.0 * best_f1, best_t


def average_precision_at_k(ranked: Sequence[int], relevant: set[int], k: int = 20) -> float:
    """AP@k of one ranked list: mean precision at each relevant hit, over min(|relevant|, k)."""
    hits, total = 0, 0.0
    for rank, cand in enumerate(ranked[:k], start=1):
        if cand in relevant:
            hits += 1
            total += hits / rank
    return total / max(min(len(relevant), k), 1)


def map_at_k(
    queries: np.ndarray, candidates: np.ndarray, relevant: Sequence[set[int]], k: int = 20
) -> tuple[float, list[float]]:
    """mAP@k (0-100) for Mewsli-X / LAReQA-style retrieval; plus per-query AP."""
    ranked = nearest_neighbours(queries, candidates, k)
    aps = [
        average_precision_at_k(r.tolist(), rel, k) for r, rel in zip(ranked, relevant, strict=True)
    ]
    return 100.0 * float(np.mean(aps)) if aps else 0.0, aps
