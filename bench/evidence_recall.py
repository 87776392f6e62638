"""Evidence choice: does the verifier read the sentence that decides the claim?

Usage (from the repo root):

    .venv/bin/python bench/evidence_recall.py [--papers ../shared/data/papers]
        [--handwritten bench/verify_handwritten.jsonl] [--dev bench/dev] [--library DIR]
        [--json OUT.json] [--details OUT.jsonl]

For every claim people wrote with a gold evidence sentence (the shared papers' handwritten
claims and bench/dev's; never bench/heldout, bench/heldout2 or bench/heldout3: those are measured
by the verifier's own bench only), the verifier's candidates (``Verifier.candidates``) and its chosen
evidence (``Verifier.features``: the sentence its checks read) are compared with the gold
sentence. Each claim falls in one of:

- ``chosen``: the chosen evidence is the gold sentence (one of its parts, for gold evidence
  written as "part [...] part");
- ``candidate``: the gold sentence is among the candidates, but another was chosen;
- ``missed``: the gold sentence is not among the candidates.

Reported overall, per gold label and per source (handwritten, dev), with ``paper``: the share
whose chosen evidence comes from the claim's own paper. A sentence "is" the gold one when it
holds over 60 % of the gold's word tokens, or the gold holds over 80 % of its tokens (the
library's sentence splitting and the gold's copy differ in small ways).

``--library DIR`` keeps the parsed library there (reused by the next run; ingest skips papers
already in it); without it, a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from synth.calibration_data import (  # noqa: E402
    add_dev_set,
    library_from_papers,
    load_handwritten,
    paper_ids_by_folder,
)
from synth.settings import resolve_data_dir  # noqa: E402
from synth.verify import Verifier, VerifySettings  # noqa: E402

OUTCOMES = ("chosen", "candidate", "missed")
_TOKEN = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(text.lower()))


def is_gold(gold: str, text: str) -> bool:
    """Whether ``text`` is the gold sentence ``gold`` (or one of its "[...]" parts)."""
    found = _tokens(text)
    for part in (p for p in gold.split("[...]") if p.strip()):
        want = _tokens(part)
        shared = len(want & found)
        if shared / max(1, len(want)) > 0.6 or shared / max(1, len(found)) > 0.8:
            return True
    return False


def gold_evidence(*paths: Path) -> dict[str, str]:
    """Claim id -> its gold evidence text (claims without one left out)."""
    out = {}
    for path in paths:
        if not path.is_file():
            continue
        for line in path.read_text().splitlines():
            row = json.loads(line) if line.strip() else {}
            if row.get("evidence"):
                out[row["id"]] = row["evidence"]
    return out


def classify(verifier: Verifier, examples: list, gold: dict[str, str]) -> list[dict]:
    """One row per claim with gold evidence: its outcome and what was chosen."""
    todo = [e for e in examples if e.example_id in gold]
    vectors = verifier.searcher.embedder.encode([e.claim for e in todo])
    rows = []
    for e, qvec in zip(todo, vectors, strict=True):
        cands = verifier.candidates(e.claim, qvec, tuple(e.exclude))
        _, best, _ = verifier.features(e.claim, cands, qvec)
        g = gold[e.example_id]
        rank = next((i for i, c in enumerate(cands) if is_gold(g, c.text)), None)
        chosen = best is not None and is_gold(g, best.text)
        outcome = "chosen" if chosen else "candidate" if rank is not None else "missed"
        rows.append({
            "id": e.example_id, "source": e.source, "label": e.label, "outcome": outcome,
            "gold_rank": rank, "n_candidates": len(cands),
            "same_paper": best is not None and best.paper_id == e.paper_id,
            "claim": e.claim, "gold": g, "chosen": best.text if best else "",
        })  # fmt: skip
    return rows


def summary(rows: list[dict]) -> dict:
    """Shares of each outcome, overall, per label and per source."""

    def shares(group: list[dict]) -> dict:
        n = len(group)
        count = Counter(r["outcome"] for r in group)
        out: dict[str, float | int] = {"n": n}
        for k in OUTCOMES:
            out[k] = round(count[k] / n, 3) if n else 0.0
        out["paper"] = round(sum(r["same_paper"] for r in group) / n, 3) if n else 0.0
        return out

    report: dict[str, object] = {"overall": shares(rows)}
    for key in ("label", "source"):
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            groups[r[key]].append(r)
        report[f"per_{key}"] = {k: shares(v) for k, v in sorted(groups.items())}
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default=str(resolve_data_dir() / "papers"))
    parser.add_argument("--handwritten", default=str(REPO / "bench" / "verify_handwritten.jsonl"))
    parser.add_argument("--dev", default=str(REPO / "bench" / "dev"), help="'' to leave it out")
    parser.add_argument("--library", default=None, help="keep the parsed library here")
    parser.add_argument("--json", default=None, help="also write the figures here")
    parser.add_argument("--details", default=None, help="write one JSON line per claim here")
    args = parser.parse_args()
    for path in (args.handwritten, args.dev):
        if path and "heldout" in Path(path).name:
            parser.error(f"{path}: held-out sets are measured by bench/verify_quality.py only")
    with tempfile.TemporaryDirectory() as tmp:
        # === Step 1: the library (shared papers, then the dev papers) and the claims
        library = library_from_papers(args.papers, args.library or Path(tmp) / "library")
        examples = load_handwritten(args.handwritten, paper_ids_by_folder(args.papers))
        gold_files = [Path(args.handwritten)]
        if args.dev:
            examples += add_dev_set(library, args.dev)
            gold_files.append(Path(args.dev) / "verify_claims.jsonl")
        # === Step 2: candidates and chosen evidence of every claim with gold evidence
        rows = classify(Verifier(library, VerifySettings()), examples, gold_evidence(*gold_files))
        library.close()
    # === Step 3: shares of each outcome
    report = summary(rows)
    print(json.dumps(report, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
    if args.details:
        Path(args.details).write_text("".join(json.dumps(r) + "\n" for r in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
