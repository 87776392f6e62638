"""The calibrator's model class, and its confidence on fresh papers, measured on a keep_rule dump.

Usage (from the repo root; DUMP from ``bench/keep_rule.py dump``; OUT caches every fit):

    .venv/bin/python bench/calibrator_models.py lopo DUMP.npz OUT [CONFIG ...]  # default: GRID
    .venv/bin/python bench/calibrator_models.py report DUMP.npz OUT
    .venv/bin/python bench/calibrator_models.py chain DUMP.npz OUT [CONFIG ...]

``lopo``: each config's leave-one-paper-out probabilities (the judge's folds and weights: written
claims 30, the rest 1). Configs are ``family:param``; the grid was fixed before any result was
read: ``lr`` (the shipped class, C), ``spline`` (cubic B-splines, 5 quantile knots, of the columns
with more than 20 distinct values, then the LR; C), ``bins`` (the raw columns plus 5 quantile
bins of those columns; C), ``prod`` (the raw columns plus the pairwise products of
:data:`PRODUCT_FEATURES`; C), ``hgb`` (HistGradientBoostingClassifier, min_samples_leaf 40, L2 1,
32 bins, the same sample weights; depth and iterations).

``report``: per family, the nested choice (each paper's probabilities come from the grid point
with the lowest written log loss on the OTHER papers' rows), then written log loss, macro-F1,
ECE (10 bins), per written group and kind, mean confidence minus accuracy per retired set, and a
paired bootstrap over papers against ``lr:0.01`` (the judge's method: P that the config's
pooled written log loss is lower).

``chain``: forward chaining that imitates a fresh set: for each retired set k in the order they
were made, fit on every row except sets k..last and predict set k. For ``lr:0.01`` (and spline configs) it
also judges temperature rules for the shipped calibrator on those predictions (each rule sees only
what existed before set k): none; the current rule (one temperature on the pool's leave-one-
paper-out probabilities of its written claims); and a temperature / a shrink toward the base
rates fitted on the forward-chained predictions of the last m sets.

Measured in session 22 on main's features (/tmp/s22/main0.npz: 105 paper groups, 2,180 written
claims, 18 retired sets; bins:0.1 not run), leave one paper out, nested choice:

    config (chosen)   written LL  macro-F1  ECE    right  P vs LR  generated kinds vs LR
    lr:0.01           0.7715      0.667     0.037  1483   -        -
    spline (C 0.01)   0.7536      0.673     0.022  1489   1.000    negation 86 -> 79 of 92
    hgb (d3_i50)      0.7487      0.673     0.019  1485   0.999    none down > max(2, 3 %)
    prod (C 0.03)     0.7610      0.676     0.029  1498   0.998    unaddressed 181 -> 163 of 348
    bins (C 0.01)     0.7646      0.671     0.025  1481   0.838    number 18 -> 16

No written group's log loss rose under any of them. Forward chaining (all 18 sets): LR 0.8096 /
macro-F1 0.656 / ECE 0.032 / confidence minus accuracy -0.018; spline 0.7878 / 0.666 / 0.023 /
+0.005; hgb 0.8014 / 0.648 / 0.041 / +0.040 (fewer right than the LR: 1173 against 1188);
prod 0.7990 / 0.661 / 0.031 / +0.012. Temperature rules for the LR, judged on heldout6-18: the
current rule (pool T 0.79-0.92, which sharpens) pooled ECE 0.055 (newest four sets 0.064), none
0.036 (0.043), max(1, T on the last two sets' chained predictions) 0.025 (0.034), a shrink toward
the base rates fitted on the last two 0.018 (0.025). Seventeen rules were compared on the same
sets: the ranking among the better ones is not sure; that the current rule is the worst is.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from keep_rule import _load, _macro_f1, _nll, paper_bootstrap, retired_sets  # noqa: E402

from synth.calibrate import expected_calibration_error, log_loss  # noqa: E402
from synth.calibration_data import RETIRED_HELDOUT  # noqa: E402
from synth.calibration_select import fit_temperature, tempered  # noqa: E402
from synth.records import LABELS  # noqa: E402

HAND_WEIGHT = 30.0
WRITTEN = ("handwritten", "dev", "retired")
C_GRID = (0.003, 0.01, 0.03, 0.1)
PRODUCT_FEATURES = (
    "sim", "cover", "paper_cover", "cover_pair", "conflict_x_cover", "link_gap", "num_match",
    "missing",
)  # fmt: skip
HGB_GRID = {
    "d2_i50": {"max_depth": 2, "max_iter": 50, "learning_rate": 0.1},
    "d3_i50": {"max_depth": 3, "max_iter": 50, "learning_rate": 0.1},
    "d2_i100": {"max_depth": 2, "max_iter": 100, "learning_rate": 0.05},
    "d3_i100": {"max_depth": 3, "max_iter": 100, "learning_rate": 0.05},
}
GRID = (
    ["lr:0.01"]
    + [f"{fam}:{c}" for fam in ("spline", "prod", "bins") for c in C_GRID]
    + [f"hgb:{k}" for k in HGB_GRID]
)
FIRST_JUDGED = 5  # temperature rules are judged on the sets with at least five earlier ones


def _model(config: str, names: list[str], cont: np.ndarray):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, KBinsDiscretizer, SplineTransformer

    fam, _, par = config.partition(":")
    ci, other = np.flatnonzero(cont), np.flatnonzero(~cont)
    if fam == "hgb":
        return HistGradientBoostingClassifier(
            **HGB_GRID[par], min_samples_leaf=40, l2_regularization=1.0, max_bins=32,
            early_stopping=False, random_state=0,
        )  # fmt: skip
    lr = LogisticRegression(C=float(par), max_iter=3000)
    if fam == "lr":
        return lr
    if fam == "spline":
        spl = SplineTransformer(n_knots=5, degree=3, knots="quantile")
        return make_pipeline(ColumnTransformer([("s", spl, ci), ("p", "passthrough", other)]), lr)
    if fam == "bins":
        kb = KBinsDiscretizer(n_bins=5, strategy="quantile", encode="onehot-dense")
        every = list(range(len(names)))
        return make_pipeline(ColumnTransformer([("b", kb, ci), ("p", "passthrough", every)]), lr)
    if fam == "prod":
        idx = [names.index(n) for n in PRODUCT_FEATURES]
        pairs = [(a, b) for i, a in enumerate(idx) for b in idx[i + 1 :]]
        add = FunctionTransformer(
            lambda x: np.hstack([x] + [x[:, [a]] * x[:, [b]] for a, b in pairs])
        )
        return make_pipeline(add, lr)
    raise ValueError(config)


class Data:
    """A dump with the judge's row order, weights, and each retired claim's set."""

    def __init__(self, path: str) -> None:
        self.d = d = _load(path)
        self.x, self.y, self.groups = d["x"], d["y"], d["groups"]
        self.names = [str(n) for n in d["names"]]
        self.cont = np.array([len(np.unique(c)) > 20 for c in self.x.T])
        self.w = np.where(d["hand"], HAND_WEIGHT, 1.0)
        self.written = np.isin(d["source"], WRITTEN)
        self.sets = retired_sets(d)  # the dump's, or read from the sets' claim files
        self.order = [s for s in RETIRED_HELDOUT if np.any(self.sets == s)]

    def fit_predict(self, config: str, train: np.ndarray, test: np.ndarray) -> np.ndarray:
        model = _model(config, self.names, self.cont)
        key = f"{model.steps[-1][0]}__sample_weight" if hasattr(model, "steps") else "sample_weight"
        model.fit(self.x[train], self.y[train], **{key: self.w[train]})
        p = model.predict_proba(self.x[test])
        return p[:, [list(model.classes_).index(label) for label in LABELS]]

    def lopo(self, config: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Leave-one-paper-out probabilities of ``rows`` (all), fitted on ``rows`` only."""
        rows = np.ones(len(self.y), bool) if rows is None else rows
        probs = np.full((len(self.y), 3), np.nan)
        for g in sorted(set(self.groups[rows])):
            test = rows & (self.groups == g)
            probs[test] = self.fit_predict(config, rows & ~test, test)
        return probs


def _calibration(p: np.ndarray, y: np.ndarray) -> tuple[float, float, np.ndarray]:
    right = np.array(LABELS)[p.argmax(1)] == y
    conf = p.max(1)
    return expected_calibration_error(conf, right), float(conf.mean() - right.mean()), right


def _summary(data: Data, p: np.ndarray) -> dict[str, object]:
    y, wr, src, kind = data.y, data.written, data.d["source"], data.d["kind"]
    nll = _nll(p, y)
    pred = np.array(LABELS)[p.argmax(1)]
    ece, gap, right = _calibration(p[wr], y[wr])
    t = fit_temperature(p[wr], y[wr])
    out: dict[str, object] = {
        "written_ll": round(float(nll[wr].mean()), 4),
        "written_f1": round(_macro_f1(pred[wr], y[wr]), 4),
        "written_ece": round(ece, 4),
        "written_gap": round(gap, 4),
        "written_right": int(right.sum()),
        # one temperature fitted on these rows (in sample; every config gets the same)
        "written_T_ll": [round(t, 3), round(float(_nll(tempered(p[wr], t), y[wr]).mean()), 4)],
        "generated_ll": round(float(nll[~wr].mean()), 4),
        "generated_right": int((pred == y)[~wr].sum()),
    }
    for g in WRITTEN:
        m = src == g
        e, gp, r = _calibration(p[m], y[m])
        out[g] = {"ll": round(float(nll[m].mean()), 4), "f1": round(_macro_f1(pred[m], y[m]), 4),
                  "ece": round(e, 4), "gap": round(gp, 4), "right": int(r.sum())}  # fmt: skip
    for tag, m in (("generated_kinds", ~wr), ("written_kinds", wr)):
        out[tag] = {str(k): int((pred == y)[m & (kind == k)].sum()) for k in sorted(set(kind[m]))}
    out["set_gap"] = {s: round(_calibration(p[data.sets == s], y[data.sets == s])[1], 3)
                      for s in data.order}  # fmt: skip
    return out


def _bootstrap(data: Data, base: np.ndarray, p: np.ndarray) -> float:
    """P(``p``'s pooled written log loss < ``base``'s), papers resampled (the judge's method)."""
    return paper_bootstrap(_nll(base, data.y), _nll(p, data.y), data.written, data.groups)


def _nested(data: Data, probs: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, int]]:
    configs = list(probs)
    papers = sorted(set(data.groups))
    wr = data.written
    nll = [_nll(probs[c], data.y) for c in configs]
    tot = np.array([[n[wr & (data.groups == p)].sum() for p in papers] for n in nll])
    cnt = np.array([np.sum(wr & (data.groups == p)) for p in papers])
    out, chosen = np.zeros_like(probs[configs[0]]), defaultdict(int)
    for j, paper in enumerate(papers):
        other = np.arange(len(papers)) != j
        g = int(np.argmin(tot[:, other].sum(1) / cnt[other].sum()))
        chosen[configs[g]] += 1
        out[data.groups == paper] = probs[configs[g]][data.groups == paper]
    return out, dict(chosen)


def report(data: Data, out: Path) -> dict[str, object]:
    probs = {f.stem.removeprefix("lopo_").replace("_", ":", 1): np.load(f)
             for f in sorted(out.glob("lopo_*.npy"))}  # fmt: skip
    base = probs["lr:0.01"]
    families: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
    for config, p in probs.items():
        families[config.split(":")[0]][config] = p
    rows: dict[str, dict[str, object]] = {}
    for config, p in probs.items():
        rows[config] = {**_summary(data, p), "p_vs_lr": _bootstrap(data, base, p)}
    for fam, ps in families.items():
        if len(ps) > 1:
            p, chosen = _nested(data, ps)
            rows[f"{fam}:nested"] = {**_summary(data, p), "p_vs_lr": _bootstrap(data, base, p),
                                     "chosen": chosen}  # fmt: skip
    return rows


def _shrink(p: np.ndarray, y: np.ndarray, prior: np.ndarray) -> float:
    from scipy.optimize import minimize_scalar

    res = minimize_scalar(lambda a: log_loss((1 - a) * p + a * prior, y), bounds=(0, 0.9),
                          method="bounded")  # fmt: skip
    return float(res.x)


def chain(data: Data, out: Path, configs: list[str]) -> dict[str, object]:
    """Forward-chained probabilities of each retired set per config; temperature rules (LR)."""
    res: dict[str, object] = {}
    y, sets, order = data.y, data.sets, data.order
    for config in configs:
        path = out / f"chain_{config.replace(':', '_')}.npy"
        if path.exists():
            fc = np.load(path)
        else:
            fc = np.full((len(y), 3), np.nan)
            for k, s in enumerate(order):
                fc[sets == s] = data.fit_predict(config, ~np.isin(sets, order[k:]), sets == s)
            np.save(path, fc)
        per_set = {}
        for s in order:
            m = sets == s
            e, gap, right = _calibration(fc[m], y[m])
            per_set[s] = {"ll": round(float(_nll(fc[m], y[m]).mean()), 4),
                          "f1": round(_macro_f1(np.array(LABELS)[fc[m].argmax(1)], y[m]), 4),
                          "ece": round(e, 4), "gap": round(gap, 3), "right": int(right.sum())}  # fmt: skip
        m = sets != ""
        e, gap, right = _calibration(fc[m], y[m])
        res[config] = {"all_sets": {"ll": round(float(_nll(fc[m], y[m]).mean()), 4),
                                    "f1": round(_macro_f1(np.array(LABELS)[fc[m].argmax(1)], y[m]), 4),
                                    "ece": round(e, 4), "gap": round(gap, 4),
                                    "right": int(right.sum())}, "per_set": per_set}  # fmt: skip
        if config.split(":")[0] in ("lr", "spline"):
            res[f"rules {config}"] = _rules(data, out, config, fc)
    return res


def _rules(data: Data, out: Path, config: str, fc: np.ndarray) -> dict[str, object]:
    y, sets, order = data.y, data.sets, data.order
    path = out / f"chain_pool_temperature_{config.replace(':', '_')}.json"
    pool_t = json.loads(path.read_text()) if path.exists() else {}
    for k, s in enumerate(order):
        if s not in pool_t and config.startswith("lr"):
            # the current rule: T on the pool's LOPO probabilities (written); too slow to
            # repeat for the spline model (~18 x 55 fits), so only its other rules are judged
            pool = ~np.isin(sets, order[k:])
            oof = data.lopo(config, pool)
            pool_t[s] = fit_temperature(oof[pool & data.written], y[pool & data.written])
            path.write_text(json.dumps(pool_t, indent=1))
    adjusted: dict[str, dict[str, tuple[np.ndarray, float]]] = defaultdict(dict)
    for k, s in enumerate(order):
        p = fc[sets == s]
        adjusted["none"][s] = (p, 1.0)
        if s in pool_t:
            t = pool_t[s]
            adjusted["current (pool LOPO T)"][s] = (tempered(p, t), t)
            adjusted["never sharpen: max(1, pool T)"][s] = (tempered(p, max(1, t)), max(1, t))
        pool = ~np.isin(sets, order[k:]) & data.written
        prior = np.array([np.mean(y[pool] == label) for label in LABELS])
        for m in (1, 2, 3, 5, len(order)):
            if k >= m or (m == len(order) and k >= 1):
                hist = np.isin(sets, order[max(0, k - m) : k])
                tag = "all" if m == len(order) else m
                t = fit_temperature(fc[hist], y[hist])
                adjusted[f"chain T last {tag}"][s] = (tempered(p, t), t)
                adjusted[f"chain max(1, T) last {tag}"][s] = (tempered(p, max(1, t)), max(1, t))
                a = _shrink(fc[hist], y[hist], prior)
                adjusted[f"chain shrink last {tag}"][s] = ((1 - a) * p + a * prior, a)
    judged, newest = order[FIRST_JUDGED:], order[-4:]
    res = {}
    for rule, by_set in adjusted.items():
        if not all(s in by_set for s in judged):
            continue
        row = {}
        for tag, which in (("judged", judged), ("newest4", newest)):
            pp = np.concatenate([by_set[s][0] for s in which])
            yy = np.concatenate([y[sets == s] for s in which])
            e, gap, _ = _calibration(pp, yy)
            per = [_calibration(by_set[s][0], y[sets == s]) for s in which]
            row[tag] = {"pooled_ece": round(e, 4), "mean_set_ece": round(float(np.mean([q[0] for q in per])), 4),
                        "mean_gap": round(float(np.mean([q[1] for q in per])), 4),
                        "rms_gap": round(float(np.sqrt(np.mean([q[1] ** 2 for q in per]))), 4),
                        "ll": round(log_loss(pp, yy), 4)}  # fmt: skip
        row["per_set"] = {s: [round(_calibration(by_set[s][0], y[sets == s])[1], 3), round(by_set[s][1], 3)]
                          for s in order if s in by_set}  # fmt: skip
        res[rule] = row
    res["judged_sets"] = [judged[0], judged[-1]]
    return res


def main() -> int:
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    cmd, dump, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    data = Data(dump)
    configs = sys.argv[4:] or list(GRID)
    if cmd == "lopo":
        for config in configs:
            path = out / f"lopo_{config.replace(':', '_')}.npy"
            if not path.exists():
                t = time.time()
                np.save(path, data.lopo(config))
                print(f"{config}: {time.time() - t:.0f}s", flush=True)
        return 0
    res = report(data, out) if cmd == "report" else chain(data, out, sys.argv[4:] or ["lr:0.01"])
    (out / f"{cmd}.json").write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
