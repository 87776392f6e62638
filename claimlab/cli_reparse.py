"""``claimlab reparse``: read stored papers again with the current parser, in place."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimlab.cli_synth import LibraryOpt, fit_table
from claimlab.console import console, error_line
from synth.library import Library


def reparse_cmd(
    papers: Annotated[
        list[str] | None,
        typer.Argument(metavar="PAPER_ID", help="Papers to re-parse (default: the stale ones)."),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Re-parse every paper, not only the stale ones.")
    ] = False,
    library: LibraryOpt = None,
) -> None:
    """Re-parse papers from the library's kept copies with the current parser.

    By default, the papers an older claimlab parsed. Each paper keeps its id; its claims are
    extracted again on next use, and stored verdicts (which quote the old text) are dropped.
    """
    from synth.reparse import reparse, stale_papers  # pymupdf: only for this command

    with Library(library) as lib:
        known = {p.paper_id for p in lib.papers()}
        for pid in papers or []:
            if pid not in known:
                error_line(pid, "no such paper in the library (see `claimlab papers`)")
        wanted = [p for p in papers if p in known] if papers else stale_papers(lib, everything)
        if not wanted:
            console.print("[green]nothing to re-parse:[/] every paper was read by this claimlab")
            raise typer.Exit(1 if papers else 0)
        verdicts = lib.conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
        with Progress(
            TextColumn("[bold]reparse[/]"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
        ) as bar:  # fmt: skip
            task_id = bar.add_task("", total=len(wanted))
            outcomes = reparse(
                lib,
                wanted,
                progress=lambda p, d, t: bar.update(task_id, completed=d, description=p),
            )
        for out in outcomes:
            if out.status == "failed":
                error_line(out.paper_id, out.message)
        rows = [
            [o.paper_id, o.status, str(o.sentences_before), str(o.sentences_after or "-")]
            for o in outcomes
        ]
        columns = [("paper", 1, False), ("status", 0, False)]
        columns += [("sentences before", 0, True), ("after", 0, True)]
        table = fit_table(f"re-parsed in {lib.directory}", columns, rows)
        ok = sum(o.status == "ok" for o in outcomes)
        dropped = f"; {verdicts} stored verdict(s) dropped" if ok and verdicts else ""
        table.caption = f"{ok} re-parsed, {len(outcomes) - ok} failed{dropped}"
        console.print(table)
    if ok < len(outcomes) or (papers and len(wanted) < len(papers)):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``reparse`` to the main app."""
    app.command("reparse")(reparse_cmd)
