"""A deterministic stand-in run function for executor and sweep tests (not the pipeline).

Scores follow a known rule (intermediate training adds 5 points, each seed shifts by 0.1) so tests
can check that results are stored exactly once and survive restarts; ``FAKE_RUN_SLEEP`` slows each
run down so a test can kill a sweep mid-way.
"""

from __future__ import annotations

import os
import time

import numpy as np

from replicate.records import RunResult, RunSpec


def fake_run(spec: RunSpec) -> RunResult:
    """A RunResult whose numbers depend only on the spec."""
    time.sleep(float(os.environ.get("FAKE_RUN_SLEEP", "0")))
    if spec.target_task == "boom":
        raise RuntimeError("this target always fails")
    rng = np.random.default_rng(int(spec.run_id, 16) % 2**32)
    langs = spec.eval_languages or ("en", "sw", "qu")
    treated = bool(spec.intermediate_task or spec.intermediate_tasks)
    p = 0.5 + (0.05 if treated else 0.0) + 0.001 * spec.seed
    per_example = {lang: rng.binomial(1, p, size=50).astype(float).tolist() for lang in langs}
    scores = {lang: {"accuracy": 100 * float(np.mean(v))} for lang, v in per_example.items()}
    avg = float(np.mean([s["accuracy"] for s in scores.values()]))
    return RunResult(
        run_id=spec.run_id,
        spec=spec.model_dump(mode="json"),
        task=spec.target_task,
        scores=scores,
        average={"accuracy": avg},
        primary_metric="accuracy",
        per_example=per_example,
        timings={"pid": float(os.getpid())},
    )
