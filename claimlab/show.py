"""Rich terminal view of a report.json: the answer, the claims, the grid, the languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from claimlab.console import console


def _n(value: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if value is None else fmt.format(value)


def _verdict_style(display: str) -> str:
    if "low confidence" in display or display == "not verified":
        return "yellow"
    return (
        "green"
        if display.startswith("verified")
        else "red"
        if display.startswith("refuted")
        else ""
    )


def _empirical(x: dict[str, Any]) -> str:
    out = escape(x["verdict"].lower()) + (f" ({escape(x['arm'])})" if x.get("arm") else "")
    if x.get("effect") is not None:
        out += f" {x['effect']:+.1f} [{_n(x.get('ci_low'))}, {_n(x.get('ci_high'))}]"
    if x.get("paper_magnitude") is not None:
        out += f", paper {x['paper_magnitude']:+.1f}"
    return out


def claims_table(claims: list[dict[str, Any]]) -> Table:
    table = Table(title="claims", show_lines=True, expand=True)
    table.add_column("#", no_wrap=True)
    table.add_column("claim (whole) and source", ratio=5)
    table.add_column("textual verdict", ratio=2)
    table.add_column("empirical", ratio=2)
    for c in claims:
        src = f"{c.get('paper_id') or '?'}" + (f", p. {c['page']}" if c.get("page") else "")
        textual = Text(c["textual_display"], style=_verdict_style(c["textual_display"]))
        if c.get("evidence_quote"):
            textual.append(f"\nevidence p. {c.get('evidence_page') or '?'}", style="dim")
        emp = "\n".join(_empirical(x) for x in c.get("empirical", [])) or "untested"
        table.add_row(c["ref"], f"{escape(c['text'])}\n[dim]{escape(src)}[/]", textual, emp)
    return table


def cells_table(cells: list[dict[str, Any]], metric: str) -> Table:
    table = Table(title="grid: low-resource mean of each task's metric")
    for col in (
        "task",
        "model size",
        "intermediate",
        "examples",
        "runs",
        "low-res.",
        "sd",
        "en",
        "gap",
    ):
        table.add_column(
            col, justify="left" if col in ("task", "model size", "intermediate") else "right"
        )
    for x in cells:
        table.add_row(
            escape(x.get("task", "")), escape(x["size"]), escape(x["intermediate"]), x["volume_label"], str(x["runs"]),
            _n(x["low_resource_mean"]), _n(x["low_resource_sd"]), _n(x["english"]), _n(x["gap"]),
        )  # fmt: skip
    return table


def languages_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="per language (most-resourced first)")
    for col in ("task", "code", "language", "group", "no intermediate", "STILTs", "gap to en"):
        table.add_column(col, justify="right" if col[0] in "nSg" and col != "group" else "left")
    for x in rows:
        style = "red" if x["group"] == "low" else ""
        table.add_row(
            escape(x.get("task", "")), x["lang"], f"{escape(x['english_name'])} ({escape(x['endonym'])})",
            Text(x["group"], style=style),
            _n(x["baseline"]), _n(x["best"]), _n(x["gap_to_english"]),
        )  # fmt: skip
    return table


def print_report(data: dict[str, Any], folder: Path) -> None:
    """Print the key parts of one report."""
    console.print(Panel(escape(data["question"]), title=escape(data["title"]), expand=True))
    answer = " ".join(escape(s["text"]) for s in data.get("answer", []))
    console.print(Panel(answer or "(no answer)", title="answer"))
    if data.get("claims"):
        console.print(claims_table(data["claims"]))
    if data.get("cells"):
        console.print(cells_table(data["cells"], data.get("primary_metric", "")))
    if data.get("languages"):
        console.print(languages_table(data["languages"]))
    summary = Table(title="report")
    for col in ("papers", "claims", "runs", "figures", "folder"):
        summary.add_column(col)
    summary.add_row(
        str(len(data.get("papers", []))), str(len(data.get("claims", []))),
        str(len(data.get("runs", []))), str(len(data.get("figures", []))), str(folder),
    )  # fmt: skip
    console.print(summary)
