"""bench/keep_rule.py judge --after-model: a model class judged on the same features, with (f)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from synth.records import LABELS

REPO = Path(__file__).resolve().parents[1]


def _keep_rule():
    spec = importlib.util.spec_from_file_location("keep_rule", REPO / "bench" / "keep_rule.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _dump(path: Path, n: int = 480) -> None:
    """A dump whose label is a bump in "sim" (a shape a spline fits, a slope does not)."""
    rng = np.random.default_rng(0)
    sim = rng.uniform(size=n)
    flag = rng.integers(0, 2, size=n).astype(float)
    y = np.where(np.abs(sim - 0.5) < 0.2, LABELS[0], LABELS[1]).astype(object)
    y[(flag == 1) & (rng.uniform(size=n) < 0.3)] = LABELS[2]
    groups = np.array([f"p{i % 8}" for i in range(n)])
    source = np.array(["retired", "handwritten", "dev", "generated"] * (n // 4))
    sets = np.where(source == "retired", np.array([f"heldout{6 + i % 3}" for i in range(n)]), "")
    np.savez(
        path, x=np.column_stack([sim, flag]), names=np.array(["sim", "negation"]),
        y=np.array(y, dtype=str), groups=groups, hand=source != "generated",
        ids=np.array([f"c{i:04d}" for i in range(n)]), source=source,
        kind=np.where(source == "generated", "paraphrase", "written"),
        claim=np.array(["a claim"] * n), sets=sets,
    )  # fmt: skip


def test_forward_chained_fits_without_the_set_and_later_ones(tmp_path):
    kr = _keep_rule()
    _dump(tmp_path / "d.npz")
    d = kr._load(str(tmp_path / "d.npz"))
    fc = kr.forward_chained(d)
    assert list(fc["sets"]) == ["heldout6", "heldout7", "heldout8"]
    rows = np.isin(d["sets"], list(fc["sets"]))
    per_set = [fc["sets"][s] * np.sum(d["sets"] == s) for s in fc["sets"]]
    assert abs(fc["ll"] - sum(per_set) / rows.sum()) < 1e-3  # pooled over the sets' rows


def test_judge_after_model_adds_check_f_and_fits_the_class(tmp_path):
    kr = _keep_rule()
    _dump(tmp_path / "d.npz")
    path = str(tmp_path / "d.npz")
    plain = kr.judge(path, path, guard=False)
    assert "f_chained_ll_falls" not in plain["checks"] and "after_model" not in plain
    assert plain["written_ll"]["before"] == plain["written_ll"]["after"]
    res = kr.judge(path, path, guard=False, after_model="spline")
    assert res["after_model"] == "spline"
    assert res["written_ll"]["after"] < res["written_ll"]["before"]  # the bump needs a shape
    fc = res["forward_chained"]
    assert res["checks"]["f_chained_ll_falls"] == (fc["after"]["ll"] < fc["before"]["ll"])


def test_lazy_guard_skips_e_once_another_check_failed(tmp_path):
    kr = _keep_rule()
    _dump(tmp_path / "d.npz")
    path = str(tmp_path / "d.npz")
    # the same features and class: (a) fails (no fall), so (e) is not run
    res = kr.judge(path, path, lazy_guard=True)
    assert not res["checks"]["a_ll_falls_p80"] and "e_seed_below_0.8" not in res["checks"]
    assert isinstance(res["seed_guard"], str) and res["verdict"] == "DO NOT KEEP"


def test_judge_model_fits_both_dumps_with_the_class_and_the_guard_at_the_fixed_pair(tmp_path):
    kr = _keep_rule()
    _dump(tmp_path / "d.npz")
    path = str(tmp_path / "d.npz")
    lin = kr.judge(path, path, guard=False)
    res = kr.judge(path, path, model="spline", guard_pair="fixed")
    assert res["model"] == "spline" and res["guard_pair"] == "fixed"
    # both sides under the spline: equal to each other, and below the linear fit of the bump
    assert res["written_ll"]["before"] == res["written_ll"]["after"]
    assert res["written_ll"]["before"] < lin["written_ll"]["before"]
    g = res["seed_guard"]["after"]
    assert (g["pair"], g["c"], g["hand_weight"]) == ("fixed", kr.C, kr.HAND_WEIGHT)
    assert g["model"] == "spline" and g["temperature"] >= 1.0  # rule 3's floor


def test_tracks_change_only_check_a(tmp_path):
    kr = _keep_rule()
    _dump(tmp_path / "d.npz")
    path = str(tmp_path / "d.npz")
    # the same features: no fall (feature track fails (a)), no rise (correction and speed pass it)
    runs = {t: kr.judge(path, path, guard=False, track=t) for t in kr.TRACKS}
    assert not runs["feature"]["checks"]["a_ll_falls_p80"]
    assert runs["correction"]["checks"]["a_ll_not_up"]
    assert runs["speed"]["checks"]["a_ll_up_at_most_0.002"]
    for t, res in runs.items():
        assert res["track"] == t
        others = {k: v for k, v in res["checks"].items() if not k.startswith("a_")}
        assert others == {k: v for k, v in runs["feature"]["checks"].items() if k[:2] != "a_"}
    # a worse AFTER (the label-bearing column scrambled) fails (a) on every track
    z = dict(np.load(path))
    z["x"] = z["x"][np.random.default_rng(1).permutation(len(z["x"]))]
    np.savez(tmp_path / "worse.npz", **z)
    worse = str(tmp_path / "worse.npz")
    for t in kr.TRACKS:
        res = kr.judge(path, worse, guard=False, track=t)
        assert not [v for k, v in res["checks"].items() if k.startswith("a_")][0]
    try:
        kr.judge(path, path, guard=False, track="other")
    except ValueError as e:
        assert "other" in str(e)
    else:
        raise AssertionError("an unknown track must be refused")


def test_save_dump_writes_what_the_judge_loads(tmp_path):
    """scripts/fit_calibrator.py --dump and keep_rule's dump share synth.calibration_data.save_dump."""
    from types import SimpleNamespace

    from synth.calibrate import FEATURES, TrainingSet
    from synth.calibration_data import Measured, save_dump
    from synth.labelled import LabelledExample

    kr = _keep_rule()
    ex = [
        LabelledExample(f"c{i}", f"claim {i}", LABELS[i % 3], "written", f"p{i % 2}", 1, src)
        for i, src in enumerate(["generated", "dev", "retired", "retired"])
    ]
    x = np.arange(4 * len(FEATURES), dtype=float).reshape(4, len(FEATURES))
    data = TrainingSet(
        x,
        np.array([e.label for e in ex]),
        np.array([e.paper_id for e in ex]),
        np.array([e.source != "generated" for e in ex]),
        np.array(["", "", "heldout7", "heldout8"]),
    )
    m = Measured(None, SimpleNamespace(nli_name=""), ex[:1], ex[1:], data)
    want = (FEATURES[3], FEATURES[0])
    save_dump(m, tmp_path / "d.npz", want)
    d = kr._load(str(tmp_path / "d.npz"))
    assert list(d["names"]) == list(want) and d["x_all"].shape == (4, len(FEATURES))
    assert np.array_equal(d["x"], x[:, [3, 0]])  # the calibrated columns, in their order
    assert list(d["sets"]) == ["", "", "heldout7", "heldout8"]
    assert list(d["source"]) == ["generated", "dev", "retired", "retired"]
    assert list(d["claim"]) == [e.claim for e in ex] and d["hand"].tolist() == [0, 1, 1, 1]
