"""The report's answer, generated from the data (methods and limitations: reports.methods).

Every answer sentence is built from a measured number (grid cells, run counts) or a cited claim row,
and carries its backing; nothing here holds a result of its own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from reports.analysis import Grouping, reference_cells
from reports.content import CONFIDENCE_THRESHOLD, Backed, CellRow, ReportContent


def _pts(x: float) -> str:
    return f"{x:+.1f}".replace("-0.0", "+0.0")


def _signed(x: float) -> str:
    return f"{x:+.2f}".replace("-0.00", "+0.00")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _vol_words(c: CellRow) -> str:
    return "no intermediate training" if c.volume == 0 else f"{c.volume_label} examples"


def _cell_ref(c: CellRow) -> str:
    layers = f"{c.layers} layers" if c.layers else "all layers"
    return f"{layers}, {c.intermediate} × {c.volume_label}, {c.runs} runs"


def _group_word(grouping: Grouping) -> str:
    return "low-resource" if grouping.low else "non-English"


# --- answer -------------------------------------------------------------------------------
def answer(content: ReportContent, grouping: Grouping) -> list[Backed]:
    """The answer paragraph, one backed sentence at a time."""
    out: list[Backed] = []
    word = _group_word(grouping)
    if not content.cells:
        out.append(
            Backed(
                text="No experiment results are stored yet, so this report cannot answer the "
                "question by measurement.",
                backing=[f"{len(content.runs)} runs in results.sqlite"],
            )
        )
    else:
        for task, metric in content.tasks.items():
            low = [r.lang for r in content.task_languages(task) if r.group == "low"]
            part = _grid_sentences(content.task_cells(task), metric, task, word, low)
            part += _fit_sentences(content, task)
            if task in content.at_chance:
                part.append(_chance_sentence(content, task))
            out += [b.model_copy(update={"part": task}) for b in part]
    out += [b.model_copy(update={"part": "claims"}) for b in _claim_sentences(content)]
    return out


def _grid_sentences(
    cells: Sequence[CellRow], metric: str, task: str, word: str, low: Sequence[str]
) -> list[Backed]:
    out: list[Backed] = []
    if not cells:
        return out
    base, best = reference_cells(cells)
    n_runs = sum(c.runs for c in cells)
    out.append(
        Backed(
            text=f"On {task}, the grid ran {n_runs} runs in {len(cells)} cells, scored by "
            f"{metric} averaged over the {word} languages"
            + (f" ({', '.join(low)})." if low else "."),
            backing=[f"{n_runs} runs"],
        )
    )
    vol = _volume_effect(cells)
    if vol:
        lo, hi = vol
        out.append(
            Backed(
                text=f"Going from {_vol_words(lo)} to {_vol_words(hi)} ({hi.size}) moved the {word} mean from {lo.low_resource_mean:.1f} to "
                f"{hi.low_resource_mean:.1f} ({_pts(hi.low_resource_mean - lo.low_resource_mean)}"
                " points).",
                backing=[_cell_ref(lo), _cell_ref(hi)],
            )
        )
    size = _size_effect(cells)
    if size:
        small, large = size
        out.append(
            Backed(
                text=f"Growing the model from {small.size} to {large.size} (with "
                f"{_vol_words(large)}) moved it from "
                f"{small.low_resource_mean:.1f} to {large.low_resource_mean:.1f} "
                f"({_pts(large.low_resource_mean - small.low_resource_mean)} points).",
                backing=[_cell_ref(small), _cell_ref(large)],
            )
        )
    if vol and size:
        out.append(_compare_axes(vol, size, word))
    if base and best and base.gap is not None and best.gap is not None:
        out.append(
            Backed(
                text=f"The English-to-{word} gap was {base.gap:.1f} points without intermediate "
                f"training and {best.gap:.1f} points with {best.volume_label} intermediate "
                f"examples ({best.size}).",
                backing=[_cell_ref(base), _cell_ref(best)],
            )
        )
    return out


def _diff_se(a: CellRow, b: CellRow) -> float | None:
    """Standard error of a difference of two cell means over seeds (None: a cell has one run)."""
    if a.low_resource_sd is None or b.low_resource_sd is None or min(a.runs, b.runs) < 2:
        return None
    return math.sqrt(a.low_resource_sd**2 / a.runs + b.low_resource_sd**2 / b.runs)


def _compare_axes(vol: tuple[CellRow, CellRow], size: tuple[CellRow, CellRow], word: str) -> Backed:
    """Which axis moved transfer more: ranked only when the gap exceeds seed-to-seed noise."""
    dv = vol[1].low_resource_mean - vol[0].low_resource_mean
    ds = size[1].low_resource_mean - size[0].low_resource_mean
    backing = [f"size effect {_pts(ds)}", f"volume effect {_pts(dv)}"]
    se_v, se_s = _diff_se(*vol), _diff_se(*size)
    sizes = f"({abs(ds):.1f} points for size vs {abs(dv):.1f} for data)"
    if se_v is None or se_s is None:
        # One seed per cell: the spread between seeds is unknown, so no ranking is honest.
        return Backed(
            text=f"With one seed per cell the grid cannot tell these differences {sizes} from "
            "seed-to-seed variation, so it does not rank the two axes; more seeds per cell "
            "(`seeds` in the sweep spec) would.",
            backing=[*backing, "1 run in at least one compared cell"],
        )
    se = math.sqrt(se_v**2 + se_s**2)
    backing.append(f"standard error of the difference {se:.2f} (over seeds)")
    if abs(abs(ds) - abs(dv)) <= 2 * se:
        return Backed(
            text=f"Over the ranges this grid spans, the two axes moved {word} transfer by amounts "
            f"within two standard errors over seeds of each other {sizes}: this grid does not "
            "rank them.",
            backing=backing,
        )
    verdict = "model size" if abs(ds) > abs(dv) else "intermediate data volume"
    return Backed(
        text=f"Over the ranges this grid spans, {verdict} moved {word} transfer more than the "
        f"other {sizes}, by more than two standard errors over seeds; the comparison holds for "
        "these ranges only, not per unit of compute.",
        backing=backing,
    )


def _chance_sentence(content: ReportContent, task: str) -> Backed:
    n = sum(1 for r in content.runs if r.task == task)
    return Backed(
        text=f"Every {task} score stayed within 3 points of chance ({content.at_chance[task]:.1f}): "
        "at this scale the model did not learn the task, so the differences above are noise, "
        "not evidence for either axis.",
        backing=[f"all languages of {_plural(n, 'run')}"],
    )


MEASURE_WORDS = {
    "lowres_mean": "the low-resource mean",
    "worst_score": "the worst language's score",
    "gap_to_english": "the English-to-low-resource gap",
}


def _ci(ci: tuple[float, float] | None) -> str:
    return f"[{_signed(ci[0])}, {_signed(ci[1])}]" if ci else "[no interval]"


def _fit_sentences(content: ReportContent, task: str) -> list[Backed]:
    """The per-doubling comparison of the two axes, from replicate.robustness's fit."""
    out = []
    for f in content.fits:
        if f.target != task or f.measure not in ("lowres_mean", "gap_to_english"):
            continue
        what = MEASURE_WORDS[f.measure]
        if f.data_slope is None or f.size_slope is None:
            if f.measure != "lowres_mean":  # one "not identifiable" sentence per task is enough
                continue
            out.append(
                Backed(
                    text=f"A per-doubling comparison for {what} is not possible from this grid "
                    f"({f.conclusion}).",
                    backing=[f"fit over {f.n_rows} runs"],
                )
            )
            continue
        out.append(
            Backed(
                text=f"Per doubling, intermediate data moved {what} by {_signed(f.data_slope)} "
                f"points and model size by {_signed(f.size_slope)}"
                + (
                    f" (95% bootstrap intervals {_ci(f.data_ci)} and {_ci(f.size_ci)})"
                    if f.data_ci and f.size_ci
                    else " (point estimates only)"
                )
                + f": {f.conclusion}.",
                backing=[f"OLS fit over {f.n_rows} runs with an intermediate phase"],
            )
        )
    return out


def _volume_effect(cells: Sequence[CellRow]) -> tuple[CellRow, CellRow] | None:
    """Smallest vs largest volume at the largest size (baseline counts as volume 0)."""
    largest = max(cells, key=lambda c: c.layers or 10**6)
    same = [c for c in cells if c.size == largest.size]
    if len(same) < 2:
        return None
    key = lambda c: c.volume if c.volume is not None else 10**12  # noqa: E731
    return min(same, key=key), max(same, key=key)


def _size_effect(cells: Sequence[CellRow]) -> tuple[CellRow, CellRow] | None:
    """Smallest vs largest size at the largest volume present for both."""
    sizes = sorted({(c.layers or 10**6, c.size) for c in cells})
    if len(sizes) < 2:
        return None
    small = [c for c in cells if c.size == sizes[0][1]]
    large = {(c.intermediate, c.volume): c for c in cells if c.size == sizes[-1][1]}
    shared = [c for c in small if (c.intermediate, c.volume) in large]
    if not shared:
        return None
    pick = max(shared, key=lambda c: c.volume if c.volume is not None else 10**12)
    return pick, large[(pick.intermediate, pick.volume)]


def _claim_sentences(content: ReportContent) -> list[Backed]:
    out: list[Backed] = []
    checked = [
        (c, x)
        for c in content.claims
        for x in c.empirical
        if x.verdict not in ("UNTESTED", "UNTESTABLE")
    ]
    if checked:
        tally = Counter(x.verdict for _, x in checked)
        parts = ", ".join(f"{n} {v.lower()}" for v, n in sorted(tally.items()))
        claims = list(dict.fromkeys(c.ref for c, _ in checked))
        out.append(
            Backed(
                text=f"{_plural(len(claims), 'claim')} could be tested here by "
                f"{_plural(len(checked), 'experiment')}: {parts}.",
                backing=claims,
            )
        )
    confident = [
        c
        for c in content.claims
        if c.textual_label == "SUPPORTS"
        and (c.confidence or 0) >= CONFIDENCE_THRESHOLD
        and not c.from_machine_generated
    ]
    if confident:
        top = max(confident, key=lambda c: c.confidence or 0)
        where = f"{top.paper_id}, p. {top.page}" if top.page else str(top.paper_id)
        out.append(
            Backed(
                text=f"The literature states: “{top.text}” ({where}); the library supports it "
                f"with confidence {top.confidence:.2f}.",
                backing=[top.ref],
            )
        )
    seed = [c for c in content.claims if c.from_machine_generated and c.textual_label]
    if seed:
        ok = [
            c
            for c in seed
            if c.textual_label == "SUPPORTS" and (c.confidence or 0) >= CONFIDENCE_THRESHOLD
        ]
        labels = Counter(c.textual_label for c in seed)
        parts = ", ".join(f"{n} {lab.lower()}" for lab, n in sorted(labels.items()))
        out.append(
            Backed(
                text=f"Of the {_plural(len(seed), 'claim')} taken from machine-generated sources, "
                f"{len(ok)} {'is' if len(ok) == 1 else 'are'} supported by the human-written papers "
                f"in the library at confidence {CONFIDENCE_THRESHOLD:.2f} or more (labels: {parts}).",
                backing=[c.ref for c in seed],
            )
        )
    return out
