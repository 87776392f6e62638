from replicate.records import ClaimCheck, RunResult, RunSpec
from replicate.results import ResultsStore


def test_put_get_idempotent(library_dir):
    spec = RunSpec(target_task="xnli", seed=1)
    res = RunResult(
        run_id=spec.run_id,
        spec=spec.model_dump(mode="json"),
        task="xnli",
        scores={"sw": {"accuracy": 40.0}, "ur": {"accuracy": 38.5}},
        average={"accuracy": 39.25},
        primary_metric="accuracy",
    )
    store = ResultsStore(library_dir)
    store.put(res)
    store.put(res)
    assert store.count() == 1
    assert store.get(spec.run_id).scores["ur"]["accuracy"] == 38.5
    assert {r["lang"] for r in store.score_rows()} == {"sw", "ur"}
    store.put_check(ClaimCheck(claim_id="c1", claim="x", testable=False, reason="method"))
    assert store.checks()[0].reason == "method"
    # Spec hash is stable and sensitive to every field.
    assert RunSpec(target_task="xnli", seed=1).run_id == spec.run_id
    assert RunSpec(target_task="xnli", seed=2).run_id != spec.run_id
