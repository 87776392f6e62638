"""Retrieval metrics and heads, against values computed by hand."""

from __future__ import annotations

import numpy as np
import torch

from replicate import heads


def _unit(rows):
    a = np.asarray(rows, dtype=np.float32)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def test_tatoeba_nearest_neighbour_and_accuracy() -> None:
    src = _unit([[1, 0], [0, 1], [1, 1]])
    tgt = _unit([[1, 0.1], [1, 0.9], [0.1, 1]])
    preds = heads.tatoeba_predictions(src, tgt)
    assert preds == [0, 2, 1]  # source 1 is closest to target 2, source 2 to target 1
    acc, per = heads.tatoeba_accuracy(preds)
    assert per == [1.0, 0.0, 0.0] and abs(acc - 100 / 3) < 1e-9


def test_bucc_f1_picks_best_threshold() -> None:
    cands = [(0, 0, 0.9), (1, 5, 0.8), (2, 2, 0.7), (3, 3, 0.2)]
    gold = {(0, 0), (2, 2), (3, 3), (4, 4)}
    # Thresholds: top1 P=1 R=.25 F1=.4; top2 .5/.25 .333; top3 .667/.5 .571; top4 .75/.75 .75
    f1, threshold = heads.bucc_f1(cands, gold)
    assert abs(f1 - 75.0) < 1e-9 and threshold == 0.2


def test_average_precision_at_k_by_hand() -> None:
    # Relevant {3, 7}: hits at ranks 2 and 4 -> (1/2 + 2/4) / 2 = 0.5
    assert heads.average_precision_at_k([1, 3, 5, 7, 9], {3, 7}, k=20) == 0.5
    # Cut at k=3: only the hit at rank 2 counts, over min(|rel|, k)=2 -> 0.25
    assert heads.average_precision_at_k([1, 3, 5, 7, 9], {3, 7}, k=3) == 0.25
    q = _unit([[1, 0], [0, 1]])
    c = _unit([[1, 0], [0.9, 0.1], [0, 1]])
    score, aps = heads.map_at_k(q, c, [{1}, {2}], k=20)
    assert aps == [0.5, 1.0] and abs(score - 75.0) < 1e-9


def test_heads_shapes_and_losses() -> None:
    hidden = torch.randn(6, 5, 8)
    mask = torch.ones(6, 5, dtype=torch.long)
    loss, logits = heads.ClassificationHead(8, 3)(
        hidden, {"labels": torch.tensor([0, 1, 2, 0, 1, 2]), "attention_mask": mask}
    )
    assert logits.shape == (6, 3) and loss.item() > 0
    loss, logits = heads.MultipleChoiceHead(8)(
        hidden,
        {"num_choices": torch.tensor(3), "labels": torch.tensor([0, 2]), "attention_mask": mask},
    )
    assert logits.shape == (2, 3) and loss.item() > 0
    batch = {
        "context_mask": mask,
        "start_positions": torch.zeros(6, dtype=torch.long),
        "end_positions": torch.ones(6, dtype=torch.long),
    }
    loss, logits = heads.QAHead(8)(hidden, batch)
    assert logits.shape == (6, 5, 2) and loss.item() > 0
    labels = torch.full((6, 5), heads.IGNORE)
    labels[:, 1] = 2
    loss, logits = heads.TaggingHead(8, 4)(hidden, {"labels": labels})
    assert logits.shape == (6, 5, 4) and loss.item() > 0


def test_pooling_first_token_or_mean_of_real_tokens() -> None:
    hidden = torch.arange(2 * 3 * 2, dtype=torch.float32).view(2, 3, 2)
    mask = torch.tensor([[1, 1, 0], [1, 1, 1]])
    assert heads.pool_tokens(hidden, mask, "cls").tolist() == [[0, 1], [6, 7]]
    # mean of rows 0-1 of the first sequence (the padded third row is left out), all of the second
    assert heads.pool_tokens(hidden, mask, "mean").tolist() == [[1, 2], [8, 9]]
