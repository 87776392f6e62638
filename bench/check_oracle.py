"""The verifier's conflict checks on gold evidence: do they fire on refuting evidence, and stay
quiet on supporting evidence?

Retrieval and evidence selection aside, a REFUTES verdict needs a conflict signal (a flipped
direction, a scoped negation, a changed number, a swapped entity ...) on the evidence that refutes
the claim, and a SUPPORTS verdict needs none on the evidence that supports it. This bench runs the
verifier's own feature computation (``Verifier.features``, which calls the checks of
``synth.textchecks``, ``synth.comparisons``, ``synth.namechecks`` and ``synth.tablechecks`` with the
paper-level facts of ``synth.libfacts``) on each labelled claim against its GOLD evidence only:
the library sentences that hold the claim's ``evidence`` passages (oracle evidence, no retrieval).

Claims: the shared papers' handwritten ones (bench/verify_handwritten.jsonl) and bench/dev's
(bench/dev/verify_claims.jsonl), both tuning data. Never bench/heldout, heldout2 or heldout3.

Reported, per label and per kind:
- ``gold``: the share of claims with any conflict signal against their gold evidence (for
  REFUTES claims the recall of the checks; for SUPPORTS claims their false-alarm rate), and the
  share each signal fires on;
- ``top3``: for SUPPORTS claims, the false-alarm rate against each of their top-3 retrieved
  candidates read alone (per pair and per claim: any of the three), and the conflict the full
  pipeline's features show (``Verifier.features`` on all the candidates it reads).

Usage (from the repo root):

    .venv/bin/python bench/check_oracle.py [--library DIR] [--json OUT.json] [--misses]

``--library``: a library folder holding the shared and dev papers (built there when missing, as
synth.calibration_data builds it; a cache dir of ~100 MB). ``--misses`` lists the REFUTES claims
with no signal and the SUPPORTS claims with a false one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.evidence_recall import gold_evidence  # noqa: E402
from synth.calibration_data import (  # noqa: E402
    add_dev_set,
    library_from_papers,
    load_handwritten,
    paper_ids_by_folder,
)
from synth.records import Evidence  # noqa: E402
from synth.settings import resolve_data_dir  # noqa: E402
from synth.verify import Verifier, VerifySettings  # noqa: E402

HANDWRITTEN = REPO / "bench" / "verify_handwritten.jsonl"
DEV = REPO / "bench" / "dev"
# A feature that signals a conflict, and the value from which it counts: a parity-only negation
# (0.5) is not one, as in the verifier's own ``conflict``; a share of the claim's numbers in
# conflict, or a next candidate's conflict weighed by its cover, counts when above zero.
SIGNALS: dict[str, float] = {
    "num_conflict": 0.01,
    "negation": 1.0,
    "direction": 0.5,
    "degree": 0.5,
    "quantifier": 0.5,
    "swap": 0.5,
    "slot_swap": 0.5,
    "num_swap": 0.5,
    "table_conflict": 0.5,
    "conflict_top": 0.01,
}
_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_SPLIT = re.compile(r"\n| \[\.\.\.\] ")


def fired(feats: dict[str, float]) -> list[str]:
    """The conflict signals ``feats`` (a features dict) shows."""
    return [k for k, at in SIGNALS.items() if feats.get(k, 0.0) >= at]


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("|", " ")))


def gold_sentences(library_sentences: list, passages: list[str], paper_id: str) -> list[Evidence]:
    """The library sentences that hold the gold passages: those whose words lie (>= 75 %) within
    a passage, else the passage's best overlap; the passage's own text when nothing matches."""
    out: dict[int | None, Evidence] = {}
    for passage in passages:
        g = _tokens(passage)
        scored = []
        for s in library_sentences:
            t = _tokens(s.text)
            if len(t) < 4:
                continue
            shared = len(t & g)
            scored.append((shared / len(t), shared / len(t | g), s))
        held = [s for contain, _, s in scored if contain >= 0.75]
        if not held:
            best = max(scored, key=lambda x: x[1], default=None)
            held = [best[2]] if best and best[1] >= 0.3 else []
        for s in held:
            out.setdefault(s.sentence_id, _evidence(s))
        if not held:
            out.setdefault(None, Evidence(paper_id=paper_id, page=1, section="", text=passage))
    return list(out.values())


def _evidence(s) -> Evidence:
    return Evidence(paper_id=s.paper_id, page=s.page, section=s.section, text=s.text,
                    sentence_id=s.sentence_id)  # fmt: skip


def load_claims(library) -> list[dict]:
    """The labelled claims with gold evidence: id, label, kind, claim, paper id, passages."""
    hand = load_handwritten(HANDWRITTEN, paper_ids_by_folder(resolve_data_dir() / "papers"))
    dev = add_dev_set(library, DEV)
    gold = gold_evidence(HANDWRITTEN, DEV / "verify_claims.jsonl")
    out = []
    for ex in hand + dev:
        ev = gold.get(ex.example_id, "")
        if ex.label == "NOT ENOUGH INFO" or not ev.strip() or not ex.paper_id:
            continue
        passages = [p.strip() for p in _SPLIT.split(ev) if p.strip()]
        out.append(dict(id=ex.example_id, label=ex.label, kind=ex.kind, claim=ex.claim,
                        paper=ex.paper_id, passages=passages, source=ex.source))  # fmt: skip
    return out


def measure(verifier: Verifier, claims: list[dict]) -> list[dict]:
    """Per claim: signals against its gold evidence; for SUPPORTS, against its top-3 candidates."""
    vecs = verifier.searcher.embedder.encode([c["claim"] for c in claims])
    by_paper: dict[str, list] = {}
    out = []
    for c, qvec in zip(claims, vecs, strict=True):
        if c["paper"] not in by_paper:
            by_paper[c["paper"]] = list(verifier.library.sentences(paper_id=c["paper"]))
        gold = gold_sentences(by_paper[c["paper"]], c["passages"], c["paper"])
        feats, best, _ = verifier.features(c["claim"], gold, qvec)
        row = dict(c, gold_fired=fired(feats), best=best.text if best else "", n_gold=len(gold))
        row["feats"] = {k: round(float(v), 3) for k, v in feats.items()}
        if c["label"] == "SUPPORTS":
            cands = verifier.searcher.search(c["claim"], qvec)
            have = {e.sentence_id for e in cands}
            cands = [*cands, *verifier.known.number_evidence(c["claim"], have, ())]
            human = [e for e in cands if not e.machine_generated]
            row["top3_fired"] = [
                fired(verifier.features(c["claim"], [e], qvec)[0]) for e in human[:3]
            ]
            row["top3_text"] = [e.text for e in human[:3]]
            row["pipeline_fired"] = fired(verifier.features(c["claim"], cands, qvec)[0])
        out.append(row)
    return out


def summarise(rows: list[dict]) -> dict:
    """Rates per label and per (label, kind): any signal, and each signal apart."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["label"]].append(r)
        groups[f"{r['label']}/{r['kind']}"].append(r)
        groups[f"{r['label']}@{r['source']}"].append(r)
    out = {}
    for name in sorted(groups):
        g = groups[name]
        fig = {"n": len(g), "gold_any": sum(bool(r["gold_fired"]) for r in g) / len(g)}
        fig["per_signal"] = {
            k: round(sum(k in r["gold_fired"] for r in g) / len(g), 3)
            for k in SIGNALS
            if any(k in r["gold_fired"] for r in g)
        }
        sup = [r for r in g if "top3_fired" in r]
        if sup:
            pairs = [f for r in sup for f in r["top3_fired"]]
            fig["top3_pair_false_alarm"] = sum(bool(f) for f in pairs) / max(1, len(pairs))
            fig["top3_claim_false_alarm"] = sum(any(r["top3_fired"]) for r in sup) / len(sup)
            fig["pipeline_false_alarm"] = sum(bool(r["pipeline_fired"]) for r in sup) / len(sup)
        out[name] = {k: round(v, 3) if isinstance(v, float) else v for k, v in fig.items()}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", default=None, help="library folder (built when missing)")
    parser.add_argument("--json", default=None, help="also write figures and rows here")
    parser.add_argument("--misses", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    work = Path(args.library or tempfile.mkdtemp(prefix="check_oracle_"))
    library = library_from_papers(resolve_data_dir() / "papers", work)
    claims = load_claims(library)
    verifier = Verifier(library, VerifySettings())
    rows = measure(verifier, claims)
    figures = summarise(rows)
    _print(figures, rows if args.misses else [])
    if args.json:
        Path(args.json).write_text(json.dumps({"figures": figures, "rows": rows}, indent=1))
    library.close()
    return 0


def _print(figures: dict, rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for r in rows:
        if (r["label"] == "REFUTES") == bool(r["gold_fired"]):
            continue
        console.print(f"[bold]{r['id']}[/] {r['label']}/{r['kind']} fired={r['gold_fired']}")
        console.print(f"  claim: {r['claim']}\n  best : {r['best']}", markup=False)
    table = Table(title="Conflict checks on gold evidence (and SUPPORTS' top-3 candidates)")
    for col in ("group", "n", "any signal", "top-3 pair FA", "top-3 claim FA", "pipeline FA",
                "signals"):  # fmt: skip
        table.add_column(col)
    for name, f in figures.items():
        sig = ", ".join(f"{k} {v:.2f}" for k, v in f["per_signal"].items())
        table.add_row(name, str(f["n"]), f"{f['gold_any']:.3f}",
                      *(f"{f[k]:.3f}" if k in f else "" for k in
                        ("top3_pair_false_alarm", "top3_claim_false_alarm", "pipeline_false_alarm")),
                      sig)  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
