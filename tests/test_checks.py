"""Claim -> experiment mapping for each of the seed report's 16 claims, and a check run end to end."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from replicate.checks import (
    UNTESTABLE,
    CheckContext,
    _clauses,
    plan_claim,
    realise,
    run_checks,
    task_name,
)
from replicate.results import ResultsStore
from replicate.stats import INCONCLUSIVE, NOT_REPLICATED, REPLICATED, StatsSettings

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from fake_runs import fake_run  # noqa: E402

SEED = TESTS.parent.parent / "shared" / "seed" / "000_fea3552473fb1e67.txt"


def seed_claims() -> list[str]:
    """The 16 claims of the seed's 'Extracted Claims' table, exactly as printed (truncated)."""
    table = SEED.read_text(encoding="utf-8").split("5 Extracted Claims")[1].split("References")[0]
    return [line.split("\t")[0] for line in table.strip().splitlines()[1:] if line.strip()]


# claim number -> (testable, check ids, targets, directions, magnitudes) or (False, reason needle)
EXPECTED_TESTABLE = {
    1: (
        ["c1:squad", "c1:mnli", "c1:hellaswag"],
        ("bucc2018", "tatoeba"),
        {1},
        [8.2, 7.5, 7.0],
    ),
    2: (["c2"], ("bucc2018", "tatoeba"), {1}, [8.7]),
    4: (
        ["c4:mnli:tydiqa", "c4:mnli:xnli", "c4:squad:tydiqa", "c4:squad:xnli"],
        None,
        {1, 0},
        [None, None, None, None],
    ),
}
EXPECTED_UNTESTABLE = {
    3: "truncates the claim before its predicate",
    5: "best intermediate task chosen per target",
    6: "continued multilingual MLM",
    **{n: "describes the method" for n in range(7, 17)},
}


@pytest.fixture(scope="module")
def claims() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"seed report not found at {SEED}")
    found = seed_claims()
    assert len(found) == 16
    return found


@pytest.mark.parametrize("number", range(1, 17))
def test_each_seed_claim_maps_to_checks_or_a_reason(claims: list[str], number: int) -> None:
    checks = plan_claim(f"c{number}", claims[number - 1])
    if number in EXPECTED_UNTESTABLE:
        assert len(checks) == 1
        check = checks[0]
        assert not check.testable and check.verdict == UNTESTABLE
        assert EXPECTED_UNTESTABLE[number] in check.reason
        return
    ids, targets, directions, mags = EXPECTED_TESTABLE[number]
    assert [c.claim_id for c in checks] == ids
    assert all(c.testable for c in checks)
    if targets:
        assert {c.target_tasks for c in checks} == {targets}
    assert {c.expected_direction for c in checks} == directions
    assert [c.expected_magnitude for c in checks] == mags


def test_claim_one_arms_come_from_the_text_and_claim_two_is_multitask(claims) -> None:
    c1 = plan_claim("c1", claims[0])
    assert [c.treatment for c in c1] == [
        {"intermediate_task": "squad"},
        {"intermediate_task": "mnli"},
        {"intermediate_task": "hellaswag"},
    ]
    (c2,) = plan_claim("c2", claims[1])
    assert len(c2.treatment["intermediate_tasks"]) == 9
    # TyDiQA is expected to improve, XNLI to see no benefit.
    by_target = {c.target_tasks[0]: c.expected_direction for c in plan_claim("c4", claims[3])}
    assert by_target == {"tydiqa": 1, "xnli": 0}


def test_automatic_parse_without_the_mapping_file() -> None:
    text = "Intermediate training on SQuAD and MNLI improves XNLI by 2.1 and 1.5 points."
    checks = plan_claim("x", text, mapping=[])
    assert [(c.treatment["intermediate_task"], c.expected_magnitude) for c in checks] == [
        ("squad", 2.1),
        ("mnli", 1.5),
    ]
    assert all(c.target_tasks == ("xnli",) for c in checks)
    clauses = _clauses("TyDiQA improves with MNLI, whereas XNLI does not see benefits from it")
    assert clauses == [(["tydiqa"], 1), (["xnli"], 0)]
    assert task_name("BUCC") == "bucc2018" and task_name("Tatoeba") == "tatoeba"
    assert not plan_claim("y", "We use XLM-R Large for all experiments.", mapping=[])[0].testable


def test_realise_states_differences_and_drops_what_cannot_run(claims, shared_data) -> None:
    ctx = CheckContext("offline:multilingual-e5-small", 6, 256, (0, 1), {"eval_cap": 50}, {})
    squad, _mnli, hellaswag = plan_claim("c1", claims[0])
    real, ok = realise(squad, ctx)
    assert ok and real.target_tasks == ("tatoeba",)
    text = " | ".join(real.differences)
    for needle in ("bucc2018 dropped", "mlqa", "xlm-roberta-large", "first 6", "capped at 256"):
        assert needle in text
    _, ok = realise(hellaswag, ctx)
    assert not ok


def test_checks_run_end_to_end_with_an_injected_run_function(tmp_path, claims, shared_data):
    ctx = CheckContext("m", None, 64, (0, 1, 2), {"eval_cap": 50}, {})
    planned = plan_claim("c4", claims[3]) + plan_claim("c7", claims[6])
    stats = StatsSettings(n_boot=300, n_permutations=199)
    done = run_checks(planned, ctx, tmp_path, run_fn=fake_run, stats=stats, show_progress=False)
    by_id = {c.claim_id: c for c in done}
    assert by_id["c7"].verdict == UNTESTABLE
    assert by_id["c4:mnli:tydiqa"].verdict == "UNTESTED"  # no TyDiQA data offline
    xnli = by_id["c4:mnli:xnli"]
    assert xnli.verdict in (REPLICATED, NOT_REPLICATED, INCONCLUSIVE)
    assert xnli.ci_low <= xnli.effect <= xnli.ci_high and len(xnli.run_ids) == 6
    with ResultsStore(tmp_path) as store:
        assert {c.claim_id for c in store.checks()} == set(by_id)
        # Both XNLI checks share one baseline arm: 3 baseline + 2 x 3 treatment runs.
        assert store.count() == 9


def test_check_and_results_cli_json(tmp_path: Path, claims, shared_data) -> None:
    import json
    import os
    import subprocess

    spec = tmp_path / "s.toml"
    spec.write_text(
        '[study]\nname="cli"\n[grid]\nmodels=["m"]\nintermediate_tasks=["none","snli"]\n'
        'intermediate_caps=[64]\ntarget_tasks=["xnli"]\nseeds=[0,1]\n[shared]\neval_cap=50\n'
    )
    lines = [json.dumps({"id": f"c{i}", "claim": c}) for i, c in enumerate(claims, 1)]
    (tmp_path / "claims.jsonl").write_text("\n".join(lines + ["not json"]) + "\n")
    env = {**os.environ, "PYTHONPATH": f"{TESTS}{os.pathsep}{TESTS.parent}"}
    lib = ["--library", str(tmp_path / "lib")]
    base = [sys.executable, "-m", "claimlab", "replicate"]
    out = subprocess.run(
        [*base, "check", str(tmp_path / "claims.jsonl"), "--spec", str(spec), *lib,
         "--run-fn", "fake_runs:fake_run", "--json"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "claims.jsonl:17" in out.stderr  # the bad line is named, the batch went on
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert {r["claim_id"] for r in rows} >= {"c1:squad", "c3", "c4:mnli:xnli", "c16"}
    assert all(r["differences"] for r in rows if r["claim_id"] == "c4:mnli:xnli")
    res = subprocess.run(
        [*base, "results", *lib, "--json"], capture_output=True, text=True, env=env, timeout=120
    )
    payload = json.loads(res.stdout)
    # xnli: baseline, mnli, squad; tatoeba: baseline, squad, mnli, multi-task; two seeds each
    assert len(payload["runs"]) == 14 and payload["robustness"]["rows"]
    assert {c["claim_id"] for c in payload["checks"]} == {r["claim_id"] for r in rows}
