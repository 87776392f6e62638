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
extrapolation) and stored; :meth:`SplineBasis.expand` evaluates the same basis with numpy alone
(:func:`bspline_basis`, equal to scipy's ``BSpline`` to rounding), so a saved calibrator needs
neither sklearn nor scipy to predict (importing scipy.interpolate costs ~0.75 s of a process, and
building a scipy ``BSpline`` per claim cost 4 ms a claim).
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


def bspline_basis(knots: np.ndarray, degree: int, x: np.ndarray) -> np.ndarray:
    """All ``len(knots) - degree - 1`` B-spline basis functions of ``degree`` on the full knot
    vector ``knots``, at the points ``x`` (shape (len(x), n)). Outside ``[knots[degree],
    knots[n]]`` a point takes the value at the nearer edge (constant extrapolation); the last
    interval is closed."""
    v = np.asarray(x, dtype=np.float64)
    return _basis_rows(np.broadcast_to(np.asarray(knots, dtype=np.float64), (len(v), len(knots))),
                       degree, v)  # fmt: skip


def _basis_rows(t: np.ndarray, k: int, x: np.ndarray) -> np.ndarray:
    """:func:`bspline_basis` with a knot vector per point (``t``: (P, L), ``x``: (P,)): the Cox-de
    Boor recursion over the ``k + 1`` functions non-zero on each point's knot interval, vectorised
    over the points (so one call serves every splined feature of a row)."""
    p, n = len(x), t.shape[1] - k - 1
    rows = np.arange(p)
    v = np.clip(x, t[:, k], t[:, n])
    m = np.clip((t <= v[:, None]).sum(axis=1) - 1, k, n - 1)  # t[m] <= v < t[m + 1]
    basis = np.zeros((p, k + 1))
    basis[:, 0] = 1.0
    left = np.zeros((p, k + 1))
    right = np.zeros((p, k + 1))
    for j in range(1, k + 1):
        left[:, j] = v - t[rows, m + 1 - j]
        right[:, j] = t[rows, m + j] - v
        saved = np.zeros(p)
        for r in range(j):
            denom = right[:, r + 1] + left[:, j - r]
            temp = np.divide(basis[:, r], denom, out=np.zeros(p), where=denom > 0)
            basis[:, r] = saved + right[:, r + 1] * temp
            saved = left[:, j - r] * temp
        basis[:, j] = saved
    out = np.zeros((p, n))
    out[rows[:, None], m[:, None] - k + np.arange(k + 1)] = basis
    return out


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
        x2 = np.atleast_2d(np.asarray(x, dtype=np.float64))
        spl = [j for j, name in enumerate(features) if name in self.knots]
        bases: dict[int, np.ndarray] = {}
        for size in sorted({len(self.knots[features[j]]) for j in spl}):
            # every splined feature with knot vectors of one length, all rows, in one call
            group = [j for j in spl if len(self.knots[features[j]]) == size]
            t = np.array([self.knots[features[j]] for j in group], dtype=np.float64)
            r = len(x2)
            b = _basis_rows(np.tile(t, (r, 1)), self.degree, x2[:, group].reshape(-1))
            b = b.reshape(r, len(group), size - self.degree - 1) * self.scale  # r may be 0
            bases.update({j: b[:, g] for g, j in enumerate(group)})
        cols = []
        for j, name in enumerate(features):
            if j not in bases:
                cols.append(x2[:, [j]])
                continue
            cols.append(bases[j])
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
