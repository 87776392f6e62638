"""The calibrator's selection rule: one standard error toward smaller C, then a temperature."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from synth.calibrate import TrainingSet, fit_calibrator, log_loss
from synth.calibration_select import (
    C_GRID,
    _trial,
    fit_selected,
    fit_temperature,
    newest_sets,
    recent_temperature,
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


def with_sets(data: TrainingSet, noise_on_newest: float, seed: int = 3) -> TrainingSet:
    """Each paper a retired set (p0 oldest ... p5 newest); the newest two sets' labels partly
    shuffled (a fresh set harder than the model's older ones) when ``noise_on_newest`` > 0."""
    rng = np.random.default_rng(seed)
    sets = np.array([f"set{g[1:]}" for g in data.groups])
    y = data.y.copy()
    newest = np.isin(sets, ["set4", "set5"])
    flip = newest & (rng.random(len(y)) < noise_on_newest)
    y[flip] = rng.choice(np.array(LABELS), size=int(flip.sum()))
    return TrainingSet(data.x, y, data.groups, np.ones(len(y), bool), sets)


def test_fresh_set_temperature_softens_when_the_newest_sets_are_harder():
    data = with_sets(noisy_set(seed=4), noise_on_newest=0.6)
    recent = ["set4", "set5"]
    fresh = recent_temperature(data, recent, c=1.0, w=1.0)
    assert fresh is not None and fresh > 1.2
    s = select(data, recent)
    assert s.recent_sets == ("set4", "set5")
    assert s.temperature == max(1.0, s.temperature_recent) and s.temperature > 1.2
    # The pooled out-of-fold temperature is what rule 2 alone would ship.
    assert s.temperature_pool == select(data).temperature
    # Forward chaining: set4 is predicted without set4 and set5, set5 without set5 only.
    train4 = data.subset(~np.isin(data.sets, recent))
    cal4 = fit_calibrator(train4.x, list(train4.y), c=1.0, sample_weight=train4.weights(1.0))
    train5 = data.subset(data.sets != "set5")
    cal5 = fit_calibrator(train5.x, list(train5.y), c=1.0, sample_weight=train5.weights(1.0))
    probs = np.concatenate(
        [
            cal4.predict_proba(data.x[data.sets == "set4"]),
            cal5.predict_proba(data.x[data.sets == "set5"]),
        ]
    )
    labels = np.concatenate([data.y[data.sets == "set4"], data.y[data.sets == "set5"]])
    assert np.isclose(fresh, fit_temperature(probs, labels))


def test_fresh_set_temperature_never_sharpens_and_needs_named_sets():
    clean = with_sets(noisy_set(seed=5), noise_on_newest=0.0)
    s = select(clean, ["set4", "set5"])
    assert s.temperature >= 1.0 and s.temperature == max(1.0, s.temperature_recent)
    # Rows that do not name their sets (or sets with no rows): rule 2's pooled temperature.
    plain = noisy_set(seed=5)
    assert recent_temperature(plain, ["set4"], c=1.0, w=1.0) is None
    assert select(plain, ["set4"]).recent_sets == ()
    assert recent_temperature(clean, ["nope"], c=1.0, w=1.0) is None
    # subset and columns keep each row's set.
    sub = clean.subset(clean.sets == "set5")
    assert set(sub.sets) == {"set5"} and len(sub.sets) == len(sub.y)
    assert clean.columns(("a", "b", "c", "d"), ("b", "a")).sets is clean.sets


def test_newest_sets_are_the_last_folders_by_name():
    folders = ["bench/heldout", "bench/heldout2", Path("bench/heldout3")]
    assert newest_sets(folders) == ["heldout2", "heldout3"] and len(newest_sets(folders)) == 2
    assert newest_sets([]) == []
