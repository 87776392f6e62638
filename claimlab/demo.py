"""``claimlab demo``: the main job in one command, as numbered, idempotent steps.

    # === Step 1: ingest the papers in ../shared/data/papers and the seed report
    # === Step 2: extract claims and verify them against the library
    # === Step 3: audit the seed report (its claims table, checked against the papers)
    # === Step 4: run the demo grid (specs/demo.toml) — finished runs are reused
    # === Step 5: check the seed's testable claims against the grid's runs
    # === Step 6: render the report and say where it is

Each step calls one public function of synth/, replicate/ or reports/ (see claimlab.demo_steps) and
is safe to re-run: stored papers, claims, verdicts and runs are reused, never recomputed. A failing
step prints one line and the next steps still run; the exit status is non-zero if any step failed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule
from rich.table import Table

from claimlab import demo_steps as S
from claimlab.console import console, error_line

REPO = Path(__file__).resolve().parents[1]


@dataclass
class StepResult:
    number: int
    title: str
    status: str  # done | failed | unavailable
    detail: str
    seconds: float


STEPS: tuple[tuple[str, S.StepFn], ...] = (
    ("Ingest the papers and the seed report", S.ingest),
    ("Extract and verify claims", S.extract_and_verify),
    ("Audit the seed report", S.audit_seed),
    ("Run the demo grid", S.run_grid),
    ("Check the seed's testable claims", S.check_claims),
    ("Render the report", S.render_report),
)


def run_demo(ctx: S.DemoContext) -> list[StepResult]:
    """Run every step in order; each one's outcome is recorded, failures do not stop the rest."""
    results = []
    for number, (title, fn) in enumerate(STEPS, 1):
        console.print(Rule(f"[bold]Step {number}/{len(STEPS)}: {title}"))
        start = time.monotonic()
        try:
            detail = fn(ctx)
            status = "done"
        except S.StepUnavailable as exc:
            status, detail = "unavailable", str(exc)
            error_line(f"step {number} ({title})", detail)
        except Exception as exc:  # noqa: BLE001 - one step's failure must not lose the others
            status, detail = "failed", f"{type(exc).__name__}: {exc}".splitlines()[0]
            error_line(f"step {number} ({title})", detail)
        results.append(StepResult(number, title, status, detail, time.monotonic() - start))
        console.print(f"[dim]{status} in {results[-1].seconds:.1f} s: {detail}[/]")
    return results


def _summary(results: list[StepResult], total: float, out: Path) -> None:
    table = Table(title=f"claimlab demo: {total:.0f} s")
    for col in ("step", "what", "status", "detail", "seconds"):
        table.add_column(
            col, justify="right" if col in ("step", "seconds") else "left", overflow="fold"
        )
    for r in results:
        style = {"done": "green", "failed": "red"}.get(r.status, "yellow")
        table.add_row(
            str(r.number), r.title, f"[{style}]{r.status}[/]", r.detail, f"{r.seconds:.1f}"
        )
    console.print(table)
    pdf = out / "report.pdf"
    if pdf.is_file():
        console.print(f"Report: [bold]{out / 'report.html'}[/]  and  [bold]{pdf}[/]")
        console.print("Key tables in the terminal: [bold]claimlab show[/]")


def demo_cmd(
    library: Annotated[
        Path | None,
        typer.Option("--library", help="Library directory (default: ./claimlab-library)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Report folder.")] = Path("claimlab-report"),
    data: Annotated[
        Path | None, typer.Option("--data", help="Real-data folder (default: ../shared/data).")
    ] = None,
    spec: Annotated[Path, typer.Option("--spec", help="Demo study spec (TOML).")] = REPO
    / "specs"
    / "demo.toml",
    seed_report: Annotated[
        Path | None,
        typer.Option("--seed-report", help="The report to audit (default: ../shared/seed)."),
    ] = None,
    executor: Annotated[
        str | None,
        typer.Option("--executor", help="inprocess | subprocess | slurm (default: the spec's)."),
    ] = None,
    question: Annotated[str | None, typer.Option("--question", help="Research question.")] = None,
) -> None:
    """The main job: ingest, extract and verify, audit the seed, run the grid, check, report."""
    ctx = S.DemoContext.create(library, out, data, spec, seed_report, executor, question)
    start = time.monotonic()
    results = run_demo(ctx)
    _summary(results, time.monotonic() - start, ctx.out)
    if any(r.status != "done" for r in results):
        raise typer.Exit(1)
