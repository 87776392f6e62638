"""``claimlab ingest`` and ``claimlab papers``: building and listing the paper library."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from claimlab.console import console, error_line, warn_line
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
            metavar="PATH_OR_ID",
            help="PDF files, folders of PDFs, .txt/.md files, arXiv ids (2005.13013v2).",
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
    from synth.ingest import IngestSettings, ingest  # pymupdf: only for this command

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
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _label(inp: str) -> str:
    """Last two path parts of a file input (enough to tell papers apart), else the input."""
    parts = inp.replace("\\", "/").split("/")
    return "/".join(parts[-2:]) if len(parts) > 2 else inp


def fit_table(
    title: str,
    columns: list[tuple[str, int, bool]],
    rows: list[list[str]],
    styles: dict[int, list[str]] | None = None,
) -> Table:
    """A table that fits the terminal: columns are (header, flex share, optional).

    Fixed columns (share 0) are as wide as their content; flexible ones share what is left and
    are clipped with an ellipsis; optional columns are dropped first when the terminal is narrow.
    Cells are plain text (titles may hold "["); ``styles`` gives per-row styles of a column.
    """
    cols = list(range(len(columns)))

    def fixed_width(i: int) -> int:
        return max([len(columns[i][0])] + [len(r[i]) for r in rows])

    def room(keep: list[int]) -> int:
        used = sum(fixed_width(i) for i in keep if columns[i][1] == 0)
        return console.width - used - 3 * len(keep) - 1  # borders and padding

    flex = [i for i in cols if columns[i][1]]
    for i in [i for i in cols if columns[i][2]]:
        if room(cols) >= 14 * len(flex):
            break
        cols.remove(i)
    space = max(room(cols), 8 * len(flex))
    shares = sum(columns[i][1] for i in flex) or 1
    table = Table(title=title, title_justify="left")
    for i in cols:
        table.add_column(columns[i][0], no_wrap=True)
    styles = styles or {}
    for n, r in enumerate(rows):
        cells = []
        for i in cols:
            value = _clip(r[i], space * columns[i][1] // shares) if columns[i][1] else r[i]
            cells.append(Text(value, style=styles[i][n] if i in styles else ""))
        table.add_row(*cells)
    return table


def _summary(outcomes, directory) -> Table:
    rows = [
        [
            _label(o.input),
            o.status,
            o.paper_id or "-",
            str(o.pages or "-"),
            str(o.sentences or "-"),
            ", ".join(o.flags) or "-",
        ]
        for o in outcomes
    ]
    columns = [("input", 1, False), ("status", 0, False), ("paper", 0, False)]
    columns += [("pages", 0, True), ("sentences", 0, True), ("flags", 0, False)]
    status_styles = {1: [_STATUS_STYLE.get(o.status, "") for o in outcomes]}
    table = fit_table(f"ingested into {directory}", columns, rows, status_styles)
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
    rows = []
    for p in papers:
        authors = ", ".join(p.authors[:3]) + (" et al." if len(p.authors) > 3 else "")
        rows.append(
            [
                p.paper_id,
                f"v{p.version}" if p.version else "-",
                p.title,
                authors or "-",
                str(p.year or "-"),
                str(p.pages),
                p.source,
                ", ".join(p.flags) or "-",
            ]
        )
    columns = [("id", 0, False), ("version", 0, True), ("title", 2, False), ("authors", 1, False)]
    columns += [("year", 0, False), ("pages", 0, True), ("source", 0, True), ("flags", 0, False)]
    table = fit_table(f"{len(papers)} papers in {directory}", columns, rows)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``ingest`` and ``papers`` to the main app."""
    app.command("ingest")(ingest_cmd)
    app.command("papers")(papers_cmd)
