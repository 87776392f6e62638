"""Verification quality, measured on papers the calibrator never saw: accuracy, macro-F1, ECE.

Usage (from the repo root):

    .venv/bin/python bench/verify_quality.py [--papers ../shared/data/papers]
        [--handwritten bench/verify_handwritten.jsonl] [--heldout bench/heldout21 [MORE ...]]
        [--json OUT.json] [--no-lopo]
        [--nli-model PATH] [--dev bench/dev] [--retired bench/heldout bench/heldout2 ...]

Sections of the report:
1. ``leave_one_paper_out``: every claim about the shared papers (the generated labelled set of
   synth.labelled, and bench/verify_handwritten.jsonl: claims people wrote, which no generator
   made) and about the dev papers (bench/dev: ten more real papers in two batches, claims written by reading
   them; ``--dev ''`` leaves them out) is verified; the calibrator is refitted once per paper,
   each time on the claims of all other papers (hyperparameters chosen by an inner
   leave-one-paper-out on those alone, as scripts/fit_calibrator.py does), and predicts the
   claims of the paper left out; claims about no paper form their own group. The held-out
   predictions are pooled and reported for the generated, handwritten and dev claims
   separately, per label and per kind.
2. ``baseline_similarity_only``: the same procedure with one feature, the claim's cosine
   similarity to its evidence (what a user of plain semantic search would have): no checks.
3. ``heldout_papers``: real papers that are not in ../shared/data (bench/heldout21/papers, Markdown)
   are ingested together with the shared papers (distractors for retrieval), and
   bench/heldout21/verify_claims.jsonl is verified with the packaged calibrator. Nothing of the
   held-out set in use is ever used for fitting or tuning; the figures are reported as they come
   out. ``--heldout`` takes several folders (a set measured a second time beside the fresh
   one): the first is ``heldout_papers``, each is under ``heldout_sets`` by folder name.
   The earlier held-out sets (bench/heldout to heldout21) were measured one to three
   times each and then retired into the fitting data (``--retired``; their leave-one-paper-out
   figures are reported as ``retired_heldout``); measuring one of them as held-out is refused.
Accuracy, macro-F1 over the three labels and expected calibration error (10 equal-width bins).
Each group's ``overall`` also carries 95 % bootstrap intervals (claims resampled) and
``ece_floor_if_perfectly_calibrated``: the ECE a verifier whose confidences were exactly right
would show on that many claims (simulated). On 100 claims it is about 0.09, so an ECE goal of
0.05 can only be shown on the pooled written claims (``all_written``, ~900 claims).

With --nli-model (a folder `claimlab nli train` made, or 'claimlab-nli'), the same sections are
measured again with the NLI stage (``..._nli``): leave-one-paper-out with the NLI features
(synth.calibrate.NLI_FEATURES) added to the calibrator's, and the held-out papers verified with
the NLI model and the packaged NLI calibrator (synth/verify_calibrator_nli.json; whether it was
fitted for this NLI model is reported as ``calibrated``). ``nli_comparison`` puts the headline
figures side by side.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
HANDWRITTEN = Path(__file__).with_name("verify_handwritten.jsonl")
HELDOUT = Path(__file__).with_name("heldout23")  # the held-out set in use (heldout22: second look)
DEV = Path(__file__).with_name("dev")
# bench/dev's second batch (merged 2026-11-26, after one measurement): reported apart, as the
# papers no rule was written for.
DEV_SECOND_BATCH = frozenset({"belarusianglue_benchmark", "mt_noise_robustness_llm",
                              "tec_human_translation_correction", "urdu_fake_news_conjoint"})  # fmt: skip
sys.path.insert(0, str(REPO))

from synth.calibrate import (  # noqa: E402
    CALIBRATED_FEATURES,
    DEFAULT_MODEL,
    NLI_FEATURES,
    Calibrator,
    TrainingSet,
    expected_calibration_error,
)
from synth.calibration_data import (  # noqa: E402
    RETIRED_HELDOUT,
    feature_names,
    library_from_papers,
    load_handwritten,
    measure_examples,
)
from synth.calibration_select import (  # noqa: E402
    fit_selected,
    leave_one_paper_out,
    newest_sets,
    select,
)
from synth.calibration_stats import uncertainty  # noqa: E402
from synth.labelled import LabelledExample  # noqa: E402
from synth.records import LABELS  # noqa: E402
from synth.settings import resolve_data_dir  # noqa: E402
from synth.verify import Verifier, VerifySettings  # noqa: E402

# Held-out sets measured two or three times each, then retired into the fitting data (as
# scripts/fit_calibrator.py fits on them); their leave-one-paper-out figures are reported apart.
RETIRED = [str(Path(__file__).with_name(n)) for n in RETIRED_HELDOUT]


def macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def measures(gold: list[str], pred: list[str], conf: list[float], f1: bool = True) -> dict:
    correct = np.array([g == p for g, p in zip(gold, pred, strict=True)])
    out = {
        "n": len(gold),
        "accuracy": round(float(correct.mean()), 4) if gold else 0.0,
        "macro_f1": round(macro_f1(gold, pred), 4),
        "ece_10": round(expected_calibration_error(np.array(conf), correct, 10), 4),
        "mean_confidence": round(float(np.mean(conf)), 4) if conf else 0.0,
    }
    if not f1:  # one gold label per group: macro-F1 means nothing there
        out.pop("macro_f1")
    return out


def grouped(examples: list[LabelledExample], pred: list[str], conf: list[float]) -> dict:
    """Overall, per gold label and per label/kind."""
    gold = [e.label for e in examples]
    out = {"overall": measures(gold, pred, conf)}
    # How far these figures can be trusted: bootstrap intervals and the ECE a perfectly
    # calibrated verifier would show on this many claims (synth/calibration_stats.py).
    out["overall"].update(uncertainty(gold, pred, conf, macro_f1))
    for key in ("label", "kind"):
        idx: dict[str, list[int]] = defaultdict(list)
        for i, e in enumerate(examples):
            idx[e.label if key == "label" else f"{e.label}/{e.kind}"].append(i)
        out[f"per_{key}"] = {
            k: measures([gold[i] for i in v], [pred[i] for i in v], [conf[i] for i in v], False)
            for k, v in sorted(idx.items())
        }
    return out


def lopo_section(
    data: TrainingSet,
    examples: list[LabelledExample],
    recent: Sequence[str] = (),
    model: str = DEFAULT_MODEL,
) -> dict:
    probs = leave_one_paper_out(data, recent, model)
    pred = [LABELS[int(i)] for i in probs.argmax(1)]
    conf = [float(c) for c in probs.max(1)]
    seed = np.array([e.example_id.endswith("-related") for e in examples])
    dev = np.array([e.source == "dev" for e in examples])
    retired = np.array([e.source == "retired" for e in examples])
    written = np.array([e.source == "handwritten" for e in examples])
    second = dev & np.array([e.example_id.rsplit("-", 1)[0] in DEV_SECOND_BATCH for e in examples])
    out = {}
    groups = (("generated", ~data.hand), ("handwritten", written),
              ("retired_heldout", retired), ("all_written", written | dev | retired),
              ("dev_papers", dev), ("dev_first_batch", dev & ~second),
              ("dev_second_batch", second), ("seed_report", seed))  # fmt: skip
    for name, mask in groups:
        idx = np.flatnonzero(mask)
        out[name] = grouped(
            [examples[i] for i in idx], [pred[i] for i in idx], [conf[i] for i in idx]
        )
    out["handwritten_errors"] = [
        {"id": examples[i].example_id, "kind": examples[i].kind, "gold": examples[i].label,
         "predicted": pred[i], "confidence": round(conf[i], 3)}
        for i in np.flatnonzero(written) if pred[i] != examples[i].label
    ]  # fmt: skip
    return out


def heldout_section(
    papers: str, heldout: Path, tmp: Path, sim_only: Calibrator, nli_model: str | None = None
) -> dict:
    """Verify bench/heldout's claims against its papers plus the shared ones (packaged calibrator);
    ``sim_only`` (similarity alone, fitted on the shared papers' claims) is the baseline; with
    ``nli_model``, verified again with the NLI stage (``nli``)."""
    from synth.ingest import ingest

    examples = load_handwritten(heldout / "verify_claims.jsonl", {})  # same line format
    library = library_from_papers(papers, tmp / "heldout-library")
    failed = [
        o
        for o in ingest(library, sorted(str(p) for p in (heldout / "papers").glob("*.md")))
        if o.failed
    ]
    verifier = Verifier(library, VerifySettings())
    verdicts = verifier.verify_many([(e.example_id, e.claim) for e in examples])
    out = grouped(examples, [v.label for v in verdicts], [v.confidence for v in verdicts])
    p = sim_only.predict_proba(np.array([[v.checks.get("sim", 0.0)] for v in verdicts]))
    out["baseline_similarity_only"] = measures(
        [e.label for e in examples], [LABELS[int(i)] for i in p.argmax(1)], list(p.max(1))
    )
    out["papers"] = sorted(p.stem for p in (heldout / "papers").glob("*.md"))
    out["ingest_failures"] = [f"{o.input}: {o.message}" for o in failed]
    out["calibrator"] = verifier.models["calibrator"]
    if nli_model:
        nli = Verifier(library, VerifySettings(nli_model=nli_model), verifier.searcher)
        verdicts = nli.verify_many([(e.example_id, e.claim) for e in examples])
        out["nli"] = grouped(
            examples, [v.label for v in verdicts], [v.confidence for v in verdicts]
        )
        out["nli"]["calibrator"] = nli.models["calibrator"]
        out["nli"]["calibrated"] = all(v.checks.get("calibrated") for v in verdicts if v.checks)
        out["nli"]["nli_model"] = nli.models["nli_id"]
    library.close()
    return out


def nli_comparison(report: dict) -> dict:
    """Headline figures without and with the NLI stage, side by side."""
    pick = ("n", "accuracy", "macro_f1", "ece_10")
    lopo, lopo_nli = report["leave_one_paper_out"], report["leave_one_paper_out_nli"]
    out = {
        f"lopo_{group}": {
            "without_nli": {k: lopo[group]["overall"][k] for k in pick},
            "with_nli": {k: lopo_nli[group]["overall"][k] for k in pick},
        }
        for group in ("generated", "handwritten", "dev_papers", "seed_report")
    }
    held = report.get("heldout_papers")
    if held and "nli" in held:
        out["heldout_papers"] = {
            "without_nli": {k: held["overall"][k] for k in pick},
            "with_nli": {k: held["nli"]["overall"][k] for k in pick},
            "with_nli_calibrated": held["nli"]["calibrated"],
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default=str(resolve_data_dir() / "papers"))
    parser.add_argument("--handwritten", default=str(HANDWRITTEN))
    parser.add_argument(
        "--heldout",
        nargs="*",
        default=[str(HELDOUT)],
        help="held-out set folders (the first is reported as heldout_papers; each under "
        "heldout_sets by folder name); '' or none to skip that section",
    )
    parser.add_argument("--json", default=None, help="also write the figures here")
    parser.add_argument(
        "--no-lopo",
        action="store_true",
        help="skip the leave-one-paper-out sections (the nested selection refits the "
        "calibrator ~70,000 times: most of this bench's time); held-out sets only",
    )
    parser.add_argument("--nli-model", default=None, help="also measure with this NLI stage")
    parser.add_argument("--dev", default=str(DEV), help="dev set folder ('' to leave it out)")
    parser.add_argument(
        "--retired",
        nargs="*",
        default=RETIRED,
        help="retired held-out set folders (none: no value)",
    )
    parser.add_argument(
        "--model", default=DEFAULT_MODEL, help="the calibrator's model class (as fit_calibrator)"
    )
    args = parser.parse_args()
    retired = args.retired
    heldouts = [Path(h) for h in args.heldout if h]
    for h in heldouts:
        if any(Path(f).resolve() == h.resolve() for f in retired):
            parser.error(f"{h}: a retired held-out set is fitted on; measure another")
    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # === Step 1-2: library, generated and handwritten claims, and every claim's features
        # (they do not depend on the calibrator's weights)
        m = measure_examples(
            args.papers, args.handwritten, tmp, args.nli_model, args.dev or None, retired
        )
        examples, data = m.examples, m.data
        m.library.close()
        # === Step 3: leave one paper out, pooled (the checks' features are the first columns;
        # with an NLI model, its features follow and are measured in their own section)
        # Only the features the calibrator is fitted on (synth.calibrate.CALIBRATED_FEATURES).
        have = feature_names(m.verifier)
        checks_only = data.columns(have, CALIBRATED_FEATURES)
        # The newest retired sets set the temperature, as scripts/fit_calibrator.py does.
        recent = newest_sets(retired)
        if not args.no_lopo:
            report["leave_one_paper_out"] = lopo_section(checks_only, examples, recent, args.model)
        if args.nli_model and not args.no_lopo:
            with_nli = data.columns(have, CALIBRATED_FEATURES + NLI_FEATURES)
            report["leave_one_paper_out_nli"] = lopo_section(with_nli, examples, recent, args.model)
        # === Step 4: baseline: similarity alone, same procedure
        sim_only = TrainingSet(data.x[:, :1], data.y, data.groups, data.hand, data.sets)
        if not args.no_lopo:
            report["baseline_similarity_only"] = {
                k: v
                for k, v in lopo_section(sim_only, examples, recent, args.model).items()
                if k != "handwritten_errors"
            }
        # === Step 5: held-out real papers, measured once with the packaged calibrator
        heldouts = [h for h in heldouts if (h / "verify_claims.jsonl").is_file()]
        if heldouts:
            base = fit_selected(sim_only, select(sim_only, recent, args.model))
            sets = {}
            for i, heldout in enumerate(heldouts):
                sets[heldout.name] = heldout_section(
                    args.papers, heldout, Path(tmp) / f"h{i}", base, args.nli_model
                )
            report["heldout_papers"] = sets[heldouts[0].name]
            if len(sets) > 1:
                report["heldout_sets"] = sets
    if args.nli_model and not args.no_lopo:
        report["nli_comparison"] = nli_comparison(report)
    print(json.dumps(report, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
