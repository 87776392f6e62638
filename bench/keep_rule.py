"""The keep rule for verification changes: is a change to the checks better on the tuning papers?

Usage (from the repo root of the tree to measure; the judge can run from any tree):

    .venv/bin/python bench/keep_rule.py dump OUT.npz      # this tree's features of every
                                                          # calibration claim (~5 min, 2 cores)
    .venv/bin/python bench/keep_rule.py judge BEFORE.npz AFTER.npz [--json OUT.json]
        [--model shipped|linear|spline[:OPTIONS]] [--guard-pair fixed|select]
        [--track feature|correction|speed]
        [--after-model spline[:OPTIONS]] [--lazy-guard]
    .venv/bin/python bench/keep_rule.py same A.npz B.npz  # are the features identical?
    .venv/bin/python bench/keep_rule.py oof DUMP.npz OUT.jsonl [--model M]  # each claim's
                                                          # out-of-fold prediction (the misses)

``dump`` measures what ``scripts/fit_calibrator.py`` fits on (the generated labelled set about the
shared papers, the claims written about them, bench/dev's and the retired held-out sets'), with
the columns the shipped calibrator reads (``synth.calibrate.CALIBRATED_FEATURES`` of that tree),
and saves them with each claim's id, label, paper, source and kind. The held-out set in use is
never read.

``judge`` refits the calibrator one paper out at a time at a fixed pair (C = 0.01, written
claims weighted 30, no temperature: the pair the selection rule has chosen since session 9), so
the two trees' out-of-fold probabilities differ only by their features. A change is kept only if
all of these hold (fixed in advance in session 10, before any change was judged by it):

(a) the pooled log loss of the written claims (handwritten + dev + retired) falls, and a paired
    bootstrap over paper groups puts the fall at P >= 0.80;
(b) no written group's (handwritten, dev, retired) log loss rises by more than 0.002;
(c) the pooled written macro-F1 falls by no more than 0.005, and no written group loses more
    than max(3 claims, 1.5 %) of its right answers;
(d) no generated kind loses more than max(2 claims, 3 %) of its right answers, and the generated
    log loss rises by no more than 0.005.

Added in session 13, before any change of that session was judged (session 12 kept a change
that passed (a)-(d), then reverted it: after the refit it verified a seed-report claim at 0.90):

(e) the seed report's claims (none of which the library supports) stay below SUPPORTS 0.8 under
    the calibrator ``scripts/fit_calibrator.py`` would ship from the AFTER features: the pair the
    selection rule picks, its temperature, fitted on every row (``--no-guard`` skips it while
    iterating). Since session 23 (fixed before any change of that session was judged) dumps carry
    each row's retired set and the guard's temperature is the one that ships (rule 3's fresh-set
    temperature, never below 1); dumps without sets keep rule 2's pooled temperature. The judge also prints the written claims' right answers by claim length (thirds
    of content-word counts) so that a change which reads length rather than content shows.

A change of the calibrator's model class (fixed by the lead in session 23, before any class was
judged by it): ``--after-model SPEC`` (synth/spline_basis.py's specs) fits AFTER's rows with that
class (the class's own fixed options, the same fixed pair, no temperature) against BEFORE's LR;
(e) is the guard under the class, the pair the selection rule picks for it and rule 3's
temperature; and a sixth check must hold:

(f) the forward-chained written log loss falls: each retired set from :data:`CHAIN_FROM` on
    (oldest first) predicted by a fit, at the fixed pair, on every row except that set and the
    sets retired after it (how a fresh set is met), pooled over those sets' claims.

Since session 24 (fixed by the lead before any change of that session was judged): the calibrator
that ships is a spline class (``synth.calibrate.DEFAULT_MODEL``), so a feature change is judged
under that class: ``--model`` (default ``shipped``, i.e. DEFAULT_MODEL of the judging tree; ``linear``
gives the rule of sessions 10-23) fits BOTH dumps with it for (a)-(d), at the same fixed pair. And
(e) no longer reruns the selection over the whole grid (over an hour for a spline class): the guard
fits every row at the fixed pair (``--guard-pair fixed``, the default; C = 0.01, written weight 30,
the pair the selection has shipped since session 9) with rule 3's temperature computed on the AFTER
rows, under the judging class. ``--guard-pair select`` gives the full selection. The refit after
landing runs the full selection, and the lead checks the seed claims under the shipped calibrator.

Since session 25 (fixed by the lead before any change of that session was judged; proposed at the
end of session 24 after that session's HEAD and PREC verdicts were seen, which this says plainly):
``--track`` names what the change is, declared before its dump is judged, and only (a) differs:

- ``feature`` (the default): a new or changed signal; (a) as above.
- ``correction``: a fix of a misreading of the input (a heading, a sentence, a number or a table
  read wrong), shown by a unit test on text written the way papers are written, that adds no
  signal. A correct reading need not make the fit better to be worth having, only not worse:
  (a) becomes "the pooled written log loss does not rise" (no bootstrap P is required).
- ``speed``: a change that makes verification faster and moves features only as a by-product
  (float noise of a faster encoder, a cut-off): (a) becomes "the pooled written log loss rises by
  no more than 0.002" (the per-group bound of (b)). The speed gain itself is measured side by side
  by bench/verify_speed.py, not by the judge.

(b)-(e) hold for every track.

``--lazy-guard`` skips (e), which costs a selection over the whole grid (a spline class: over an
hour on this machine), when another check has already failed (the verdict is then DO NOT KEEP
whatever (e) says; the JSON says it was not run).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]

C, HAND_WEIGHT = 0.01, 30.0
CHAIN_FROM = "heldout6"  # check (f): the first retired set predicted by forward chaining
WRITTEN_GROUPS = ("handwritten", "dev", "retired")
TRACKS = ("feature", "correction", "speed")  # what check (a) asks (session 25)
BOOTSTRAP = 2000


def dump(out: str) -> None:
    sys.path.insert(0, str(REPO))
    from synth.calibrate import CALIBRATED_FEATURES
    from synth.calibration_data import RETIRED_HELDOUT, measure_examples, save_dump
    from synth.settings import resolve_data_dir

    bench = REPO / "bench"
    with tempfile.TemporaryDirectory() as tmp:
        m = measure_examples(
            resolve_data_dir() / "papers",
            bench / "verify_handwritten.jsonl",
            tmp,
            dev=bench / "dev",
            retired=[bench / name for name in RETIRED_HELDOUT],
        )
        save_dump(m, out, CALIBRATED_FEATURES)
        m.library.close()
    print(f"{out}: {len(m.examples)} claims, {len(CALIBRATED_FEATURES)} calibrated features")


def _load(path: str) -> dict[str, np.ndarray]:
    z = np.load(path, allow_pickle=False)
    d = {k: z[k] for k in z.files}
    order = np.argsort(d["ids"], kind="stable")
    return {k: (v[order] if v.ndim and len(v) == len(order) else v) for k, v in d.items()}


def out_of_fold(d: dict[str, np.ndarray], model: str = "linear") -> np.ndarray:
    """Every row's label probabilities from a calibrator (of class ``model``) fitted on the other
    papers' rows."""
    sys.path.insert(0, str(REPO))
    from synth.calibrate import fit_calibrator
    from synth.records import LABELS

    probs = np.zeros((len(d["y"]), len(LABELS)))
    w = np.where(d["hand"], HAND_WEIGHT, 1.0)
    for held in sorted(set(d["groups"])):
        test = d["groups"] == held
        cal = fit_calibrator(
            d["x"][~test], list(d["y"][~test]), c=C, sample_weight=w[~test],
            features=tuple(str(n) for n in d["names"]), model=model,
        )  # fmt: skip
        probs[test] = cal.predict_proba(d["x"][test])
    return probs


def _saved_sets(d: dict[str, np.ndarray]) -> np.ndarray | None:
    """Each row's retired set as the dump saved it (since session 23), else None."""
    return d["sets"].astype(str) if len(d.get("sets", ())) == len(d["y"]) else None


def retired_sets(d: dict[str, np.ndarray]) -> np.ndarray:
    """Each row's retired set ("" for none): the dump's ``sets``, or (dumps before session 23)
    read from the retired sets' claim files."""
    saved = _saved_sets(d)
    if saved is not None:
        return saved
    sys.path.insert(0, str(REPO))
    from synth.calibration_data import RETIRED_HELDOUT

    ids = {}
    for name in RETIRED_HELDOUT:
        for line in (REPO / "bench" / name / "verify_claims.jsonl").read_text().splitlines():
            if line.strip():
                ids[json.loads(line)["id"]] = name
    return np.array([ids.get(str(i), "") if src == "retired" else ""
                     for i, src in zip(d["ids"], d["source"], strict=True)])  # fmt: skip


def forward_chained(d: dict[str, np.ndarray], model: str = "linear") -> dict[str, object]:
    """Check (f)'s measure: each retired set from :data:`CHAIN_FROM` on predicted by a fit (the
    fixed pair, class ``model``) without it and the sets retired after it; written log loss
    pooled over those sets' rows and per set."""
    sys.path.insert(0, str(REPO))
    from synth.calibrate import fit_calibrator
    from synth.calibration_data import RETIRED_HELDOUT

    sets = retired_sets(d)
    order = [s for s in RETIRED_HELDOUT[RETIRED_HELDOUT.index(CHAIN_FROM) :] if np.any(sets == s)]
    w = np.where(d["hand"], HAND_WEIGHT, 1.0)
    losses, per_set = [], {}
    for k, name in enumerate(order):
        test, train = sets == name, ~np.isin(sets, order[k:])
        cal = fit_calibrator(
            d["x"][train], list(d["y"][train]), c=C, sample_weight=w[train],
            features=tuple(str(n) for n in d["names"]), model=model,
        )  # fmt: skip
        nll = _nll(cal.predict_proba(d["x"][test]), d["y"][test])
        losses.append(nll)
        per_set[name] = round(float(nll.mean()), 4)
    pooled = float(np.concatenate(losses).mean()) if losses else float("nan")
    return {"ll": pooled, "sets": per_set}


def _nll(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    from synth.records import LABELS

    idx = np.array([LABELS.index(label) for label in y])
    return -np.log(p[np.arange(len(idx)), idx] + 1e-12)


def paper_bootstrap(
    before: np.ndarray, after: np.ndarray, rows: np.ndarray, groups: np.ndarray, n: int = BOOTSTRAP
) -> float:
    """P(the pooled mean of ``after`` over ``rows`` is below ``before``'s), the papers (``groups``)
    resampled with replacement ``n`` times: the paired bootstrap of check (a)."""
    papers = sorted(set(groups[rows]))
    sums = np.array([[before[rows & (groups == g)].sum(), after[rows & (groups == g)].sum()]
                     for g in papers])  # fmt: skip
    counts = np.array([np.sum(rows & (groups == g)) for g in papers])
    rng = np.random.default_rng(0)
    falls = 0
    for _ in range(n):
        pick = rng.integers(0, len(papers), len(papers))
        s, c = sums[pick].sum(0), counts[pick].sum()
        falls += s[1] / c < s[0] / c
    return falls / n


def _macro_f1(pred: np.ndarray, y: np.ndarray) -> float:
    from synth.records import LABELS

    f1s = []
    for label in LABELS:
        tp = np.sum((pred == label) & (y == label))
        fp = np.sum((pred == label) & (y != label))
        fn = np.sum((pred != label) & (y == label))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def seed_guard(
    d: dict[str, np.ndarray],
    path: str | None = None,
    model: str = "linear",
    pair: str = "select",
) -> dict[str, object]:
    """The seed report's claims under the calibrator the selection rule would ship from ``d``
    with class ``model`` (kept beside the dump at ``path`` + ".guard.json", or
    ".guard.MODEL.json" for another class, keyed by the dump's hash: the selection refits the
    grid one paper out at a time, minutes of CPU)."""
    import hashlib

    tag = "" if model == "linear" else "." + "".join(ch if ch.isalnum() else "_" for ch in model)
    tag += "" if pair == "select" else "." + pair
    cache = Path(f"{path}.guard{tag}.json") if path else None
    key = hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else ""
    if cache and cache.is_file():
        saved = json.loads(cache.read_text())
        if saved.get("dump_sha256") == key:
            return saved["guard"]
    res = _seed_guard(d, model, pair)
    if cache:
        cache.write_text(json.dumps({"dump_sha256": key, "guard": res}))
    return res


def _seed_guard(
    d: dict[str, np.ndarray], model: str = "linear", pair: str = "select"
) -> dict[str, object]:
    from synth.calibrate import TrainingSet
    from synth.calibration_data import RETIRED_HELDOUT
    from synth.calibration_select import fit_selected, fixed_selection, newest_sets, select
    from synth.records import LABELS

    # Since session 23 the dump carries each row's retired set, so the guard selects by the rule
    # that ships (rule 3's fresh-set temperature); older dumps fall back to rule 2.
    sets = _saved_sets(d)
    data = TrainingSet(d["x"], d["y"], d["groups"], d["hand"], sets)
    recent = newest_sets(RETIRED_HELDOUT) if sets is not None else []
    if pair == "fixed":  # since session 24: the fixed pair, rule 3's temperature
        sel = fixed_selection(data, C, HAND_WEIGHT, recent, model)
    else:
        sel = select(data, recent, model=model)
    cal = fit_selected(data, sel, features=tuple(str(n) for n in d["names"]))
    seed = np.char.endswith(d["ids"].astype(str), "-related") & ~np.isin(
        d["source"], WRITTEN_GROUPS
    )
    p = cal.predict_proba(d["x"][seed])[:, LABELS.index("SUPPORTS")]
    top = int(p.argmax()) if len(p) else -1
    return {
        "model": model,
        "pair": pair,
        "c": sel.c,
        "hand_weight": sel.hand_weight,
        "temperature": round(sel.temperature, 4),
        "n_seed": int(seed.sum()),
        "max_supports": round(float(p.max()), 4) if len(p) else 0.0,
        "max_claim": str(d["claim"][seed][top]) if len(p) and "claim" in d else "",
    }


def judge(
    before: str,
    after: str,
    guard: bool = True,
    after_model: str | None = None,
    lazy_guard: bool = False,
    model: str = "linear",
    guard_pair: str = "select",
    track: str = "feature",
) -> dict[str, object]:
    """Checks (a)-(e) of BEFORE's features against AFTER's, both fitted with class ``model``;
    with ``after_model`` (a model-class change) AFTER is fitted with that class and (f) is
    checked too. ``guard_pair``: (e)'s pair, "select" (the whole grid) or "fixed". ``track``:
    "feature", "correction" or "speed" (what (a) asks, see the module docstring)."""
    if track not in TRACKS:
        raise ValueError(f"unknown track {track!r}: one of {', '.join(TRACKS)}")
    from synth.records import LABELS

    a, b = _load(before), _load(after)
    if not np.array_equal(a["ids"], b["ids"]):
        raise SystemExit("the two dumps hold different claims")
    y, groups, source, kind = a["y"], a["groups"], a["source"], a["kind"]
    written = np.isin(source, WRITTEN_GROUPS)
    labels = np.array(LABELS)
    res: dict[str, object] = {}
    nll, right = {}, {}
    before_model, model = model, after_model or model
    res["model"] = before_model
    res["guard_pair"] = guard_pair
    if after_model:
        res["after_model"] = after_model
    for tag, d in (("before", a), ("after", b)):
        p = out_of_fold(d, model if tag == "after" else before_model)
        nll[tag] = _nll(p, y)
        pred = labels[p.argmax(1)]
        right[tag] = pred == y
        res[f"written_macro_f1_{tag}"] = _macro_f1(pred[written], y[written])
    checks: dict[str, bool] = {}
    # (a) pooled written log loss, paired bootstrap over paper groups
    lw = {t: float(nll[t][written].mean()) for t in nll}
    res["written_ll"] = lw
    p_fall = paper_bootstrap(nll["before"], nll["after"], written, groups)
    res["p_fall"] = float(p_fall)
    res["written_right"] = {t: int(right[t][written].sum()) for t in right}
    res["written_n"] = int(written.sum())
    res["track"] = track
    if track == "correction":
        checks["a_ll_not_up"] = lw["after"] <= lw["before"]
    elif track == "speed":
        checks["a_ll_up_at_most_0.002"] = lw["after"] - lw["before"] <= 0.002
    else:
        checks["a_ll_falls_p80"] = lw["after"] < lw["before"] and p_fall >= 0.80
    # (b), (c) per written group
    group_rows = {}
    ok_b, ok_c = True, True
    for g in WRITTEN_GROUPS:
        m = source == g
        llb, lla = float(nll["before"][m].mean()), float(nll["after"][m].mean())
        rb, ra = int(right["before"][m].sum()), int(right["after"][m].sum())
        group_rows[g] = {"n": int(m.sum()), "ll": [llb, lla], "right": [rb, ra]}
        ok_b &= lla - llb <= 0.002
        ok_c &= rb - ra <= max(3, 0.015 * m.sum())
    res["written_groups"] = group_rows
    checks["b_no_group_ll_up_0.002"] = ok_b
    checks["c_macro_f1_and_groups"] = (
        res["written_macro_f1_after"] >= res["written_macro_f1_before"] - 0.005 and ok_c
    )
    # (d) generated kinds and log loss
    gen = ~written
    kinds = {}
    ok_d = True
    for k in sorted(set(kind[gen])):
        m = gen & (kind == k)
        rb, ra = int(right["before"][m].sum()), int(right["after"][m].sum())
        kinds[str(k)] = {"n": int(m.sum()), "right": [rb, ra]}
        ok_d &= rb - ra <= max(2, 0.03 * m.sum())
    lg = {t: float(nll[t][gen].mean()) for t in nll}
    res["generated_ll"] = lg
    res["generated_kinds"] = kinds
    res["generated_right"] = {t: int(right[t][gen].sum()) for t in right}
    checks["d_generated"] = ok_d and lg["after"] - lg["before"] <= 0.005
    # written kinds, for reading (not part of the rule)
    res["written_kinds"] = {
        str(k): {
            "n": int(np.sum(written & (kind == k))),
            "right": [int(right[t][written & (kind == k)].sum()) for t in ("before", "after")],
        }
        for k in sorted(set(kind[written]))
    }
    # written claims by gold label (right answers and log loss), for reading (not part of the rule)
    res["written_labels"] = {
        str(lab): {
            "n": int(np.sum(written & (y == lab))),
            "right": [int(right[t][written & (y == lab)].sum()) for t in ("before", "after")],
            "ll": [float(nll[t][written & (y == lab)].mean()) for t in ("before", "after")],
        }
        for lab in LABELS
        if np.any(written & (y == lab))
    }
    # written claims by length (thirds of content-word counts), for reading (not part of the rule)
    if "claim" in a:
        from synth.search import content_words

        n_words = np.array([len(content_words(str(t))) for t in a["claim"]])
        cuts = np.quantile(n_words[written], [1 / 3, 2 / 3])
        third = np.digitize(n_words, cuts, right=True)
        res["written_by_length"] = {
            f"third{t + 1}": {
                "n": int(np.sum(written & (third == t))),
                "right": [int(right[k][written & (third == t)].sum()) for k in ("before", "after")],
            }
            for t in range(3)
        }
    # (f) a model-class change: the forward-chained written log loss falls
    if after_model:
        fc = {"before": forward_chained(a, before_model), "after": forward_chained(b, model)}
        res["forward_chained"] = fc
        checks["f_chained_ll_falls"] = fc["after"]["ll"] < fc["before"]["ll"]
    # (e) the seed report's claims under the calibrator the refit would ship
    if guard and lazy_guard and not all(checks.values()):
        res["seed_guard"] = "not run: another check failed (--lazy-guard)"
    elif guard:
        guard_after = seed_guard(b, after, model, guard_pair)  # the deciding one first (cached)
        res["seed_guard"] = {
            "before": seed_guard(a, before, before_model, guard_pair),
            "after": guard_after,
        }
        checks["e_seed_below_0.8"] = res["seed_guard"]["after"]["max_supports"] < 0.8
    res["checks"] = {k: bool(v) for k, v in checks.items()}
    res["verdict"] = "KEEP" if all(res["checks"].values()) else "DO NOT KEEP"
    return res


def same(a_path: str, b_path: str) -> bool:
    a, b = _load(a_path), _load(b_path)
    return (
        np.array_equal(a["ids"], b["ids"])
        and np.array_equal(a["names_all"], b["names_all"])
        and np.array_equal(a["x_all"], b["x_all"])
    )


def oof(path: str, out: str, model: str = "linear") -> None:
    """Each claim's out-of-fold label probabilities (the judge's fit), one JSON line a claim."""
    from synth.records import LABELS

    d = _load(path)
    p = out_of_fold(d, model)
    with open(out, "w") as f:
        for i in range(len(d["ids"])):
            rec = {
                "id": str(d["ids"][i]),
                "source": str(d["source"][i]),
                "kind": str(d["kind"][i]),
                "paper": str(d["groups"][i]),
                "label": str(d["y"][i]),
                "pred": LABELS[int(p[i].argmax())],
                "probs": {label: round(float(q), 4) for label, q in zip(LABELS, p[i], strict=True)},
                "claim": str(d["claim"][i]) if "claim" in d else "",
                "features": {
                    str(n): round(float(v), 4) for n, v in zip(d["names"], d["x"][i], strict=True)
                },
            }
            f.write(json.dumps(rec) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("dump")
    p.add_argument("out")
    p = sub.add_parser("judge")
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("--json", default=None)
    p.add_argument("--no-guard", action="store_true", help="skip check (e) (not a verdict)")
    p.add_argument(
        "--after-model",
        default=None,
        help="judge a model class (synth/spline_basis.py's spec) on AFTER: adds check (f)",
    )
    p.add_argument(
        "--lazy-guard", action="store_true", help="skip (e) when another check already failed"
    )
    p.add_argument(
        "--model",
        default="shipped",
        help="the class both dumps are fitted with (default: synth.calibrate.DEFAULT_MODEL)",
    )
    p.add_argument("--guard-pair", choices=("fixed", "select"), default="fixed")
    p.add_argument(
        "--track",
        choices=TRACKS,
        default="feature",
        help="what the change is, declared before judging: check (a) differs (see the docstring)",
    )
    p = sub.add_parser("oof")
    p.add_argument("dump")
    p.add_argument("out")
    p.add_argument("--model", default="shipped")
    p = sub.add_parser("same")
    p.add_argument("a")
    p.add_argument("b")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.cmd in ("judge", "oof"):
        # One BLAS thread: the many small logistic-regression fits spin idle threads otherwise
        # (about 5x the CPU on this 2-core machine, measured on one leave-one-paper-out trial).
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    if getattr(args, "model", None) == "shipped":
        from synth.calibrate import DEFAULT_MODEL

        args.model = DEFAULT_MODEL
    if args.cmd == "dump":
        dump(args.out)
        return 0
    if args.cmd == "oof":
        oof(args.dump, args.out, args.model)
        return 0
    if args.cmd == "same":
        ok = same(args.a, args.b)
        print("identical" if ok else "DIFFERENT")
        return 0 if ok else 1
    res = judge(
        args.before,
        args.after,
        guard=not args.no_guard,
        after_model=args.after_model,
        lazy_guard=args.lazy_guard,
        model=args.model,
        guard_pair=args.guard_pair,
        track=args.track,
    )
    if args.no_guard:
        res["verdict"] += " (check (e) skipped: not a verdict)"
    text = json.dumps(res, indent=1)
    if args.json:
        Path(args.json).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
