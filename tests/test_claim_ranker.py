"""The learned check-worthiness model (synth.claim_ranker): loading, fallback, fitting, use."""

from __future__ import annotations

import pytest

from synth.claims import ClaimSettings, library_claims, score_claim
from tests.test_claims import _library_with

FINDING = "XLM-R outperforms mBERT on XNLI by 5.2 accuracy points."
PROCEDURE = "We use the Adam optimiser with a learning rate of 2e-5 for all runs."


def test_ranker_json_loads_and_scores(tmp_path):
    from synth.claim_ranker import FEATURE_VERSION, ClaimRanker, load_ranker, use_ranker
    from synth.claims import check_worthiness

    # A ranker as scripts/fit_claim_ranker.py writes it: weights by feature name, with meta.
    made = ClaimRanker(
        {"prior": 0.6, "outcome_verb": 0.4, "setup": -0.3, "number_unit": 0.2},
        -2.5,
        {"fitted_on": ["a", "b"], "date": "2026-11-26", "n": 100, "c": 0.03},
    )
    made.save(tmp_path / "claim_ranker.json")
    ranker = load_ranker(tmp_path / "claim_ranker.json")
    assert ranker is not None and ranker.weights == made.weights
    assert ranker.meta["feature_version"] == FEATURE_VERSION and ranker.meta["n"] == 100
    with use_ranker(ranker):
        finding = check_worthiness(FINDING, "5 Results", place={"position": 0.6})
        procedure = check_worthiness(PROCEDURE, "4 Experimental Setup", place={"position": 0.5})
    assert 0.0 <= procedure < finding <= 1.0
    assert finding != score_claim(FINDING, "5 Results")  # the model's probability, not the hand's


def test_ranker_falls_back_to_hand_weights(tmp_path):
    from synth.claim_ranker import (
        RANKER_PATH,
        active_ranker,
        load_ranker,
        ranker_identity,
        use_ranker,
    )
    from synth.claims import check_worthiness

    assert load_ranker(tmp_path / "absent.json") is None
    # None ships (it did not beat the hand weights by leave-one-paper-out): hand weights score.
    assert not RANKER_PATH.is_file() and active_ranker() is None
    assert ranker_identity() == "hand"
    assert check_worthiness(FINDING, "Results") == score_claim(FINDING, "Results")
    with use_ranker(None):
        assert check_worthiness(PROCEDURE, "Results") == score_claim(PROCEDURE, "Results")


def test_fit_save_load_and_leave_one_group_out(tmp_path):
    from synth.claim_ranker import ClaimRanker, fit_ranker, leave_one_group_out

    # A cue that marks claims in every paper, and one only paper "c" has.
    rows, labels, groups = [], [], []
    for g in ("a", "b", "c"):
        for i in range(30):
            y = int(i % 3 == 0)
            row = {"cue": float(y), "noise": float(i % 2)}
            if g == "c":
                row["only_c"] = 1.0
            rows.append(row)
            labels.append(y)
            groups.append(g)
    ranker = fit_ranker(rows, labels, c=1.0, meta={"fitted_on": ["a", "b", "c"]})
    assert ranker.probability({"cue": 1.0}) > 0.5 > ranker.probability({"cue": 0.0})
    ranker.save(tmp_path / "r.json")
    back = ClaimRanker.load(tmp_path / "r.json")
    assert back.weights == ranker.weights and back.identity() == ranker.identity()
    assert back.meta["fitted_on"] == ["a", "b", "c"]
    lopo = leave_one_group_out(rows, labels, groups, c=1.0)
    assert sorted(lopo) == ["a", "b", "c"]
    assert "only_c" not in lopo["c"].weights  # fitted without paper c: never saw its feature
    assert "only_c" in lopo["a"].weights
    # A file fitted on other features is refused, not misread.
    data = (tmp_path / "r.json").read_text().replace('"rank-', '"old-')
    (tmp_path / "old.json").write_text(data)
    with pytest.raises(ValueError, match="fitted on features"):
        ClaimRanker.load(tmp_path / "old.json")


def test_extraction_ranks_by_the_active_ranker_and_restores_on_change(tmp_path):
    from synth.claim_ranker import ClaimRanker, use_ranker

    lib = _library_with(
        tmp_path,
        [
            ("Our model improves XNLI accuracy by 3.1 points over XLM-R.", "5 Results", 3),
            (PROCEDURE, "4 Experimental Setup", 3),  # (in a results section set-up adds nothing)
        ],
    )
    settings = ClaimSettings(min_score=0.0, top=1)
    # A ranker that only likes the optimiser sentence's cue (set-up) puts it first.
    odd = ClaimRanker({"setup": 6.0, "numbers": -3.0}, -2.0, {"fitted_on": ["test"]})
    with use_ranker(odd):
        picked = library_claims(lib, settings=settings)
    assert [c.text for c in picked] == [PROCEDURE]
    # Stored claims are keyed by the scoring model: back to the hand weights re-extracts.
    shipped = library_claims(lib, settings=settings)
    assert [c.text for c in shipped] == [
        "Our model improves XNLI accuracy by 3.1 points over XLM-R."
    ]
    assert 0.0 <= shipped[0].score <= 1.0
