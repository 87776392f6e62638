"""A tiny grid end to end through a real Slurm cluster (started by scripts/slurm_up.sh in CI).

Skipped, with the reason, when ``sinfo`` is missing or no node is idle.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from replicate.executors import ExecutorSettings, GroupJob, sweep
from replicate.records import RunSpec
from replicate.results import ResultsStore
from replicate.study import load_study

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))
from fake_runs import fake_run  # noqa: E402


def _cluster_reason() -> str | None:
    if shutil.which("sinfo") is None:
        return "sinfo not found: no Slurm client installed (CI starts one with scripts/slurm_up.sh)"
    try:
        out = subprocess.run(
            ["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, timeout=10
        ).stdout.split()
    except (subprocess.SubprocessError, OSError) as exc:
        return f"sinfo failed: {exc}"
    if not any(state in ("idle", "mixed", "allocated") for state in out):
        return f"no Slurm node is up (sinfo states: {out or 'none'}); run scripts/slurm_up.sh"
    return None


_REASON = _cluster_reason()  # asked once: a down controller makes sinfo retry for seconds
pytestmark = [
    pytest.mark.slurm,
    pytest.mark.slow,
    pytest.mark.skipif(_REASON is not None, reason=str(_REASON)),
]

GRID = """
[study]
name = "slurm-tiny"
[grid]
models = ["m"]
intermediate_tasks = ["none", "snli"]
intermediate_caps = [8, 16]
target_tasks = ["xnli", "tatoeba"]
seeds = [0]
[executor]
kind = "slurm"
timeout_min = 3
mem_gb = 0.5
poll_s = 0.5
"""


@pytest.fixture(autouse=True)
def _job_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # sbatch exports the submitter's environment: the jobs import the test's run function from here.
    monkeypatch.setenv("PYTHONPATH", f"{TESTS}{os.pathsep}{REPO}")
    monkeypatch.chdir(REPO)


def test_tiny_grid_through_slurm_job_arrays(tmp_path: Path) -> None:
    spec_path = tmp_path / "s.toml"
    spec_path.write_text(GRID)
    spec = load_study(spec_path)
    summary = sweep(spec, tmp_path / "lib", run_fn=fake_run, show_progress=False)
    assert summary.failed == [] and summary.finished == 6 and summary.missing_after == 0
    with ResultsStore(tmp_path / "lib") as store:
        results = store.all()
        reference = {r.run_id: r.scores for r in results}
    assert len(results) == 6
    # Results equal an in-process run of the same grid: the cluster changed where, not what.
    sweep(spec, tmp_path / "ref", ExecutorSettings(), fake_run, show_progress=False)
    with ResultsStore(tmp_path / "ref") as store:
        assert {r.run_id: r.scores for r in store.all()} == reference
    # Three groups (baseline, snli@8, snli@16), one array task each, all through sbatch.
    logs = list((tmp_path / "lib" / "jobs").glob("*/*_submission.sh"))
    assert logs, "no submitit job folders: the runs did not go through Slurm"


def _attempt_states(job_id: str) -> list[str]:
    """The job's state per attempt, oldest first (``sacct -D``: a requeued job has one per run)."""
    return subprocess.run(
        ["sacct", "-j", job_id, "-D", "-n", "-X", "-o", "State"],
        capture_output=True,
        text=True,
    ).stdout.split()


def test_preempted_job_is_requeued_and_finishes(tmp_path: Path, monkeypatch) -> None:
    import submitit

    monkeypatch.setenv("FAKE_RUN_SLEEP", "4")
    library = str(tmp_path / "lib")
    specs = [RunSpec(model="m", seed=s).model_dump(mode="json") for s in range(3)]
    ex = submitit.AutoExecutor(folder=tmp_path / "jobs" / "%j", cluster="slurm")
    ex.update_parameters(timeout_min=3, mem_gb=0.5)
    job = ex.submit(GroupJob(), specs, library, fake_run)
    deadline = time.monotonic() + 60
    while job.state != "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2)
    job._interrupt()  # what Slurm sends on preemption: USR2 -> checkpoint -> requeue
    # Follow the job in Slurm's own accounting rather than submitit's cached state: while a
    # requeue is under way that cache can read the interrupted attempt's end (seen once under load)
    # and take the job for finished. Slurm holds a requeued job ~2 min before it may start again;
    # a test need not wait for that, so each pending poll asks it to start now.
    deadline = time.monotonic() + 240
    states = _attempt_states(job.job_id)
    while time.monotonic() < deadline and (not states or states[-1] != "COMPLETED"):
        if states and states[-1] == "PENDING":
            subprocess.run(
                ["scontrol", "update", f"JobId={job.job_id}", "StartTime=now"],
                check=False,
                capture_output=True,
            )
        time.sleep(1)
        states = _attempt_states(job.job_id)
    assert states and states[-1] == "COMPLETED", states
    assert "REQUEUED" in states or "PREEMPTED" in states, states
    job.result()  # the requeued attempt's result, through submitit
    with ResultsStore(library) as store:
        assert store.count() == 3


def test_real_pipeline_tiny_grid_through_slurm(tmp_path: Path, shared_data: Path) -> None:
    from tests.tiny_models import build_tiny_model, corpus_lines

    model = build_tiny_model(tmp_path / "tiny", corpus_lines(shared_data))
    spec_path = tmp_path / "real.toml"
    spec_path.write_text(
        f"""
[study]
name = "slurm-real"
[grid]
models = ["{model}"]
intermediate_tasks = ["none", "snli"]
intermediate_caps = [32]
target_tasks = ["xnli", "tatoeba"]
[shared]
intermediate_epochs = 1.0
target_cap = 32
target_epochs = 1.0
eval_cap = 20
learning_rate = 1e-3
batch_size = 8
grad_accum = 1
max_length = 48
[targets.xnli]
eval_languages = ["de", "sw"]
[targets.tatoeba]
eval_languages = ["de", "sw"]
[executor]
kind = "slurm"
timeout_min = 5
mem_gb = 2
poll_s = 1
"""
    )
    summary = sweep(load_study(spec_path), tmp_path / "lib", show_progress=False)
    assert summary.failed == [] and summary.finished == 4 and summary.missing_after == 0
    with ResultsStore(tmp_path / "lib") as store:
        results = store.all()
    assert {r.task for r in results} == {"xnli", "tatoeba"}
    for r in results:
        assert set(r.scores) == {"de", "sw"} and r.git_hash and r.timings["evaluate"] >= 0
        assert all(len(v) == 20 for v in r.per_example.values())
    # The jobs ran the real pipeline: prediction files in the official scorer's layout.
    assert all(Path(r.prediction_dir).is_dir() for r in results)
