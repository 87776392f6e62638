"""Fit the claim check-worthiness model on the sentences of papers with careful readers' lists.

Usage (from the repo root):

    .venv/bin/python scripts/fit_claim_ranker.py --out PATH [--cover 0.8]

``--out synth/claim_ranker.json`` makes extraction score with the model; do that only when
``bench/extract_recall.py --lopo`` shows it beating the hand weights (``--shared-dev --hand
--tradeoff``): on 2026-11-26 it did not, so none ships.

Steps: ingest the shared papers (../shared/data/papers, lists in bench/claims_gold) and the dev
papers (bench/dev/papers, lists in bench/dev/claims_gold) into a throwaway library the way
`claimlab ingest` does; take every candidate unit of each paper (``synth.claims.paper_candidates``:
whole sentences and list items of claim length in sections claims come from), its features
(``synth.claim_ranker.ranker_features``) and its label: 1 when it matches a gold claim by the
bench's rule (``bench/extract_recall.py``: it covers at least ``--cover`` of the quote's tokens);
choose the L2 strength by leave-one-paper-out (recall of each left-out paper's N top-ranked units,
N its gold count; then log loss); fit on every paper; save with what it was fitted on.
How the procedure does on papers it did not see is measured by
``bench/extract_recall.py --lopo``. bench/heldout/ is never read here.
"""

from __future__ import annotations

import argparse
import datetime
import math
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.extract_recall import coverage, discover, read_gold, tokens  # noqa: E402
from synth.claim_ranker import (  # noqa: E402
    RANKER_PATH,
    ClaimRanker,
    fit_ranker,
    leave_one_group_out,
    ranker_features,
)
from synth.claims import ClaimSettings, paper_candidates, score_parts  # noqa: E402
from synth.ingest import ingest  # noqa: E402
from synth.library import Library  # noqa: E402
from synth.settings import resolve_data_dir  # noqa: E402

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def gold_sets() -> list[tuple[Path, Path, bool]]:
    """(papers, gold lists, files-not-folders) of the shared and the dev papers."""
    return [
        (resolve_data_dir() / "papers", REPO / "bench" / "claims_gold", False),
        (REPO / "bench" / "dev" / "papers", REPO / "bench" / "dev" / "claims_gold", True),
    ]


@dataclass
class Dataset:
    """Every candidate unit of the papers: features, label, paper, and the gold claims it matches."""

    rows: list[dict[str, float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    covers: list[frozenset[int]] = field(default_factory=list)
    gold: dict[str, int] = field(default_factory=dict)  # paper key -> its gold claims

    def add_paper(self, lib: Library, key: str, paper_id: str, gold: list[dict], cover: float):
        """Add one paper's candidate units, labelled against its gold list."""
        settings = ClaimSettings()
        gold_toks = [tokens(g["quote"]) for g in gold]
        outline, candidates = paper_candidates(lib, paper_id, settings)
        self.gold[key] = len(gold)
        for unit, place in candidates:
            parts = score_parts(unit.text, unit.section, unit.sentence.kind, outline)
            ut = tokens(unit.text)
            hit = frozenset(i for i, gt in enumerate(gold_toks) if coverage(gt, ut) >= cover)
            self.rows.append(ranker_features(unit.text, parts, place))
            self.labels.append(int(bool(hit)))
            self.groups.append(key)
            self.covers.append(hit)

    def without(self, key: str) -> Dataset:
        """The same data without paper ``key``."""
        keep = [i for i, g in enumerate(self.groups) if g != key]
        return Dataset(
            [self.rows[i] for i in keep],
            [self.labels[i] for i in keep],
            [self.groups[i] for i in keep],
            [self.covers[i] for i in keep],
            {k: n for k, n in self.gold.items() if k != key},
        )


def build_dataset(lib: Library, cover: float = 0.8) -> Dataset:
    """Ingest the shared and dev papers that have gold lists into ``lib`` and label their units."""
    data = Dataset()
    for papers, gold_dir, files in gold_sets():
        for key, path in discover(papers, files).items():
            gold_path = gold_dir / f"{key}.jsonl"
            if not gold_path.is_file():
                continue
            outcomes = [o for o in ingest(lib, [str(path)]) if not o.failed and o.paper_id]
            if not outcomes:
                print(f"{key}: could not be ingested, skipped", file=sys.stderr)
                continue
            data.add_paper(lib, key, outcomes[0].paper_id, read_gold(gold_path), cover)
    return data


def recall_at_gold(data: Dataset, probs: list[float], key: str) -> tuple[int, int]:
    """Gold claims of paper ``key`` matched by its N best-ranked units (N its gold count)."""
    idx = [i for i, g in enumerate(data.groups) if g == key]
    n = data.gold[key]
    top = sorted(idx, key=lambda i: (-probs[i], i))[:n]
    return len(frozenset().union(*(data.covers[i] for i in top))) if top else 0, n


def lopo_probabilities(data: Dataset, c: float) -> list[float]:
    """Each unit's probability from a model fitted without its paper."""
    rankers = leave_one_group_out(data.rows, data.labels, data.groups, c)
    return [rankers[g].probability(r) for r, g in zip(data.rows, data.groups, strict=True)]


def evaluate(data: Dataset, probs: list[float]) -> dict[str, float]:
    """Micro recall of the top-N units over the papers, and mean log loss."""
    found = total = 0
    for key in data.gold:
        f, n = recall_at_gold(data, probs, key)
        found, total = found + f, total + n
    eps = 1e-9
    loss = -sum(
        math.log(max(eps, p if y else 1 - p)) for p, y in zip(probs, data.labels, strict=True)
    ) / len(probs)
    return {"recall_at_gold": round(found / total, 4), "log_loss": round(loss, 4)}


def choose_c(data: Dataset, grid: tuple[float, ...] = C_GRID) -> tuple[float, list[dict]]:
    """The L2 strength with the best LOPO top-N recall (ties: lower log loss), and the table."""
    table = [{"c": c, **evaluate(data, lopo_probabilities(data, c))} for c in grid]
    best = max(table, key=lambda t: (t["recall_at_gold"], -t["log_loss"]))
    hand = [r["prior"] for r in data.rows]  # the hand logit ranks the same as its probability
    table.append({"c": "hand weights", **evaluate(data, [1 / (1 + math.exp(-z)) for z in hand])})
    return float(best["c"]), table


def fit_all(data: Dataset, c: float, table: list[dict], cover: float) -> ClaimRanker:
    """The shipped model: fitted on every paper, with what it was fitted on."""
    meta = {
        "fitted_on": sorted(data.gold),
        "gold_lists": ["bench/claims_gold", "bench/dev/claims_gold"],
        "date": datetime.date.today().isoformat(),
        "n": len(data.rows),
        "positives": sum(data.labels),
        "c": c,
        "cover": cover,
        "lopo": table,
        "made_by": "scripts/fit_claim_ranker.py",
    }
    return fit_ranker(data.rows, data.labels, c, meta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--out", type=Path, required=True, help=f"where the JSON goes ({RANKER_PATH}: used)"
    )
    ap.add_argument("--cover", type=float, default=0.8, help="token coverage for a match")
    args = ap.parse_args()
    from rich.console import Console
    from rich.table import Table

    console = Console()
    # === Step 1: ingest the papers with gold lists, label their candidate units
    status = console.status("ingesting and labelling the papers with gold lists")
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "library") as lib, status:
        data = build_dataset(lib, args.cover)
    # === Step 2: choose the L2 strength by leave-one-paper-out
    with console.status(f"leave-one-paper-out over {len(data.gold)} papers"):
        c, table = choose_c(data)
    # === Step 3: fit on every paper, save
    ranker = fit_all(data, c, table, args.cover)
    ranker.save(args.out)
    out = Table(title=f"claim ranker: {len(data.rows)} units, {sum(data.labels)} positive")
    for col in ("C (inverse L2)", "LOPO R@N (units)", "LOPO log loss"):
        out.add_column(col, justify="right")
    for t in table:
        out.add_row(str(t["c"]), f"{t['recall_at_gold']:.3f}", f"{t['log_loss']:.3f}")
    console.print(out)
    console.print(f"chosen C={c}; wrote {args.out}")


if __name__ == "__main__":
    main()
