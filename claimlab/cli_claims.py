"""``claimlab claims``, ``verify`` and ``audit``: claims, evidence and verdicts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimlab.cli_synth import LibraryOpt
from claimlab.console import console, err_console, error_line, warn_line
from synth.library import Library, LibraryError
from synth.parser_version import papers_parsed_before

JsonOpt = Annotated[bool, typer.Option("--json", help="JSON lines on stdout, no tables.")]
NliOpt = Annotated[
    str | None,
    typer.Option(
        "--nli-model", help="Optional NLI cross-encoder (hub id or folder), a second stage."
    ),
]
EmbedOpt = Annotated[
    str,
    typer.Option(
        "--embed-model",
        help="sentence-transformers model: the packaged all-MiniLM-L6-v2 (offline), a hub id, a folder.",
    ),
]
BackendOpt = Annotated[
    str,
    typer.Option(
        "--embed-backend",
        help="Encoder runtime: auto (ONNX Runtime for the packaged model, exported once into the"
        " library; else torch), torch, onnx, or onnx-int8 (faster, a different encoder: opt-in).",
    ),
]
DeviceOpt = Annotated[
    str,
    typer.Option(
        "--device",
        help="torch device of the encoder: cpu (default), cuda, cuda:1, mps. Any device but cpu"
        " runs the encoder in torch (the ONNX graph is CPU-only); verdicts stamp it in their"
        " settings hash.",
    ),
]
_BACKENDS = ("auto", "torch", "onnx", "onnx-int8")


def check_device(device: str) -> str | None:
    """Why ``device`` cannot run the encoder here (one line), or None when it can."""
    if device == "cpu":
        return None
    import torch

    try:
        dev = torch.device(device)
    except (RuntimeError, ValueError) as exc:
        return f"{device!r} is not a torch device ({str(exc).splitlines()[0]})"
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            return f"{device!r}: torch {torch.__version__} sees no CUDA GPU here"
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            return f"{device!r}: only {torch.cuda.device_count()} CUDA device(s) here"
    elif dev.type == "mps" and not torch.backends.mps.is_available():
        return f"{device!r}: MPS is not available here"
    elif dev.type not in ("cuda", "mps"):
        return f"{device!r}: use cpu, cuda[:N] or mps"
    return None


_LABEL_STYLE = {"SUPPORTS": "green", "REFUTES": "red", "NOT ENOUGH INFO": "yellow"}


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def open_library(library: str | None, subject: str) -> Library:
    """Open the library; exit with one clear line when it cannot be used or holds no papers."""
    try:
        lib = Library(library)
    except (LibraryError, OSError) as exc:
        error_line(subject, str(exc))
        raise typer.Exit(1) from exc
    if not lib.papers():
        error_line(
            str(lib.directory), "the library has no papers: run `claimlab ingest PATH` first"
        )
        lib.close()
        raise typer.Exit(1)
    if old := papers_parsed_before(lib):
        warn_line(
            str(lib.directory),
            f"{len(old)} paper(s) were parsed by an older claimlab (tables and sections may read "
            "differently): run `claimlab reparse` to read them the current way",
        )
    return lib


def _progress(label: str) -> Progress:
    return Progress(
        TextColumn(f"[bold]{label}[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=True,
    )  # fmt: skip


def summary_table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for k, v in rows:
        table.add_row(k, v)
    return table


# --- claims --------------------------------------------------------------------------------------
def claims_cmd(
    paper: Annotated[str | None, typer.Option("--paper", help="Only this paper id.")] = None,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score",
            min=0,
            max=1,
            help="Check-worthiness a sentence needs (default: 0.5, where the cues balance).",
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option("--top", min=1, help="The N highest-scored claims per paper (no budget)."),
    ] = None,
    budget_share: Annotated[
        float | None,
        typer.Option(
            "--budget-share",
            min=0.01,
            max=1,
            help="At most this share of a paper's prose sentences (or --budget-floor claims, "
            "whichever is more), highest-scored first; 1 with --budget-floor 0: no budget "
            "(default: 0.35).",
        ),
    ] = None,
    budget_floor: Annotated[
        int | None,
        typer.Option("--budget-floor", min=0, help="Claims a paper may always list (default: 40)."),
    ] = None,
    as_json: JsonOpt = False,
    library: LibraryOpt = None,
) -> None:
    """List the claims the library's papers make: typed, scored, with numbers and entities.

    A claim is a whole sentence scoring at least --min-score; each paper lists its most
    check-worthy ones within its budget (--budget-share / --budget-floor), or exactly --top.
    """
    from synth.claims import ClaimSettings, library_claims

    # Unset flags keep ClaimSettings' defaults: one place for them.
    given = {"min_score": min_score, "top": top, "budget_share": budget_share,
             "budget_floor": budget_floor}  # fmt: skip
    settings = ClaimSettings(**{k: v for k, v in given.items() if v is not None})
    with open_library(library, "claims") as lib:
        papers = [p.paper_id for p in lib.papers()]
        if paper and paper not in papers:
            error_line(paper, "no such paper in the library (see `claimlab papers`)")
            raise typer.Exit(1)
        targets = [paper] if paper else papers
        claims = []
        with _progress("claims") as bar:
            task = bar.add_task("", total=len(targets))
            for pid in targets:
                claims.extend(library_claims(lib, pid, settings))
                bar.advance(task)
    if as_json:
        for c in claims:
            print(json.dumps(_claim_json(c), ensure_ascii=False))
        return
    table = Table(title="claims", show_lines=False)
    for col in ("paper", "p.", "section", "type", "score", "claim"):
        table.add_column(col, overflow="fold" if col == "claim" else "ellipsis")
    for c in claims:
        table.add_row(
            c.paper_id, str(c.page), _clip(c.section or "", 18), c.type, f"{c.score:.2f}", c.text
        )
    console.print(table)
    by_type = {
        t: sum(c.type == t for c in claims)
        for t in ("result", "comparison", "method", "contribution")
    }
    console.print(summary_table("summary", [("papers", str(len(targets))), ("claims", str(len(claims)))]
                           + [(k, str(v)) for k, v in by_type.items()]))  # fmt: skip


def _claim_json(c) -> dict[str, object]:
    return {
        "id": c.claim_id, "paper": c.paper_id, "page": c.page, "section": c.section,
        "text": c.text, "type": c.type, "score": c.score,
        "numbers": [n.to_dict() for n in c.numbers], "entities": c.entities,
        "sources": [{"paper": p, "page": pg} for p, pg in c.sources],
    }  # fmt: skip


# --- verify --------------------------------------------------------------------------------------
def read_claims_file(path: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(id, claim) pairs from JSON lines or plain text, and (where, problem) for bad lines."""
    return read_claims_text(path.read_text(encoding="utf-8"), str(path))


def read_claims_text(text: str, source: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(id, claim) pairs from JSON lines or plain text; bad lines are named ``source:line``."""
    good: list[tuple[str, str]] = []
    bad: list[tuple[str, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        where = f"{source}:{lineno}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append((where, f"not valid JSON ({exc.msg})"))
                continue
            text = obj.get("claim") if isinstance(obj, dict) else None
            if not isinstance(text, str) or not text.strip():
                bad.append((where, 'needs a non-empty "claim" string'))
                continue
            good.append((str(obj.get("id", f"line-{lineno}")), text.strip()))
        else:
            good.append((f"line-{lineno}", line))
    return good, bad


def _gather_claims(
    claims_file: Path | None, typed: list[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Claims from CLAIMS (a file, or '-' for standard input) and from --claim options."""
    items = [(f"claim-{i}", t.strip()) for i, t in enumerate(typed, 1) if t.strip()]
    bad = [(f"--claim #{i}", "is empty") for i, t in enumerate(typed, 1) if not t.strip()]
    if claims_file is None:
        return items, bad
    if str(claims_file) == "-":
        more, worse = read_claims_text(sys.stdin.read(), "stdin")
    elif not claims_file.is_file():
        return items, [*bad, (str(claims_file), "no such file")]
    else:
        try:
            more, worse = read_claims_file(claims_file)
        except UnicodeDecodeError:
            return items, [*bad, (str(claims_file), "not UTF-8 text")]
    return [*more, *items], [*worse, *bad]


def verify_cmd(
    claims_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[CLAIMS]",
            help="JSON lines with id+claim, or one claim a line; '-' reads standard input.",
        ),
    ] = None,
    typed: Annotated[
        list[str] | None,
        typer.Option("--claim", "-c", help="A claim typed here (repeat for more)."),
    ] = None,
    as_json: JsonOpt = False,
    nli_model: NliOpt = None,
    calibrator: Annotated[str | None, typer.Option("--calibrator", help="Calibrator JSON.")] = None,
    top_k: Annotated[
        int,
        typer.Option(
            "--top-k",
            min=1,
            help="Candidate evidence sentences the checks read (the calibrator was fitted on 10).",
        ),
    ] = 10,
    embed_model: EmbedOpt = "all-MiniLM-L6-v2",
    embed_backend: BackendOpt = "auto",
    device: DeviceOpt = "cpu",
    library: LibraryOpt = None,
) -> None:
    """Verify claims against the library: label, calibrated confidence, evidence with pages."""
    from synth.embed import EmbedSettings
    from synth.search import SearchSettings
    from synth.verify import Verifier, VerifySettings, looks_english, verdict_json

    if claims_file is None and not typed:
        error_line("verify", "give a CLAIMS file, '-' for standard input, or --claim TEXT")
        raise typer.Exit(2)
    if embed_backend not in _BACKENDS:
        error_line("--embed-backend", f"{embed_backend!r} is not one of {', '.join(_BACKENDS)}")
        raise typer.Exit(2)
    if (problem := check_device(device)) is not None:
        error_line("--device", problem)
        raise typer.Exit(2)
    items, bad = _gather_claims(claims_file, typed or [])
    for where, problem in bad:
        error_line(where, problem)
    if not items:
        source = str(claims_file) if claims_file is not None else "--claim"
        error_line(source, "no claims to verify (the file is empty or every line is bad)")
        raise typer.Exit(1)
    for cid, text in items:
        if not looks_english(text):
            warn_line(cid, "claim is not in English: marked NOT ENOUGH INFO, not checked")
    search = SearchSettings(
        top_k=top_k, embed=EmbedSettings(model=embed_model, backend=embed_backend, device=device)
    )
    settings = VerifySettings(search=search, nli_model=nli_model, calibrator=calibrator)
    with open_library(library, "verify") as lib:
        try:
            verifier = Verifier(lib, settings)
            cite = {p.paper_id: p.citation for p in lib.papers()}
            with _progress("verify") as bar:
                task = bar.add_task("", total=len(items))
                verdicts = verifier.verify_many(items, progress=lambda n: bar.advance(task, n))
        except (OSError, ValueError, RuntimeError) as exc:
            error_line("verify", f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}")
            raise typer.Exit(1) from exc
    if as_json:
        for v in verdicts:
            print(json.dumps(verdict_json(v), ensure_ascii=False))
    else:
        _print_verdicts(verdicts, settings.verified_min_confidence, cite)
    if bad:
        raise typer.Exit(1)


def _evidence_cell(v, cite: dict[str, str]) -> str:
    """The rationale (paper, page, sentence); for NOT ENOUGH INFO, the nearest sentence, marked."""
    if v.evidence:
        e = v.evidence[0]
        more = f" (+{len(v.evidence) - 1} more)" if len(v.evidence) > 1 else ""
        return f"{cite.get(e.paper_id, e.paper_id)}, p.{e.page}: “{e.text}”{more}"
    nearest = v.checks.get("nearest") if isinstance(v.checks, dict) else None
    if nearest:
        # A human-written sentence first: a machine-generated one is shown only when alone.
        n = min(nearest, key=lambda x: bool(x.get("machine_generated")))
        where = cite.get(n["paper"], n["paper"])
        mg = " (machine-generated)" if n.get("machine_generated") else ""
        return f"[dim]nearest: {where}{mg}, p.{n['page']}: “{n['text']}”[/]"
    return "—"


def _print_verdicts(verdicts, min_conf: float, cite: dict[str, str] | None = None) -> None:
    from synth.verify import verified_label

    # Claim and evidence share the wide column, so it reads at 80 columns too.
    table = Table(title="verdicts", expand=True, show_lines=True)
    table.add_column("id", no_wrap=True)
    table.add_column("claim · evidence", ratio=4)
    table.add_column("verdict", ratio=1, min_width=12)
    for v in verdicts:
        style = _LABEL_STYLE[v.label]
        claim = f"[bold]{v.claim}[/]\n{_evidence_cell(v, cite or {})}"
        verdict = f"[{style}]{verified_label(v, min_conf)}[/]\n{v.confidence:.2f}"
        table.add_row(v.claim_id, claim, verdict)
    console.print(table)
    counts = [(lab, str(sum(v.label == lab for v in verdicts))) for lab in _LABEL_STYLE]
    console.print(summary_table("summary", [("claims", str(len(verdicts))), *counts]))


# --- audit ---------------------------------------------------------------------------------------
def audit_cmd(
    report: Annotated[Path, typer.Argument(help="A synthesis report: .txt, .md or .pdf.")],
    as_json: JsonOpt = False,
    library: LibraryOpt = None,
) -> None:
    """Audit a report: its claims and claims table, what is cut off, what the library says."""
    from synth.audit import AuditError, audit_report
    from synth.verify import Verifier, verdict_json, verified_label

    with open_library(library, "audit") as lib:
        try:
            result = audit_report(report, Verifier(lib))
            cite = {p.paper_id: p.citation for p in lib.papers()}
        except AuditError as exc:
            error_line(str(report), str(exc).removeprefix(f"{report}: "))
            raise typer.Exit(1) from exc
    if as_json:
        for c in result.claims:
            row = {"origin": c.origin, "truncated": c.claim.truncated, "issues": list(c.issues),
                   "reported_verified": c.reported_verified, "reported_confidence": c.reported_confidence}  # fmt: skip
            print(json.dumps({**verdict_json(c.verdict), **row}, ensure_ascii=False))
        return
    # Three columns read at any width: what the report claimed, what the library says.
    table = Table(title=f"audit: {_clip(result.title, 70)}", expand=True, show_lines=True)
    table.add_column("#", no_wrap=True)
    table.add_column("claim (from the report) · evidence in the library", ratio=3)
    table.add_column("report said → we find", ratio=2)
    for i, c in enumerate(result.claims, 1):
        said = "" if c.reported_verified is None else ("✓" if c.reported_verified else "✗")
        if c.reported_confidence is not None:
            said += f" {c.reported_confidence:.2f}"
        v = c.verdict
        style = _LABEL_STYLE[v.label]
        verdict = f"{said or '—'} → [{style}]{verified_label(v)}[/] {v.confidence:.2f}"
        if c.issues:
            verdict += "\n[yellow]" + "; ".join(c.issues) + "[/]"
        claim = f"[bold]{c.claim.text}[/] [dim]({c.origin})[/]\n{_evidence_cell(v, cite)}"
        table.add_row(str(i), claim, verdict)
    console.print(table)
    rows = [("report", str(report)), ("claims", str(len(result.claims))),
            ("cut off", str(sum(c.claim.truncated for c in result.claims)))]  # fmt: skip
    rows += [(lab, str(sum(c.verdict.label == lab for c in result.claims))) for lab in _LABEL_STYLE]
    rows += [("issue", i) for i in result.issues]
    console.print(summary_table("summary", rows))


def register(app: typer.Typer) -> None:
    """Add claims, verify and audit to the app."""
    app.command("claims")(claims_cmd)
    app.command("verify")(verify_cmd)
    app.command("audit")(audit_cmd)
