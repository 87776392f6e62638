"""How much a calibration or accuracy figure on a small labelled set can be trusted.

Binned expected calibration error (ECE) is biased upward on small sets: even a verifier whose
confidence is exactly the probability of being right shows an ECE well above zero on 100 claims,
because each bin's accuracy is a noisy mean of a dozen or two outcomes. :func:`ece_noise_floor`
measures that floor by simulation (outcomes drawn from the verifier's own confidences), so a
reader can tell "miscalibrated" from "too few claims to tell". :func:`bootstrap_ci` gives
percentile intervals for any figure over resampled claims.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from synth.calibrate import expected_calibration_error


@dataclass(frozen=True)
class NoiseFloor:
    """ECE of a perfectly calibrated predictor with the same confidences (by simulation)."""

    mean: float  # expected ECE when every confidence is exactly right
    p95: (
        float  # 95th percentile of that ECE: an observed ECE above it is evidence of miscalibration
    )
    share_at_or_below: float  # how often a perfect predictor shows an ECE at or below ``target``
    target: float


def ece_noise_floor(
    confidence: np.ndarray,
    bins: int = 10,
    target: float = 0.05,
    n_sim: int = 2000,
    seed: int = 0,
) -> NoiseFloor:
    """Simulate outcomes ``correct ~ Bernoulli(confidence)`` and measure their binned ECE.

    Args:
        confidence: the predicted label's probability for each claim.
        bins: equal-width bins, as in :func:`synth.calibrate.expected_calibration_error`.
        target: an ECE goal; the share of simulations at or below it says whether the set is
            large enough to show that goal at all.
        n_sim: simulated sets.
        seed: random seed (the floor is reproducible).
    """
    conf = np.asarray(confidence, dtype=float)
    if conf.size == 0:
        return NoiseFloor(0.0, 0.0, 1.0, target)
    rng = np.random.default_rng(seed)
    sims = np.array(
        [expected_calibration_error(conf, rng.random(conf.size) < conf, bins) for _ in range(n_sim)]
    )
    return NoiseFloor(
        mean=float(sims.mean()),
        p95=float(np.quantile(sims, 0.95)),
        share_at_or_below=float(np.mean(sims <= target)),
        target=target,
    )


def bootstrap_ci(
    statistic: Callable[[np.ndarray], float],
    n: int,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile interval of ``statistic(indices)`` over ``n_boot`` resamples of ``range(n)``.

    Claims are resampled one by one; claims of one paper are not independent, so the interval
    is, if anything, too narrow (say so where it is reported).
    """
    if n == 0:
        return (0.0, 0.0)
    rng = np.random.default_rng(seed)
    values = np.array([statistic(rng.integers(0, n, n)) for _ in range(n_boot)])
    lo, hi = np.quantile(values, [(1 - level) / 2, 1 - (1 - level) / 2])
    return (float(lo), float(hi))


def uncertainty(
    gold: list[str],
    pred: list[str],
    conf: list[float],
    macro_f1: Callable[[list[str], list[str]], float],
    n_boot: int = 1000,
) -> dict[str, object]:
    """Bootstrap intervals for accuracy, macro-F1 and ECE, and the ECE noise floor, as JSON."""
    g, p, c = np.array(gold), np.array(pred), np.asarray(conf, dtype=float)
    ok = g == p

    def f1(i: np.ndarray) -> float:
        return macro_f1(list(g[i]), list(p[i]))

    def ece(i: np.ndarray) -> float:
        return expected_calibration_error(c[i], ok[i], 10)

    floor = ece_noise_floor(c)
    return {
        "ci95_accuracy": [
            round(v, 4) for v in bootstrap_ci(lambda i: float(ok[i].mean()), len(g), n_boot)
        ],
        "ci95_macro_f1": [round(v, 4) for v in bootstrap_ci(f1, len(g), n_boot)],
        "ci95_ece_10": [round(v, 4) for v in bootstrap_ci(ece, len(g), n_boot)],
        "ece_floor_if_perfectly_calibrated": {
            "mean": round(floor.mean, 4),
            "p95": round(floor.p95, 4),
            f"share_at_or_below_{floor.target}": round(floor.share_at_or_below, 4),
        },
        "ci_note": "claims resampled one by one (claims of one paper are not independent)",
    }
