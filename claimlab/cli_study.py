"""``claimlab replicate sweep | check | results``: studies, claim checks and their results.

A thin layer: each command parses flags, calls into replicate/, and prints a rich summary table (or
plain JSON with ``--json``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from claimlab.console import console, error_line

LibraryOpt = Annotated[
    Path | None, typer.Option("--library", help="Library directory (default: ./claimlab-library).")
]
ExecutorOpt = Annotated[
    str | None,
    typer.Option("--executor", help="inprocess | subprocess | slurm (default: the spec's)."),
]
RunFnOpt = Annotated[
    str | None,
    typer.Option(
        "--run-fn",
        help="Run function 'module:function' instead of the STILTs pipeline (plug-in seam).",
        hidden=True,
    ),
]
WorkersOpt = Annotated[
    int | None, typer.Option("--workers", help="Subprocesses at once (subprocess executor).")
]


def _executor_settings(spec: Any, executor: str | None, workers: int | None) -> Any:
    from replicate.executors import ExecutorSettings

    values = dict(spec.executor)
    if executor:
        values["kind"] = executor
    if workers:
        values["workers"] = workers
    return ExecutorSettings(**values)


def sweep_cmd(
    spec_path: Annotated[Path, typer.Argument(help="Study spec (TOML).", metavar="SPEC.toml")],
    executor: ExecutorOpt = None,
    library: LibraryOpt = None,
    workers: WorkersOpt = None,
    run_fn: RunFnOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list the runs.")] = False,
) -> None:
    """Run every missing run of a study grid (stop and restart at any point)."""
    from pydantic import ValidationError

    from replicate.executors import load_run_fn, sweep
    from replicate.results import ResultsStore
    from replicate.study import load_study, plan_sweep

    try:
        spec = load_study(spec_path)
        settings = _executor_settings(spec, executor, workers)
        fn = load_run_fn(run_fn)
    except (ValueError, ValidationError, ImportError, AttributeError) as exc:
        error_line(str(spec_path), str(exc).splitlines()[0])
        raise typer.Exit(2) from exc
    if dry_run:
        with ResultsStore(library) as store:
            plan = plan_sweep(spec, store.has)
        console.print(
            f"{spec.study.name}: {len(plan.runs)} runs, {plan.done} done, "
            f"{len(plan.missing)} to run ({settings.kind})"
        )
        return
    summary = sweep(spec, library, settings, fn)
    table = Table(title=f"sweep {summary.study}")
    for col in ("runs", "already done", "finished now", "failed", "still missing", "seconds"):
        table.add_column(col, justify="right")
    table.add_row(
        str(summary.total),
        str(summary.already_done),
        str(summary.finished),
        str(len(summary.failed)),
        str(summary.missing_after),
        f"{summary.seconds:.1f}",
    )
    for run_id, msg in summary.failed:
        error_line(f"run {run_id}", msg)
    console.print(table)
    if summary.failed or summary.missing_after:
        raise typer.Exit(1)


def _result_row(r: Any) -> dict[str, Any]:
    spec = r.spec
    inter = spec.get("intermediate_task") or "+".join(spec.get("intermediate_tasks") or []) or "-"
    return {
        "run_id": r.run_id,
        "model": spec.get("model"),
        "num_layers": spec.get("num_layers"),
        "intermediate": inter,
        "cap": spec.get("intermediate_cap"),
        "target": r.task,
        "seed": spec.get("seed"),
        "metric": r.primary_metric,
        "average": r.average.get(r.primary_metric),
        "scores": {lang: m.get(r.primary_metric) for lang, m in r.scores.items()},
    }


def results_cmd(
    library: LibraryOpt = None,
    task: Annotated[str | None, typer.Option("--task", help="Only this target task.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Plain JSON on stdout.")] = False,
) -> None:
    """List stored runs with per-language scores, and the robustness summary."""
    from replicate.results import ResultsStore
    from replicate.robustness import analyse

    with ResultsStore(library) as store:
        results = store.all(task)
        checks = store.checks()
    rows = [_result_row(r) for r in results]
    analysis = analyse(results)
    if as_json:
        payload = {
            "runs": rows,
            "robustness": analysis.to_dict(),
            "checks": [c.to_dict() for c in checks],
        }
        print(json.dumps(payload, indent=1, default=str))
        return
    table = Table(title=f"{len(rows)} runs")
    for col in ("run", "model", "layers", "intermediate", "cap", "target", "seed", "avg", "langs"):
        table.add_column(col)
    for row in rows:
        langs = " ".join(f"{k}:{v:.1f}" for k, v in sorted(row["scores"].items()) if v is not None)
        avg = row["average"]
        table.add_row(
            row["run_id"][:8],
            str(row["model"]).replace("offline:", ""),
            str(row["num_layers"] or "all"),
            row["intermediate"],
            str(row["cap"] or "all"),
            row["target"],
            str(row["seed"]),
            f"{avg:.1f}" if avg is not None else "-",
            langs[:60] + ("…" if len(langs) > 60 else ""),
        )
    console.print(table)
    _render_analysis(analysis)
    _render_checks(checks)


def _fmt(v: float | None, ci: tuple[float, float] | None = None) -> str:
    if v is None:
        return "-"
    return f"{v:+.2f} [{ci[0]:+.2f}, {ci[1]:+.2f}]" if ci else f"{v:.1f}"


def _render_analysis(analysis: Any) -> None:
    if not analysis.rows:
        return
    table = Table(title=f"robustness per cell ({analysis.rule})")
    for col in ("target", "layers", "intermediate", "cap", "seeds", "mean", "low-res", "worst",
                "gap to en", "lang sd", "seed sd"):  # fmt: skip
        table.add_column(col)
    for r in analysis.rows:
        table.add_row(
            r.target, str(r.num_layers or "all"), r.intermediate, str(r.cap or "all"),
            str(r.n_seeds), _fmt(r.mean), _fmt(r.lowres_mean),
            f"{r.worst_language} {r.worst_score:.1f}", _fmt(r.gap_to_english),
            _fmt(r.lang_spread), _fmt(r.seed_spread),
        )  # fmt: skip
    console.print(table)
    if not analysis.fits:
        return
    fits = Table(title="points per doubling (OLS, 95% bootstrap CI)")
    for col in ("target", "measure", "runs", "data volume", "model size", "conclusion"):
        fits.add_column(col)
    for f in analysis.fits:
        fits.add_row(
            f.target, f.measure, str(f.n_rows), _fmt(f.data_slope, f.data_ci),
            _fmt(f.size_slope, f.size_ci), f.conclusion,
        )  # fmt: skip
    console.print(fits)


def _render_checks(checks: Any) -> None:
    if not checks:
        return
    table = Table(title="claim checks")
    for col in ("claim", "targets", "expected", "effect [95% CI]", "p", "verdict"):
        table.add_column(col, no_wrap=col in ("verdict", "claim"))
    table.add_column("why", ratio=1)
    for c in checks:
        exp = {1: "+", -1: "-", 0: "no gain"}.get(c.expected_direction, "?")
        if c.expected_magnitude:
            exp += f"{c.expected_magnitude:g}"
        ci = (c.ci_low, c.ci_high) if c.ci_low is not None else None
        table.add_row(
            c.claim_id, ",".join(c.target_tasks) or "-", exp if c.testable else "-",
            _fmt(c.effect, ci) if c.effect is not None else "-",
            f"{c.p_value:.3g}" if c.p_value is not None else "-", c.verdict, _why(c),
        )  # fmt: skip
    console.print(table)


def _why(check: Any) -> str:
    """The last clause of a check's reason: the verdict's own reason, or why it did not run."""
    return check.reason.rsplit(" | ", 1)[-1]


def _load_claims(path: Path) -> list[tuple[str, str]]:
    """(id, claim) pairs from JSON lines, or from a report read by ``synth.audit``."""
    if path.suffix in (".jsonl", ".json"):
        out = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    row = json.loads(line)
                    out.append((str(row["id"]), str(row["claim"])))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    error_line(f"{path}:{n}", f'expected {{"id", "claim"}}: {exc}')
        return out
    from synth.audit import audit_report  # a report file: its claims as the audit reads them

    return [(a.claim.claim_id, a.claim.text) for a in audit_report(path).claims]


def check_cmd(
    claims_path: Annotated[
        Path, typer.Argument(help="JSON lines {id, claim}, or a report file.", metavar="CLAIMS")
    ],
    spec_path: Annotated[
        Path, typer.Option("--spec", help="Study spec giving model, caps, seeds, languages.")
    ] = Path("specs/demo.toml"),
    executor: ExecutorOpt = None,
    library: LibraryOpt = None,
    run_fn: RunFnOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Plain JSON lines on stdout.")] = False,
) -> None:
    """Turn claims into experiments, run what is missing, print verdicts."""
    from replicate.checks import CheckContext, plan_claim, run_checks
    from replicate.executors import load_run_fn
    from replicate.study import load_study

    try:
        spec = load_study(spec_path)
        settings = _executor_settings(spec, executor, None)
        fn = load_run_fn(run_fn)
        claims = _load_claims(claims_path)
    except (ValueError, OSError, ImportError, AttributeError) as exc:  # AuditError is a ValueError
        error_line(str(claims_path), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise typer.Exit(2) from exc
    planned = [check for cid, text in claims for check in plan_claim(cid, text)]
    done = run_checks(planned, CheckContext.from_study(spec), library, settings, fn,
                      show_progress=not as_json)  # fmt: skip
    if as_json:
        for c in done:
            print(json.dumps(c.to_dict(), default=str))
        return
    _render_checks(done)
    counts: dict[str, int] = {}
    for c in done:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    console.print(", ".join(f"{v}: {n}" for v, n in sorted(counts.items())))


def register(app: typer.Typer) -> None:
    """Add ``sweep``, ``check`` and ``results`` to the ``replicate`` group."""
    app.command("sweep")(sweep_cmd)
    app.command("results")(results_cmd)
    app.command("check")(check_cmd)
