"""Fit the verifier's confidence calibration on the 'fit' papers of the labelled set.

Usage (from the repo root; writes synth/verify_calibrator.json, the file the package ships):

    .venv/bin/python scripts/fit_calibrator.py [--papers ../shared/data/papers] [--out PATH]

Steps: parse the papers into a throwaway library, build the labelled set (synth.labelled), verify
every example with the prior weights to measure its features, fit a multinomial logistic
regression on the examples of the 'fit' papers only, save it. The 'test' papers are left for
bench/verify_quality.py.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from synth.calibrate import DEFAULT_PATH, fit_calibrator, prior_calibrator  # noqa: E402
from synth.labelled import build_labelled_set, featurize, library_from_papers, seed_report_claims  # noqa: E402
from synth.records import LABELS  # noqa: E402
from synth.settings import resolve_data_dir  # noqa: E402
from synth.verify import Verifier, VerifySettings  # noqa: E402

C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def choose_c(x: np.ndarray, y: list[str], groups: list[str]) -> float:
    """The L2 strength with the lowest leave-one-paper-out log loss on the 'fit' papers."""
    labels = np.array(y)
    best, best_loss = C_GRID[0], float("inf")
    for c in C_GRID:
        losses = []
        for held in sorted(set(groups)):
            test = np.array([g == held for g in groups])
            if len(set(labels[~test])) < 3:
                continue
            cal = fit_calibrator(x[~test], list(labels[~test]), c=c)
            p = cal.predict_proba(x[test])
            idx = [LABELS.index(lab) for lab in labels[test]]
            losses.extend(-np.log(p[np.arange(len(idx)), idx] + 1e-12))
        loss = float(np.mean(losses)) if losses else float("inf")
        print(f"C={c:g}: leave-one-paper-out log loss {loss:.4f}")
        if loss < best_loss:
            best, best_loss = c, loss
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default=str(resolve_data_dir() / "papers"))
    parser.add_argument("--out", default=str(DEFAULT_PATH))
    parser.add_argument("--c", type=float, default=None, help="inverse L2 strength (default: CV)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # === Step 1: the papers, parsed into a fresh library
        library = library_from_papers(args.papers, Path(tmp) / "library")
        # === Step 2: the labelled set, split by paper
        examples = build_labelled_set(library, related_unaddressed=seed_report_claims())
        fit = [e for e in examples if e.split == "fit"]
        # === Step 3: features of every 'fit' example (prior weights: features do not depend on them)
        prior = Path(tmp) / "prior.json"
        prior_calibrator().save(prior)
        verifier = Verifier(library, VerifySettings(calibrator=str(prior)))
        x, _ = featurize(verifier, fit)
        # === Step 4: fit and save
        papers = sorted(p.sha256[:12] for p in library.papers())
        meta = {
            "made_by": "scripts/fit_calibrator.py",
            "date": datetime.date.today().isoformat(),
            "papers_sha256_12": papers,
            "fit_papers": sorted({e.paper_id for e in fit if e.paper_id}),
            "n_fit": len(fit),
            "embedding": verifier.models["embedding"],
            "labelled_set_hash": hashlib.sha256(
                "\n".join(f"{e.example_id}\t{e.label}" for e in examples).encode()
            ).hexdigest()[:12],
        }
        y = [e.label for e in fit]
        groups = [e.paper_id for e in fit]
        c = args.c if args.c is not None else choose_c(x, y, groups)
        meta["c"] = c
        calibrator = fit_calibrator(x, y, c=c, meta=meta)
        calibrator.save(args.out)
        library.close()
    print(f"fitted on {len(fit)} examples from {len(meta['fit_papers'])} papers -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
