"""Fit the claim check-worthiness model on the sentences of papers with careful readers' lists.

Usage (from the repo root):

    .venv/bin/python scripts/fit_claim_ranker.py --out PATH [--cover 0.8]

``--out synth/claim_ranker.json`` makes extraction score with the model; do that only when
``bench/extract_recall.py --lopo`` shows it beating the hand weights (``--all-sets --hand
--tradeoff``): on 2026-11-26, fitted on 15 papers, it did not; on 2026-11-27, on 82 papers, it
ranked better at the same recall and share listed, and ships behind the hand weights' gate
(``synth.claim_scoring.HAND_GATE``, since session 17: recall 0.877 vs 0.872 at 0.349 of prose);
refitted on 2026-11-28 on 97 papers (heldout14 to heldout16 retired): leave-one-paper-out recall at
budget 0.875 vs 0.865 for the hand weights, R@N 0.660 vs 0.629; and again on 2026-11-28 (session 21)
on 102 papers (heldout17 retired; 17,912 units, 3,224 listed; C 0.1, line 0.02): 0.875 vs 0.862,
R@N 0.658 vs 0.626; and in session 22 on 107 papers (heldout18 retired; 18,955 units, 3,377
listed; C 0.1, line 0.02): 0.875 vs 0.861, R@N 0.661 vs 0.627; and in session 23 on 112 papers
(heldout19 retired, numbered list items read as list items; 20,026 units, 3,549 listed; C 0.03,
line 0.02): 0.874 vs 0.862, R@N 0.655 vs 0.625; and in session 24 on 117 papers (heldout20 retired; 21,047
units, 3,725 listed; C 0.1, line 0.02): 0.877 vs 0.862, R@N 0.656 vs 0.624.

Steps: ingest the shared papers (../shared/data/papers, lists in bench/claims_gold), the dev
papers (bench/dev/papers, lists in bench/dev/claims_gold), bench/dev_more and the retired held-out
sets (``synth.calibration_data.RETIRED_HELDOUT``, named one by one) into a throwaway library the way
`claimlab ingest` does; take every candidate unit of each paper (``synth.claims.paper_candidates``:
whole sentences and list items of claim length in sections claims come from), its features
(``synth.claim_ranker.ranker_features``) and its label: 1 when it matches a gold claim by the
bench's rule (``bench/extract_recall.py``: it covers at least ``--cover`` of the quote's tokens);
choose the L2 strength by leave-one-paper-out (recall of each left-out paper's N top-ranked units,
N its gold count; then log loss); choose the listing line (the probability scored 0.5, where
``min_score`` cuts) by leave-one-paper-out recall at the shipped budget (``choose_line``); fit on
every paper; save with what it was fitted on. How the procedure does on papers it did not see is
measured by ``bench/extract_recall.py --lopo``. The held-out sets still in use are never read.
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
from synth.claim_scoring import HAND_GATE  # noqa: E402
from synth.claims import (  # noqa: E402
    PROSE_KINDS,
    ClaimSettings,
    paper_budget,
    paper_candidates,
    score_parts,
)
from synth.ingest import ingest  # noqa: E402
from synth.library import Library  # noqa: E402
from synth.settings import resolve_data_dir  # noqa: E402

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def gold_sets(retired: bool = True) -> list[tuple[Path, Path, bool]]:
    """(papers, gold lists, files-not-folders) of every paper set with careful readers' lists.

    The shared and the dev papers; with ``retired``, also bench/dev_more and the retired held-out
    sets (``synth.calibration_data.RETIRED_HELDOUT``, each named: the sets still held out are
    never read).
    """
    sets = [
        (resolve_data_dir() / "papers", REPO / "bench" / "claims_gold", False),
        (REPO / "bench" / "dev" / "papers", REPO / "bench" / "dev" / "claims_gold", True),
    ]
    if retired:
        from synth.calibration_data import RETIRED_HELDOUT

        for name in ("dev_more", *RETIRED_HELDOUT):
            sets.append(
                (REPO / "bench" / name / "papers", REPO / "bench" / name / "claims_gold", True)
            )
    return sets


@dataclass
class Dataset:
    """Every candidate unit of the papers: features, label, paper, and the gold claims it matches."""

    rows: list[dict[str, float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    covers: list[frozenset[int]] = field(default_factory=list)
    gold: dict[str, int] = field(default_factory=dict)  # paper key -> its gold claims
    prose: dict[str, int] = field(default_factory=dict)  # paper key -> its prose sentences

    def add_paper(self, lib: Library, key: str, paper_id: str, gold: list[dict], cover: float):
        """Add one paper's candidate units, labelled against its gold list."""
        settings = ClaimSettings()
        gold_toks = [tokens(g["quote"]) for g in gold]
        outline, candidates = paper_candidates(lib, paper_id, settings)
        self.gold[key] = len(gold)
        self.prose[key] = sum(s.kind in PROSE_KINDS for s in lib.sentences(paper_id=paper_id))
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
            {k: n for k, n in self.prose.items() if k != key},
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
    return _matched(data, top), n


def _matched(data: Dataset, units: list[int]) -> int:
    """How many gold claims of their paper the units match."""
    return len(frozenset().union(*(data.covers[i] for i in units))) if units else 0


def recall_at_budget(
    data: Dataset, probs: list[float], key: str, line: float = 0.0
) -> tuple[int, int, int]:
    """Gold claims of paper ``key`` matched by the units the shipped budget lists, the units
    listed, and the gold count: its best-ranked units at probability ``line`` or above that the
    hand weights would list (``synth.claim_scoring.HAND_GATE`` on a row's hand logit ``prior``),
    at most its budget (``paper_budget`` of its prose sentences, default settings)."""
    gate = math.log(HAND_GATE / (1.0 - HAND_GATE))
    idx = [
        i
        for i, g in enumerate(data.groups)
        if g == key and probs[i] >= line and data.rows[i].get("prior", 0.0) >= gate
    ]
    budget = paper_budget(data.prose.get(key, 0), ClaimSettings())
    top = sorted(idx, key=lambda i: (-probs[i], i))[:budget]
    return _matched(data, top), len(top), data.gold[key]


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
    at_budget = [recall_at_budget(data, probs, key) for key in data.gold]
    return {
        "recall_at_gold": round(found / total, 4),
        "recall_at_budget": round(sum(f for f, _, _ in at_budget) / total, 4),
        "log_loss": round(loss, 4),
    }


def choose_c(data: Dataset, grid: tuple[float, ...] = C_GRID) -> tuple[float, list[dict]]:
    """The L2 strength with the best LOPO top-N recall (ties: lower log loss), and the table."""
    table = [{"c": c, **evaluate(data, lopo_probabilities(data, c))} for c in grid]
    best = max(table, key=lambda t: (t["recall_at_gold"], -t["log_loss"]))
    hand = [r["prior"] for r in data.rows]  # the hand logit (rank-2: place step included)
    table.append({"c": "hand weights", **evaluate(data, [1 / (1 + math.exp(-z)) for z in hand])})
    return float(best["c"]), table


LINE_GRID = (0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5)
# Recall a listing line may cost against listing by budget (and the hand gate) alone, by
# leave-one-paper-out. None: the hand gate already keeps the list within what the hand weights
# list, so the line only drops what no reader listed (0.005 chose 0.05 on 2026-11-27, which by
# extraction cost 10 of the 82 papers' listed claims against 0.02, 9 of them on the shared papers).
LINE_SLACK = 0.0


def choose_line(data: Dataset, probs: list[float]) -> tuple[float, list[dict]]:
    """The listing line (the probability scored 0.5: ``min_score``'s default) and the table.

    The highest line whose leave-one-paper-out recall at the shipped budget is within
    ``LINE_SLACK`` of the budget's alone (both behind the hand gate): fewer claims listed for the
    same recall.
    """
    total = sum(data.gold.values())
    prose = sum(data.prose.values()) or 1

    def at(line: float) -> dict:
        rows = [recall_at_budget(data, probs, key, line) for key in data.gold]
        return {
            "line": line,
            "recall_at_budget": round(sum(f for f, _, _ in rows) / total, 4),
            "listed_over_prose": round(sum(n for _, n, _ in rows) / prose, 4),
        }

    free = at(0.0)["recall_at_budget"]
    table = [at(line) for line in LINE_GRID]
    ok = [t for t in table if t["recall_at_budget"] >= free - LINE_SLACK]
    return (max(t["line"] for t in ok) if ok else LINE_GRID[0]), table


def fit_all(
    data: Dataset,
    c: float,
    table: list[dict],
    cover: float,
    line: float = 0.5,
    lines: list[dict] | None = None,
) -> ClaimRanker:
    """The shipped model: fitted on every paper, with what it was fitted on."""
    meta = {
        "fitted_on": sorted(data.gold),
        "gold_lists": [
            str(g.relative_to(REPO)) if g.is_relative_to(REPO) else "shared/claims"
            for _, g, _ in gold_sets()
        ],
        "date": datetime.date.today().isoformat(),
        "n": len(data.rows),
        "positives": sum(data.labels),
        "c": c,
        "cover": cover,
        "lopo": table,
        "listing_lines": lines or [],
        "made_by": "scripts/fit_claim_ranker.py",
    }
    return fit_ranker(data.rows, data.labels, c, meta, line)


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
    # === Step 3: the listing line, by leave-one-paper-out recall at the shipped budget
    line, lines = choose_line(data, lopo_probabilities(data, c))
    # === Step 4: fit on every paper, save
    ranker = fit_all(data, c, table, args.cover, line, lines)
    ranker.save(args.out)
    out = Table(title=f"claim ranker: {len(data.rows)} units, {sum(data.labels)} positive")
    for col in ("C (inverse L2)", "LOPO R@N (units)", "LOPO recall at budget", "LOPO log loss"):
        out.add_column(col, justify="right")
    for t in table:
        out.add_row(
            str(t["c"]),
            f"{t['recall_at_gold']:.3f}",
            f"{t['recall_at_budget']:.3f}",
            f"{t['log_loss']:.3f}",
        )
    console.print(out)
    for t in lines:
        console.print(f"line {t['line']}: recall at budget {t['recall_at_budget']:.3f}, "
                      f"listing {t['listed_over_prose']:.3f} of prose")  # fmt: skip
    console.print(f"chosen C={c}, listing line {line}; wrote {args.out}")


if __name__ == "__main__":
    main()
