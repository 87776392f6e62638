"""Fit the verifier's confidence calibration on generated and handwritten claims about the papers.

Usage (from the repo root; writes synth/verify_calibrator.json, the file the package ships):

    .venv/bin/python scripts/fit_calibrator.py [--papers ../shared/data/papers]
        [--handwritten bench/verify_handwritten.jsonl] [--out PATH] [--nli-model PATH]
        [--model linear|spline[:OPTIONS]]   (default: synth.calibrate.DEFAULT_MODEL)
        [--dump FEATURES.npz]   (also bench/keep_rule.py's dump of the same rows)

With --nli-model (a folder `claimlab nli train` made, or 'claimlab-nli'), the NLI model's
probabilities are features too (synth.calibrate.NLI_FEATURES) and the calibrator, stamped with
the NLI model's identity, goes to synth/verify_calibrator_nli.json (the one `claimlab verify
--nli-model` uses when it was fitted for that model).

Steps: parse the papers into a throwaway library, build the generated labelled set
(synth.labelled: sentences, paraphrases, perturbations, own-paper-excluded claims) and read the
claims written by hand (the shared papers', bench/dev's and those of the retired held-out sets
bench/heldout, heldout2 and heldout3), verify every example once to measure its features, choose
the L2 strength and the weight of handwritten claims by leave-one-paper-out log loss on the
handwritten claims (the one-standard-error rule of synth/calibration_select.py, then the
fresh-set temperature from the newest retired sets, forward-chained), fit a multinomial logistic
regression on all of it, save it. How well this procedure does on papers it did not see is
measured by bench/verify_quality.py (the same procedure, one paper left out at a time). bench/heldout23/ and
bench/heldout22/, the held-out sets in use, are never read here (bench/heldout21 was measured twice,
then retired in session 25).
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

from synth.calibrate import (  # noqa: E402
    CALIBRATED_FEATURES,
    DEFAULT_MODEL,
    DEFAULT_NLI_PATH,
    DEFAULT_PATH,
    MODELS,
    NLI_FEATURES,
    load_calibrator,
)
from synth.calibration_data import (  # noqa: E402
    RETIRED_HELDOUT,
    feature_names,
    measure_examples,
    save_dump,
)
from synth.calibration_select import fit_selected, newest_sets, select  # noqa: E402
from synth.settings import resolve_data_dir  # noqa: E402

HANDWRITTEN = REPO / "bench" / "verify_handwritten.jsonl"
DEV = REPO / "bench" / "dev"  # more real papers with claims written by reading them (for fitting)
# Held-out sets measured two or three times each and then retired into the fitting data, so the
# selection rule's leave-one-paper-out sees papers no extraction or check rule was written from.
RETIRED = [str(REPO / "bench" / name) for name in RETIRED_HELDOUT]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default=str(resolve_data_dir() / "papers"))
    parser.add_argument("--handwritten", default=str(HANDWRITTEN))
    parser.add_argument("--out", default=None, help="default: the packaged calibrator's path")
    parser.add_argument("--nli-model", default=None, help="NLI cross-encoder folder (or keyword)")
    parser.add_argument("--dev", default=str(DEV), help="dev set folder ('' to leave it out)")
    parser.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help=f"the calibrator's model class, one of {MODELS} (spline: a smooth shape per "
        "continuous feature; options in synth/spline_basis.py's parse_spec)",
    )
    parser.add_argument(
        "--retired",
        nargs="*",
        default=RETIRED,
        help="retired held-out set folders (none: no value)",
    )
    parser.add_argument(
        "--dump",
        default=None,
        help="also save every claim's features as bench/keep_rule.py's dump (a judge's AFTER)",
    )
    args = parser.parse_args()
    args.out = args.out or str(DEFAULT_NLI_PATH if args.nli_model else DEFAULT_PATH)
    with tempfile.TemporaryDirectory() as tmp:
        # === Step 1-3: the papers in a fresh library, the generated and handwritten claims, and
        # every claim's features (measured with prior weights: features do not depend on them)
        m = measure_examples(
            args.papers, args.handwritten, tmp, args.nli_model, args.dev or None, args.retired
        )
        examples, hand, data = m.generated, m.handwritten, m.data
        # The calibrator reads CALIBRATED_FEATURES (those that generalise across papers).
        names = CALIBRATED_FEATURES
        if args.nli_model:
            # The NLI calibrator extends exactly what the shipped one reads: FEATURES may already
            # hold checks that calibrator (and so this code's users) have not been fitted with.
            names = load_calibrator().features + NLI_FEATURES
        if args.dump and not args.nli_model:
            save_dump(m, args.dump, names)
        data = data.columns(feature_names(m.verifier), names)
        # === Step 4: hyperparameters by leave-one-paper-out, then fit on everything and save
        # The newest retired sets, oldest first, set the fresh-set temperature (rule 3).
        sel = select(data, newest_sets(args.retired), model=args.model)
        c, w, loss = sel.c, sel.hand_weight, sel.loss
        meta = {
            "made_by": "scripts/fit_calibrator.py",
            "date": datetime.date.today().isoformat(),
            "papers_sha256_12": sorted(p.sha256[:12] for p in m.library.papers()),
            "fitted_on": "generated labelled set (shared papers) + handwritten claims (shared "
            "papers) + bench/dev claims (dev papers) + retired held-out sets' claims",
            "n_generated": len(examples),
            "n_handwritten": sum(e.source == "handwritten" for e in hand),
            "n_dev": sum(e.source == "dev" for e in hand),
            "n_retired_heldout": sum(e.source == "retired" for e in hand),
            "retired_heldout": [Path(f).name for f in args.retired],
            "n_realistic": int(data.hand.sum()),  # handwritten + the seed report's claims
            "handwritten_sha256_12": hashlib.sha256(
                Path(args.handwritten).read_bytes()
            ).hexdigest()[:12],
            "embedding": m.verifier.models["embedding"],
            **({"nli": m.verifier.nli_id} if args.nli_model else {}),
            "labelled_set_hash": hashlib.sha256(
                "\n".join(f"{e.example_id}\t{e.label}" for e in examples).encode()
            ).hexdigest()[:12],
            "model": args.model,
            "c": c,
            "hand_weight": w,
            "lopo_handwritten_log_loss": round(loss, 4),
            "selection_rule": "one standard error toward smaller C, then the fresh-set "
            "temperature: max(1, T of the newest retired sets' forward-chained predictions); "
            "the pooled out-of-fold temperature when no set is named "
            "(synth/calibration_select.py)",
            "lopo_best_log_loss": round(sel.best_loss, 4),
            "lopo_se": round(sel.se, 4),
            "temperature": round(sel.temperature, 4),
            "temperature_pool": round(sel.temperature_pool, 4),
            "temperature_recent_sets": list(sel.recent_sets),
            "temperature_recent": round(sel.temperature_recent, 4),
            "lopo_log_loss_tempered": round(sel.loss_tempered, 4),
        }
        calibrator = fit_selected(data, sel, meta=meta, features=names)
        calibrator.save(args.out)
        m.library.close()
    print(
        f"fitted on {len(examples)} generated + {len(hand)} handwritten and dev claims "
        f"({int(data.hand.sum())} realistic, seed report's included) "
        f"({args.model}, C={c:g}, handwritten weight {w:g}, leave-one-paper-out log loss {loss:.4f}, "
        f"best on the grid {sel.best_loss:.4f} + SE {sel.se:.4f}; temperature "
        f"{sel.temperature:.3f} (pooled out-of-fold {sel.temperature_pool:.3f}, newest sets "
        f"{', '.join(sel.recent_sets) or 'none'} {sel.temperature_recent:.3f}) -> "
        f"{sel.loss_tempered:.4f}) -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
