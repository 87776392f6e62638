"""The ECE noise floor and bootstrap intervals of synth/calibration_stats.py."""

import numpy as np

from synth.calibrate import expected_calibration_error
from synth.calibration_stats import bootstrap_ci, ece_noise_floor, uncertainty


def _f1(gold: list[str], pred: list[str]) -> float:
    return float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))


def test_floor_shrinks_with_more_claims() -> None:
    rng = np.random.default_rng(3)
    small = ece_noise_floor(rng.uniform(0.4, 0.9, 100), n_sim=400)
    large = ece_noise_floor(rng.uniform(0.4, 0.9, 2000), n_sim=400)
    # 100 claims: a perfectly calibrated verifier rarely shows ECE <= 0.05; 2,000 claims: usually.
    assert small.mean > 0.06 and small.share_at_or_below < 0.3
    assert large.mean < 0.03 and large.share_at_or_below > 0.9
    assert small.p95 > small.mean > large.mean


def test_floor_is_what_a_calibrated_set_shows() -> None:
    rng = np.random.default_rng(5)
    conf = rng.uniform(0.35, 0.95, 300)
    floor = ece_noise_floor(conf, n_sim=500)
    observed = [expected_calibration_error(conf, rng.random(300) < conf) for _ in range(200)]
    assert abs(float(np.mean(observed)) - floor.mean) < 0.01
    # A verifier 20 points over-confident lies far above the floor's 95th percentile.
    over = expected_calibration_error(conf, rng.random(300) < conf - 0.2)
    assert over > floor.p95


def test_bootstrap_interval_covers_the_estimate() -> None:
    values = np.arange(200) % 2 == 0
    lo, hi = bootstrap_ci(lambda i: float(values[i].mean()), 200, n_boot=300)
    assert lo < 0.5 < hi and hi - lo < 0.2
    assert bootstrap_ci(lambda i: 0.0, 0) == (0.0, 0.0)


def test_uncertainty_json() -> None:
    gold = ["SUPPORTS", "REFUTES", "NOT ENOUGH INFO"] * 20
    pred = gold[:50] + ["SUPPORTS"] * 10
    out = uncertainty(gold, pred, [0.7] * 60, _f1, n_boot=200)
    lo, hi = out["ci95_accuracy"]
    assert lo <= 50 / 60 <= hi
    assert out["ece_floor_if_perfectly_calibrated"]["mean"] > 0
    assert out["ci95_macro_f1"][0] <= out["ci95_macro_f1"][1]
