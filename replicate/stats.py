"""Effects between two arms of runs: paired bootstrap intervals, a paired test, and the verdict rule.

An *arm* is a list of RunResults of one configuration, one per seed, on one target task. Arms are
paired by seed (same seed = same data order and capped data) and by example (every run of a task
evaluates the same examples per language, so ``per_example[lang][i]`` is the same item in both).

The effect is treatment minus baseline in points (0-100), averaged first over a language's examples,
then over seeds, then over languages (each language weighs the same, as XTREME averages). Its
interval is a two-level percentile bootstrap: seeds are resampled (one draw shared by all languages,
since a seed's run covers them all), and within each language examples are resampled (one draw
shared by both arms and all seeds: the pairing). The paired test is a sign-flip permutation test on
the per-example differences (``scipy.stats.permutation_test``), weighted so its statistic is the same
language-weighted mean. It tests the example-level null; seed-to-seed variation enters the interval.
Without per-example outcomes, seeds alone are resampled and sign-flipped; with one seed and no
per-example outcomes there is no interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from pydantic import Field
from scipy.stats import permutation_test

from replicate.records import RunResult
from synth.settings import Settings

REPLICATED, NOT_REPLICATED, INCONCLUSIVE = "REPLICATED", "NOT REPLICATED", "INCONCLUSIVE"


class StatsSettings(Settings):
    """Bootstrap, test and verdict-rule parameters (stamped on every check through its hash)."""

    n_boot: int = Field(default=2000, ge=100, description="Bootstrap resamples.")
    n_permutations: int = Field(default=4999, ge=99, description="Sign-flip resamples.")
    confidence: float = Field(default=0.95, gt=0.5, lt=1, description="Interval level.")
    alpha: float = Field(default=0.05, gt=0, lt=0.5, description="Paired-test significance level.")
    magnitude_fraction: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="A stated magnitude m counts as compatible when the interval reaches "
        "fraction*m in the claimed direction (our runs are scaled down: smaller model and data).",
    )
    null_margin: float = Field(
        default=1.0, gt=0, description="Points: an interval inside +-margin is a tight null."
    )
    seed: int = Field(default=0, description="Seed of the resampling generator.")


@dataclass(frozen=True)
class EffectEstimate:
    """Treatment minus baseline, in points, with its interval and paired test."""

    effect: float
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    method: str
    n_seeds: int
    languages: tuple[str, ...]
    n_examples: dict[str, int] = field(default_factory=dict)
    per_language: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _points(values: Sequence[float]) -> np.ndarray:
    """Per-example outcomes as points: 0/1 (or 0-1 F1) become 0-100; 0-100 values stay."""
    arr = np.asarray(values, dtype=float)
    return arr * 100.0 if arr.size and np.nanmax(np.abs(arr)) <= 1.0 else arr


def _pair_by_seed(
    baseline: Sequence[RunResult], treatment: Sequence[RunResult]
) -> list[tuple[RunResult, RunResult]]:
    b = {r.spec.get("seed", 0): r for r in baseline}
    t = {r.spec.get("seed", 0): r for r in treatment}
    return [(b[s], t[s]) for s in sorted(set(b) & set(t))]


def _languages(pairs: list[tuple[RunResult, RunResult]], wanted: Sequence[str] | None) -> list[str]:
    common = set.intersection(*(set(b.scores) & set(t.scores) for b, t in pairs))
    return sorted(common & set(wanted)) if wanted else sorted(common)


def _example_diffs(
    pairs: list[tuple[RunResult, RunResult]], langs: list[str]
) -> dict[str, np.ndarray] | None:
    """``seeds x examples`` difference matrices per language, or None if not all runs have them."""
    out = {}
    for lang in langs:
        rows = []
        for b, t in pairs:
            pb, pt = b.per_example.get(lang), t.per_example.get(lang)
            if not pb or not pt or len(pb) != len(pt):
                return None
            rows.append(_points(pt) - _points(pb))
        if len({len(r) for r in rows}) != 1:
            return None
        out[lang] = np.vstack(rows)
    return out


def _bootstrap(diffs: dict[str, np.ndarray], s: StatsSettings, rng) -> np.ndarray:
    n_seeds = next(iter(diffs.values())).shape[0]
    seed_idx = rng.integers(0, n_seeds, size=(s.n_boot, n_seeds))
    per_lang = []
    for d in diffs.values():
        n = d.shape[1]
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=s.n_boot).astype(np.float32)
        seed_means = counts @ d.T.astype(np.float32) / n  # n_boot x n_seeds
        per_lang.append(np.take_along_axis(seed_means, seed_idx, axis=1).mean(axis=1))
    return np.mean(per_lang, axis=0)


def _sign_flip_p(values: np.ndarray, s: StatsSettings) -> float:
    if not np.any(values):
        return 1.0
    res = permutation_test(
        (values,),
        lambda x, axis: np.sum(x, axis=axis),
        permutation_type="samples",
        vectorized=True,
        n_resamples=s.n_permutations,
        batch=max(1, 2_000_000 // max(values.size, 1)),
        alternative="two-sided",
        random_state=s.seed,
    )
    return float(res.pvalue)


def _interval(boot: np.ndarray, s: StatsSettings) -> tuple[float, float]:
    tail = (1 - s.confidence) / 2 * 100
    lo, hi = np.percentile(boot, [tail, 100 - tail])
    return float(lo), float(hi)


def estimate_effect(
    baseline: Sequence[RunResult],
    treatment: Sequence[RunResult],
    languages: Sequence[str] | None = None,
    settings: StatsSettings | None = None,
) -> EffectEstimate:
    """Treatment minus baseline with a paired bootstrap interval and a paired sign-flip test.

    Args:
        baseline: runs of the baseline arm (one per seed).
        treatment: runs of the treatment arm (seeds matched to the baseline's).
        languages: restrict to these languages (default: every language both arms scored).
        settings: resampling and rule parameters.

    Raises:
        ValueError: when no seed or no language is shared by both arms.
    """
    s = settings or StatsSettings()
    rng = np.random.default_rng(s.seed)
    pairs = _pair_by_seed(baseline, treatment)
    if not pairs:
        raise ValueError("the arms share no seed")
    langs = _languages(pairs, languages)
    if not langs:
        raise ValueError("the arms share no evaluated language")
    diffs = _example_diffs(pairs, langs)
    if diffs is not None:
        per_lang = {lang: float(d.mean()) for lang, d in diffs.items()}
        lo, hi = _interval(_bootstrap(diffs, s, rng), s)
        weighted = np.concatenate(
            [d.mean(axis=0) / (len(langs) * d.shape[1]) for d in diffs.values()]
        )
        return EffectEstimate(
            effect=float(np.mean(list(per_lang.values()))),
            ci_low=lo,
            ci_high=hi,
            p_value=_sign_flip_p(weighted, s),
            method="paired bootstrap over seeds and examples; sign-flip test on examples",
            n_seeds=len(pairs),
            languages=tuple(langs),
            n_examples={lang: int(d.shape[1]) for lang, d in diffs.items()},
            per_language=per_lang,
        )
    return _seed_level(pairs, langs, s, rng)


def _seed_level(pairs, langs: list[str], s: StatsSettings, rng) -> EffectEstimate:
    """Fallback without per-example outcomes: language-mean score differences per seed."""

    def score(r: RunResult, lang: str) -> float:
        return float(r.scores[lang].get(r.primary_metric, next(iter(r.scores[lang].values()))))

    per_seed = np.array([np.mean([score(t, g) - score(b, g) for g in langs]) for b, t in pairs])
    per_lang = {g: float(np.mean([score(t, g) - score(b, g) for b, t in pairs])) for g in langs}
    lo = hi = p = None
    if len(per_seed) > 1:
        boot = rng.choice(per_seed, size=(s.n_boot, len(per_seed))).mean(axis=1)
        lo, hi = _interval(boot, s)
        p = _sign_flip_p(per_seed, s)
    return EffectEstimate(
        effect=float(per_seed.mean()),
        ci_low=lo,
        ci_high=hi,
        p_value=p,
        method="bootstrap over seeds only (no per-example outcomes)",
        n_seeds=len(pairs),
        languages=tuple(langs),
        per_language=per_lang,
    )


def decide(
    estimate: EffectEstimate,
    direction: int,
    magnitude: float | None = None,
    settings: StatsSettings | None = None,
) -> tuple[str, str]:
    """The verdict on a claim from its effect estimate, with the reason in one sentence.

    ``direction`` +1 / -1: the claim says the treatment raises / lowers the score; REPLICATED needs
    the interval to exclude 0 on that side and p < alpha, and, when the claim states a magnitude
    ``m`` (points, positive), the interval to reach ``magnitude_fraction * m``. NOT REPLICATED when
    the interval lies wholly on the other side, stays below ``magnitude_fraction * m``, or is a tight
    null (inside +-null_margin). ``direction`` 0 ("no benefit"): REPLICATED when the interval's upper
    end is below null_margin; NOT REPLICATED when it excludes 0 upwards with p < alpha.
    Everything else is INCONCLUSIVE.
    """
    s = settings or StatsSettings()
    lo, hi, p = estimate.ci_low, estimate.ci_high, estimate.p_value
    if lo is None or hi is None or p is None:
        return INCONCLUSIVE, "no interval: one seed and no per-example outcomes"
    ci = f"[{lo:+.2f}, {hi:+.2f}]"
    significant = p < s.alpha
    if direction == 0:
        if lo > 0 and significant:
            return NOT_REPLICATED, f"the interval {ci} shows a benefit (p={p:.3g})"
        if hi < s.null_margin:
            return REPLICATED, f"the interval {ci} rules out a benefit of {s.null_margin} points"
        return INCONCLUSIVE, f"the interval {ci} allows a benefit of {s.null_margin}+ points"
    lo_d, hi_d = sorted((direction * lo, direction * hi))
    target = s.magnitude_fraction * abs(magnitude) if magnitude else None
    if lo_d > 0 and significant:
        if target is None or hi_d >= target:
            extra = (
                f", reaching {target:.2f} (= {s.magnitude_fraction:g} x {magnitude:g})"
                if target
                else ""
            )
            return (
                REPLICATED,
                f"the interval {ci} excludes 0 in the claimed direction{extra} (p={p:.3g})",
            )
        return (
            NOT_REPLICATED,
            f"the direction holds but {ci} stays below {target:.2f} (= {s.magnitude_fraction:g} x {magnitude:g})",
        )
    if hi_d < 0:
        return NOT_REPLICATED, f"the interval {ci} lies on the opposite side of 0"
    if target is not None and hi_d < target:
        return NOT_REPLICATED, f"the interval {ci} excludes the claimed effect (< {target:.2f})"
    if -s.null_margin <= lo_d and hi_d <= s.null_margin:
        return NOT_REPLICATED, f"a tight null: {ci} lies inside +-{s.null_margin} points"
    return INCONCLUSIVE, f"the interval {ci} includes 0 and is too wide to rule the claim out"
