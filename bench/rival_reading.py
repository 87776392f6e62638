"""Before widening what the checks read: how many claims would a check on a lower candidate flag?

The verifier's direction, negation, degree and quantifier checks read the best-aligned candidate
(``Verifier.features``); the next ones count only through the cover-weighted ``conflict_top`` and
``conflict_deep``. A refuted claim's gold sentence is often a lower candidate, so reading the
checks there more fully looks like a catch, but the same checks fire on the lower candidates of
supported claims too. This bench counts both sides for a rule of the form "a candidate among the
first K, within MARGIN of the best's cosine, holding at least SHARE of the best's cover, of the
best's paper (any paper with --any-paper), fires CHECK at full strength while the best fires none",
by source (written / generated), label and whether the out-of-fold prediction is right: a
flagged right SUPPORTS or NOT ENOUGH INFO claim is a false alarm that costs what a flagged wrong
REFUTES claim gains.

    .venv/bin/python bench/rival_reading.py dump --library DIR --claims DUMP.npz OUT.jsonl
    .venv/bin/python bench/rival_reading.py count OUT.jsonl OOF.jsonl [--checks direction,negation]
        [--k 11] [--margin 1.0] [--share 0.5] [--any-paper]

``dump``: each claim's candidates (``Verifier.candidates``, ranked by ``Verifier.ranked``) with
the checks of ``synth.comparisons.word_checks`` against each, read alone; the claims are those of
a keep_rule dump (``--claims``: its ``ids``, ``claim``, ``y``, ``kind``, ``source``) and any claim of
the retired sets it lacks; ``--library``: a library holding their papers (the dump's own is
temporary: build one with synth.calibration_data.library_from_papers and add_dev_set). Claims
whose own paper the dump excluded (``unaddressed`` ids ending in "x") are left out. ``OOF``: the
out-of-fold predictions of ``keep_rule.py oof``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WRITTEN = ("handwritten", "dev", "retired")
CHECKS = ("negation", "direction", "degree", "quantifier")


@dataclass(frozen=True)
class Rule:
    """Which lower candidates' checks a widened reading would read."""

    checks: tuple[str, ...] = CHECKS
    k: int = 11  # candidates (the best included) read
    margin: float = 1.0  # cosine below the best's a candidate may have
    share: float = 0.5  # of the best's cover a candidate must hold
    same_paper: bool = True


def fires(cand: dict, checks: tuple[str, ...] = CHECKS) -> bool:
    """A check at full strength on one candidate read alone."""
    return any(cand[c] >= 1.0 for c in checks)


def flagged(record: dict, rule: Rule) -> dict | None:
    """The first lower candidate the rule reads whose check fires, when the best fires none."""
    cands = record["cands"]
    if not cands or fires(cands[0]):
        return None
    best = cands[0]
    for c in cands[1 : rule.k]:
        if (
            (c["same"] or not rule.same_paper)
            and c["cos"] >= best["cos"] - rule.margin
            and c["cov"] >= rule.share * best["cov"]
            and fires(c, rule.checks)
        ):
            return c
    return None


def tally(records: list[dict], oof: dict[str, dict], rule: Rule) -> Counter:
    """Flagged claims by "W"/"G" (written / generated), label initial and "+"/"-" (the
    out-of-fold prediction right / wrong): WR- are the catches, WS+ and WN+ the false alarms."""
    out: Counter = Counter()
    for r in records:
        pred = oof.get(r["id"], {}).get("pred")
        if pred is None or flagged(r, rule) is None:
            continue
        source = "W" if r["source"] in WRITTEN else "G"
        out[f"{source}{r['label'][0]}{'+' if pred == r['label'] else '-'}"] += 1
    return out


def dump(library: str, claims_npz: str, out: str, limit: int = 0) -> None:
    sys.path.insert(0, str(REPO))
    import numpy as np

    from synth.calibration_data import RETIRED_HELDOUT
    from synth.comparisons import comparison_core, sides_missing, word_checks
    from synth.library import Library
    from synth.search import content_words
    from synth.textchecks import facts
    from synth.verify import Verifier

    z = np.load(claims_npz)
    claims = {
        str(i): (str(c), str(y), str(k), str(s) if s in WRITTEN else "generated")
        for i, c, y, k, s in zip(z["ids"], z["claim"], z["y"], z["kind"], z["source"], strict=True)
        if not (k == "unaddressed" and str(i).endswith("x"))
    }
    for name in RETIRED_HELDOUT:
        for line in (REPO / "bench" / name / "verify_claims.jsonl").read_text().splitlines():
            d = json.loads(line) if line.strip() else None
            if d and d["id"] not in claims:
                claims[d["id"]] = (d["claim"], d["label"], d.get("kind", ""), "retired")
    lib = Library(library)
    v = Verifier(lib)
    with open(out, "w") as fh:
        for cid in sorted(claims)[: limit or None]:
            claim, label, kind, source = claims[cid]
            qvec = v.searcher.embedder.encode([claim])[0]
            human = [e for e in v.candidates(claim, qvec) if not e.machine_generated]
            if not human:
                continue
            cf, core = facts(claim), comparison_core(claim)
            ranked = v.ranked(cf, content_words(claim), human, qvec)
            pid = ranked[0][5].paper_id
            cands = []
            for _, cos, cover, _, num_conflict, e, ef in ranked:
                words = v.known.expanded(e.paper_id, ef.stems) if core else ef.stems
                checks = word_checks(cf, ef, core, words)
                cands.append({
                    "same": e.paper_id == pid, "cos": round(cos, 4), "cov": round(cover, 4),
                    "num_conflict": num_conflict,
                    "sides_missing": sides_missing(core, words) if core else None,
                    **{c: round(checks[c], 3) for c in CHECKS}, "text": e.text,
                })  # fmt: skip
            row = {"id": cid, "claim": claim, "label": label, "kind": kind, "source": source}
            fh.write(json.dumps({**row, "core": core is not None, "cands": cands}) + "\n")
    lib.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.add_argument("--library", required=True)
    d.add_argument("--claims", required=True)
    d.add_argument("--limit", type=int, default=0, help="the first N claims only (a smoke test)")
    c = sub.add_parser("count")
    c.add_argument("records")
    c.add_argument("oof")
    c.add_argument("--checks", default=",".join(CHECKS))
    c.add_argument("--k", type=int, default=11)
    c.add_argument("--margin", type=float, default=1.0)
    c.add_argument("--share", type=float, default=0.5)
    c.add_argument("--any-paper", action="store_true", help="read other papers' candidates too")
    a = ap.parse_args()
    if a.cmd == "dump":
        dump(a.library, a.claims, a.out, a.limit)
        return
    records = [json.loads(line) for line in Path(a.records).read_text().splitlines() if line]
    oof = {r["id"]: r for r in map(json.loads, Path(a.oof).read_text().splitlines())}
    rule = Rule(tuple(a.checks.split(",")), a.k, a.margin, a.share, not a.any_paper)
    counts = tally(records, oof, rule)
    print(rule)
    print(" ".join(f"{key}:{n}" for key, n in sorted(counts.items())))
    catches = counts["WR-"]
    alarms = counts["WS+"] + counts["WN+"]
    print(f"written catches (WR-) {catches}, false alarms on right claims (WS+ WN+) {alarms}")


if __name__ == "__main__":
    main()
