"""Low-resource grouping, robustness measures, and the data-volume vs model-size fit."""

from __future__ import annotations

import numpy as np

from replicate.records import RunResult
from replicate.robustness import (
    ABSENT_FROM_XLMR,
    analyse,
    fit_axes,
    is_low_resource,
    model_size,
    normalise_lang,
    robustness_rows,
)
from replicate.tasks import AMERICASNLI_LANGS, XCOPA_LANGS

LANGS = ("en", "de", "sw", "qu", "ur")


def test_grouping_rule() -> None:
    assert all(is_low_resource(g) for g in AMERICASNLI_LANGS)  # unseen by XLM-R
    assert {g for g in XCOPA_LANGS if is_low_resource(g)} == {"et", "ht", "qu", "sw"}
    assert is_low_resource("swh") and is_low_resource("tel") and is_low_resource("kaz")
    assert normalise_lang("cmn") == "zh" and not is_low_resource("cmn")
    assert not any(is_low_resource(g) for g in ("en", "de", "fr", "ru", "ta"))
    assert is_low_resource("ta", threshold_gib=13)  # the threshold is a parameter
    assert {"ht", "qu", "wo", "yo"} <= ABSENT_FROM_XLMR
    assert model_size("xlm-roberta-large", None) > model_size("xlm-roberta-base", None)
    assert model_size("offline:multilingual-e5-small", 6) * 2 == model_size(
        "offline:multilingual-e5-small", 12
    )


def _result(cap, layers, seed, scores, inter="snli", task="xnli") -> RunResult:
    spec = {
        "model": "offline:multilingual-e5-small",
        "num_layers": layers,
        "intermediate_task": inter if inter != "none" else None,
        "intermediate_tasks": [],
        "intermediate_cap": cap,
        "seed": seed,
    }
    return RunResult(
        run_id=f"{cap}-{layers}-{seed}-{inter}",
        spec=spec,
        task=task,
        scores={g: {"accuracy": v} for g, v in scores.items()},
        average={},
        primary_metric="accuracy",
    )


def test_measures_of_one_cell() -> None:
    runs = [
        _result(64, 6, 0, {"en": 80, "de": 70, "sw": 50, "qu": 40, "ur": 60}),
        _result(64, 6, 1, {"en": 82, "de": 72, "sw": 52, "qu": 42, "ur": 58}),
    ]
    (row,) = robustness_rows(runs)
    assert row.low_resource_languages == ("qu", "sw", "ur")
    assert row.lowres_mean == np.mean([51, 41, 59])
    assert (row.worst_language, row.worst_score) == ("qu", 41)
    assert row.gap_to_english == 81 - np.mean([51, 41, 59])
    assert row.n_seeds == 2 and row.seed_spread > 0
    assert np.isclose(row.lang_spread, np.std([71, 51, 41, 59]))


def synthetic_grid(data_slope: float, size_slope: float, noise: float = 0.5, seeds: int = 3):
    rng = np.random.default_rng(0)
    runs = []
    for cap in (64, 256, 1024):
        for layers in (3, 6, 12):
            for inter in ("snli", "socialiqa"):
                for seed in range(seeds):
                    base = 30 + data_slope * np.log2(cap) + size_slope * np.log2(layers)
                    base += 2.0 if inter == "socialiqa" else 0.0
                    scores = {
                        g: base + rng.normal(0, noise) + (20 if g == "en" else 0) for g in LANGS
                    }
                    runs.append(_result(cap, layers, seed, scores, inter))
    return runs


def test_fit_recovers_known_slopes_and_names_the_axis() -> None:
    analysis = analyse(synthetic_grid(data_slope=2.0, size_slope=0.5), n_boot=300)
    fit = next(f for f in analysis.fits if f.measure == "lowres_mean")
    assert fit.data_ci[0] <= 2.0 <= fit.data_ci[1]
    assert fit.size_ci[0] <= 0.5 <= fit.size_ci[1]
    assert fit.conclusion == "data volume buys more per doubling"
    flipped = analyse(synthetic_grid(data_slope=0.2, size_slope=3.0), n_boot=300)
    assert next(f for f in flipped.fits if f.measure == "lowres_mean").conclusion.startswith(
        "model size"
    )
    same = analyse(synthetic_grid(data_slope=1.0, size_slope=1.0, noise=3.0), n_boot=300)
    assert "no clear" in next(f for f in same.fits if f.measure == "lowres_mean").conclusion
    assert "CC-100" in analysis.rule and len(analysis.rows) == 3 * 3 * 2
    assert analysis.to_dict()["fits"][0]["target"] == "xnli"


def test_fit_is_not_identifiable_with_one_value_on_an_axis() -> None:
    rows = [(64.0, 100.0, "snli", 1.0), (128.0, 100.0, "snli", 2.0)] * 3
    fit = fit_axes("xnli", "lowres_mean", rows)
    assert fit.data_slope is None and "not identifiable" in fit.conclusion


def test_baselines_enter_rows_but_not_the_fit() -> None:
    runs = synthetic_grid(1.0, 1.0, seeds=2)
    runs.append(_result(None, 12, 0, dict.fromkeys(LANGS, 50.0), inter="none"))
    analysis = analyse(runs, n_boot=100)
    assert any(r.intermediate == "none" for r in analysis.rows)
    assert all(f.n_rows == 3 * 3 * 2 * 2 for f in analysis.fits if f.measure == "lowres_mean")


def test_too_few_runs_give_slopes_without_intervals() -> None:
    rows = [(64.0, 1.0, "snli", 1.0), (128.0, 1.0, "snli", 2.0), (64.0, 2.0, "snli", 3.0)]
    rows.append((128.0, 2.0, "snli", 4.5))
    fit = fit_axes("xnli", "lowres_mean", rows)
    assert fit.data_ci is None and "too few runs" in fit.conclusion
    assert abs(fit.data_slope - 1.25) < 1e-9 and abs(fit.size_slope - 2.25) < 1e-9
