"""Study specs: one TOML file describes a grid of STILTs runs; the sweep runs what is missing.

A study is a grid — model (and size: ``num_layers``) × intermediate task (or ``"none"``, the baseline)
× intermediate data volume (caps) × target task × seed — plus shared :class:`RunSpec` settings and
per-target overrides. The TOML file has four tables::

    [study]      name, description
    [grid]       models, num_layers, intermediate_tasks, intermediate_caps, target_tasks, seeds
    [shared]     any RunSpec field, applied to every run
    [targets.X]  RunSpec fields applied only to runs whose target task is X (eval languages, caps)
    [executor]   how to run (see replicate.executors.ExecutorSettings)

Unknown keys are rejected at every level. Expansion deduplicates by run id (the RunSpec hash); the
baseline ignores the cap axis, so it is expanded once per (model, size, target, seed). Runs are grouped
by their intermediate phase (``RunSpec.intermediate_key``) so one intermediate model serves every
target task of its group, and a sweep only ever submits runs the results store does not have: it can
be stopped at any point and restarted without losing or duplicating a result.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from replicate.records import RunSpec
from synth.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport
    import tomli as tomllib

BASELINE = "none"  # the grid's name for "no intermediate task"


class StudyMeta(Settings):
    """Name and purpose of a study."""

    name: str = Field(description="Short study name; names the study in the results store.")
    description: str = Field(default="", description="What the study asks, in one paragraph.")


class GridSettings(Settings):
    """The axes of the grid. Every combination becomes one run (baselines ignore the cap axis)."""

    models: tuple[str, ...] = Field(
        default=("offline:multilingual-e5-small",),
        min_length=1,
        description="Model ids: hub ids, local paths or 'offline:multilingual-e5-small'.",
    )
    num_layers: tuple[int, ...] = Field(
        default=(),
        description="Model-size axis: keep the first k layers; empty = the full model only.",
    )
    intermediate_tasks: tuple[str, ...] = Field(
        default=(BASELINE,),
        min_length=1,
        description="Intermediate task names; 'none' is the baseline; 'a+b' is multi-task training.",
    )
    intermediate_caps: tuple[int, ...] = Field(
        default=(),
        description="Data-volume axis: caps on intermediate examples; empty = all examples.",
    )
    target_tasks: tuple[str, ...] = Field(
        min_length=1, description="Target task names (trained on English, evaluated zero-shot)."
    )
    seeds: tuple[int, ...] = Field(default=(0,), min_length=1, description="Seeds (one run each).")

    @field_validator("num_layers", "intermediate_caps")
    @classmethod
    def _positive(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if any(x < 1 for x in v):
            raise ValueError("must be positive integers")
        return v


class StudySpec(Settings):
    """A whole study: metadata, grid, shared settings, per-target overrides, executor settings."""

    study: StudyMeta = Field(description="Name and description.")
    grid: GridSettings = Field(description="The grid axes.")
    shared: dict[str, Any] = Field(
        default_factory=dict, description="RunSpec fields applied to every run."
    )
    targets: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="RunSpec fields applied per target task."
    )
    executor: dict[str, Any] = Field(
        default_factory=dict,
        description="Executor settings (replicate.executors.ExecutorSettings).",
    )

    @field_validator("shared")
    @classmethod
    def _shared_fields(cls, v: dict[str, Any]) -> dict[str, Any]:
        _check_runspec_keys(v, "[shared]", forbidden=_GRID_FIELDS)
        return v

    @field_validator("targets")
    @classmethod
    def _target_fields(cls, v: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name, overrides in v.items():
            _check_runspec_keys(overrides, f"[targets.{name}]", forbidden=_GRID_FIELDS)
        return v

    def expand(self) -> list[RunSpec]:
        """All runs of the grid, deduplicated by run id, ordered so shared phases run together."""
        return order_runs(expand_grid(self))


# Fields that are grid axes may not be set in [shared] / [targets.*]: one place per knob.
_GRID_FIELDS = frozenset(
    {"model", "num_layers", "intermediate_task", "intermediate_tasks", "intermediate_cap"}
    | {"target_task", "seed"}
)


def _check_runspec_keys(values: dict[str, Any], where: str, forbidden: frozenset[str]) -> None:
    unknown = sorted(set(values) - set(RunSpec.model_fields))
    if unknown:
        raise ValueError(f"{where}: unknown RunSpec field(s): {', '.join(unknown)}")
    axes = sorted(set(values) & forbidden)
    if axes:
        raise ValueError(f"{where}: {', '.join(axes)} are grid axes; set them in [grid]")


def load_study(path: str | Path) -> StudySpec:
    """Read and validate a study TOML file.

    Raises:
        ValueError: one line naming the file and the first problem (unknown key, bad value).
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    try:
        spec = StudySpec.model_validate(raw)
        spec.expand()  # validates every RunSpec the grid produces
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{path}: {loc}: {first['msg']}") from exc
    return spec


def _intermediate_fields(task: str, cap: int | None) -> dict[str, Any]:
    if task == BASELINE:
        return {"intermediate_task": None, "intermediate_tasks": (), "intermediate_cap": None}
    parts = tuple(t for t in task.split("+") if t)
    if len(parts) > 1:
        return {"intermediate_task": None, "intermediate_tasks": parts, "intermediate_cap": cap}
    return {"intermediate_task": parts[0], "intermediate_tasks": (), "intermediate_cap": cap}


def expand_grid(spec: StudySpec) -> list[RunSpec]:
    """Every (model, size, intermediate task, cap, target, seed) combination as a RunSpec, deduped."""
    g = spec.grid
    sizes: tuple[int | None, ...] = g.num_layers or (None,)
    caps: tuple[int | None, ...] = g.intermediate_caps or (None,)
    seen: dict[str, RunSpec] = {}
    for model in g.models:
        for layers in sizes:
            for task in g.intermediate_tasks:
                # The baseline has no intermediate data: one run, whatever the cap axis says.
                for cap in (None,) if task == BASELINE else caps:
                    for target in g.target_tasks:
                        for seed in g.seeds:
                            fields = {
                                **spec.shared,
                                **spec.targets.get(target, {}),
                                **_intermediate_fields(task, cap),
                                "model": model,
                                "num_layers": layers,
                                "target_task": target,
                                "seed": seed,
                            }
                            run = RunSpec(**fields)
                            seen.setdefault(run.run_id, run)
    return list(seen.values())


def intermediate_group_key(run: RunSpec) -> str:
    """A stable key of the intermediate phase: runs with equal keys share one intermediate model."""
    return json.dumps(run.intermediate_key(), sort_keys=True, default=list)


def order_runs(runs: list[RunSpec]) -> list[RunSpec]:
    """Order runs so those sharing an intermediate phase are adjacent (first-seen group order)."""
    groups = group_runs(runs)
    return [run for group in groups for run in group]


def group_runs(runs: list[RunSpec]) -> list[list[RunSpec]]:
    """Runs grouped by intermediate phase, groups in first-seen order (baselines form groups too)."""
    groups: dict[str, list[RunSpec]] = {}
    for run in runs:
        groups.setdefault(intermediate_group_key(run), []).append(run)
    return list(groups.values())


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep will do: every run of the grid, and those still missing from the store."""

    study: str
    spec_hash: str
    runs: tuple[RunSpec, ...]
    missing: tuple[RunSpec, ...]

    @property
    def done(self) -> int:
        return len(self.runs) - len(self.missing)


def plan_sweep(spec: StudySpec, has_run: Any) -> SweepPlan:
    """Split the grid into finished and missing runs.

    Args:
        spec: the study.
        has_run: callable ``run_id -> bool`` (``ResultsStore.has``).
    """
    runs = spec.expand()
    missing = tuple(r for r in runs if not has_run(r.run_id))
    return SweepPlan(spec.study.name, spec.settings_hash(), tuple(runs), missing)
