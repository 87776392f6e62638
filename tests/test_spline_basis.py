"""The spline calibrator: its basis, its fit, its JSON, and its selection."""

from __future__ import annotations

import json

import numpy as np
import pytest

from synth.calibrate import DEFAULT_MODEL, Calibrator, TrainingSet, fit_calibrator, log_loss
from synth.calibration_select import fit_selected, select
from synth.records import LABELS
from synth.spline_basis import SplineSpec, bspline_basis, fit_basis, parse_spec


def bump_set(seed: int = 0, n: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """SUPPORTS in the middle of feature 0's range, REFUTES at its ends; feature 1 a flag."""
    rng = np.random.default_rng(seed)
    x = np.column_stack([rng.uniform(size=n), rng.integers(0, 2, size=n).astype(float)])
    mid = np.abs(x[:, 0] - 0.5) < 0.2
    y = np.where(mid, LABELS[0], LABELS[1]).astype(object)
    y[(x[:, 1] == 1) & (rng.uniform(size=n) < 0.3)] = LABELS[2]
    return x, np.array(y, dtype=str)


def test_basis_matches_sklearn_in_range_and_is_constant_outside():
    from sklearn.preprocessing import SplineTransformer

    x, _ = bump_set()
    basis = fit_basis(x, ("a", "flag"))
    assert list(basis.knots) == ["a"]  # the two-valued flag stays linear
    assert basis.expanded_width(("a", "flag")) == 7 + 1
    ref = SplineTransformer(n_knots=5, degree=3, knots="quantile").fit(x[:, [0]])
    grid = np.linspace(x[:, 0].min(), x[:, 0].max(), 50)
    rows = np.column_stack([grid, np.ones(50)])
    out = basis.expand(rows, ("a", "flag"))
    assert np.allclose(out[:, :7], ref.transform(grid[:, None]))
    assert np.allclose(out[:, 7], 1.0)
    assert np.allclose(out[:, :7].sum(1), 1.0)  # a partition of unity
    edge = basis.expand(np.array([[x[:, 0].max(), 0.0], [5.0, 0.0]]), ("a", "flag"))
    assert np.allclose(edge[0], edge[1])  # beyond the fitted range: the value at its edge


def test_numpy_basis_equals_scipy_and_one_row_equals_the_batch():
    # The basis is evaluated with numpy alone (no scipy import at verification time): equal to
    # scipy's BSpline, at the knots, between them, at both ends and beyond them.
    from scipy.interpolate import BSpline

    t = np.array([0.1, 0.1, 0.1, 0.1, 0.3, 0.45, 0.8, 0.8, 0.8, 0.8])
    n = len(t) - 3 - 1
    v = np.concatenate([np.linspace(-0.5, 1.5, 301), t])
    ref = BSpline(t, np.eye(n), 3, extrapolate=True)(np.clip(v, t[3], t[n]))
    assert np.allclose(bspline_basis(t, 3, v), ref, atol=1e-12)
    # Several splined features of one row go through one call: a row alone gives the batch's row.
    rng = np.random.default_rng(1)
    x = np.column_stack([rng.uniform(size=200), rng.integers(0, 2, 200), rng.normal(size=200)])
    basis = fit_basis(x, ("a", "flag", "b"), SplineSpec(knots=4, linear=True))
    batch = basis.expand(x, ("a", "flag", "b"))
    assert batch.shape == (200, basis.expanded_width(("a", "flag", "b")))
    assert np.allclose(np.vstack([basis.expand(row, ("a", "flag", "b")) for row in x]), batch)


def test_spline_calibrator_fits_a_shape_the_linear_one_cannot():
    x, y = bump_set()
    xt, yt = bump_set(seed=1)
    lin = fit_calibrator(x, list(y), c=10.0, features=("sim", "negation"))
    spl = fit_calibrator(x, list(y), c=10.0, features=("sim", "negation"), model="spline")
    assert lin.basis is None and spl.model == "spline" and set(spl.basis.knots) == {"sim"}
    assert spl.weights.shape == (3, 8)
    assert log_loss(spl.predict_proba(xt), yt) < log_loss(lin.predict_proba(xt), yt) - 0.2
    one = spl.predict_proba(xt[0])
    assert one.shape == (3,) and np.allclose(one, spl.predict_proba(xt[:1])[0])
    with pytest.raises(ValueError):
        fit_calibrator(x, list(y), features=("sim", "negation"), model="forest")


def test_spline_calibrator_round_trips_through_json(tmp_path):
    x, y = bump_set()
    spl = fit_calibrator(x, list(y), c=1.0, features=("sim", "negation"), model="spline")
    spl.save(tmp_path / "s.json")
    back = Calibrator.load(tmp_path / "s.json")
    assert back.model == "spline" and back.stamp == spl.stamp
    assert np.allclose(back.predict_proba(x), spl.predict_proba(x), atol=1e-5)
    # the linear model's JSON carries no basis (its files and stamps stay as they were)
    lin = fit_calibrator(x, list(y), c=1.0, features=("sim", "negation"))
    assert "spline_basis" not in lin.to_json() and lin.stamp != spl.stamp
    data = json.loads((tmp_path / "s.json").read_text())
    data["weights"] = [row[:2] for row in data["weights"]]
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ValueError):
        Calibrator.load(tmp_path / "bad.json")


def test_selection_carries_the_model_class():
    x, y = bump_set(n=240)
    groups = np.repeat(["p0", "p1", "p2", "p3"], 60)
    data = TrainingSet(x, y, groups, np.arange(240) % 2 == 0)
    sel = select(data, model="spline")
    assert sel.model == "spline"
    cal = fit_selected(data, sel, features=("sim", "negation"))
    plain = fit_calibrator(
        x, list(y), c=sel.c, sample_weight=data.weights(sel.hand_weight),
        features=("sim", "negation"), model="spline",
    )  # fmt: skip
    assert cal.basis == plain.basis
    assert np.allclose(cal.weights, plain.weights / sel.temperature)


def test_parse_spec_reads_the_options_and_refuses_others():
    assert parse_spec("linear") is None
    assert parse_spec("spline") == SplineSpec()
    spec = parse_spec("spline:knots=3,linear,penalty=4,skip=a+b,distinct")
    assert spec == SplineSpec(knots=3, linear=True, penalty=4.0, skip=("a", "b"), distinct=True)
    assert parse_spec("spline:only=sim").only == ("sim",)
    for bad in ("forest", "linear:knots=3", "spline:knots=1", "spline:penalty=0", "spline:x=1"):
        with pytest.raises(ValueError):
            parse_spec(bad)


def test_distinct_keeps_a_mostly_zero_signal_linear():
    rng = np.random.default_rng(0)
    dense = rng.uniform(size=500)
    sparse = np.where(rng.uniform(size=500) < 0.8, 0.0, rng.uniform(size=500))  # 0 on most rows
    x = np.column_stack([dense, sparse])
    assert set(fit_basis(x, ("a", "b")).knots) == {"a", "b"}  # the plain spline splines both
    basis = fit_basis(x, ("a", "b"), parse_spec("spline:distinct"))
    assert list(basis.knots) == ["a"]
    assert basis.expanded_width(("a", "b")) == 7 + 1


def test_linear_term_and_penalty_scale_the_basis_and_survive_json(tmp_path):
    x, y = bump_set()
    spec = parse_spec("spline:linear,penalty=4,knots=4")
    basis = fit_basis(x, ("a", "flag"), spec)
    assert basis.linear == ("a",) and basis.scale == pytest.approx(0.5)
    out = basis.expand(x[:5], ("a", "flag"))
    plain = fit_basis(x, ("a", "flag"), parse_spec("spline:knots=4")).expand(x[:5], ("a", "flag"))
    assert out.shape == (5, 6 + 1 + 1)  # 6 basis columns, the raw column, the flag
    assert np.allclose(out[:, :6], 0.5 * plain[:, :6])
    assert np.allclose(out[:, 6], x[:5, 0]) and np.allclose(out[:, 7], x[:5, 1])
    cal = fit_calibrator(
        x, list(y), c=1.0, features=("sim", "negation"), model="spline:linear,penalty=4,knots=4"
    )
    cal.save(tmp_path / "cal.json")
    back = Calibrator.load(tmp_path / "cal.json")
    assert back.basis.linear == ("sim",) and back.basis.scale == cal.basis.scale
    assert back.stamp == cal.stamp  # knots stored to 10 decimals
    assert np.allclose(back.predict_proba(x[:20]), cal.predict_proba(x[:20]))


def test_the_default_model_ships_through_select_and_json(tmp_path):
    spec = parse_spec(DEFAULT_MODEL)
    assert spec is not None and spec.distinct and spec.linear and spec.penalty == 4.0
    x, y = bump_set(n=240)
    sparse = np.where(np.arange(240) % 5 == 0, np.linspace(0.1, 1.0, 240), 0.0)  # 0 on most rows
    x = np.column_stack([x, sparse])
    names = ("sim", "negation", "conflict_x_cover")
    groups = np.repeat(["p0", "p1", "p2", "p3"], 60)
    data = TrainingSet(x, y, groups, np.arange(240) % 2 == 0)
    sel = select(data, model=DEFAULT_MODEL)
    cal = fit_selected(data, sel, meta={"model": DEFAULT_MODEL}, features=names)
    assert list(cal.basis.knots) == ["sim"] and cal.basis.linear == ("sim",)
    assert cal.weights.shape == (3, 7 + 1 + 1 + 1)
    cal.save(tmp_path / "cal.json")
    saved = json.loads((tmp_path / "cal.json").read_text())
    assert saved["spline_basis"]["scale"] == pytest.approx(0.5)
    back = Calibrator.load(tmp_path / "cal.json")
    assert back.stamp == cal.stamp and back.meta["model"] == DEFAULT_MODEL
    assert np.allclose(back.predict_proba(x), cal.predict_proba(x), atol=1e-5)
