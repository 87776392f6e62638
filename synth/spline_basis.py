"""Cubic B-spline bases for the calibrator's continuous features (``Calibrator(model="spline")``).

A linear calibrator gives each feature one slope: similarity 0.55 -> 0.65 moves the log-odds as
much as 0.85 -> 0.95. With a spline basis each continuous feature (more than
:data:`MIN_DISTINCT` distinct values in the fitting data: similarities, coverages, the weighted
conflict signals) gets a smooth piecewise-cubic shape instead, from :data:`N_KNOTS` knots at its
quantiles, while flags and few-valued features stay linear. Measured on session 22's features
(bench/calibrator_models.py, leave one paper out, the judge's C 0.01 and weight 30): written
log loss 0.7715 -> 0.7536 (P 1.00), no written group worse, but generated negations 86 -> 79 of
92 right and a seed-report claim at SUPPORTS 0.80: not shipped. The negations were lost to the
conflict signals' "splines": 0 on most rows, their quantile knots repeat at 0 (a jump, not a
shape). Session 23 judged four variants fixed in advance (bench/keep_rule.py judge
--after-model, checks (a)-(f)); ``spline:distinct,linear,penalty=4`` (synth.calibrate's
DEFAULT_MODEL) was the one kept: written log loss 0.7770 -> 0.7630, negations 86 -> 86.

A model spec (``--model`` of scripts/fit_calibrator.py, ``--after-model`` of bench/keep_rule.py
judge) names the class's options: ``spline`` is the default above; ``spline:knots=4,linear,
penalty=4,skip=sim+cover`` takes 4 knots, keeps each splined feature's raw column beside its basis,
divides the spline columns by sqrt(4) (an L2 penalty four times the linear columns'), and keeps
``sim`` and ``cover`` linear (``only=...`` splines just those named); ``distinct`` splines only the
features whose quantile knots are all distinct (a signal that is 0 on most rows gets repeated knots
at 0, a jump there rather than a smooth shape, and stays linear). :func:`parse_spec` reads it.

The knots are found with sklearn's ``SplineTransformer`` (quantile knots, constant
extrapolation) and stored; :meth:`SplineBasis.expand` evaluates the same basis with scipy alone, so
a saved calibrator needs no sklearn object to predict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

N_KNOTS = 5  # interior + boundary knots per feature, at quantiles: 7 cubic basis functions
DEGREE = 3
MIN_DISTINCT = 20  # fewer distinct values: a flag or a count, kept linear


@dataclass(frozen=True)
class SplineSpec:
    """The spline class's options (see the module docstring)."""

    knots: int = N_KNOTS
    linear: bool = False  # keep each splined feature's raw column beside its basis
    penalty: float = 1.0  # L2 penalty of the spline columns relative to the linear ones
    only: tuple[str, ...] = ()  # spline just these features (empty: every continuous one)
    skip: tuple[str, ...] = ()  # never spline these
    distinct: bool = False  # spline only features whose quantile knots are all distinct


def parse_spec(model: str) -> SplineSpec | None:
    """``linear`` -> None; ``spline[:key=value,...]`` -> its :class:`SplineSpec` (keys: knots,
    linear, penalty, only, skip; lists joined by ``+``). Raises ValueError on anything else."""
    family, _, opts = model.partition(":")
    if family == "linear" and not opts:
        return None
    if family != "spline":
        raise ValueError(f"unknown calibrator model {model!r} (linear or spline[:options])")
    kw: dict[str, object] = {}
    for item in filter(None, opts.split(",")):
        key, _, value = item.partition("=")
        if key == "knots":
            kw["knots"] = int(value)
        elif key in ("linear", "distinct"):
            kw[key] = value in ("", "1", "true")
        elif key == "penalty":
            kw["penalty"] = float(value)
        elif key in ("only", "skip"):
            kw[key] = tuple(filter(None, value.split("+")))
        else:
            raise ValueError(f"unknown spline option {key!r} in {model!r}")
    spec = SplineSpec(**kw)  # type: ignore[arg-type]
    if spec.knots < 2 or spec.penalty <= 0:
        raise ValueError(f"spline options out of range in {model!r}")
    return spec


@dataclass(frozen=True)
class SplineBasis:
    """Per continuous feature, the full B-spline knot vector; the other features pass through.
    Spline columns are multiplied by ``scale``; features in ``linear`` keep their raw column too."""

    knots: dict[str, tuple[float, ...]]
    degree: int = DEGREE
    scale: float = 1.0
    linear: tuple[str, ...] = field(default=())

    def width(self, name: str) -> int:
        """How many columns feature ``name`` becomes."""
        if name not in self.knots:
            return 1
        return len(self.knots[name]) - self.degree - 1 + (name in self.linear)

    def expanded_width(self, features: tuple[str, ...]) -> int:
        return sum(self.width(name) for name in features)

    def expand(self, x: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
        """Rows ``x`` (columns named ``features``) with each splined column replaced by its basis
        (in place, so the expanded columns keep the features' order)."""
        from scipy.interpolate import BSpline

        x2 = np.atleast_2d(np.asarray(x, dtype=np.float64))
        cols = []
        for j, name in enumerate(features):
            if name not in self.knots:
                cols.append(x2[:, [j]])
                continue
            t = np.array(self.knots[name])
            k = self.degree
            n = len(t) - k - 1
            # constant extrapolation: outside the fitted range, the value at its edge
            v = np.clip(x2[:, j], t[k], t[n])
            cols.append(BSpline(t, np.eye(n), k, extrapolate=True)(v) * self.scale)
            if name in self.linear:
                cols.append(x2[:, [j]])
        return np.hstack(cols)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "degree": self.degree,
            "knots": {name: [round(float(v), 10) for v in t] for name, t in self.knots.items()},
        }
        if self.scale != 1.0 or self.linear:  # absent for the plain spline (its JSON unchanged)
            out["scale"] = self.scale
            out["linear"] = list(self.linear)
        return out

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SplineBasis:
        knots = {str(k): tuple(float(v) for v in t) for k, t in dict(data["knots"]).items()}
        return cls(
            knots=knots,
            degree=int(data["degree"]),
            scale=float(data.get("scale", 1.0)),
            linear=tuple(str(n) for n in data.get("linear", ())),
        )


def fit_basis(
    x: np.ndarray, features: tuple[str, ...], spec: SplineSpec | None = None
) -> SplineBasis:
    """Quantile knots (sklearn's ``SplineTransformer``) for the columns of ``x`` with more than
    :data:`MIN_DISTINCT` distinct values (those ``spec`` allows)."""
    from sklearn.preprocessing import SplineTransformer

    spec = spec or SplineSpec()
    knots = {}
    for j, name in enumerate(features):
        if len(np.unique(x[:, j])) <= MIN_DISTINCT or name in spec.skip:
            continue
        if spec.only and name not in spec.only:
            continue
        st = SplineTransformer(n_knots=spec.knots, degree=DEGREE, knots="quantile")
        st.fit(x[:, [j]])
        t = st.bsplines_[0].t
        inner = t[DEGREE : len(t) - DEGREE]
        if spec.distinct and np.any(np.diff(inner) <= 0):
            continue  # mostly one value (a conflict signal that is 0 on most rows): stays linear
        knots[name] = tuple(float(v) for v in t)
    return SplineBasis(
        knots=knots,
        degree=DEGREE,
        scale=float(1.0 / np.sqrt(spec.penalty)),
        linear=tuple(knots) if spec.linear else (),
    )
