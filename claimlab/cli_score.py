"""``claimlab score TASK PRED_DIR LABEL_DIR [--json]``: the official XTREME metrics on two folders."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from claimlab.console import console, error_line


def register(app: typer.Typer) -> None:
    """Add the ``score`` command to app."""
    app.command("score")(score)


def score(
    task: str = typer.Argument(..., help="Task name: xnli, pawsx, panx, udpos, xquad, mlqa, ..."),
    pred_dir: Path = typer.Argument(..., help="Folder of test-{lang}.tsv|json predictions."),
    label_dir: Path = typer.Argument(..., help="Folder of test-{lang}.tsv|json gold labels."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object, nothing else."),
) -> None:
    """Score predictions exactly as google-research/xtreme's evaluate.py does.

    Both folders hold one task's test-{lang} files, or a root holding the task's subfolder. Each missing or mismatched file gets one line on stderr, the rest is still scored, and the exit status is 1 when anything failed.
    """
    from replicate.scoring import ScoreError, score_dirs
    from replicate.tasks import TASKS

    if task not in TASKS or not TASKS[task].xtreme_name:
        scorable = sorted(n for n, t in TASKS.items() if t.xtreme_name)
        error_line(task, f"not a scorable task; use one of {', '.join(scorable)}")
        raise typer.Exit(2)
    problems: list[tuple[str, str]] = []

    def on_problem(subject: str, message: str) -> None:
        problems.append((subject, message))
        error_line(subject, message)

    try:
        result = score_dirs(task, pred_dir, label_dir, on_problem=on_problem)
    except ScoreError as exc:
        error_line(exc.subject, exc.message)
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_table(result, len(problems))
    if problems:
        raise typer.Exit(1)


def _print_table(result: dict, n_problems: int) -> None:
    scores, average = result["scores"], result["average"]
    metrics = [m for m in average if m != "metric"]
    table = Table(title=f"{result['task']}: official XTREME metrics (0-100)")
    table.add_column("language")
    for m in metrics:
        table.add_column(m, justify="right")
    for lang, per_lang in scores.items():
        table.add_row(lang, *(f"{per_lang.get(m, float('nan')):.2f}" for m in metrics))
    table.add_section()
    table.add_row("average", *(f"{average[m]:.2f}" for m in metrics), style="bold")
    console.print(table)
    summary = f"{len(scores)} languages scored; avg_metric {average['metric']:.2f}"
    if n_problems:
        summary += f"; {n_problems} file problem(s), see above"
    console.print(summary)
