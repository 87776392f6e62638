"""``claimlab replicate run SPEC.toml...``: one STILTs run per spec file, with progress and results.

A spec file is a flat TOML mapping onto ``replicate.records.RunSpec`` fields (see specs/example.toml);
unknown keys are rejected with one line naming the file and the key.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimlab.console import console, err_console, error_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PHASES = ("resolve", "intermediate", "target", "evaluate")


def register(app: typer.Typer) -> None:
    """Add ``run`` to the replicate group."""
    app.command("run")(run_cmd)


def load_run_spec(path: Path) -> Any:
    """Read a TOML run spec into a RunSpec.

    Raises:
        ValueError: unreadable TOML, an unknown key, or an invalid value (one line naming it).
    """
    from pydantic import ValidationError

    from replicate.records import RunSpec

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(RunSpec.model_fields))
    if unknown:
        raise ValueError(
            f"unknown key {unknown[0]!r} (known: {', '.join(sorted(RunSpec.model_fields))})"
        )
    try:
        return RunSpec(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise ValueError(f"{where}: {err['msg']}") from None


def _progress_bar(quiet_stdout: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.fields[phase]:<12}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console if quiet_stdout else console,  # --json keeps stdout pure JSON
        transient=False,
    )


def _run_one(path: Path, library: Path | None, as_json: bool) -> Any:
    from replicate.pipeline import run_pipeline

    spec = load_run_spec(path)
    with _progress_bar(as_json) as bar:
        ids = {p: bar.add_task("waiting", phase=p, total=None, start=False) for p in PHASES}

        def progress(phase: str, message: str, done: int, total: int) -> None:
            if phase not in ids:
                return
            task_id = ids[phase]
            bar.start_task(task_id)
            if total:
                bar.update(task_id, total=total, completed=done, description=message)
            else:
                bar.update(task_id, description=message)

        result = run_pipeline(spec, library, progress)
        for task_id in ids.values():  # phases a run skips (or reused) show as complete
            bar.start_task(task_id)
            bar.update(task_id, total=1, completed=1)
    return result


def _summary(result: Any, path: Path) -> Table:
    metrics = sorted({m for s in result.scores.values() for m in s})
    table = Table(title=f"{path.name}: run {result.run_id} ({result.task})")
    table.add_column("lang")
    for m in metrics:
        table.add_column(m, justify="right")
    for lang, scores in result.scores.items():
        table.add_row(lang, *(f"{scores[m]:.2f}" if m in scores else "" for m in metrics))
    for name, value in result.average.items():
        table.add_row(f"[bold]average {name}", f"{value:.2f}")
    timing = ", ".join(f"{k} {v:.0f}s" for k, v in result.timings.items())
    table.caption = f"{result.model_provenance}\n{timing}\npredictions: {result.prediction_dir}"
    return table


def run_cmd(
    spec_paths: Annotated[
        list[Path],
        typer.Argument(help="Run spec(s), TOML (see specs/example.toml).", metavar="SPEC.toml"),
    ],
    library: Annotated[
        Path | None,
        typer.Option("--library", help="Library directory (default: ./claimlab-library)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the results as JSON only.")
    ] = False,
) -> None:
    """Run the STILTs pipeline for each spec: intermediate -> target -> zero-shot evaluation.

    A finished run is not run again; a killed run resumes from its last checkpoint. A spec that
    fails gets one line on stderr, the other specs still run, and the exit status is 1.
    """
    failed, results = 0, []
    for path in spec_paths:
        try:
            result = _run_one(path, library, as_json)
        except (ValueError, KeyError, RuntimeError, OSError) as exc:
            error_line(str(path), str(exc).strip("'\"").splitlines()[0])
            failed += 1
            continue
        results.append(result)
        if not as_json:
            console.print(_summary(result, path))
    if as_json:
        payload = [{k: v for k, v in r.to_dict().items() if k != "per_example"} for r in results]
        print(json.dumps(payload, ensure_ascii=False))
    if failed:
        raise typer.Exit(1)
