"""``claimlab synthesize``: answer a question from the library's claims, citing paper and page."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from claimlab.cli_claims import JsonOpt, LibraryOpt, open_library, summary_table
from claimlab.console import console, error_line, warn_line


# --- synthesize ----------------------------------------------------------------------------------
def synthesize_cmd(
    question: Annotated[str, typer.Argument(help="The research question.")],
    top_n: Annotated[int, typer.Option("--top", min=1, help="Claims kept.")] = 20,
    as_json: JsonOpt = False,
    library: LibraryOpt = None,
) -> None:
    """Answer a question from the library's claims: themes, agreement, conflicts, citations."""
    from synth.synthesize import SynthesisSettings, synthesize

    if not question.strip():
        error_line("synthesize", "the question is empty")
        raise typer.Exit(2)
    with open_library(library, "synthesize") as lib:
        result = synthesize(lib, question, SynthesisSettings(top_n=top_n))
    if as_json:
        print(json.dumps(synthesis_json(result), ensure_ascii=False))
        return
    _print_synthesis(result)


def _cite(paper_id: str, page: int, titles: dict[str, str]) -> str:
    return f"{titles.get(paper_id) or paper_id}, p.{page}"


def _print_synthesis(result) -> None:
    console.print(f"[bold]{result.question}[/]\n")
    for line in result.answer:
        console.print(f"  {line}", highlight=False)
    if result.facets:
        table = Table(title="facets of the question")
        for col in ("facet", "claims in", "mentioned in", "status"):
            table.add_column(col, overflow="fold")
        for f in result.facets:
            color = {"claimed": "green", "partly claimed": "green", "mentioned only": "yellow"}
            status = f"[{color.get(f.status, 'red')}]{f.status}[/]"
            table.add_row(f.phrase, str(len(f.claim_papers)), str(len(f.mention_papers)), status)
        console.print(table)
    for theme in result.themes:
        mg = (
            f", {len(theme.machine_generated_papers)} machine-generated not counted"
            if theme.machine_generated_papers
            else ""
        )
        console.print(f"\n[bold cyan]{theme.name}[/] — {theme.evidence_count} paper(s){mg}")
        for line in theme.claims:
            cites = "; ".join(_cite(p, pg, result.titles) for p, pg in line.citations)
            mark = (
                "[red]conflicts[/] "
                if line.conflicts_with
                else ("[green]agrees[/] " if line.agrees_with else "")
            )
            flag = " [magenta](machine-generated, not counted)[/]" if line.machine_generated else ""
            console.print(f"  • {mark}{line.claim.text} [dim]({cites})[/]{flag}", highlight=False)
    if not result.themes:
        warn_line("synthesize", "no claim in the library is relevant to the question")
    papers = {p for t in result.themes for p in t.papers}
    console.print(summary_table("summary", [("claims considered", str(result.considered)),
                                       ("themes", str(len(result.themes))),
                                       ("papers cited (human-written)", str(len(papers))),
                                       ("gaps", str(len(result.gaps)))]))  # fmt: skip


def synthesis_json(s) -> dict[str, object]:
    """The JSON form of a Synthesis."""
    return {
        "question": s.question, "considered": s.considered, "settings_hash": s.settings_hash,
        "models": s.models, "excluded_machine_generated": list(s.excluded_machine_generated),
        "answer": list(s.answer), "gaps": list(s.gaps),
        "facets": [{"facet": f.phrase, "status": f.status, "claim_papers": list(f.claim_papers),
                    "full_claim_papers": list(f.full_papers),
                    "mention_papers": list(f.mention_papers)} for f in s.facets],
        "papers": s.titles,
        "themes": [
            {"name": t.name, "evidence_count": t.evidence_count, "papers": list(t.papers),
             "machine_generated_papers": list(t.machine_generated_papers),
             "claims": [{"id": c.claim.claim_id, "text": c.claim.text, "relevance": c.relevance,
                         "citations": [{"paper": p, "page": pg} for p, pg in c.citations],
                         "machine_generated": c.machine_generated, "agrees_with": list(c.agrees_with),
                         "conflicts_with": list(c.conflicts_with)} for c in t.claims]}
            for t in s.themes
        ],
    }  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add synthesize to the app."""
    app.command("synthesize")(synthesize_cmd)
