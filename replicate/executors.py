"""Executors: run a sweep's missing runs in-process, in local subprocesses, or on Slurm via submitit.

The unit of work is a *group*: the runs that share one intermediate phase (see
``replicate.study.group_runs``). A group runs its targets one after another, so the intermediate
model is trained once and reused; different groups run in parallel. Every job writes each finished
run straight into the results store (SQLite in WAL mode with a busy timeout, one transaction per
run), so jobs running at once lose nothing, and a re-run job skips what is stored: this is what
makes a killed sweep, a cancelled job and a requeued (preempted) Slurm job all safe to restart.

``run_fn`` is any picklable ``run_fn(spec: RunSpec) -> RunResult``; the default is the real pipeline
(``replicate.pipeline.run_pipeline``).
"""

from __future__ import annotations

import importlib
import multiprocessing
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import submitit
from pydantic import Field
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from replicate.records import RunResult, RunSpec
from replicate.results import ResultsStore
from replicate.study import SweepPlan, group_runs
from synth.settings import Settings

RunFn = Callable[[RunSpec], RunResult]


class ExecutorSettings(Settings):
    """How a sweep's jobs run. Maps 1:1 onto the ``[executor]`` table of a study file."""

    kind: Literal["inprocess", "subprocess", "slurm"] = Field(
        default="inprocess", description="inprocess (default), subprocess, or slurm (submitit)."
    )
    workers: int = Field(default=2, ge=1, description="Subprocesses running at once.")
    timeout_min: int = Field(
        default=60,
        ge=3,
        description="Slurm time limit per job (>= 3: submitit's USR2 signal may come 60 s early).",
    )
    cpus_per_task: int = Field(default=1, ge=1, description="Slurm CPUs per job.")
    mem_gb: float = Field(default=4.0, gt=0, description="Slurm memory per job (GB).")
    gpus_per_node: int = Field(default=0, ge=0, description="Slurm GPUs per job.")
    partition: str | None = Field(default=None, description="Slurm partition; None = default.")
    array_parallelism: int = Field(default=16, ge=1, description="Slurm array tasks at once.")
    max_requeues: int = Field(
        default=3, ge=0, description="Times a preempted or timed-out job is requeued."
    )
    model_resources: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per-model Slurm resources, e.g. {'xlm-roberta-large': {'mem_gb': 32}}.",
    )
    folder: str = Field(
        default="", description="Folder for submitit logs/pickles; '' = LIBRARY/jobs."
    )
    poll_s: float = Field(default=1.0, gt=0, description="Seconds between progress polls.")


@dataclass
class GroupOutcome:
    """What one job did: runs it finished, runs it found done, runs that failed (id, message)."""

    finished: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PipelineRun:
    """The real STILTs pipeline writing into ``library`` (picklable; torch is imported lazily).

    ``progress`` (in-process only) receives the pipeline's ``(phase, message, done, total)``.
    """

    library: str
    progress: Callable[[str, str, int, int], None] | None = None

    def __call__(self, spec: RunSpec) -> RunResult:
        from replicate.pipeline import run_pipeline

        return run_pipeline(spec, Path(self.library), self.progress)


def load_run_fn(ref: str | None) -> RunFn | None:
    """Resolve ``'package.module:function'`` to a run function; None = the real pipeline."""
    if not ref:
        return None
    module, _, attr = ref.partition(":")
    if not attr:
        raise ValueError(f"run function {ref!r}: expected 'module:function'")
    return getattr(importlib.import_module(module), attr)


def run_group(specs: Sequence[dict[str, Any]], library: str, run_fn: RunFn) -> GroupOutcome:
    """Run one group's runs in order, storing each result as soon as it exists.

    Runs already in the store are skipped (a restarted or requeued job repeats nothing); a failing
    run is recorded and the group goes on, since the other targets can still use the intermediate
    model.
    """
    outcome = GroupOutcome()
    with ResultsStore(library) as store:
        for raw in specs:
            spec = RunSpec(**raw)
            if store.has(spec.run_id):
                outcome.skipped.append(spec.run_id)
                continue
            try:
                result = run_fn(spec)
            except Exception as exc:  # one bad run must not sink its group
                outcome.failed.append((spec.run_id, f"{type(exc).__name__}: {exc}"))
                continue
            if result.run_id != spec.run_id:
                outcome.failed.append((spec.run_id, f"run_fn returned run id {result.run_id}"))
                continue
            store.put(result)
            outcome.finished.append(spec.run_id)
    return outcome


class GroupJob(submitit.helpers.Checkpointable):
    """A Slurm job body that Slurm may preempt: submitit requeues it with the same arguments.

    ``Checkpointable.checkpoint`` resubmits ``self(*args)``; nothing else needs saving, because the
    store holds every finished run and the pipeline resumes the current run from its phase
    checkpoints.
    """

    def __call__(self, specs: list[dict[str, Any]], library: str, run_fn: RunFn) -> GroupOutcome:
        return run_group(specs, library, run_fn)


# ---------------------------------------------------------------------------------------------
# Progress: every executor is watched the same way, by counting the plan's run ids in the store.


def _count_done(store: ResultsStore, run_ids: set[str]) -> int:
    return sum(1 for rid in run_ids if store.has(rid))


class LineProgress:
    """Progress for logs (output not a terminal): one plain line per finished run, with an ETA.

    Mimics the parts of ``rich.progress.Progress`` the executors use.
    """

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.done: dict[int, float] = {}
        self.total: dict[int, float | None] = {}
        self.first: float = 0.0
        self.phase = ""
        self.name = ""

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, total: float | None = None, completed: float = 0) -> int:
        tid = len(self.total)
        self.total[tid], self.done[tid] = total, completed
        self.name = self.name if tid else description
        self.first = self.first if tid else completed
        return tid

    def completed(self, tid: int = 0) -> float:
        return self.done[tid]

    def advance(self, tid: int, n: float) -> None:
        self.update(tid, completed=self.done[tid] + n)

    def update(self, tid: int, completed: float | None = None, description: str = "") -> None:
        if description and description.split(":")[0] != self.phase:
            self.phase = description.split(":")[0]
            print(f"[{time.strftime('%H:%M:%S')}] {description.strip()}", flush=True)
        if completed is None or completed == self.done[tid]:
            return
        self.done[tid] = completed
        elapsed = time.monotonic() - self.start
        rate = (completed - self.first) / elapsed if elapsed > 0 else 0
        left = (self.total[tid] - completed) / rate if rate else float("nan")
        print(
            f"[{time.strftime('%H:%M:%S')}] {self.name}: {completed:g}/{self.total[tid]:g} runs,"
            f" elapsed {elapsed / 60:.1f} min, ETA {left / 60:.1f} min",
            flush=True,
        )


def _progress(show: bool) -> Progress | LineProgress:
    if show and not sys.stdout.isatty():
        return LineProgress()
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        disable=not show,
        transient=False,
    )


def _merge(outcomes: Sequence[GroupOutcome]) -> GroupOutcome:
    total = GroupOutcome()
    for o in outcomes:
        total.finished += o.finished
        total.skipped += o.skipped
        total.failed += o.failed
    return total


def _payloads(groups: list[list[RunSpec]]) -> list[list[dict[str, Any]]]:
    return [[r.model_dump(mode="json") for r in group] for group in groups]


def execute(
    plan: SweepPlan,
    library: str | Path,
    settings: ExecutorSettings | None = None,
    run_fn: RunFn | None = None,
    show_progress: bool = True,
) -> GroupOutcome:
    """Run the plan's missing runs with the chosen executor, showing progress with an ETA.

    Args:
        plan: from ``replicate.study.plan_sweep``.
        library: library directory holding ``results.sqlite``.
        settings: executor settings (default: in-process).
        run_fn: picklable run function; None = the real pipeline.
        show_progress: draw a rich progress bar.
    """
    settings = settings or ExecutorSettings()
    library = str(Path(library).resolve())
    run_fn = run_fn or PipelineRun(library)
    groups = group_runs(list(plan.missing))
    runners = {"inprocess": _run_inprocess, "subprocess": _run_subprocess, "slurm": _run_slurm}
    with _progress(show_progress) as progress:
        task = progress.add_task(plan.study, total=len(plan.runs), completed=plan.done)
        return runners[settings.kind](groups, library, settings, run_fn, progress, task)


def _run_inprocess(groups, library, settings, run_fn, progress, task) -> GroupOutcome:
    outcomes = []
    if isinstance(run_fn, PipelineRun):  # show the current run's phase under the bar
        phase = progress.add_task("", total=None)

        def report(name: str, message: str, done: int, total: int) -> None:
            progress.update(phase, description=f"  {name}: {message}")

        run_fn = PipelineRun(run_fn.library, report)
    for group in groups:
        for payload in _payloads([group])[0]:
            outcome = run_group([payload], library, run_fn)
            outcomes.append(outcome)
            progress.advance(task, len(outcome.finished))
    return _merge(outcomes)


def _completed(progress: Progress | LineProgress, task: int) -> float:
    if isinstance(progress, LineProgress):
        return progress.completed(task)
    return progress.tasks[task].completed


def _wait(futures: list[Any], done_fn, library, ids, settings, progress, task) -> None:
    """Poll until every future is done, moving the bar as runs land in the store."""
    with ResultsStore(library) as store:
        base = _completed(progress, task) - _count_done(store, ids)
        while True:
            progress.update(task, completed=base + _count_done(store, ids))
            if all(done_fn(f) for f in futures):
                break
            time.sleep(settings.poll_s)
        progress.update(task, completed=base + _count_done(store, ids))


def _run_subprocess(groups, library, settings, run_fn, progress, task) -> GroupOutcome:
    ids = {r.run_id for g in groups for r in g}
    # spawn, not fork: torch and SQLite connections do not survive a fork safely.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=settings.workers, mp_context=ctx) as pool:
        futures = [pool.submit(run_group, p, library, run_fn) for p in _payloads(groups)]
        _wait(futures, lambda f: f.done(), library, ids, settings, progress, task)
        return _merge([f.result() for f in futures])


def _slurm_params(settings: ExecutorSettings, model: str) -> dict[str, Any]:
    res = {
        "timeout_min": settings.timeout_min,
        "cpus_per_task": settings.cpus_per_task,
        "mem_gb": settings.mem_gb,
        "gpus_per_node": settings.gpus_per_node,
        "slurm_array_parallelism": settings.array_parallelism,
        "slurm_partition": settings.partition,
    }
    res.update(settings.model_resources.get(model, {}))
    return {k: v for k, v in res.items() if v is not None}


def _run_slurm(groups, library, settings, run_fn, progress, task) -> GroupOutcome:
    ids = {r.run_id for g in groups for r in g}
    folder = Path(settings.folder or Path(library) / "jobs") / "%j"
    by_model: dict[str, list[list[RunSpec]]] = {}
    for group in groups:  # one job array per resource class (here: per model)
        by_model.setdefault(group[0].model, []).append(group)
    jobs, job_groups = [], []
    for model, model_groups in by_model.items():
        ex = submitit.AutoExecutor(
            folder=folder, cluster="slurm", slurm_max_num_timeout=settings.max_requeues
        )
        ex.update_parameters(name="claimlab", **_slurm_params(settings, model))
        payloads = _payloads(model_groups)
        n = len(payloads)
        jobs += ex.map_array(GroupJob(), payloads, [library] * n, [run_fn] * n)
        job_groups += model_groups
    _wait(jobs, lambda j: j.done(), library, ids, settings, progress, task)
    outcomes = []
    for job, group in zip(jobs, job_groups, strict=True):
        try:
            outcomes.append(job.result())
        except Exception as exc:  # a lost job: its runs stay missing, a rerun picks them up
            msg = f"slurm job {job.job_id}: {type(exc).__name__}: {str(exc).splitlines()[0]}"
            outcomes.append(GroupOutcome(failed=[(r.run_id, msg) for r in group]))
    return _merge(outcomes)


# ---------------------------------------------------------------------------------------------
# The sweep: plan, record, execute, summarise.


@dataclass
class SweepSummary:
    """The outcome of one sweep call, re-counted from the store at the end."""

    study: str
    total: int
    already_done: int
    finished: int
    failed: list[tuple[str, str]]
    missing_after: int
    seconds: float


def sweep(
    spec: Any,
    library: str | Path | None = None,
    settings: ExecutorSettings | None = None,
    run_fn: RunFn | None = None,
    show_progress: bool = True,
) -> SweepSummary:
    """Run every missing run of a study; safe to stop and restart at any point.

    Args:
        spec: a ``replicate.study.StudySpec``.
        library: library directory (None: ``$CLAIMLAB_LIBRARY`` or ./claimlab-library).
        settings: executor settings; None = the study's ``[executor]`` table.
        run_fn: picklable run function; None = the real pipeline.
        show_progress: draw a rich progress bar with an ETA.
    """
    from replicate.study import plan_sweep

    start = time.monotonic()
    settings = settings or ExecutorSettings(**spec.executor)
    with ResultsStore(library) as store:
        # === Step 1: plan: the whole grid, minus what the store already has
        plan = plan_sweep(spec, store.has)
        # === Step 2: record the study, so results can be traced back to the spec that made them
        store.put_study(
            plan.study,
            plan.spec_hash,
            {"spec": spec.model_dump(mode="json"), "run_ids": [r.run_id for r in plan.runs]},
        )
        directory = store.directory
    # === Step 3: execute the missing runs, grouped by shared intermediate phase
    outcome = execute(plan, directory, settings, run_fn, show_progress) if plan.missing else None
    # === Step 4: re-count from the store: the store, not the jobs' reports, is the truth
    with ResultsStore(directory) as store:
        missing_after = sum(1 for r in plan.runs if not store.has(r.run_id))
    return SweepSummary(
        study=plan.study,
        total=len(plan.runs),
        already_done=plan.done,
        finished=len(outcome.finished) if outcome else 0,
        failed=outcome.failed if outcome else [],
        missing_after=missing_after,
        seconds=time.monotonic() - start,
    )
