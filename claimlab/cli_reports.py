"""``claimlab report``, ``claimlab show`` and ``claimlab demo`` (the README's main-job command).

A thin layer: ``report`` calls reports.build -> reports.figures -> reports.render; ``show`` prints the
latest report's key tables from its report.json; ``demo`` lives in claimlab.demo.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from claimlab.console import console, error_line

LibraryOpt = Annotated[
    Path | None, typer.Option("--library", help="Library directory (default: ./claimlab-library).")
]
LATEST_NS, LATEST_KEY = "reports", "latest"


def make_report(
    library: Path | None,
    out: Path,
    question: str | None = None,
    study: str | None = None,
    commands: list[str] | None = None,
) -> dict[str, Path]:
    """Build, draw and render one report; remember it as the library's latest. Returns the paths."""
    from reports.build import build_report
    from reports.figures import draw_all
    from reports.render import render_all
    from synth.library import Library

    command = "claimlab " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    content = build_report(library, question, study, commands=[*(commands or []), command])
    content.figures = draw_all(content, out)
    paths = render_all(content, out)
    with Library(library) as lib:
        lib.kv_put(
            LATEST_NS, LATEST_KEY, {"dir": str(out.resolve()), "at": content.repro.created_at}
        )
    return paths


def report_cmd(
    out: Annotated[Path, typer.Option("--out", help="Folder for report.md/.html/.pdf.")] = Path(
        "claimlab-report"
    ),
    question: Annotated[
        str | None, typer.Option("--question", help="The research question the report answers.")
    ] = None,
    library: LibraryOpt = None,
    study: Annotated[
        str | None, typer.Option("--study", help="Only claim checks of this study.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Plain JSON on stdout.")] = False,
) -> None:
    """Write report.md, report.html (self-contained) and report.pdf from the library's results."""
    try:
        paths = make_report(library, out, question, study)
    except (OSError, ValueError) as exc:
        error_line(str(out), str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise typer.Exit(1) from exc
    if as_json:
        print(json.dumps({k: str(v) for k, v in paths.items()}))
        return
    _files_table(paths)


def _files_table(paths: dict[str, Path]) -> None:
    content = json.loads(paths["json"].read_text(encoding="utf-8"))
    table = Table(title="report written")
    table.add_column("file")
    table.add_column("size", justify="right")
    for kind in ("pdf", "html", "md", "json"):
        table.add_row(str(paths[kind]), f"{paths[kind].stat().st_size / 1024:.0f} KiB")
    console.print(table)
    console.print(
        f"{len(content['papers'])} papers, {len(content['claims'])} claims, "
        f"{len(content['runs'])} runs, {len(content['figures'])} figures"
    )


def latest_report_dir(library: Path | None) -> Path | None:
    """The folder of the library's latest report, if one was written."""
    from synth.library import Library

    with Library(library) as lib:
        latest = lib.kv_get(LATEST_NS, LATEST_KEY)
    return Path(latest["dir"]) if isinstance(latest, dict) and latest.get("dir") else None


def show_cmd(
    library: LibraryOpt = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="A report folder (default: the latest).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print report.json.")] = False,
) -> None:
    """Print the latest report's answer, claims, grid and per-language tables."""
    folder = report or latest_report_dir(library)
    path = folder / "report.json" if folder else None
    if path is None or not path.is_file():
        error_line(str(path or "library"), "no report found; run `claimlab report --out DIR` first")
        raise typer.Exit(1)
    data = json.loads(path.read_text(encoding="utf-8"))
    if as_json:
        print(json.dumps(data))
        return
    from claimlab.show import print_report

    print_report(data, folder)


def register(app: typer.Typer) -> None:
    """Add ``report``, ``show`` and ``demo`` to the main app."""
    from claimlab.demo import demo_cmd

    app.command("report")(report_cmd)
    app.command("show")(show_cmd)
    app.command("demo")(demo_cmd)
