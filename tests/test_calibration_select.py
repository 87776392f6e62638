"""The calibrator's selection rule: one standard error toward smaller C, then a temperature."""

from __future__ import annotations

import numpy as np

from synth.calibrate import TrainingSet, fit_calibrator, log_loss
from synth.calibration_select import (
    C_GRID,
    _trial,
    fit_selected,
    fit_temperature,
    select,
    tempered,
)
from synth.records import LABELS


def noisy_set(seed: int = 0, papers: int = 6, n: int = 90) -> TrainingSet:
    """Labels follow the first feature, with each paper's own shift (papers differ)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(papers * n, 4))
    shift = np.repeat(rng.normal(scale=0.8, size=papers), n)
    score = 1.5 * x[:, 0] + shift + rng.normal(scale=1.0, size=papers * n)
    y = np.array([LABELS[0] if s > 0.7 else LABELS[1] if s < -0.7 else LABELS[2] for s in score])
    groups = np.repeat([f"p{i}" for i in range(papers)], n)
    hand = np.arange(papers * n) % 3 == 0
    return TrainingSet(x, y, groups, hand)


def test_temperature_undoes_over_confidence():
    rng = np.random.default_rng(1)
    y_idx = rng.integers(0, 3, size=600)
    logits = rng.normal(size=(600, 3))
    logits[np.arange(600), y_idx] += 1.0
    honest = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    sharp = tempered(honest, 1 / 3)  # three times the log-odds: over-confident
    y = np.array([LABELS[i] for i in y_idx])
    t = fit_temperature(sharp, y)
    assert 2.0 < t < 4.5
    assert log_loss(tempered(sharp, t), y) < log_loss(sharp, y) - 0.05
    assert np.allclose(tempered(honest, 1.0), honest)


def test_one_standard_error_rule_prefers_smaller_c_within_se():
    data = noisy_set()
    s = select(data)
    assert s.c in C_GRID and s.se > 0
    assert s.best_loss <= s.loss <= s.best_loss + s.se + 1e-12
    # No pair with a smaller C is within one SE of the best.
    for c in C_GRID:
        if c < s.c:
            for w in (1.0, 3.0, 10.0, 30.0):
                assert _trial(data, c, w).loss > s.best_loss + s.se
    # The temperature never makes the out-of-fold loss worse (T = 1 is in its range).
    assert s.loss_tempered <= s.loss + 1e-9


def test_fit_selected_divides_the_logits_by_the_temperature():
    data = noisy_set(seed=2)
    s = select(data)
    plain = fit_calibrator(data.x, list(data.y), c=s.c, sample_weight=data.weights(s.hand_weight))
    final = fit_selected(data, s)
    assert np.allclose(
        final.predict_proba(data.x), tempered(plain.predict_proba(data.x), s.temperature)
    )
