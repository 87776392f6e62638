"""``claimlab ingest`` and ``claimlab papers``: building and listing the paper library."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimlab.console import console, error_line, warn_line
from synth.ingest import IngestSettings, ingest
from synth.library import Library

LibraryOpt = Annotated[
    str | None,
    typer.Option(
        "--library", help="Library directory (default: $CLAIMLAB_LIBRARY, else ./claimlab-library)."
    ),
]

_STATUS_STYLE = {"ok": "green", "warning": "yellow", "duplicate": "cyan", "failed": "red"}


def ingest_cmd(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="PDF files, folders of PDFs, .txt/.md files, arXiv ids (2005.13013v2)."
        ),
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", help="Also ingest an arXiv search.")
    ] = None,
    max_results: Annotated[
        int, typer.Option("--max", min=1, help="Hits to take from --query.")
    ] = 10,
    library: LibraryOpt = None,
) -> None:
    """Add papers to the library: PDFs, folders, text files, arXiv ids or an arXiv search."""
    if not inputs and not query:
        error_line("ingest", "give at least one PATH_OR_ID or --query")
        raise typer.Exit(2)
    settings = IngestSettings()
    with Library(library) as lib:
        with Progress(
            TextColumn("[bold]ingest[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bar:
            task_id = bar.add_task("", total=None)

            def progress(label: str, done: int, total: int) -> None:
                bar.update(task_id, completed=done, total=total, description=_short(label))

            outcomes = ingest(lib, inputs or [], settings, progress, query, max_results)
        for out in outcomes:
            if out.failed:
                error_line(out.input, out.message)
            elif out.status == "warning":
                for w in out.warnings:
                    warn_line(out.input, w)
        console.print(_summary(outcomes, lib.directory))
    if any(o.failed for o in outcomes):
        raise typer.Exit(1)


def _short(label: str, width: int = 48) -> str:
    return label if len(label) <= width else "…" + label[-(width - 1) :]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(inp: str) -> str:
    """Last two path parts of a file input (enough to tell papers apart), else the input."""
    parts = inp.replace("\\", "/").split("/")
    return "/".join(parts[-2:]) if len(parts) > 2 else inp


def _summary(outcomes, directory) -> Table:
    table = Table(title=f"ingested into {directory}", title_justify="left")
    table.add_column("input", max_width=36, no_wrap=True, overflow="ellipsis")
    table.add_column("status", min_width=9)
    table.add_column("paper", no_wrap=True, min_width=17)
    for col, width in (("pages", 5), ("sentences", 5), ("flags", 10)):
        table.add_column(col, overflow="fold", min_width=width)
    for o in outcomes:
        style = _STATUS_STYLE.get(o.status, "")
        table.add_row(
            _label(o.input),
            f"[{style}]{o.status}[/]",
            o.paper_id or "-",
            str(o.pages or "-"),
            str(o.sentences or "-"),
            ", ".join(o.flags) or "-",
        )
    counts = {s: sum(o.status == s for o in outcomes) for s in _STATUS_STYLE}
    table.caption = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return table


def papers_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print plain JSON to stdout.")] = False,
    library: LibraryOpt = None,
) -> None:
    """List the papers in the library (id, version, title, authors, year, pages, source, flags)."""
    with Library(library) as lib:
        papers = lib.papers()
        counts = dict(
            lib.conn.execute(
                "SELECT paper_id, count(*) FROM sentences GROUP BY paper_id"
            ).fetchall()
        )
        directory = lib.directory
    if as_json:
        rows = []
        for p in papers:
            row = {
                k: getattr(p, k)
                for k in ("paper_id", "arxiv_id", "version", "title", "year", "pages", "source")
            }
            row |= {"authors": list(p.authors), "flags": list(p.flags), "sha256": p.sha256}
            row["sentences"] = counts.get(p.paper_id, 0)
            rows.append(row)
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{len(papers)} papers in {directory}", title_justify="left")
    table.add_column("id", no_wrap=True, min_width=17)
    table.add_column("v", min_width=3)
    # The other columns and the borders take ~77 characters; title and authors share the rest.
    room = max(24, console.width - 77)
    title_w, authors_w = room * 2 // 3, room // 3
    table.add_column("title", no_wrap=True)
    table.add_column("authors", no_wrap=True)
    for col, width in (("year", 4), ("pages", 5), ("source", 6), ("flags", 17)):
        table.add_column(col, overflow="fold", min_width=width)
    for p in papers:
        authors = ", ".join(p.authors[:3]) + (" et al." if len(p.authors) > 3 else "")
        table.add_row(
            p.paper_id,
            f"v{p.version}" if p.version else "-",
            _clip(p.title, title_w),
            _clip(authors, authors_w) or "-",
            str(p.year or "-"),
            str(p.pages),
            p.source,
            ", ".join(p.flags) or "-",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``ingest`` and ``papers`` to the main app."""
    app.command("ingest")(ingest_cmd)
    app.command("papers")(papers_cmd)
