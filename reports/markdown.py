"""The report as Markdown (GitHub flavour). Paper text is escaped so renderers show it as text."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from reports.content import ClaimRow, EmpiricalRow, ReportContent


def m(value: object) -> str:
    """Escape for a Markdown table cell or line: HTML, pipes, newlines, template braces."""
    text = html.escape("" if value is None else str(value), quote=False)
    return text.replace("|", "\\|").replace("\n", " ").replace("{{", "&#123;&#123;")


def _n(value: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if value is None else fmt.format(value)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _empirical(x: EmpiricalRow) -> str:
    out = f"**{m(x.verdict.lower())}**" + (
        f" ({m(x.arm)} → {m(', '.join(x.targets))})" if x.arm else ""
    )
    if x.effect is not None:
        out += f" {_n(x.effect, '{:+.1f}')} [{_n(x.ci_low)}, {_n(x.ci_high)}]"
    if x.paper_magnitude is not None:
        out += f"; paper {_n(x.paper_magnitude, '{:+.1f}')}"
    if x.differences:
        out += "; differs: " + m("; ".join(x.differences))
    if x.reason and (not x.testable or x.effect is None):
        out += "; " + m(x.reason)
    return out


def _claim_row(r: ClaimRow) -> tuple[str, str, str, str]:
    src = m(r.paper_id or "unknown") + (f", p. {r.page}" if r.page else "")
    if r.from_machine_generated:
        src += " (machine-generated source)"
    textual = m(r.textual_display)
    if r.evidence_quote:
        page = f", p. {r.evidence_page}" if r.evidence_page else ""
        textual += f"<br>“{m(r.evidence_quote)}” ({m(r.evidence_paper)}{page})"
    emp = "<br>".join(_empirical(x) for x in r.empirical) or "**untested**"
    if r.issues:
        src += "<br>audit: " + m("; ".join(r.issues))
    return f"**{r.ref}** {m(r.text)}", src, textual, emp


def _task_md(c: ReportContent, task: str) -> list[str]:
    out = _table(
        ("Model size", "Intermediate", "Examples", "Runs", "Low-res. mean", "SD", "English", "Gap"),
        ((m(x.size), m(x.intermediate), m(x.volume_label), str(x.runs), _n(x.low_resource_mean),
          _n(x.low_resource_sd), _n(x.english), _n(x.gap)) for x in c.task_cells(task)),
    )  # fmt: skip
    fits = [f for f in c.fits if f.target == task]
    if fits:
        out += ["Points per doubling (OLS on log2 volume and log2 size, 95% bootstrap):", ""]
        out += _table(
            ("Measure", "Runs", "Data slope", "Size slope", "Conclusion"),
            ((m(f.measure), str(f.n_rows), _n(f.data_slope, "{:+.2f}"),
              _n(f.size_slope, "{:+.2f}"), m(f.conclusion)) for f in fits),
        )  # fmt: skip
    for f in c.figures:
        if f.task == task:
            out += [f"![{m(f.caption)}]({f.file})", "", f"_{m(f.caption)}_", ""]
    out += _table(
        ("Code", "Language", "Own name", "Group", "No intermediate", "STILTs", "Gap to en"),
        ((f"`{m(x.lang)}`", m(x.english_name), m(x.endonym), m(x.group), _n(x.baseline),
          _n(x.best), _n(x.gap_to_english)) for x in c.task_languages(task)),
    )  # fmt: skip
    return out


def markdown(c: ReportContent) -> str:
    """The whole report as one Markdown string; figures are linked relative to the report."""
    out = [f"# {m(c.title)}", "", f"**Research question:** {m(c.question)}", ""]
    out += [
        f"_Generated {m(c.repro.created_at)}, code {m(c.repro.git_hash)}_",
        "",
        "## 1. Answer",
        "",
    ]
    paragraphs: dict[str, list[str]] = {}
    for s in c.answer:
        paragraphs.setdefault(s.part, []).append(
            f"{m(s.text)} <sub>[{m('; '.join(s.backing))}]</sub>"
        )
    for sentences in paragraphs.values():
        out += [" ".join(sentences), ""]
    mt = c.methods
    out += ["## 2. Methods", ""]
    out += [f"- **Sources:** {m('; '.join(mt.sources) or 'none')}"]
    out += [f"- **Queries:** {m('; '.join(mt.queries) or 'none stored')}"]
    out += [f"- **Filters:** {m(f)}" for f in mt.filters]
    out += [f"- **Model:** {m(x)}" for x in mt.models]
    out += [f"- **Data read:** {m(x)}" for x in mt.data]
    out += [f"- **Low-resource grouping:** {m(mt.grouping)}"]
    out += [f"- **Grid {m(k)}:** {m(', '.join(v))}" for k, v in mt.grid.items()]
    out += [f"- **Settings hash {m(k)}:** `{m(v)}`" for k, v in mt.settings_hashes.items()] + [""]
    out += ["## 3. Papers", ""]
    out += _table(
        ("Id", "Title", "Authors", "Year", "Link", "Status"),
        (
            (f"`{m(p.paper_id)}`", m(p.title), m(", ".join(p.authors)), m(p.year or "–"),
             m(p.link or "–"), "excluded: machine-generated" if p.excluded else m(", ".join(p.flags) or "used"))
            for p in c.papers
        ),
    )  # fmt: skip
    if c.facets:
        out += ["### What the papers cover of the question", ""]
        out += [" ".join(m(x) for x in c.coverage), ""]
        out += _table(
            ("Facet of the question", "Status", "Claimed in", "Mentioned in"),
            ((m(f.facet), m(f.status), m("; ".join(f.claim_papers) or "–"),
              m("; ".join(f.mention_papers) or "–")) for f in c.facets),
        )  # fmt: skip
    for a in c.audits:
        out += ["## Audit of the input report", ""]
        out += [f"**{m(a.title)}** (`{m(a.paper_id or a.source)}`): {a.claims} claims read "
                f"({a.from_table} from its claims table, {a.cut_off} cut off), "
                f"{len(a.references)} references listed.", ""]  # fmt: skip
        out += [f"- {m(i)}" for i in a.issues] + [""]
    out += ["## 4. Claims", ""]
    out += _table(
        ("Claim", "Source", "Textual verdict", "Empirical verdict"), map(_claim_row, c.claims)
    )
    out += ["## 5. Results", ""]
    for k, (task, metric) in enumerate(c.tasks.items(), 1):
        out += [f"### 5.{k} {m(task)} ({m(metric)}, zero-shot)", ""] + _task_md(c, task)
    out += ["## 6. Limitations", ""] + [f"- {m(x)}" for x in c.limitations] + [""]
    r = c.repro
    out += ["## Appendix: reproducibility", "", f"- Git hash: `{m(r.git_hash)}`"]
    out += [f"- Library: `{m(r.library)}`", f"- Seeds: {', '.join(map(str, r.seeds)) or '–'}"]
    out += [f"- Total run time: {r.total_run_seconds:.0f} s over {len(r.run_seconds)} runs"]
    out += [f"- Command: `{m(x)}`" for x in r.commands] + [""]
    out += _table(("What", "Hash"), ((m(k), f"`{m(v)}`") for k, v in r.config_hashes.items()))
    out += _table(("Package", "Version"), ((m(k), m(v)) for k, v in r.versions.items()))
    out += _table(
        ("Run id", "Task", "Model", "Layers", "Intermediate", "Cap", "Seed", "Avg", "Seconds"),
        ((f"`{x.run_id}`", m(x.task), m(x.model), m(x.num_layers or "all"), m(x.intermediate),
          m(x.intermediate_cap or "–"), str(x.seed), _n(x.average), f"{x.seconds:.0f}") for x in c.runs),
    )  # fmt: skip
    return "\n".join(out)
