"""Turn stored runs into the grid cells and per-language rows a report shows.

Runs of one target task are grouped into cells of (intermediate task, model size, data volume) and
averaged over seeds. The low-resource grouping comes from ``replicate.robustness`` when it is there
(one definition for the whole project); otherwise every non-English language is "unknown" and the
report says so.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from replicate.records import RunResult
from reports.content import CellRow, FitRow, LanguageRow, RunRow
from reports.languages import endonym, english_name

SOURCE_LANG = "en"


@dataclass(frozen=True)
class Grouping:
    """Which languages count as low-resource, a resource measure to sort by, and why."""

    low: frozenset[str]
    resource: dict[str, float] = field(default_factory=dict)
    rule: str = ""

    def group(self, lang: str) -> str:
        if lang == SOURCE_LANG:
            return "source"
        if not self.low and not self.resource:
            return "unknown"
        return "low" if lang in self.low else "high"


def load_grouping(langs: Sequence[str]) -> Grouping:
    """The project's low-resource grouping for ``langs``, from replicate.robustness when present."""
    try:
        from replicate import robustness  # one definition of "low-resource" for the project
    except ImportError:
        robustness = None
    if robustness is not None and hasattr(robustness, "is_low_resource"):
        return _grouping_from_module(robustness, langs)
    return Grouping(
        low=frozenset(),
        rule="No low-resource grouping was available (replicate.robustness missing); "
        "every non-English language is averaged together.",
    )


def _grouping_from_module(module: Any, langs: Sequence[str]) -> Grouping:
    """Read the grouping defensively: use what the module offers, name its rule."""
    low = frozenset(lg for lg in langs if module.is_low_resource(lg))
    sizes = getattr(module, "CC100_GIB", {})
    absent = getattr(module, "ABSENT_FROM_XLMR", frozenset())
    norm = getattr(module, "normalise_lang", lambda x: x)
    resource = {lg: float(sizes.get(norm(lg), 0.0 if norm(lg) in absent else -1.0)) for lg in langs}
    resource = {lg: v for lg, v in resource.items() if v >= 0}
    threshold = getattr(module, "LOW_RESOURCE_GIB", None)
    rule = (
        "Low-resource = absent from XLM-R's pretraining data (CC-100) or with less than "
        f"{threshold:g} GiB of it (Conneau et al. 2020, Table 6), per replicate.robustness; "
        "languages are sorted by their CC-100 size."
        if threshold is not None
        else "Low-resource languages per replicate.robustness.is_low_resource."
    )
    return Grouping(low=low, resource=resource, rule=rule)


def axis_fits(runs: Sequence[RunResult]) -> list[FitRow]:
    """Points per doubling of data volume and of model size (replicate.robustness.analyse)."""
    try:
        from replicate.robustness import analyse
    except ImportError:
        return []
    try:
        result = analyse(list(runs))
    except (ValueError, KeyError, ZeroDivisionError, np.linalg.LinAlgError):
        return []
    return [FitRow.model_validate(asdict(f)) for f in getattr(result, "fits", ())]


def chance_level(task: str) -> float | None:
    """Accuracy of guessing for a classification or multiple-choice task (None: not defined)."""
    try:
        from replicate.tasks import get_task

        spec = get_task(task)
    except (ImportError, KeyError):
        return None
    n = spec.num_choices or (spec.num_labels if "classification" in spec.format else 0)
    return 100.0 / n if n else None


def near_chance(runs: Sequence[RunResult], task: str, tolerance: float = 3.0) -> float | None:
    """The chance level if every language of every run of ``task`` scored within ``tolerance``."""
    chance = chance_level(task)
    scores = [run_score(r, lg) for r in runs if r.task == task for lg in r.scores]
    scores = [v for v in scores if v is not None]
    if chance is None or not scores:
        return None
    return chance if max(abs(v - chance) for v in scores) <= tolerance else None


# --- runs ----------------------------------------------------------------------------------
def task_order(runs: Sequence[RunResult]) -> list[str]:
    """Target tasks, the primary one first: most runs, then those scoring English, then by name."""
    counts = Counter(r.task for r in runs)
    has_en = {r.task for r in runs if SOURCE_LANG in r.scores}
    return sorted(counts, key=lambda t: (-counts[t], t not in has_en, t))


def run_score(run: RunResult, lang: str) -> float | None:
    metrics = run.scores.get(lang) or {}
    value = metrics.get(run.primary_metric)
    return float(value) if value is not None else None


def intermediate_name(spec: dict[str, Any]) -> str:
    tasks = spec.get("intermediate_tasks") or ()
    if tasks:
        return "+".join(tasks)
    return spec.get("intermediate_task") or "none"


def volume_of(spec: dict[str, Any]) -> int | None:
    """Intermediate examples seen: 0 without an intermediate phase, None for "all of them"."""
    if intermediate_name(spec) == "none":
        return 0
    cap = spec.get("intermediate_cap")
    return int(cap) if cap is not None else None


def size_label(spec: dict[str, Any]) -> str:
    layers = spec.get("num_layers")
    model = str(spec.get("model", "?")).split("/")[-1].replace("offline:", "")
    return f"{model}, {layers} layers" if layers else f"{model}, all layers"


def volume_label(volume: int | None) -> str:
    if volume is None:
        return "all"
    return "none" if volume == 0 else f"{volume:,}"


def low_mean(run: RunResult, grouping: Grouping) -> float | None:
    """Mean primary score over the low-resource group (all non-English if no grouping)."""
    langs = [lg for lg in run.scores if lg != SOURCE_LANG]
    if grouping.low:
        langs = [lg for lg in langs if lg in grouping.low]
    values = [v for v in (run_score(run, lg) for lg in langs) if v is not None]
    return statistics.fmean(values) if values else None


def run_rows(runs: Sequence[RunResult], grouping: Grouping) -> list[RunRow]:
    rows = []
    for r in runs:
        s = r.spec
        rows.append(
            RunRow(
                run_id=r.run_id,
                task=r.task,
                model=str(s.get("model", "")),
                num_layers=s.get("num_layers"),
                intermediate=intermediate_name(s),
                intermediate_cap=s.get("intermediate_cap"),
                seed=int(s.get("seed", 0)),
                primary_metric=r.primary_metric,
                average=r.average.get(r.primary_metric),
                low_resource_mean=low_mean(r, grouping),
                seconds=float(sum(v for v in r.timings.values() if isinstance(v, (int, float)))),
            )
        )
    return rows


# --- cells ---------------------------------------------------------------------------------
def _cell_key(spec: dict[str, Any]) -> tuple[str, str, int | None, int | None]:
    return (intermediate_name(spec), size_label(spec), spec.get("num_layers"), volume_of(spec))


def cells(runs: Sequence[RunResult], grouping: Grouping) -> list[CellRow]:
    """Seed-averaged cells of one task's runs, sorted by size then volume."""
    buckets: dict[tuple, list[RunResult]] = defaultdict(list)
    for r in runs:
        buckets[_cell_key(r.spec)].append(r)
    out = []
    for (inter, size, layers, volume), group in buckets.items():
        lows = [v for v in (low_mean(r, grouping) for r in group) if v is not None]
        if not lows:
            continue
        ens = [v for v in (run_score(r, SOURCE_LANG) for r in group) if v is not None]
        others = [r.average.get(r.primary_metric) for r in group]
        others = [float(v) for v in others if v is not None]
        en = statistics.fmean(ens) if ens else None
        low = statistics.fmean(lows)
        out.append(
            CellRow(
                task=group[0].task,
                size=size,
                layers=layers,
                volume=volume,
                volume_label=volume_label(volume),
                intermediate=inter,
                runs=len(group),
                low_resource_mean=low,
                low_resource_sd=statistics.stdev(lows) if len(lows) > 1 else None,
                other_mean=statistics.fmean(others) if others else None,
                english=en,
                gap=(en - low) if en is not None else None,
            )
        )
    return sorted(out, key=cell_sort_key)


def cell_sort_key(c: CellRow) -> tuple:
    vol = c.volume if c.volume is not None else float("inf")
    return (c.layers if c.layers is not None else 10**6, c.size, vol, c.intermediate)


def reference_cells(all_cells: Sequence[CellRow]) -> tuple[CellRow | None, CellRow | None]:
    """(baseline, STILTs) cells at the largest model size: no intermediate vs the most data."""
    if not all_cells:
        return None, None
    largest = max(all_cells, key=lambda c: c.layers or 10**6)
    same = [c for c in all_cells if c.size == largest.size]
    base = next((c for c in same if c.volume == 0), None)
    treated = [c for c in same if c.volume != 0]
    best = max(treated, key=lambda c: c.volume if c.volume is not None else 10**12, default=None)
    return base, best


def _cell_runs(runs: Sequence[RunResult], cell: CellRow | None) -> list[RunResult]:
    if cell is None:
        return []
    return [
        r
        for r in runs
        if _cell_key(r.spec) == (cell.intermediate, cell.size, cell.layers, cell.volume)
    ]


def _mean_lang(runs: Sequence[RunResult], lang: str) -> float | None:
    values = [v for v in (run_score(r, lang) for r in runs) if v is not None]
    return statistics.fmean(values) if values else None


def language_rows(
    runs: Sequence[RunResult], all_cells: Sequence[CellRow], grouping: Grouping
) -> list[LanguageRow]:
    """Per-language baseline and STILTs scores, sorted by resource level (most resourced first)."""
    base_cell, best_cell = reference_cells(all_cells)
    base_runs, best_runs = _cell_runs(runs, base_cell), _cell_runs(runs, best_cell)
    ref_runs = best_runs or base_runs
    langs = sorted({lg for r in runs for lg in r.scores})
    en_ref = _mean_lang(ref_runs, SOURCE_LANG)
    rows = []
    for lang in langs:
        best = _mean_lang(best_runs, lang)
        ref = best if best is not None else _mean_lang(base_runs, lang)
        rows.append(
            LanguageRow(
                task=runs[0].task,
                lang=lang,
                english_name=english_name(lang),
                endonym=endonym(lang),
                group=grouping.group(lang),
                resource=grouping.resource.get(lang),
                baseline=_mean_lang(base_runs, lang),
                best=best,
                best_cell=f"{best_cell.size}, {best_cell.volume_label} examples"
                if best_cell
                else "",
                gap_to_english=(en_ref - ref) if (en_ref is not None and ref is not None) else None,
            )
        )
    return sort_by_resource(rows)


def sort_by_resource(rows: list[LanguageRow]) -> list[LanguageRow]:
    """English first, then by the resource measure (descending), low-resource last; ties by code."""
    order = {"source": 0, "high": 1, "unknown": 1, "low": 2}
    return sorted(
        rows,
        key=lambda r: (
            order.get(r.group, 1),
            -(r.resource if r.resource is not None else -1),
            r.lang,
        ),
    )
