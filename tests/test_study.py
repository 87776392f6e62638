"""Study specs, grid expansion, sweeps that survive being killed, and concurrent writers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from multiprocessing import get_context
from pathlib import Path

import pytest

from replicate.executors import ExecutorSettings, run_group, sweep
from replicate.records import RunSpec
from replicate.results import ResultsStore
from replicate.study import BASELINE, StudySpec, group_runs, load_study

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))
from fake_runs import fake_run  # noqa: E402

GRID_TOML = """
[study]
name = "t"
[grid]
models = ["m1", "m2"]
num_layers = [2, 4]
intermediate_tasks = ["none", "snli", "snli+socialiqa"]
intermediate_caps = [16, 64]
target_tasks = ["xnli", "tatoeba"]
seeds = [0, 1]
[shared]
eval_cap = 10
[targets.tatoeba]
eval_languages = ["swh", "tel"]
"""


def _write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_grid_expansion_counts_dedup_and_overrides(tmp_path: Path) -> None:
    spec = load_study(_write(tmp_path, GRID_TOML))
    runs = spec.expand()
    # 2 models x 2 sizes x (1 baseline + 2 tasks x 2 caps) x 2 targets x 2 seeds
    assert len(runs) == 2 * 2 * (1 + 2 * 2) * 2 * 2
    assert len({r.run_id for r in runs}) == len(runs)
    baselines = [r for r in runs if r.intermediate_task is None and not r.intermediate_tasks]
    assert all(r.intermediate_cap is None for r in baselines)
    assert len(baselines) == 2 * 2 * 2 * 2
    multi = [r for r in runs if r.intermediate_tasks]
    assert {r.intermediate_tasks for r in multi} == {("snli", "socialiqa")}
    assert {r.eval_languages for r in runs if r.target_task == "tatoeba"} == {("swh", "tel")}
    assert {r.eval_languages for r in runs if r.target_task == "xnli"} == {()}
    assert all(r.eval_cap == 10 for r in runs)


def test_runs_sharing_an_intermediate_phase_are_adjacent(tmp_path: Path) -> None:
    runs = load_study(_write(tmp_path, GRID_TOML)).expand()
    groups = group_runs(runs)
    # Each intermediate phase serves both target tasks: groups of exactly 2.
    assert all(len(g) == 2 and {r.target_task for r in g} == {"xnli", "tatoeba"} for g in groups)
    keys = [json.dumps(r.intermediate_key(), sort_keys=True, default=list) for r in runs]
    seen_done: set[str] = set()
    for prev, key in zip(keys, keys[1:], strict=False):
        if key != prev:
            assert key not in seen_done, "a group was split"
            seen_done.add(prev)


@pytest.mark.parametrize(
    "bad, needle",
    [
        ("[grid]\ntarget_tasks=['xnli']\nbogus=1\n", "bogus"),
        ("[grid]\ntarget_tasks=['xnli']\n[shared]\nlearning_rat=1e-5\n", "learning_rat"),
        ("[grid]\ntarget_tasks=['xnli']\n[shared]\nseed=3\n", "grid axes"),
        ("[grid]\ntarget_tasks=['xnli']\nintermediate_caps=[0]\n", "positive"),
        ("[grid]\ntarget_tasks=[\n", "s.toml"),
    ],
)
def test_bad_specs_give_one_line_naming_the_problem(tmp_path: Path, bad: str, needle: str) -> None:
    path = _write(tmp_path, '[study]\nname="x"\n' + bad)
    with pytest.raises(ValueError) as err:
        load_study(path)
    assert needle in str(err.value)
    assert str(path) in str(err.value)


def test_baseline_name_and_spec_hash_is_stable(tmp_path: Path) -> None:
    a = load_study(_write(tmp_path, GRID_TOML, "a.toml"))
    b = load_study(_write(tmp_path, GRID_TOML, "b.toml"))
    assert a.settings_hash() == b.settings_hash()
    assert BASELINE == "none"
    assert isinstance(a, StudySpec)


SMALL_TOML = """
[study]
name = "small"
[grid]
models = ["m"]
intermediate_tasks = ["none", "snli"]
intermediate_caps = [8, 16]
target_tasks = ["xnli", "tatoeba"]
seeds = [0, 1]
"""


def _snapshot(library: Path) -> dict[str, dict]:
    with ResultsStore(library) as store:
        rows = store.conn.execute("SELECT run_id, count(*) FROM runs GROUP BY run_id").fetchall()
        assert all(r[1] == 1 for r in rows)
        return {r.run_id: r.scores for r in store.all()}


def test_sweep_in_process_then_nothing_left(tmp_path: Path) -> None:
    spec = load_study(_write(tmp_path, SMALL_TOML))
    first = sweep(spec, tmp_path / "lib", run_fn=fake_run, show_progress=False)
    assert (first.total, first.finished, first.missing_after) == (12, 12, 0)
    again = sweep(spec, tmp_path / "lib", run_fn=fake_run, show_progress=False)
    assert (again.already_done, again.finished) == (12, 0)
    with ResultsStore(tmp_path / "lib") as store:
        assert store.count() == 12
        assert store.studies()[0]["name"] == "small"


def test_failing_runs_are_reported_and_the_rest_stored(tmp_path: Path) -> None:
    spec = load_study(_write(tmp_path, SMALL_TOML.replace('"tatoeba"', '"boom"')))
    summary = sweep(spec, tmp_path / "lib", run_fn=fake_run, show_progress=False)
    assert summary.finished == 6 and len(summary.failed) == 6 and summary.missing_after == 6
    assert all("always fails" in msg for _, msg in summary.failed)


def _cli(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "claimlab", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_sweep_killed_mid_way_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    spec_path = _write(tmp_path, SMALL_TOML)
    env = {**os.environ, "PYTHONPATH": f"{TESTS}{os.pathsep}{REPO}", "FAKE_RUN_SLEEP": "0.4"}
    args = ["replicate", "sweep", str(spec_path), "--run-fn", "fake_runs:fake_run"]
    killed_lib = tmp_path / "killed"
    proc = _cli([*args, "--library", str(killed_lib)], env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once a few, but not all, results are stored
        if (killed_lib / "results.sqlite").exists():
            with ResultsStore(killed_lib) as store:
                if store.count() >= 3:
                    break
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with ResultsStore(killed_lib) as store:
        partial = store.count()
    assert 3 <= partial < 12
    rerun = _cli([*args, "--library", str(killed_lib)], env)
    out, _ = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, out
    fresh = _cli([*args, "--library", str(tmp_path / "fresh")], {**env, "FAKE_RUN_SLEEP": "0"})
    out2, _ = fresh.communicate(timeout=120)
    assert fresh.returncode == 0, out2
    resumed, uninterrupted = _snapshot(killed_lib), _snapshot(tmp_path / "fresh")
    assert len(resumed) == 12
    assert resumed == uninterrupted


def _writer(library: str, start: int, n: int) -> int:
    specs = [RunSpec(model="m", seed=s).model_dump(mode="json") for s in range(start, start + n)]
    return len(run_group(specs, library, fake_run).finished)


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    library = str(tmp_path / "lib")
    ResultsStore(library).close()  # schema first, so the writers only race on data
    ctx = get_context("spawn")
    with ctx.Pool(4) as pool:
        counts = pool.starmap(_writer, [(library, i * 25, 25) for i in range(4)])
    assert counts == [25, 25, 25, 25]
    with ResultsStore(library) as store:
        assert store.count() == 100
        pids = {r.timings["pid"] for r in store.all()}
        assert len(pids) >= 2  # really written by several processes


def test_subprocess_executor_runs_the_grid(tmp_path: Path) -> None:
    spec = load_study(_write(tmp_path, SMALL_TOML))
    settings = ExecutorSettings(kind="subprocess", workers=2, poll_s=0.2)
    summary = sweep(spec, tmp_path / "lib", settings, run_fn=fake_run, show_progress=False)
    assert (summary.finished, summary.missing_after, summary.failed) == (12, 0, [])
    assert _snapshot(tmp_path / "lib") == _snapshot_inprocess(tmp_path, spec)


def _snapshot_inprocess(tmp_path: Path, spec: StudySpec) -> dict[str, dict]:
    sweep(spec, tmp_path / "ref", run_fn=fake_run, show_progress=False)
    return _snapshot(tmp_path / "ref")


def test_processes_opening_a_new_store_at_once_all_write(tmp_path: Path) -> None:
    library = str(tmp_path / "fresh")  # no schema yet: the writers race on the migration too
    ctx = get_context("spawn")
    for _ in range(3):
        with ctx.Pool(4) as pool:
            counts = pool.starmap(_writer, [(library, i * 3, 3) for i in range(4)])
        assert counts == [3, 3, 3, 3]
        with ResultsStore(library) as store:
            assert store.count() == 12
        library += "x"
