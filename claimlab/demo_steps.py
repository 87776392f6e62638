"""The steps of ``claimlab demo``, each one call into synth/, replicate/ or reports/.

Every step returns a one-line detail for the summary table and is idempotent: what the library or
the results store already holds is reused. A step whose module is not installed raises
:class:`StepUnavailable` (one line naming the module), so the demo reports it and goes on.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from synth.settings import resolve_data_dir, resolve_library_dir

SEED_DIR_NAME = "seed"


class StepUnavailable(RuntimeError):
    """A step's module or function is not there (yet)."""


@dataclass
class DemoContext:
    """Where everything is, resolved once."""

    library: Path
    out: Path
    data: Path
    spec: Path
    seed_reports: list[Path]
    executor: str | None = None
    question: str | None = None
    commands: list[str] = field(default_factory=list)
    seed_paper_ids: list[str] = field(default_factory=list)
    study: str | None = None

    @classmethod
    def create(
        cls,
        library: Path | None,
        out: Path,
        data: Path | None,
        spec: Path,
        seed_report: Path | None,
        executor: str | None,
        question: str | None,
    ) -> DemoContext:
        data_dir = resolve_data_dir(data)
        if seed_report is not None:
            seeds = [seed_report]
        else:
            seed_dir = data_dir.parent / SEED_DIR_NAME
            seeds = sorted(seed_dir.glob("*.txt")) if seed_dir.is_dir() else []
        return cls(
            library=resolve_library_dir(library),
            out=out.resolve(),
            data=data_dir,
            spec=spec.resolve(),
            seed_reports=seeds,
            executor=executor,
            question=question,
        )


StepFn = Callable[[DemoContext], str]


def need(module: str, name: str) -> Any:
    """``module.name``, or StepUnavailable naming what is missing."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise StepUnavailable(f"{module} is not available ({exc})") from exc
    if not hasattr(mod, name):
        raise StepUnavailable(f"{module}.{name} is not available")
    return getattr(mod, name)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    )


# === Step 1 ====================================================================================
def ingest(ctx: DemoContext) -> str:
    """Ingest ../shared/data/papers and the seed report(s); stored documents are recognised."""
    run_ingest = need("synth.ingest", "ingest")
    from synth.library import Library

    papers = ctx.data / "papers"
    inputs = [str(papers)] if papers.is_dir() else []
    inputs += [str(p) for p in ctx.seed_reports]
    if not inputs:
        raise FileNotFoundError(f"no papers under {papers} and no seed report")
    with Library(ctx.library) as lib, progress_bar() as bar:
        task = bar.add_task("ingest", total=None)

        def tick(label: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"ingest {Path(label).name}")

        outcomes = run_ingest(lib, inputs, progress=tick)
        seed_names = {str(p) for p in ctx.seed_reports}
        ctx.seed_paper_ids = [o.paper_id for o in outcomes if o.input in seed_names and o.paper_id]
        total = len(lib.papers())
    tally: dict[str, int] = {}
    for o in outcomes:
        tally[o.status] = tally.get(o.status, 0) + 1
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        from claimlab.console import error_line

        error_line(o.input, o.message)
    ctx.commands.append("claimlab ingest " + " ".join(inputs))
    detail = ", ".join(f"{n} {s}" for s, n in sorted(tally.items())) + f"; {total} in library"
    if failed:
        raise RuntimeError(detail)
    return detail


# === Step 2 ====================================================================================
def extract_and_verify(ctx: DemoContext) -> str:
    """Extract claims from every paper and verify them; stored verdicts are reused."""
    raise StepUnavailable("synth claims/verify storage API not wired yet")


# === Step 3 ====================================================================================
def audit_seed(ctx: DemoContext) -> str:
    """Read the seed report's claims table and check each claim against the papers."""
    raise StepUnavailable("synth.audit not wired yet")


# === Step 4 ====================================================================================
def run_grid(ctx: DemoContext) -> str:
    """Run the demo study's missing runs (finished runs are skipped)."""
    load_study = need("replicate.study", "load_study")
    sweep = need("replicate.executors", "sweep")
    settings_cls = need("replicate.executors", "ExecutorSettings")
    if not ctx.spec.is_file():
        raise FileNotFoundError(f"{ctx.spec}: demo study spec not found")
    spec = load_study(ctx.spec)
    values = dict(spec.executor)
    if ctx.executor:
        values["kind"] = ctx.executor
    summary = sweep(spec, ctx.library, settings_cls(**values))
    ctx.study = summary.study
    ctx.commands.append(f"claimlab replicate sweep {ctx.spec}")
    detail = (
        f"{summary.total} runs: {summary.already_done} reused, {summary.finished} run now, "
        f"{len(summary.failed)} failed"
    )
    if summary.failed or summary.missing_after:
        raise RuntimeError(detail)
    return detail


# === Step 5 ====================================================================================
def check_claims(ctx: DemoContext) -> str:
    """Turn the seed's testable claims into experiment arms and decide them from the runs."""
    raise StepUnavailable("replicate.checks not wired yet")


# === Step 6 ====================================================================================
def render_report(ctx: DemoContext) -> str:
    """Build, draw and render the report from everything stored."""
    from claimlab.cli_reports import make_report

    paths = make_report(ctx.library, ctx.out, ctx.question, None, ctx.commands)
    return f"{paths['pdf']} ({paths['pdf'].stat().st_size // 1024} KiB)"
