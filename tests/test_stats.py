"""The statistics on synthetic results with a known effect: coverage, nulls, verdicts."""

from __future__ import annotations

import numpy as np
import pytest

from replicate.records import RunResult
from replicate.stats import (
    INCONCLUSIVE,
    NOT_REPLICATED,
    REPLICATED,
    StatsSettings,
    decide,
    estimate_effect,
)

FAST = StatsSettings(n_boot=1000, n_permutations=999)
LOOP = StatsSettings(n_boot=400, n_permutations=199)  # many repetitions: fewer resamples each


def _run(arm: str, seed: int, outcomes: dict[str, np.ndarray], keep_examples: bool = True):
    return RunResult(
        run_id=f"{arm}-{seed}",
        spec={"seed": seed},
        task="xnli",
        scores={g: {"accuracy": 100 * float(v.mean())} for g, v in outcomes.items()},
        average={},
        primary_metric="accuracy",
        per_example={g: v.astype(float).tolist() for g, v in outcomes.items()}
        if keep_examples
        else {},
    )


def synthetic_arms(
    delta: float,
    rng: np.random.Generator,
    seeds: int = 3,
    n: int = 400,
    langs: tuple[str, ...] = ("sw", "ur", "qu"),
    keep_examples: bool = True,
):
    """Baseline and treatment runs whose true effect is ``delta`` (a probability, x100 = points).

    Each example has a difficulty u shared by both arms (the pairing); a seed adds its own small
    perturbation to every example. Treatment is correct when u < p + delta, baseline when u < p.
    """
    base, treat = [], []
    p = {g: rng.uniform(0.4, 0.7) for g in langs}
    u = {g: rng.uniform(0, 1, n) for g in langs}
    for s in range(seeds):
        ob, ot = {}, {}
        for g in langs:
            noisy = np.clip(u[g] + rng.normal(0, 0.05, n), 0, 1)
            ob[g] = (noisy < p[g]).astype(float)
            ot[g] = (noisy < p[g] + delta).astype(float)
        base.append(_run("b", s, ob, keep_examples))
        treat.append(_run("t", s, ot, keep_examples))
    return base, treat


def test_known_effect_is_covered_and_replicated() -> None:
    base, treat = synthetic_arms(0.06, np.random.default_rng(1))
    est = estimate_effect(base, treat, settings=FAST)
    assert est.ci_low < 6.0 < est.ci_high
    assert est.ci_low > 0 and est.p_value < 0.01
    assert est.n_seeds == 3 and est.languages == ("qu", "sw", "ur")
    assert set(est.n_examples.values()) == {400}
    assert decide(est, +1, None, FAST)[0] == REPLICATED
    assert decide(est, +1, 6.0, FAST)[0] == REPLICATED
    # Claimed 40 points: the direction holds, the magnitude does not.
    verdict, reason = decide(est, +1, 40.0, FAST)
    assert verdict == NOT_REPLICATED and "below" in reason
    # A claim that the treatment hurts is refuted.
    assert decide(est, -1, None, FAST)[0] == NOT_REPLICATED


def test_interval_covers_the_true_effect_at_about_the_nominal_rate() -> None:
    rng = np.random.default_rng(7)
    covered = 0
    trials = 40
    for _ in range(trials):
        base, treat = synthetic_arms(0.03, rng, n=300)
        est = estimate_effect(base, treat, settings=LOOP)
        covered += est.ci_low <= 3.0 <= est.ci_high
    # 95% nominal; the synthetic "true" effect is the population value, so allow sampling slack.
    assert covered >= 0.85 * trials, covered


def test_exact_null_is_a_tight_null_never_replicated() -> None:
    base, _ = synthetic_arms(0.0, np.random.default_rng(3))
    treat = [
        _run("t", r.spec["seed"], {g: np.array(v) for g, v in r.per_example.items()}) for r in base
    ]
    est = estimate_effect(base, treat, settings=FAST)
    assert est.effect == 0 and est.ci_low == 0 and est.ci_high == 0 and est.p_value == 1.0
    assert decide(est, +1, None, FAST)[0] == NOT_REPLICATED
    assert decide(est, +1, 8.2, FAST)[0] == NOT_REPLICATED
    assert decide(est, 0, None, FAST)[0] == REPLICATED  # "no benefit" holds


@pytest.mark.parametrize("magnitude", [None, 5.0])
def test_noisy_null_is_never_or_almost_never_replicated(magnitude: float | None) -> None:
    rng = np.random.default_rng(11)
    verdicts = []
    for _ in range(40):
        base, treat = synthetic_arms(0.0, rng, n=300)
        verdicts.append(decide(estimate_effect(base, treat, settings=LOOP), +1, magnitude, LOOP)[0])
    assert set(verdicts) <= {REPLICATED, NOT_REPLICATED, INCONCLUSIVE}
    if magnitude is None:
        # One-sided false-positive rate is at most alpha/2 = 2.5% by construction: <= 2 of 40.
        assert verdicts.count(REPLICATED) <= 2, verdicts
    else:
        assert verdicts.count(REPLICATED) == 0, verdicts
        assert verdicts.count(NOT_REPLICATED) >= 30  # the intervals exclude 2.5 points


def test_no_benefit_claim_is_refuted_by_a_clear_benefit() -> None:
    base, treat = synthetic_arms(0.08, np.random.default_rng(5))
    est = estimate_effect(base, treat, settings=FAST)
    assert decide(est, 0, None, FAST)[0] == NOT_REPLICATED


def test_seed_level_fallback_and_single_seed() -> None:
    rng = np.random.default_rng(9)
    base, treat = synthetic_arms(0.06, rng, seeds=5, keep_examples=False)
    est = estimate_effect(base, treat, settings=FAST)
    assert "seeds only" in est.method and est.ci_low is not None and est.ci_low <= est.effect
    one_b, one_t = synthetic_arms(0.06, rng, seeds=1, keep_examples=False)
    single = estimate_effect(one_b, one_t, settings=FAST)
    assert single.ci_low is None
    assert decide(single, +1, None, FAST)[0] == INCONCLUSIVE


def test_language_restriction_and_unpaired_arms() -> None:
    base, treat = synthetic_arms(0.05, np.random.default_rng(2))
    est = estimate_effect(base, treat, languages=["sw"], settings=FAST)
    assert est.languages == ("sw",)
    with pytest.raises(ValueError, match="seed"):
        estimate_effect(base[:1], treat[1:], settings=FAST)
