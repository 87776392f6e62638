"""The report body as HTML, shared by the browser file and the PDF (pymupdf Story).

Every string that came from a paper, a user or a store passes through :func:`e` (``html.escape``)
before it is placed in markup; markup is only ever built from those escaped pieces, never by
formatting a template with raw text, so ``<script>`` or ``{{x}}`` in a paper stays inert text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence

from reports.content import (
    CONFIDENCE_THRESHOLD,
    ClaimRow,
    EmpiricalRow,
    Figure,
    FitRow,
    ReportContent,
)


def e(value: object) -> str:
    """Escape anything for HTML text and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def num(value: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if value is None else fmt.format(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """A table from already-escaped cell HTML (headers are escaped here)."""
    # No <thead>/<tbody>: MuPDF's Story paints stray header backgrounds with them.
    head = "<tr>" + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr>" if any(headers) else ""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cls_attr = f' class="{e(cls)}"' if cls else ""
    return f"<table{cls_attr}>{head}{body}</table>"


def body(content: ReportContent, image_src: Callable[[Figure], str]) -> str:
    """The whole report body. ``image_src`` maps a figure to its ``src`` (data URI or file name)."""
    parts = [
        f"<h1>{e(content.title)}</h1>",
        f'<p class="meta">Research question: <b>{e(content.question)}</b><br/>'
        f"Generated {e(content.repro.created_at)} by claimlab, code {e(content.repro.git_hash)}</p>",
        _answer(content),
        _methods(content),
        _papers(content),
        _audits(content),
        _claims(content),
        _results(content, image_src),
        _limitations(content),
        _appendix(content),
    ]
    return "\n".join(parts)


def _answer(c: ReportContent) -> str:
    """One paragraph per target task, then one for the claims; each sentence shows its backing."""
    paragraphs: dict[str, list[str]] = {}
    for s in c.answer:
        backing = "; ".join(s.backing)
        paragraphs.setdefault(s.part, []).append(
            f'{e(s.text)} <span class="cite">[{e(backing)}]</span>'
        )
    body = "".join(f'<p class="answer">{" ".join(p)}</p>' for p in paragraphs.values())
    return "<h2>1. Answer</h2>" + body


def _dl(items: Sequence[tuple[str, str]]) -> str:
    rows = [(f"<b>{e(k)}</b>", v) for k, v in items]
    return table(("", ""), rows, "kv")


def _methods(c: ReportContent) -> str:
    m = c.methods
    items = [
        ("Sources", e("; ".join(m.sources) or "none")),
        ("Queries", e("; ".join(m.queries) or "none stored (local files ingested)")),
        ("Filters", "<br/>".join(e(f) for f in m.filters) or "none"),
        ("Models", "<br/>".join(e(x) for x in m.models) or "none"),
        ("Data read", "<br/>".join(e(x) for x in m.data) or "not recorded"),
        ("Low-resource grouping", e(m.grouping)),
        ("Experiment grid", "<br/>".join(f"{e(k)}: {e(', '.join(v))}" for k, v in m.grid.items())),
        ("Settings hashes", "<br/>".join(f"{e(k)}: <code>{e(v)}</code>" for k, v in m.settings_hashes.items()) or "none"),
    ]  # fmt: skip
    return "<h2>2. Methods</h2>" + _dl(items)


def _papers(c: ReportContent) -> str:
    rows = []
    for p in c.papers:
        status = "excluded: machine-generated" if p.excluded else ", ".join(p.flags) or "used"
        link = e(p.link or "–")
        if p.link and p.link.lower().startswith(("https://", "http://")):  # no javascript: hrefs
            link = f'<a href="{e(p.link)}">{e(p.link)}</a>'
        authors = ", ".join(p.authors[:6]) + (" et al." if len(p.authors) > 6 else "")
        rows.append(
            (
                f"<code>{e(p.paper_id)}</code>",
                f"{e(p.title)}<br/><small>{e(authors)}</small>",
                e(p.year or "–"),
                f"<small>{link}</small>",
                f"{e(p.pages)} pp, {e(p.claims)} claims<br/><small>{e(status)}</small>",
            )
        )
    n_used = sum(not p.excluded for p in c.papers)
    intro = (
        f"<p>{len(c.papers)} sources in the library; {n_used} used as evidence, "
        f"{len(c.papers) - n_used} excluded as machine-generated.</p>"
    )
    return (
        "<h2>3. Papers</h2>"
        + intro
        + table(("Id (version)", "Title and authors", "Year", "Link", "Status"), rows, "papers")
        + _facets(c)
    )


def _facets(c: ReportContent) -> str:
    """What the papers cover of the question, facet by facet (from the synthesis)."""
    if not c.facets:
        return ""
    rows = [
        (e(f.facet), e(f.status), e("; ".join(f.claim_papers) or "–"),
         e("; ".join(f.mention_papers) or "–"))
        for f in c.facets
    ]  # fmt: skip
    return (
        "<h3>What the papers cover of the question</h3>"
        + f"<p>{' '.join(e(x) for x in c.coverage)}</p>"
        + table(("Facet of the question", "Status", "Claimed in", "Mentioned in"), rows, "facets")
    )


def _audits(c: ReportContent) -> str:
    if not c.audits:
        return ""
    parts = ["<h2>Audit of the input report</h2>"]
    for a in c.audits:
        kind = "machine-generated" if a.machine_generated else "not flagged machine-generated"
        parts.append(
            f"<p><b>{e(a.title)}</b> (<code>{e(a.paper_id or a.source)}</code>, {e(kind)}): "
            f"{e(a.claims)} claims read ({e(a.from_table)} from its claims table, {e(a.cut_off)} "
            f"cut off mid-sentence), {e(len(a.references))} references listed.</p>"
        )
        if a.issues:
            parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in a.issues) + "</ul>")
    return "\n".join(parts)


def _claim_cells(r: ClaimRow) -> tuple[str, str, str, str]:
    src = f"{e(r.paper_id or 'unknown source')}" + (f", p. {e(r.page)}" if r.page else "")
    if r.from_machine_generated:
        src += " <i>(machine-generated source)</i>"
    if r.truncated_at_source:
        src += " <i>(cut off in its source)</i>"
    claim = f"<b>{e(r.ref)}</b> {e(r.text)}<br/><small>{src}</small>"
    if r.issues:
        claim += f'<br/><small class="weak">audit: {e("; ".join(r.issues))}</small>'
    textual = f'<span class="{_label_class(r)}">{e(r.textual_display)}</span>'
    if r.evidence_quote:
        page = f", p. {e(r.evidence_page)}" if r.evidence_page else ""
        textual += f"<br/><small>“{e(r.evidence_quote)}” ({e(r.evidence_paper)}{page})</small>"
    emp = "<br/>".join(_empirical(x) for x in r.empirical) or "<b>untested</b>"
    return claim, textual, emp, ""


def _empirical(x: EmpiricalRow) -> str:
    """One check: verdict, effect with its interval, the paper's number, how the setup differs."""
    head = e(x.verdict.lower()) + (f" ({e(x.arm)} → {e(', '.join(x.targets))})" if x.arm else "")
    out = f"<b>{head}</b>"
    if x.effect is not None:
        out += f"<br/>effect {num(x.effect, '{:+.1f}')} [{num(x.ci_low)}, {num(x.ci_high)}]"
        if x.p_value is not None:
            out += f", p = {num(x.p_value, '{:.3f}')}"
    if x.paper_magnitude is not None:
        out += f"<br/>paper: {num(x.paper_magnitude, '{:+.1f}')}"
    if x.differences:
        out += "<br/><small>differs: " + e("; ".join(x.differences)) + "</small>"
    if x.reason and (not x.testable or x.effect is None):
        out += f"<br/><small>{e(x.reason)}</small>"
    return out


def _label_class(r: ClaimRow) -> str:
    if "low confidence" in r.textual_display or r.textual_label is None:
        return "weak"
    return {"SUPPORTS": "sup", "REFUTES": "ref"}.get(r.textual_label or "", "nei")


def _claims(c: ReportContent) -> str:
    rows = [_claim_cells(r)[:3] for r in c.claims]
    note = (
        f"<p>{len(c.claims)} claims. A textual verdict is called verified or refuted only at a "
        f"calibrated confidence of at least {CONFIDENCE_THRESHOLD:.2f}; below that the label is "
        "marked low confidence. "
        "Effects are in points of the target metric, with 95% intervals."
        + (f" {c.claims_omitted} more claims are in report.json." if c.claims_omitted else "")
        + "</p>"
    )
    if not rows:
        return "<h2>4. Claims</h2>" + note
    return (
        "<h2>4. Claims</h2>"
        + note
        + table(
            ("Claim (whole) and source", "Textual verdict and evidence", "Empirical verdict"),
            rows,
            "claims",
        )
    )


CELL_HEAD = (
    "Model size",
    "Intermediate",
    "Examples",
    "Runs",
    "Low-res. mean",
    "SD",
    "English",
    "Gap",
)
LANG_HEAD = ("Code", "Language", "Own name", "Group", "No intermediate", "STILTs", "Gap to en")


def _results(c: ReportContent, image_src: Callable[[Figure], str]) -> str:
    parts = ["<h2>5. Results</h2>"]
    if c.study:
        parts.append(f"<p>Runs of study <b>{e(c.study)}</b>.</p>")
    for k, (task, metric) in enumerate(c.tasks.items(), 1):
        parts.append(f"<h3>5.{k} {e(task)} ({e(metric)}, zero-shot)</h3>")
        parts.append(_task_results(c, task, image_src))
    if not c.tasks:
        parts.append("<p>No runs are stored.</p>")
    return "\n".join(parts)


def _task_results(c: ReportContent, task: str, image_src: Callable[[Figure], str]) -> str:
    parts = []
    rows = [
        (e(x.size), e(x.intermediate), e(x.volume_label), e(x.runs), num(x.low_resource_mean),
         num(x.low_resource_sd), num(x.english), num(x.gap))
        for x in c.task_cells(task)
    ]  # fmt: skip
    if rows:
        parts.append(table(CELL_HEAD, rows, "num"))
    fits = [f for f in c.fits if f.target == task]
    if fits:
        parts.append(_fits(fits))
    for f in c.figures:
        if f.task == task:
            parts.append(
                f'<div class="fig"><img src="{e(image_src(f))}" alt="{e(f.caption)}"/>'
                f'<p class="caption">{e(f.caption)}</p></div>'
            )
    rows = [
        (f"<code>{e(x.lang)}</code>", e(x.english_name), f'<span class="endo">{e(x.endonym)}</span>',
         e(x.group), num(x.baseline), num(x.best), num(x.gap_to_english))
        for x in c.task_languages(task)
    ]  # fmt: skip
    if rows:
        parts.append(table(LANG_HEAD, rows, "num"))
    return "\n".join(parts)


def _ci(ci: tuple[float, float] | None) -> str:
    return f"[{ci[0]:+.2f}, {ci[1]:+.2f}]" if ci else "–"


def _fits(fits: Sequence[FitRow]) -> str:
    rows = [
        (e(f.target), e(f.measure), e(f.n_rows), num(f.data_slope, "{:+.2f}") + " " + _ci(f.data_ci),
         num(f.size_slope, "{:+.2f}") + " " + _ci(f.size_ci), _ci(f.difference_ci), e(f.conclusion))
        for f in fits
    ]  # fmt: skip
    head = ("Target", "Measure", "Runs", "Data: pts/doubling", "Size: pts/doubling",
            "Data − size", "Conclusion")  # fmt: skip
    return (
        "<p><b>Points per doubling</b> (OLS on log2 volume and log2 size, 95% bootstrap)</p>"
        + table(head, rows, "num")
    )


def _limitations(c: ReportContent) -> str:
    items = "".join(f"<li>{e(x)}</li>" for x in c.limitations)
    return f"<h2>6. Limitations</h2><ul>{items}</ul>"


def _appendix(c: ReportContent) -> str:
    r = c.repro
    parts = ["<h2>Appendix: reproducibility</h2>"]
    parts.append(
        _dl(
            [
                ("Git hash", f"<code>{e(r.git_hash)}</code>"),
                ("Library", f"<code>{e(r.library)}</code>"),
                ("Seeds", e(", ".join(map(str, r.seeds)) or "–")),
                (
                    "Total run time",
                    e(f"{r.total_run_seconds:.0f} s over {len(r.run_seconds)} runs"),
                ),
                ("Commands", "<br/>".join(f"<code>{e(x)}</code>" for x in r.commands) or "–"),
            ]
        )
    )
    parts.append("<h3>Config hashes</h3>")
    parts.append(
        table(
            ("What", "Hash"), [(e(k), f"<code>{e(v)}</code>") for k, v in r.config_hashes.items()]
        )
    )
    parts.append("<h3>Package versions</h3>")
    parts.append(table(("Package", "Version"), [(e(k), e(v)) for k, v in r.versions.items()]))
    if c.runs:
        rows = [
            (f"<code>{e(x.run_id)}</code>", e(x.task), e(f"{x.model} / {x.num_layers or 'all'}"),
             e(x.intermediate), e(x.intermediate_cap or ("–" if x.intermediate == "none" else "all")),
             e(x.seed), num(x.average), num(x.low_resource_mean), num(x.seconds, "{:.0f}"))
            for x in c.runs
        ]  # fmt: skip
        parts.append("<h3>Runs</h3>")
        parts.append(
            table(
                (
                    "Run id",
                    "Task",
                    "Model / layers",
                    "Intermediate",
                    "Cap",
                    "Seed",
                    "Avg",
                    "Low-res.",
                    "Seconds",
                ),
                rows,
                "runs",
            )  # fmt: skip
        )
    return "\n".join(parts)
