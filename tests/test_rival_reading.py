"""bench/rival_reading.py: which claims a widened reading of lower candidates' checks flags."""

from __future__ import annotations

from bench.rival_reading import Rule, flagged, tally


def _cand(cos: float, cov: float, same: bool = True, **checks: float) -> dict:
    base = {"negation": 0.0, "direction": 0.0, "degree": 0.0, "quantifier": 0.0}
    return {"cos": cos, "cov": cov, "same": same, **base, **checks}


def _record(cid: str, label: str, cands: list[dict], source: str = "retired") -> dict:
    return {"id": cid, "label": label, "source": source, "cands": cands}


def test_flagged_reads_a_lower_candidate_only_within_the_rule():
    best = _cand(0.8, 0.5)
    flip = _cand(0.7, 0.4, direction=1.0)
    rec = _record("a", "REFUTES", [best, flip])
    assert flagged(rec, Rule()) is flip
    assert flagged(rec, Rule(margin=0.05)) is None  # 0.1 below the best's cosine
    assert flagged(rec, Rule(share=0.9)) is None  # 0.4 of the best's 0.5 cover
    assert flagged(rec, Rule(k=1)) is None  # the best alone
    assert flagged(rec, Rule(checks=("negation",))) is None
    other = _record("b", "REFUTES", [best, _cand(0.7, 0.4, same=False, direction=1.0)])
    assert flagged(other, Rule()) is None
    assert flagged(other, Rule(same_paper=False)) is not None
    # The best fires itself: the checks read it already, nothing to widen.
    assert flagged(_record("c", "REFUTES", [_cand(0.8, 0.5, negation=1.0), flip]), Rule()) is None
    # A parity-only negation (0.5) is no full-strength check.
    assert flagged(_record("d", "REFUTES", [best, _cand(0.8, 0.5, negation=0.5)]), Rule()) is None


def test_tally_splits_catches_from_false_alarms():
    flip = [_cand(0.8, 0.5), _cand(0.75, 0.5, direction=1.0)]
    records = [
        _record("r1", "REFUTES", flip),
        _record("s1", "SUPPORTS", flip),
        _record("s2", "SUPPORTS", flip, source="generated"),
        _record("n1", "NOT ENOUGH INFO", [_cand(0.8, 0.5), _cand(0.8, 0.5)]),  # nothing fires
        _record("gone", "REFUTES", flip),  # no out-of-fold prediction
    ]
    oof = {
        "r1": {"pred": "SUPPORTS"},
        "s1": {"pred": "SUPPORTS"},
        "s2": {"pred": "REFUTES"},
        "n1": {"pred": "NOT ENOUGH INFO"},
    }
    assert tally(records, oof, Rule()) == {"WR-": 1, "WS+": 1, "GS-": 1}
