"""Gather one report's content from the library and the results store into a ReportContent.

Reads only stored records (papers, claims, verdicts, runs, claim checks, studies): building a report
never computes a verdict or trains a model. The steps::

    # === Step 1: papers (machine-generated sources flagged and excluded)
    # === Step 2: claims with their textual verdicts and claim checks
    # === Step 3: runs -> grid cells -> per-language rows
    # === Step 4: answer, methods, limitations, reproducibility
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from replicate.records import ClaimCheck, RunResult
from replicate.results import ResultsStore
from reports import analysis, methods, narrative, provenance
from reports.content import (
    AuditRow,
    ClaimRow,
    EmpiricalRow,
    FacetRow,
    PaperRow,
    ReportContent,
    textual_display,
)
from synth.library import Library
from synth.records import FLAG_MACHINE_GENERATED, Paper
from synth.synthesize import synthesize

# The question that drives the first report, as the project brief asks it.
DEFAULT_QUESTION = (
    "What is the comparative effect of scaling intermediate-task data volume versus model size on "
    "the robustness of zero-shot cross-lingual transfer across low-resource languages in XTREME-R?"
)
MAX_CLAIM_ROWS = 60  # the rest stay in report.json; the table says how many were left out


def build_report(
    library: str | Path | None = None,
    question: str | None = None,
    study: str | None = None,
    commands: Sequence[str] = (),
) -> ReportContent:
    """Build the content of one report from what the library and results store hold.

    Args:
        library: library directory (holds library.sqlite and results.sqlite).
        question: the research question; the default is the first report's question.
        study: show the runs of this study (None = the latest recorded study, else every run).
        commands: the commands that produced the stored results, for the appendix.

    Returns:
        The complete, typed content; figures are added by ``reports.figures``.
    """
    question = (question or DEFAULT_QUESTION).strip()
    with Library(library) as lib:
        # === Step 1: papers
        papers = lib.papers()
        claims, verdicts = _stored_claims(lib.conn), _stored_verdicts(lib.conn)
        queries = _stored_queries(lib.conn)
        audits = _stored_audits(lib.conn)
        lib_dir = str(lib.directory)
        facets, coverage = _facets(lib, question) if papers else ([], [])
    with ResultsStore(library) as store:
        all_runs, checks, studies = store.all(), store.checks(), store.studies()
    runs, study_name = _study_runs(all_runs, studies, study)
    # === Step 2: claims with both verdicts
    paper_rows = _paper_rows(papers, claims)
    claim_rows, omitted = _claim_rows(papers, claims, verdicts, checks)
    for audit in audits:  # the audit's per-claim findings go beside the claim
        for row in claim_rows:
            for cid in (row.claim_id, *row.also_ids):
                row.issues = list(audit.claim_issues.get(cid, row.issues))
    # === Step 3: runs of each target task -> cells -> languages -> per-doubling fits
    tasks = analysis.task_order(runs)
    grouping = analysis.load_grouping(sorted({lg for r in runs for lg in r.scores}))
    cells, languages, fits = [], [], []
    for task in tasks:
        task_runs = [r for r in runs if r.task == task]
        task_cells = analysis.cells(task_runs, grouping)
        cells += task_cells
        languages += analysis.language_rows(task_runs, task_cells, grouping)
        fits += analysis.axis_fits(task_runs)
    metrics = {t: next(r.primary_metric for r in runs if r.task == t) for t in tasks}
    at_chance = {t: c for t in tasks if (c := analysis.near_chance(runs, t)) is not None}
    # === Step 4: words and provenance
    content = ReportContent(
        title=_title(question),
        question=question,
        papers=paper_rows,
        facets=facets,
        coverage=coverage,
        claims=claim_rows,
        claims_omitted=omitted,
        audits=audits,
        runs=analysis.run_rows(runs, grouping),
        cells=cells,
        fits=fits,
        languages=languages,
        primary_metric=metrics[tasks[0]] if tasks else "",
        target_task=tasks[0] if tasks else "",
        tasks=metrics,
        at_chance=at_chance,
        study=study_name,
    )
    content.methods = methods.methods(content, papers, verdicts, studies, queries, grouping)
    content.methods.data = run_data_sources(lib_dir, runs)
    content.answer = narrative.answer(content, grouping)
    content.limitations = methods.limitations(content, runs, studies, grouping)
    content.repro = provenance.reproducibility(runs, verdicts, claims, studies, lib_dir, commands)
    return content


def _study_runs(
    runs: list[RunResult], studies: Sequence[dict[str, Any]], study: str | None
) -> tuple[list[RunResult], str]:
    """The runs of one study (the named one, else the latest recorded); all runs if none is."""
    chosen = [s for s in studies if s.get("name") == study] if study else list(studies[-1:])
    if study and not chosen:
        raise ValueError(f"no study named {study!r} in the results store")
    if not chosen or not chosen[-1].get("run_ids"):
        return runs, ""
    ids = set(chosen[-1]["run_ids"])
    return [r for r in runs if r.run_id in ids], str(chosen[-1].get("name", ""))


def _facets(lib: Library, question: str) -> tuple[list[FacetRow], list[str]]:
    """The synthesis's per-facet coverage of the question (synth.synthesize), as report rows."""
    result = synthesize(lib, question)
    rows = []
    for f in result.facets:
        cite = [result.titles.get(p, p) for p in f.claim_papers]
        mention = [result.titles.get(p, p) for p in f.mention_papers]
        rows.append(FacetRow(facet=f.phrase, status=f.status, claim_papers=cite,
                             mention_papers=mention))  # fmt: skip
    return rows, list(result.answer)


def _title(question: str) -> str:
    # Never cut: a truncated title is one of the seed report's flaws. Long titles wrap instead.
    return question.rstrip("?. ")


# --- reading the library (defensive: the claims/verdicts tables are written by synth) -------------
def _rows(conn: sqlite3.Connection, sql: str) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []


def _stored_claims(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """claim_id -> Claim dict (the newest settings wins when one claim was stored twice)."""
    out: dict[str, dict[str, Any]] = {}
    for row in _rows(conn, "SELECT claim_id, payload FROM claims ORDER BY rowid"):
        try:
            out[row[0]] = json.loads(row[1])
        except (TypeError, json.JSONDecodeError):
            continue
    return out


def _stored_verdicts(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """claim_id -> Verdict dict; the most recent verdict per claim."""
    out: dict[str, dict[str, Any]] = {}
    for row in _rows(conn, "SELECT claim_key, payload FROM verdicts ORDER BY created_at, rowid"):
        try:
            v = json.loads(row[1])
        except (TypeError, json.JSONDecodeError):
            continue
        out[str(v.get("claim_id") or row[0])] = v
    return out


def _stored_queries(conn: sqlite3.Connection) -> list[str]:
    """Search queries the ingest stored (kv namespaces 'queries' / 'search'), if any."""
    rows = _rows(conn, "SELECT key, value FROM kv WHERE namespace IN ('queries','search')")
    out = []
    for key, value in rows:
        try:
            v = json.loads(value)
        except json.JSONDecodeError:
            v = value
        out.append(v.get("query", key) if isinstance(v, dict) else str(key))
    return sorted(set(map(str, out)))


def _stored_audits(conn: sqlite3.Connection) -> list[AuditRow]:
    """Audits of input reports (kv namespace 'audit', written by the demo's audit step)."""
    out = []
    for _key, value in _rows(
        conn, "SELECT key, value FROM kv WHERE namespace='audit' ORDER BY key"
    ):
        try:
            out.append(AuditRow.model_validate(json.loads(value)))
        except (json.JSONDecodeError, ValueError):
            continue
    return out


# --- tables ------------------------------------------------------------------------------
def paper_link(p: Paper) -> str | None:
    if p.url:
        return p.url
    if p.arxiv_id:
        return f"https://arxiv.org/abs/{p.arxiv_id}" + (f"v{p.version}" if p.version else "")
    return None


def _paper_rows(papers: Sequence[Paper], claims: dict[str, dict[str, Any]]) -> list[PaperRow]:
    per_paper: dict[str, int] = {}
    for c in claims.values():
        per_paper[str(c.get("paper_id"))] = per_paper.get(str(c.get("paper_id")), 0) + 1
    return [
        PaperRow(
            paper_id=p.paper_id,
            title=p.title,
            authors=list(p.authors),
            year=p.year,
            link=paper_link(p),
            pages=p.pages,
            flags=list(p.flags),
            excluded=FLAG_MACHINE_GENERATED in p.flags,
            claims=per_paper.get(p.paper_id, 0),
        )
        for p in papers
    ]


def _claim_rows(
    papers: Sequence[Paper],
    claims: dict[str, dict[str, Any]],
    verdicts: dict[str, dict[str, Any]],
    checks: Sequence[ClaimCheck],
) -> tuple[list[ClaimRow], int]:
    """Claims that have a verdict or a check; checked and confident first. Returns (rows, omitted)."""
    by_id = {p.paper_id: p for p in papers}
    checks_by_claim: dict[str, list[ClaimCheck]] = {}
    for c in checks:  # a check id is the claim id, or "<claim id>:<arm>[:<target>]"
        checks_by_claim.setdefault(c.claim_id.split(":", 1)[0], []).append(c)
    ids = list(dict.fromkeys([*checks_by_claim, *verdicts]))
    rows = [
        _claim_row(cid, claims.get(cid, {}), verdicts.get(cid), checks_by_claim.get(cid, []), by_id)
        for cid in ids
    ]
    rows = _merge_same_claims(rows)
    rows.sort(key=_claim_order)
    kept = rows[:MAX_CLAIM_ROWS]
    for i, row in enumerate(kept, 1):
        row.ref = f"C{i}"
    return kept, len(rows) - len(kept)


def _merge_same_claims(rows: list[ClaimRow]) -> list[ClaimRow]:
    """One row per claim: the same sentence of one source stored twice (e.g. extracted from the
    library and read by the audit of the same report) is merged, its checks and ids kept."""
    merged: dict[tuple[str, str], ClaimRow] = {}
    for row in rows:
        key = (row.paper_id or "", " ".join(row.text.split()).casefold())
        first = merged.setdefault(key, row)
        if first is row:
            continue
        first.also_ids.append(row.claim_id)
        first.empirical += row.empirical
        first.testable = first.testable or row.testable
        if first.empirical_verdict == "UNTESTED":
            first.empirical_verdict = row.empirical_verdict
        if first.textual_label is None and row.textual_label is not None:
            first.also_ids.append(first.claim_id)
            first.claim_id = row.claim_id
            for name in ("textual_label", "confidence", "textual_display", "evidence_quote",
                         "evidence_paper", "evidence_page", "verdict_settings_hash"):  # fmt: skip
                setattr(first, name, getattr(row, name))
    return list(merged.values())


def _claim_order(row: ClaimRow) -> tuple:
    tested = any(x.verdict not in ("UNTESTED", "UNTESTABLE") for x in row.empirical)
    return (not tested, not row.testable, -(row.confidence or 0.0), row.claim_id)


def _claim_row(
    claim_id: str,
    claim: dict[str, Any],
    verdict: dict[str, Any] | None,
    checks: Sequence[ClaimCheck],
    papers: dict[str, Paper],
) -> ClaimRow:
    text = claim.get("text") or (verdict or {}).get("claim") or (checks[0].claim if checks else "")
    paper_id = claim.get("paper_id")
    if paper_id is None and claim_id.split("#", 1)[0] in papers:
        # A verdict whose claim row is gone (claims re-extracted under newer rules): the claim id
        # still names its paper.
        paper_id = claim_id.split("#", 1)[0]
    paper = papers.get(paper_id or "")
    row = ClaimRow(
        ref="",
        claim_id=claim_id,
        text=text,
        paper_id=paper_id,
        paper_title=paper.title if paper else "",
        page=claim.get("page"),
        from_machine_generated=bool(paper and paper.machine_generated),
        truncated_at_source=bool(claim.get("truncated")),
    )
    if verdict:
        _add_verdict(row, verdict, papers)
    if checks:
        _add_checks(row, checks)
    return row


def _add_verdict(row: ClaimRow, verdict: dict[str, Any], papers: dict[str, Paper]) -> None:
    row.textual_label = verdict.get("label")
    conf = verdict.get("confidence")
    row.confidence = float(conf) if conf is not None else None
    row.textual_display = textual_display(row.textual_label, row.confidence)
    row.verdict_settings_hash = str(verdict.get("settings_hash", ""))
    evidence = [e for e in verdict.get("evidence") or () if not e.get("machine_generated")]
    if evidence:
        top = max(evidence, key=lambda e: e.get("score", 0.0))
        row.evidence_quote = str(top.get("text", ""))
        row.evidence_page = top.get("page")
        pid = str(top.get("paper_id", ""))
        row.evidence_paper = pid
        if pid in papers and papers[pid].arxiv_id:
            row.evidence_paper = f"{papers[pid].arxiv_id}v{papers[pid].version or '?'}"


def _add_checks(row: ClaimRow, checks: Sequence[ClaimCheck]) -> None:
    row.empirical = [
        EmpiricalRow(
            check_id=c.claim_id,
            arm=str(
                c.treatment.get("intermediate_task")
                or "+".join(c.treatment.get("intermediate_tasks") or ())
                or ""
            ),
            targets=list(c.target_tasks),
            verdict=c.verdict,
            testable=c.testable,
            reason=c.reason,
            effect=c.effect,
            ci_low=c.ci_low,
            ci_high=c.ci_high,
            p_value=c.p_value,
            paper_magnitude=c.expected_magnitude,
            differences=list(c.differences),
            languages=list(c.languages),
            run_ids=list(c.run_ids),
        )
        for c in checks
    ]
    row.testable = any(c.testable for c in checks)
    verdicts = list(dict.fromkeys(c.verdict for c in checks))
    row.empirical_verdict = verdicts[0] if len(verdicts) == 1 else " / ".join(verdicts)
    if not row.text:
        row.text = checks[0].claim


def _run_details(library: str | Path, run: RunResult) -> dict[str, Any]:
    """A run's result.json (beside its predictions), else replicate.pipeline.run_details."""
    if run.prediction_dir:
        path = Path(run.prediction_dir).parent / "result.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    try:
        from replicate.pipeline import run_details
    except ImportError:
        return {}
    return run_details(Path(library), run.run_id)


def run_data_sources(library: str | Path, runs: Sequence[RunResult]) -> list[str]:
    """What the runs' phases actually read, from each run's result.json (stand-ins are named)."""
    seen: dict[str, None] = {}
    for r in runs:
        try:
            whole = _run_details(library, r)
        except (OSError, ValueError):
            continue
        details = whole.get("details", whole)  # result.json = the RunResult plus "details"
        for phase in ("intermediate", "target_training"):
            info = details.get(phase)
            data = info.get("data", []) if isinstance(info, dict) else []
            for d in data:
                seen[f"{phase.replace('_', ' ')}: {d}"] = None
        for task, langs in (details.get("skipped_languages") or {}).items():
            seen[f"skipped in {task}: {', '.join(map(str, langs))}"] = None
    return list(seen)


def load_runs(library: str | Path | None = None) -> list[RunResult]:
    """All stored runs (a convenience for the CLI's summaries)."""
    with ResultsStore(library) as store:
        return store.all()
