"""Robustness of zero-shot transfer across low-resource languages, and what buys more of it.

**Low-resource grouping (the rule is :func:`is_low_resource`).** A language is low-resource when
XLM-R's pretraining data (CC-100; Conneau et al. 2020, "Unsupervised Cross-lingual Representation
Learning at Scale", Table 6) either lacks it — the model never saw it: ht, qu, wo, yo of XTREME-R and
all ten AmericasNLI languages — or holds less than ``LOW_RESOURCE_GIB`` (7 GiB) of its text. 7 GiB
puts about the smallest third of XTREME-R's 50 languages in the group (sw, te, kk, ur, et, my, jv, eu,
gu, mr, tl, af, pa, az, ...), the languages where XTREME and XTREME-R report the largest transfer
gaps. The sizes below are transcribed from that table, rounded; results are stored per language, so
any other grouping can be recomputed from them. ISO 639-3 codes (Tatoeba's LASER files) are mapped
to the two-letter codes first.

**Measures (per grid cell, i.e. a configuration over its seeds).** Low-resource mean; worst language
and its score; gap to English (English minus the low-resource mean, when English is evaluated);
spread across languages (std of per-language means) and across seeds (mean per-language std).

**The fit.** Per target task and measure, OLS of the per-seed measure on log2(intermediate data
volume) and log2(model size, in non-embedding parameters 12·h²·L, so for one family a doubling of
depth is a doubling of size), with intermediate-task fixed effects; 95% intervals from a case
bootstrap. The slopes are "points per doubling"; the axis whose slope is larger, with the
difference's interval excluding 0, "buys more robustness per doubling".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from replicate.records import RunResult
from replicate.tasks import TATOEBA_CODES

LOW_RESOURCE_GIB = 7.0
# CC-100 GiB per language (XLM-R paper, Table 6), for the languages of XTREME-R and the tasks here.
CC100_GIB: dict[str, float] = {
    "af": 1.3, "ar": 28.0, "az": 6.5, "bg": 57.5, "bn": 8.4, "de": 66.6, "el": 46.9, "en": 300.8,
    "es": 53.3, "et": 6.1, "eu": 2.0, "fa": 111.6, "fi": 54.3, "fr": 56.8, "gu": 1.9, "he": 31.6,
    "hi": 20.2, "hu": 58.4, "id": 148.3, "it": 30.2, "ja": 69.3, "jv": 0.2, "ka": 9.1, "kk": 6.4,
    "ko": 54.2, "lt": 13.7, "ml": 7.6, "mr": 2.8, "ms": 8.5, "my": 0.9, "nl": 29.3, "pa": 0.8,
    "pl": 44.6, "pt": 49.1, "ro": 61.4, "ru": 278.0, "sw": 1.6, "ta": 12.2, "te": 4.7, "th": 71.7,
    "tl": 3.1, "tr": 20.9, "uk": 84.6, "ur": 5.7, "vi": 137.3, "zh": 46.9,
}  # fmt: skip
# Languages of the tasks here that CC-100 does not contain at all.
ABSENT_FROM_XLMR = frozenset(
    {"ht", "qu", "wo", "yo", "aym", "bzd", "cni", "gn", "hch", "nah", "oto", "quy", "shp", "tar"}
)
_ISO3_TO_2 = {v: k for k, v in TATOEBA_CODES.items()}
# (hidden size, layers) of model families, for non-embedding parameter counts.
MODEL_SHAPES: dict[str, tuple[int, int]] = {
    "offline:multilingual-e5-small": (384, 12),
    "intfloat/multilingual-e5-small": (384, 12),
    "xlm-roberta-base": (768, 12),
    "FacebookAI/xlm-roberta-base": (768, 12),
    "xlm-roberta-large": (1024, 24),
    "FacebookAI/xlm-roberta-large": (1024, 24),
}


def normalise_lang(code: str) -> str:
    """Two-letter code where one exists (``swh`` -> ``sw``); ``task/lang`` keys keep the task."""
    return _ISO3_TO_2.get(code, code)


def is_low_resource(code: str, threshold_gib: float = LOW_RESOURCE_GIB) -> bool:
    """The grouping rule: absent from CC-100, or less than ``threshold_gib`` of CC-100 text."""
    lang = normalise_lang(code)
    if lang in ABSENT_FROM_XLMR:
        return True
    size = CC100_GIB.get(lang)
    return size is not None and size < threshold_gib


def model_size(model: str, num_layers: int | None) -> float:
    """Non-embedding parameters 12·h²·L (relative units when the family is unknown)."""
    hidden, layers = MODEL_SHAPES.get(model, (1, 12))
    return 12.0 * hidden**2 * (num_layers or layers)


@dataclass(frozen=True)
class RobustnessRow:
    """Robustness measures of one grid cell (a configuration, over its seeds)."""

    target: str
    model: str
    num_layers: int | None
    model_size: float
    intermediate: str
    cap: int | None
    n_seeds: int
    metric: str
    mean: float
    lowres_mean: float | None
    worst_language: str
    worst_score: float
    gap_to_english: float | None
    lang_spread: float
    seed_spread: float | None
    low_resource_languages: tuple[str, ...]
    per_language: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class AxisFit:
    """How one measure changes per doubling of data volume and of model size (one target task)."""

    target: str
    measure: str
    n_rows: int
    data_slope: float | None
    data_ci: tuple[float, float] | None
    size_slope: float | None
    size_ci: tuple[float, float] | None
    difference_ci: tuple[float, float] | None  # data slope minus size slope
    conclusion: str


@dataclass(frozen=True)
class RobustnessAnalysis:
    """All rows and fits, with the grouping rule that made them."""

    rule: str
    rows: tuple[RobustnessRow, ...]
    fits: tuple[AxisFit, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _intermediate(spec: dict[str, Any]) -> str:
    return spec.get("intermediate_task") or "+".join(spec.get("intermediate_tasks") or []) or "none"


def _cell_key(r: RunResult) -> tuple:
    s = r.spec
    return (
        r.task,
        s.get("model"),
        s.get("num_layers"),
        _intermediate(s),
        s.get("intermediate_cap"),
    )


def _score(r: RunResult, lang: str) -> float:
    m = r.scores[lang]
    return float(m.get(r.primary_metric, next(iter(m.values()))))


def _per_seed_measures(r: RunResult) -> dict[str, float | None]:
    langs = [g for g in r.scores if normalise_lang(g) != "en"]
    low = [_score(r, g) for g in langs if is_low_resource(g)]
    low_mean = float(np.mean(low)) if low else None
    en = next((_score(r, g) for g in r.scores if normalise_lang(g) == "en"), None)
    return {
        "lowres_mean": low_mean,
        "worst_score": min((_score(r, g) for g in langs), default=None),
        "gap_to_english": en - low_mean if en is not None and low_mean is not None else None,
    }


def robustness_rows(results: list[RunResult]) -> list[RobustnessRow]:
    """One row per grid cell; languages are those every seed of the cell evaluated."""
    cells: dict[tuple, list[RunResult]] = defaultdict(list)
    for r in results:
        cells[_cell_key(r)].append(r)
    rows = []
    for (target, model, layers, inter, cap), runs in cells.items():
        langs = sorted(set.intersection(*(set(r.scores) for r in runs)))
        mat = np.array([[_score(r, g) for g in langs] for r in runs])  # seeds x languages
        means = dict(zip(langs, mat.mean(axis=0).tolist(), strict=True))
        non_en = {g: v for g, v in means.items() if normalise_lang(g) != "en"} or means
        low = sorted(g for g in non_en if is_low_resource(g))
        low_mean = float(np.mean([means[g] for g in low])) if low else None
        en = next((v for g, v in means.items() if normalise_lang(g) == "en"), None)
        worst = min(non_en, key=non_en.get)
        rows.append(
            RobustnessRow(
                target=target, model=model, num_layers=layers, model_size=model_size(model, layers),
                intermediate=inter, cap=cap, n_seeds=len(runs), metric=runs[0].primary_metric,
                mean=float(np.mean(list(non_en.values()))), lowres_mean=low_mean,
                worst_language=worst, worst_score=non_en[worst],
                gap_to_english=en - low_mean if en is not None and low_mean is not None else None,
                lang_spread=float(np.std(list(non_en.values()))),
                seed_spread=float(mat.std(axis=0, ddof=1).mean()) if len(runs) > 1 else None,
                low_resource_languages=tuple(low), per_language=means,
            )
        )  # fmt: skip
    return sorted(
        rows, key=lambda r: (r.target, r.model, r.num_layers or 0, r.intermediate, r.cap or 0)
    )


def _design(rows: list[tuple[float, float, str, float]]) -> tuple[np.ndarray, np.ndarray]:
    tasks = sorted({t for _, _, t, _ in rows})
    x = [[1.0, np.log2(c), np.log2(s)] + [float(t == k) for k in tasks[1:]] for c, s, t, _ in rows]
    return np.array(x), np.array([y for *_, y in rows])


def fit_axes(
    target: str,
    measure: str,
    rows: list[tuple[float, float, str, float]],
    n_boot: int = 1000,
    seed: int = 0,
) -> AxisFit:
    """OLS of ``measure`` on log2 cap and log2 size (+ task effects), with bootstrap intervals.

    Args:
        target: target task the rows belong to.
        measure: name of the measure.
        rows: (cap, model size, intermediate task, value) per seed-run.
        n_boot: case-bootstrap resamples.
        seed: generator seed.
    """
    caps, sizes = {r[0] for r in rows}, {r[1] for r in rows}
    if len(rows) < 4 or len(caps) < 2 or len(sizes) < 2:
        why = f"not identifiable: {len(caps)} data volume(s), {len(sizes)} model size(s), {len(rows)} runs"
        return AxisFit(target, measure, len(rows), None, None, None, None, None, why)
    x, y = _design(rows)
    coef = np.linalg.lstsq(x, y, rcond=None)[0]
    if len(rows) < x.shape[1] + 4:  # a case bootstrap needs residual degrees of freedom
        why = f"too few runs for intervals ({len(rows)} runs, {x.shape[1]} coefficients)"
        return AxisFit(
            target, measure, len(rows), float(coef[1]), None, float(coef[2]), None, None, why
        )
    rng = np.random.default_rng(seed)
    boots = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(rows), len(rows))
        if np.linalg.matrix_rank(x[idx]) == x.shape[1]:
            boots.append(np.linalg.lstsq(x[idx], y[idx], rcond=None)[0][1:3])
    b = np.array(boots)

    def ci(v: np.ndarray) -> tuple[float, float]:
        lo, hi = np.percentile(v, [2.5, 97.5])
        return float(lo), float(hi)

    diff = ci(b[:, 0] - b[:, 1])
    if diff[0] > 0:
        conclusion = "data volume buys more per doubling"
    elif diff[1] < 0:
        conclusion = "model size buys more per doubling"
    else:
        conclusion = "no clear difference between the axes"
    return AxisFit(
        target,
        measure,
        len(rows),
        float(coef[1]),
        ci(b[:, 0]),
        float(coef[2]),
        ci(b[:, 1]),
        diff,
        conclusion,
    )


def analyse(results: list[RunResult], n_boot: int = 1000) -> RobustnessAnalysis:
    """Rows for every cell and, per target task, fits of each per-seed measure on both axes."""
    rule = (
        f"low-resource = absent from XLM-R's CC-100 or < {LOW_RESOURCE_GIB:g} GiB of it "
        "(Conneau et al. 2020, Table 6)"
    )
    fits = []
    by_target: dict[str, list[RunResult]] = defaultdict(list)
    for r in results:
        if r.spec.get("intermediate_cap") and _intermediate(r.spec) != "none":
            by_target[r.task].append(r)
    for target, runs in sorted(by_target.items()):
        for measure in ("lowres_mean", "worst_score", "gap_to_english"):
            pts = []
            for r in runs:
                value = _per_seed_measures(r)[measure]
                if value is not None:
                    size = model_size(r.spec.get("model", ""), r.spec.get("num_layers"))
                    pts.append(
                        (float(r.spec["intermediate_cap"]), size, _intermediate(r.spec), value)
                    )
            if pts:
                fits.append(fit_axes(target, measure, pts, n_boot))
    return RobustnessAnalysis(rule, tuple(robustness_rows(results)), tuple(fits))
