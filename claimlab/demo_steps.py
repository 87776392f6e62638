"""The steps of ``claimlab demo``, each one call into synth/, replicate/ or reports/.

Every step returns a one-line detail for the summary table and is idempotent: what the library or
the results store already holds is reused. A step whose module is not installed raises
:class:`StepUnavailable` (one line naming the module), so the demo reports it and goes on.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from synth.settings import resolve_data_dir, resolve_library_dir

SEED_DIR_NAME = "seed"


class StepUnavailable(RuntimeError):
    """A step's module or function is not there (yet)."""


@dataclass
class DemoContext:
    """Where everything is, resolved once."""

    library: Path
    out: Path
    data: Path
    spec: Path
    seed_reports: list[Path]
    executor: str | None = None
    question: str | None = None
    commands: list[str] = field(default_factory=list)
    seed_paper_ids: dict[str, str] = field(default_factory=dict)  # seed path -> paper id
    seed_claims: list[tuple[str, str]] = field(default_factory=list)  # (claim id, text)
    study: str | None = None

    @classmethod
    def create(
        cls,
        library: Path | None,
        out: Path,
        data: Path | None,
        spec: Path,
        seed_report: Path | None,
        executor: str | None,
        question: str | None,
    ) -> DemoContext:
        data_dir = resolve_data_dir(data)
        if seed_report is not None:
            seeds = [seed_report]
        else:
            seed_dir = data_dir.parent / SEED_DIR_NAME
            seeds = sorted(seed_dir.glob("*.txt")) if seed_dir.is_dir() else []
        return cls(
            library=resolve_library_dir(library),
            out=out.resolve(),
            data=data_dir,
            spec=spec.resolve(),
            seed_reports=seeds,
            executor=executor,
            question=question,
        )


StepFn = Callable[[DemoContext], str]


def need(module: str, name: str) -> Any:
    """``module.name``, or StepUnavailable naming what is missing."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise StepUnavailable(f"{module} is not available ({exc})") from exc
    if not hasattr(mod, name):
        raise StepUnavailable(f"{module}.{name} is not available")
    return getattr(mod, name)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    )


# === Step 1 ====================================================================================
def ingest(ctx: DemoContext) -> str:
    """Ingest ../shared/data/papers and the seed report(s); stored documents are recognised."""
    run_ingest = need("synth.ingest", "ingest")
    from synth.library import Library

    papers = ctx.data / "papers"
    inputs = [str(papers)] if papers.is_dir() else []
    inputs += [str(p) for p in ctx.seed_reports]
    online = seed_arxiv_ids(ctx.seed_reports)  # the papers the seed cites, when arXiv is reachable
    if not inputs:
        raise FileNotFoundError(f"no papers under {papers} and no seed report")
    with Library(ctx.library) as lib, progress_bar() as bar:
        task = bar.add_task("ingest", total=None)

        def tick(label: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"ingest {Path(label).name}")

        outcomes = run_ingest(lib, inputs + online, progress=tick)
        # A library an older claimlab filled reads its tables the old way: read it again first.
        reparsed = _reparse_stale(lib)
        seed_names = {str(p) for p in ctx.seed_reports}
        ctx.seed_paper_ids = {
            o.input: o.paper_id for o in outcomes if o.input in seed_names and o.paper_id
        }
        total = len(lib.papers())
    from claimlab.console import error_line, warn_line

    unreachable = [o for o in outcomes if o.status == "failed" and o.input in set(online)]
    failed = [o for o in outcomes if o.status == "failed" and o not in unreachable]
    tally: dict[str, int] = {}
    for o in outcomes:
        if o not in unreachable:
            tally[o.status] = tally.get(o.status, 0) + 1
    for o in failed:
        error_line(o.input, o.message)
    for o in unreachable:  # offline is a supported way to run: the local papers serve
        warn_line(o.input, f"not fetched ({o.message}); continuing with local papers")
    ctx.commands.append("claimlab ingest " + " ".join(inputs + online))
    detail = ", ".join(f"{n} {s}" for s, n in sorted(tally.items())) + f"; {total} in library"
    if reparsed:
        detail += f"; {reparsed} re-parsed (an older claimlab had read them)"
        ctx.commands.append("claimlab reparse")
    if unreachable:
        detail += f"; {len(unreachable)} cited arXiv paper(s) unreachable (offline)"
    if failed:
        raise RuntimeError(detail)
    return detail


def _reparse_stale(lib: Any) -> int:
    """Re-parse the papers an older claimlab read; failures are named and their old text kept."""
    from claimlab.console import error_line
    from synth.reparse import reparse, stale_papers

    outcomes = reparse(lib, stale_papers(lib))
    for o in outcomes:
        if o.status == "failed":
            error_line(o.paper_id, f"kept its old parse: {o.message}")
    return sum(o.status == "ok" for o in outcomes)


def seed_arxiv_ids(seeds: list[Path]) -> list[str]:
    """Versioned arXiv ids the seed reports cite (``arxiv.org/abs/2005.13013v2`` -> ``2005.13013v2``)."""
    import re

    found: dict[str, None] = {}
    for seed in seeds:
        text = Path(seed).read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}(?:v\d+)?)", text):
            found[m.group(1)] = None
    return list(found)


# === Step 2 ====================================================================================
def extract_and_verify(ctx: DemoContext) -> str:
    """Extract every paper's claims, pick those relevant to the question, verify them.

    Claims are extracted once per paper and settings (synth.claims.library_claims); verdicts are
    stored per claim and verification settings, so a re-run verifies nothing twice. A claim's own
    paper is excluded from its evidence: a sentence cannot support itself.
    """
    library_claims = need("synth.claims", "library_claims")
    synthesize = need("synth.synthesize", "synthesize")
    verifier_cls = need("synth.verify", "Verifier")
    from reports.build import DEFAULT_QUESTION
    from synth.library import Library

    question = ctx.question or DEFAULT_QUESTION
    with Library(ctx.library) as lib:
        claims = library_claims(lib)
        synthesis = synthesize(lib, question)
        picked = [line.claim for theme in synthesis.themes for line in theme.claims]
        verifier = verifier_cls(lib)
        new = verify_and_store(lib, verifier, [(c.claim_id, c.text, c.paper_id) for c in picked])
    ctx.commands += ["claimlab claims", f'claimlab synthesize "{question}"']
    return (
        f"{len(claims)} claims extracted; {len(picked)} relevant to the question; "
        f"{new} verified now, {len(picked) - new} reused"
    )


def verify_and_store(lib: Any, verifier: Any, items: list[tuple[str, str, str | None]]) -> int:
    """Verify the (id, text, own paper) items without a stored verdict; store them. Returns how many."""
    done = {
        row[0]
        for row in lib.conn.execute(
            "SELECT claim_key FROM verdicts WHERE settings_hash=?", (verifier.store_key,)
        )
    }
    todo = [(cid, text, own) for cid, text, own in items if cid not in done]
    if not todo:
        return 0
    with progress_bar() as bar:
        task = bar.add_task("verify", total=len(todo))
        verdicts = verifier.verify_many(
            [(cid, text) for cid, text, _ in todo],
            exclude=[(own,) if own else () for *_, own in todo],
            progress=lambda n: bar.advance(task, n),
        )
    # synth stores claims but leaves verdict storage to its callers: one row per claim x settings
    # and models (``Verifier.store_key``: a refitted calibrator or another encoder verifies anew).
    with lib.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO verdicts (claim_key, settings_hash, payload) VALUES (?,?,?)",
            [(v.claim_id, verifier.store_key, json.dumps(v.to_dict())) for v in verdicts],
        )
    return len(verdicts)


# === Step 3 ====================================================================================
def audit_seed(ctx: DemoContext) -> str:
    """Read each seed report's claims (table and text), verify them, record what is wrong."""
    audit_report = need("synth.audit", "audit_report")
    claim_issues = need("synth.audit", "claim_issues")
    verifier_cls = need("synth.verify", "Verifier")
    from synth.library import Library

    if not ctx.seed_reports:
        raise FileNotFoundError("no seed report found (../shared/seed/*.txt)")
    details = []
    with Library(ctx.library) as lib:
        verifier = verifier_cls(lib)
        for seed in ctx.seed_reports:
            result = audit_report(
                seed
            )  # unverified: verdicts come from the store or verify_and_store
            paper_id = ctx.seed_paper_ids.get(str(seed)) or _paper_id_of(lib, seed)
            claims = [
                replace(a.claim, paper_id=paper_id, page=a.claim.page or 1) for a in result.claims
            ]
            new = verify_and_store(lib, verifier, [(c.claim_id, c.text, None) for c in claims])
            verdicts = _stored_verdicts(lib, [c.claim_id for c in claims], verifier.store_key)
            audited = [replace(a, verdict=verdicts.get(a.claim.claim_id)) for a in result.claims]
            issues = [claim_issues(a) for a in audited]
            _store_audit(lib, seed, paper_id, result, claims, issues)
            details.append(f"{Path(seed).name}: {len(claims)} claims ({new} verified now), "
                           f"{len(result.issues)} report issues")  # fmt: skip
            ctx.seed_claims += [(c.claim_id, c.text) for c in claims]
            ctx.commands.append(f"claimlab audit {seed}")
    return "; ".join(details)


def _paper_id_of(lib: Any, path: Path) -> str | None:
    import hashlib

    paper = lib.has_sha(hashlib.sha256(Path(path).read_bytes()).hexdigest())
    return paper.paper_id if paper else None


def _stored_verdicts(lib: Any, ids: list[str], settings_hash: str) -> dict[str, Any]:
    from synth.records import Evidence, Verdict

    out = {}
    for cid in ids:
        row = lib.conn.execute(
            "SELECT payload FROM verdicts WHERE claim_key=? AND settings_hash=?",
            (cid, settings_hash),
        ).fetchone()
        if row:
            d = json.loads(row[0])
            d["evidence"] = tuple(Evidence(**e) for e in d.get("evidence", ()))
            out[cid] = Verdict(**d)
    return out


def _store_audit(
    lib: Any, seed: Path, paper_id: str | None, result: Any, claims: list, issues: list
) -> None:
    """The seed's claims (as the claims of its library paper) and the audit's findings."""
    with lib.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO claims (claim_id, paper_id, settings_hash, payload) VALUES (?,?,?,?)",
            [(c.claim_id, paper_id, "audit", json.dumps(c.to_dict())) for c in claims],
        )
    lib.kv_put(
        "audit",
        str(seed),
        {
            "source": str(seed),
            "paper_id": paper_id,
            "title": result.title,
            "machine_generated": result.machine_generated,
            "references": list(result.references),
            "issues": list(result.issues),
            "claims": len(claims),
            "from_table": sum(a.origin == "table" for a in result.claims),
            "cut_off": sum(c.truncated for c in claims),
            "claim_issues": {c.claim_id: list(i) for c, i in zip(claims, issues, strict=True) if i},
        },
    )


# === Step 4 ====================================================================================
def run_grid(ctx: DemoContext) -> str:
    """Run the demo study's missing runs (finished runs are skipped)."""
    load_study = need("replicate.study", "load_study")
    sweep = need("replicate.executors", "sweep")
    settings_cls = need("replicate.executors", "ExecutorSettings")
    if not ctx.spec.is_file():
        raise FileNotFoundError(f"{ctx.spec}: demo study spec not found")
    spec = load_study(ctx.spec)
    values = dict(spec.executor)
    if ctx.executor:
        values["kind"] = ctx.executor
    summary = sweep(spec, ctx.library, settings_cls(**values))
    ctx.study = summary.study
    ctx.commands.append(f"claimlab replicate sweep {ctx.spec}")
    detail = (
        f"{summary.total} runs: {summary.already_done} reused, {summary.finished} run now, "
        f"{len(summary.failed)} failed"
    )
    if summary.failed or summary.missing_after:
        raise RuntimeError(detail)
    return detail


# === Step 5 ====================================================================================
def check_claims(ctx: DemoContext) -> str:
    """Turn the seed's claims into experiment arms, run what is missing, decide each one."""
    plan_claim = need("replicate.checks", "plan_claim")
    run_checks = need("replicate.checks", "run_checks")
    context_cls = need("replicate.checks", "CheckContext")
    load_study = need("replicate.study", "load_study")
    from replicate.executors import ExecutorSettings

    if not ctx.seed_claims:
        raise RuntimeError("no seed claims to check (step 3 did not run)")
    spec = load_study(ctx.spec)
    values = dict(spec.executor)
    if ctx.executor:
        values["kind"] = ctx.executor
    planned = [check for cid, text in ctx.seed_claims for check in plan_claim(cid, text)]
    done = run_checks(
        planned, context_cls.from_study(spec), ctx.library, ExecutorSettings(**values)
    )
    tally: dict[str, int] = {}
    for c in done:
        tally[c.verdict] = tally.get(c.verdict, 0) + 1
    ctx.commands.append(f"claimlab replicate check {ctx.seed_reports[0]} --spec {ctx.spec}")
    return f"{len(ctx.seed_claims)} claims -> {len(done)} checks: " + ", ".join(
        f"{n} {v.lower()}" for v, n in sorted(tally.items())
    )


# === Step 6 ====================================================================================
def render_report(ctx: DemoContext) -> str:
    """Build, draw and render the report from everything stored."""
    from claimlab.cli_reports import make_report

    paths = make_report(ctx.library, ctx.out, ctx.question, ctx.study, ctx.commands)
    return f"{paths['pdf']} ({paths['pdf'].stat().st_size // 1024} KiB)"
