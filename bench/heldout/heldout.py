"""Load and check the held-out evaluation set (real papers not in ../shared/data).

The set is measured, never fitted: do not tune the verifier or the extractor on it.

Usage:
    .venv/bin/python bench/heldout/heldout.py          # check every file, print counts
    .venv/bin/python bench/heldout/heldout.py --score VERDICTS.jsonl
        # accuracy, macro-F1, ECE (10 bins) and per-kind accuracy of `claimlab verify --json`
    .venv/bin/python bench/heldout/heldout.py --root bench/dev [--score VERDICTS.jsonl]
        # the same checks and scores for another set in this layout (e.g. the dev set)

From code (bench/ is not a package; import by path):
    sys.path.insert(0, str(REPO / "bench" / "heldout"))
    from heldout import load_verify_claims, load_gold_claims, paper_keys, paper_path
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAPERS_DIR = HERE / "papers"
VERIFY_FILE = HERE / "verify_claims.jsonl"
GOLD_DIR = HERE / "claims_gold"

LABELS = {"SUPPORTS", "REFUTES", "NOT ENOUGH INFO"}
KINDS = {
    "SUPPORTS": {"restated", "paraphrase", "numeric", "summary", "implicit"},
    "REFUTES": {"number", "direction", "entity", "negation", "exaggeration"},
    "NOT ENOUGH INFO": {"related", "unaddressed"},
}
GOLD_TYPES = {"result", "comparison", "method", "contribution"}


def set_root(root: Path) -> None:
    """Point the loaders at another set in the same layout (papers/, verify_claims.jsonl, claims_gold/)."""
    global PAPERS_DIR, VERIFY_FILE, GOLD_DIR
    root = Path(root).resolve()
    PAPERS_DIR, VERIFY_FILE, GOLD_DIR = (
        root / "papers",
        root / "verify_claims.jsonl",
        root / "claims_gold",
    )


def paper_keys() -> list[str]:
    """Keys of the held-out papers (file stems under papers/)."""
    return sorted(p.stem for p in PAPERS_DIR.glob("*.md"))


def paper_path(key: str) -> Path:
    """The Markdown file of one held-out paper."""
    return PAPERS_DIR / f"{key}.md"


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name}:{n}: not JSON ({exc})") from exc
    return rows


def load_verify_claims() -> list[dict]:
    """Labelled claims: id, paper, label, kind, claim, evidence (verbatim; empty for NEI)."""
    return _read_jsonl(VERIFY_FILE)


def load_gold_claims(key: str | None = None) -> list[dict]:
    """Careful-reader claim lists: paper, section, quote (verbatim), type."""
    files = [GOLD_DIR / f"{key}.jsonl"] if key else sorted(GOLD_DIR.glob("*.jsonl"))
    return [row for f in files for row in _read_jsonl(f)]


def normalise(text: str) -> str:
    """Collapse whitespace and table pipes so quotes match the Markdown they came from."""
    return re.sub(r"\s+", " ", text.replace("|", " ")).strip()


def _headings(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {ln.lstrip("#").strip() for ln in lines if ln.startswith("#")}


def check() -> list[str]:
    """Every problem found in the set, one line each (empty when the set is sound)."""
    problems: list[str] = []
    texts = {k: normalise(paper_path(k).read_text(encoding="utf-8")) for k in paper_keys()}
    seen: set[str] = set()
    for row in load_verify_claims():
        rid, key, label = row.get("id", "?"), row.get("paper"), row.get("label")
        if rid in seen:
            problems.append(f"{rid}: duplicate id")
        seen.add(rid)
        if key not in texts:
            problems.append(f"{rid}: unknown paper {key!r}")
            continue
        if label not in LABELS:
            problems.append(f"{rid}: bad label {label!r}")
            continue
        if row.get("kind") not in KINDS[label]:
            problems.append(f"{rid}: kind {row.get('kind')!r} does not fit {label}")
        if not row.get("claim", "").strip():
            problems.append(f"{rid}: empty claim")
        evidence = row.get("evidence", "")
        if label == "NOT ENOUGH INFO":
            if evidence:
                problems.append(f"{rid}: NEI item carries evidence")
        elif not evidence:
            problems.append(f"{rid}: no evidence")
        else:
            # Several deciding passages (e.g. two table rows) are joined by newlines.
            for part in evidence.split("\n"):
                if normalise(part) not in texts[key]:
                    problems.append(f"{rid}: evidence not found verbatim in {key}.md")
    heads = {k: _headings(paper_path(k)) for k in texts}
    for row in load_gold_claims():
        key = row.get("paper")
        if key not in texts:
            problems.append(f"gold: unknown paper {key!r}")
            continue
        if row.get("section") not in heads[key]:
            problems.append(f"gold {key}: section {row.get('section')!r} is no heading of it")
        if normalise(row.get("quote", "")) not in texts[key]:
            problems.append(f"gold {key}: quote not found: {row.get('quote', '')[:60]!r}")
        if row.get("type") not in GOLD_TYPES:
            problems.append(f"gold {key}: bad type {row.get('type')!r}")
    return problems


def summary() -> str:
    """Counts per paper, label and kind."""
    rows = load_verify_claims()
    lines = [f"{len(rows)} verification claims over {len(paper_keys())} papers"]
    for key in paper_keys():
        mine = [r for r in rows if r["paper"] == key]
        labels = Counter(r["label"] for r in mine)
        gold = load_gold_claims(key) if (GOLD_DIR / f"{key}.jsonl").exists() else []
        lines.append(f"  {key}: {dict(labels)}; gold claims {len(gold)}")
    kinds = Counter((r["label"], r["kind"]) for r in rows)
    lines += [f"  {label} / {kind}: {n}" for (label, kind), n in sorted(kinds.items())]
    return "\n".join(lines)


def _macro_f1(pairs: list[tuple[str, str]]) -> float:
    f1s = []
    for label in sorted(LABELS):
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def _ece(rows: list[tuple[bool, float]], bins: int = 10) -> float:
    """Expected calibration error of the predicted label's confidence, equal-width bins."""
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(ok, c) for ok, c in rows if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            acc = sum(ok for ok, _ in inside) / len(inside)
            conf = sum(c for _, c in inside) / len(inside)
            total += len(inside) / len(rows) * abs(acc - conf)
    return total


def score(verdicts_path: Path) -> dict:
    """Accuracy, macro-F1 and ECE of a `claimlab verify --json` output on this set.

    Returns the overall figures, a confusion count (gold -> predicted) and accuracy per kind.
    """
    gold = {r["id"]: r for r in load_verify_claims()}
    preds = {r["id"]: r for r in _read_jsonl(verdicts_path) if r.get("id") in gold}
    ids = [i for i in gold if i in preds]
    missing = sorted(set(gold) - set(preds))
    pairs = [(gold[i]["label"], preds[i]["label"]) for i in ids]
    conf = [(gold[i]["label"] == preds[i]["label"], float(preds[i]["confidence"])) for i in ids]
    per_kind: dict[str, list[bool]] = {}
    for i in ids:
        g = gold[i]["label"]
        per_kind.setdefault(f"{g} / {gold[i]['kind']}", []).append(g == preds[i]["label"])
    return {
        "n": len(pairs),
        "missing": missing,
        "accuracy": round(sum(g == p for g, p in pairs) / max(1, len(pairs)), 3),
        "macro_f1": round(_macro_f1(pairs), 3),
        "ece": round(_ece(conf), 3) if conf else None,
        "confusion": {f"{g} -> {p}": n for (g, p), n in sorted(Counter(pairs).items())},
        "accuracy_per_kind": {k: round(sum(v) / len(v), 3) for k, v in sorted(per_kind.items())},
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="check or score a labelled set (default: held-out)")
    ap.add_argument("--root", type=Path, default=HERE, help="set folder (default bench/heldout)")
    ap.add_argument("--score", type=Path, default=None, help="`claimlab verify --json` output")
    args = ap.parse_args()
    set_root(args.root)
    if args.score:
        # --score VERDICTS.jsonl: score a `claimlab verify --json` output.
        print(json.dumps(score(args.score), indent=1))
        sys.exit(0)
    found = check()
    print(summary())
    for line in found:
        print("problem:", line)
    sys.exit(1 if found else 0)
