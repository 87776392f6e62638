"""Verification quality on the held-out papers of the labelled set: accuracy, macro-F1, ECE.

Usage (from the repo root):

    .venv/bin/python bench/verify_quality.py [--papers ../shared/data/papers] [--calibrator PATH]
        [--json OUT.json]

Builds the labelled set from the papers (synth.labelled: supported sentences and paraphrases,
perturbations they refute, claims verified with their own paper removed), verifies the examples of
the 'test' papers (never seen by the calibrator, which scripts/fit_calibrator.py fits on the 'fit'
papers), and reports accuracy, macro-F1 and expected calibration error (10 bins), overall and per
example kind. Then the same measures on bench/verify_handwritten.jsonl: 23 claims about the papers
written by hand (true restatements, false ones, unaddressed ones), which no generator made. Also
reports the baseline a user would otherwise have: BM25 top-1 score thresholds
(no checks), fitted on the same 'fit' papers.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
# Claims written by hand (one person reading the papers), with the label the papers give them.
HANDWRITTEN = Path(__file__).with_name("verify_handwritten.jsonl")
sys.path.insert(0, str(REPO))

from synth.calibrate import expected_calibration_error, fit_calibrator  # noqa: E402
from synth.labelled import build_labelled_set, featurize, library_from_papers, seed_report_claims  # noqa: E402
from synth.records import LABELS  # noqa: E402
from synth.settings import resolve_data_dir  # noqa: E402
from synth.verify import Verifier, VerifySettings  # noqa: E402


def macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def measures(gold: list[str], pred: list[str], conf: list[float]) -> dict[str, float]:
    correct = np.array([g == p for g, p in zip(gold, pred, strict=True)])
    return {
        "n": len(gold),
        "accuracy": round(float(correct.mean()), 4) if gold else 0.0,
        "macro_f1": round(macro_f1(gold, pred), 4),
        "ece_10": round(expected_calibration_error(np.array(conf), correct, 10), 4),
        "mean_confidence": round(float(np.mean(conf)), 4) if conf else 0.0,
    }


def _no_f1(m: dict[str, float]) -> dict[str, float]:
    """Per kind there is one gold label, so macro-F1 means nothing there: drop it."""
    return {k: v for k, v in m.items() if k != "macro_f1"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default=str(resolve_data_dir() / "papers"))
    parser.add_argument("--calibrator", default=None, help="default: the packaged one")
    parser.add_argument("--json", default=None, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # === Step 1: library and labelled set
        library = library_from_papers(args.papers, Path(tmp) / "library")
        examples = build_labelled_set(library, related_unaddressed=seed_report_claims())
        test = [e for e in examples if e.split == "test"]
        fit = [e for e in examples if e.split == "fit"]
        # === Step 2: verify the held-out examples
        verifier = Verifier(library, VerifySettings(calibrator=args.calibrator))
        _, verdicts = featurize(verifier, test)
        gold = [e.label for e in test]
        pred = [v.label for v in verdicts]
        conf = [v.confidence for v in verdicts]
        report = {
            "calibrator": verifier.models["calibrator"],
            "overall": measures(gold, pred, conf),
        }
        by_kind: dict[str, list[int]] = defaultdict(list)
        for i, e in enumerate(test):
            by_kind[f"{e.label}/{e.kind}"].append(i)
        report["per_kind"] = {
            k: _no_f1(
                measures([gold[i] for i in idx], [pred[i] for i in idx], [conf[i] for i in idx])
            )
            for k, idx in sorted(by_kind.items())
        }
        # === Step 3: baseline: retrieval similarity alone (no numeric/negation/direction checks)
        x_fit, _ = featurize(verifier, fit)
        x_test = np.stack([[v.checks.get("sim", 0.0)] for v in verdicts])
        base = fit_calibrator(np.pad(x_fit[:, :1], ((0, 0), (0, 9))), [e.label for e in fit], c=100)
        p = base.predict_proba(np.pad(x_test, ((0, 0), (0, 9))))
        report["baseline_similarity_only"] = measures(
            gold, [LABELS[int(i)] for i in p.argmax(1)], list(p.max(1))
        )
        report["papers_test"] = sorted({e.paper_id for e in test if e.paper_id})
        # === Step 4: claims written by hand about the papers (not made by the generator)
        hand = [json.loads(ln) for ln in HANDWRITTEN.read_text().splitlines() if ln.strip()]
        hv = verifier.verify_many([(h["id"], h["claim"]) for h in hand])
        report["handwritten"] = measures(
            [h["label"] for h in hand], [v.label for v in hv], [v.confidence for v in hv]
        )
        report["handwritten_errors"] = [
            {"id": h["id"], "gold": h["label"], "predicted": v.label, "confidence": v.confidence}
            for h, v in zip(hand, hv, strict=True)
            if h["label"] != v.label
        ]
        library.close()
    print(json.dumps(report, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
