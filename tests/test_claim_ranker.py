"""The learned check-worthiness model (synth.claim_ranker): loading, fallback, fitting, use."""

from __future__ import annotations

import math

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
    # One ships (synth/claim_ranker.json): it scores; use_ranker(None) gives the hand weights.
    shipped = load_ranker()
    assert RANKER_PATH.is_file() and shipped is not None and active_ranker() is shipped
    assert ranker_identity() == shipped.identity() != "hand"
    assert len(shipped.meta["fitted_on"]) >= 79 and 0 < shipped.listing_line < 0.5
    with use_ranker(None):
        assert ranker_identity() == "hand"
        assert check_worthiness(FINDING, "Results") == score_claim(FINDING, "Results")
        assert check_worthiness(PROCEDURE, "Results") == score_claim(PROCEDURE, "Results")
    # The shipped model ranks a measured finding above a set-up sentence, both over its line.
    assert check_worthiness(FINDING, "5 Results") > check_worthiness(PROCEDURE, "5 Results")
    assert check_worthiness(FINDING, "5 Results") > 0.5


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


def test_ranker_features_hold_the_hand_logit_and_place_by_section_kind():
    import math

    from synth.claim_ranker import ranker_features, use_ranker
    from synth.claim_scoring import check_worthiness, score_parts

    text = "Our results show that the adapters close most of the gap to full fine-tuning."
    for place in ({"section_position": 0.0, "section_first": 1.0}, {"section_position": 1.0}):
        parts = score_parts(text, "1 Introduction")
        feats = ranker_features(text, parts, place)
        # The prior is the hand logit with its place step: the hand score is one setting.
        with use_ranker(None):
            hand = check_worthiness(text, "1 Introduction", place=place)
        assert abs(1 / (1 + math.exp(-feats["prior"])) - hand) < 1e-4
    # Where it sits, read per section kind: first (-1) to last (+1) of its introduction.
    first = ranker_features(text, parts, {"section_position": 0.0, "section_first": 1.0})
    assert first["section_position:introduction"] == -1.0
    assert first["section_first:introduction"] == 1.0
    last = ranker_features(text, parts, {"section_position": 1.0})
    assert last["section_position:introduction"] == 1.0 and "section_first:introduction" not in last
    assert not any(k.startswith("section_position:") for k in ranker_features(text, parts))


def test_ranker_score_is_one_half_at_its_listing_line(tmp_path):
    from synth.claim_ranker import ClaimRanker

    ranker = ClaimRanker({"cue": 2.0}, -3.0, {"fitted_on": ["x"]}, listing_line=0.05)
    plain = ClaimRanker({"cue": 2.0}, -3.0, {"fitted_on": ["x"]})
    # Scored 0.5 where the probability is the line; ranked as the probability ranks.
    line_feats = {"cue": (math.log(0.05 / 0.95) + 3.0) / 2.0}
    assert abs(ranker.probability(line_feats) - 0.05) < 1e-9
    assert abs(ranker.score(line_feats) - 0.5) < 1e-9
    assert ranker.score({"cue": 0.0}) < ranker.score({"cue": 1.0}) < ranker.score({"cue": 2.0})
    assert plain.score({"cue": 1.0}) == plain.probability({"cue": 1.0})
    assert ranker.identity() != plain.identity()  # stored claims re-extract when the line moves
    ranker.save(tmp_path / "r.json")
    back = ClaimRanker.load(tmp_path / "r.json")
    assert back.listing_line == 0.05 and back.identity() == ranker.identity()


def test_fit_reads_every_listed_set_by_name_and_never_the_held_out_ones():
    from scripts.fit_claim_ranker import gold_sets
    from synth.calibration_data import RETIRED_HELDOUT

    names = [gold.parent.name for _, gold, _ in gold_sets()]
    assert {"dev", "dev_more", *RETIRED_HELDOUT} <= set(names)
    assert "heldout22" not in names and "heldout23" not in names
    assert [g.parent.name for _, g, _ in gold_sets(retired=False)] == names[:2]


def test_listing_line_is_the_highest_that_keeps_recall_at_the_budget():
    from scripts.fit_claim_ranker import Dataset, choose_line, recall_at_budget

    # One paper, 50 units: 10 listed by readers, 8 of them at probability >= 0.3, two at 0.04.
    data = Dataset(gold={"p": 10}, prose={"p": 50})
    probs = []
    for i in range(50):
        listed = i < 10
        data.rows.append({})
        data.labels.append(int(listed))
        data.groups.append("p")
        data.covers.append(frozenset({i}) if listed else frozenset())
        probs.append((0.6 if i < 8 else 0.04) if listed else 0.01 + 0.001 * i)
    assert recall_at_budget(data, probs, "p") == (10, 40, 10)  # the floor lists 40 of 50
    assert recall_at_budget(data, probs, "p", 0.3) == (8, 8, 10)
    line, table = choose_line(data, probs)
    assert line == 0.03  # 0.05 would drop the two listed at 0.04
    assert {t["line"] for t in table} >= {0.03, 0.05, 0.5}


def test_the_calibrators_labelled_set_keeps_the_hand_weights(tmp_path):
    from synth.claim_ranker import ClaimRanker, use_ranker
    from synth.labelled import build_labelled_set

    lib = _library_with(
        tmp_path,
        [
            ("Our model improves XNLI accuracy by 3.1 points over XLM-R.", "5 Results", 3),
            (PROCEDURE, "4 Experimental Setup", 3),
        ],
    )
    settings = ClaimSettings(min_score=0.5, top=1)
    with use_ranker(None):
        hand = [(e.example_id, e.claim) for e in build_labelled_set(lib, settings)]
    # A ranker that would pick the set-up sentence does not move the verifier's fitting data.
    odd = ClaimRanker({"setup": 6.0, "numbers": -3.0}, -2.0, {"fitted_on": ["test"]})
    with use_ranker(odd):
        assert [(e.example_id, e.claim) for e in build_labelled_set(lib, settings)] == hand
    assert hand and all("Adam" not in claim for _, claim in hand)


def test_a_ranker_lists_nothing_the_hand_weights_would_not():
    """The hand weights gate what may be listed (HAND_GATE); the model orders what they let by."""
    from synth.claim_ranker import ClaimRanker, use_ranker
    from synth.claim_scoring import HAND_GATE, check_worthiness, score_parts

    instruction = "You should recompile the paper and check that every figure fits the margins."
    # A model that would list instructions to the reader and drop findings.
    odd = ClaimRanker({"instruction": 8.0, "outperforms": -8.0}, 0.0, {"fitted_on": ["test"]})
    with use_ranker(None):
        hand_instruction = check_worthiness(instruction, "2 General Instructions")
        hand_finding = check_worthiness(FINDING, "5 Results")
    assert "instruction" in score_parts(instruction, "2 General Instructions")
    assert hand_instruction < HAND_GATE <= hand_finding
    with use_ranker(odd):
        # Under the hand line it scores no higher than the hand weights do: not listed.
        assert check_worthiness(instruction, "2 General Instructions") == hand_instruction
        # Over it the model's score stands, even where it drops the unit under its own line.
        learned = check_worthiness(FINDING, "5 Results")
        assert learned < 0.5 and learned != hand_finding
