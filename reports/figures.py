"""Plots of one report (matplotlib, Agg): robustness grid, per-language scores, English gap.

Each function draws from a ReportContent's cells or language rows and writes one PNG; it returns a
:class:`Figure` (file name relative to the report folder, caption) or None when there is nothing to
draw. Language labels use ISO codes plus English names: matplotlib's default font has no Myanmar or
CJK glyphs, and the tables beside the plots show the endonyms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from reports.content import CellRow, Figure, LanguageRow, ReportContent  # noqa: E402

DPI = 130
LOW_COLOR, HIGH_COLOR, SRC_COLOR = "#c0392b", "#2c7fb8", "#555555"


def draw_all(content: ReportContent, out_dir: str | Path) -> list[Figure]:
    """Draw every figure the content supports into ``out_dir`` (created); returns those drawn."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figs = []
    for task, metric in content.tasks.items():
        view = TaskView(task, metric, content.task_cells(task), content.task_languages(task))
        figs += [
            heatmap(view, out),
            curves(view, out),
            per_language(view, out),
            english_gap(view, out),
        ]
    return [f for f in figs if f is not None]


@dataclass(frozen=True)
class TaskView:
    """One target task's slice of the content."""

    task: str
    metric: str
    cells: list[CellRow]
    languages: list[LanguageRow]

    def file(self, name: str) -> str:
        return f"{name}_{self.task}"


def _save(fig: plt.Figure, out: Path, name: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)
    path = out / f"{safe}.png"
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path.name


def _metric(view: TaskView) -> str:
    return f"{view.task} {view.metric}".strip()


def _grid(cells: Sequence[CellRow]) -> tuple[list[str], list[str], np.ndarray]:
    """Rows = model sizes (small to large), columns = data volumes (none, caps..., all)."""
    sizes = [s for _, s in sorted({(c.layers or 10**6, c.size) for c in cells})]
    vols = sorted({c.volume for c in cells}, key=lambda v: v if v is not None else 10**12)
    labels = {c.volume: c.volume_label for c in cells}
    grid = np.full((len(sizes), len(vols)), np.nan)
    for c in cells:
        grid[sizes.index(c.size), vols.index(c.volume)] = c.low_resource_mean
    return sizes, [labels[v] for v in vols], grid


def heatmap(content: TaskView, out: Path) -> Figure | None:
    """Low-resource mean score over model size x intermediate data volume."""
    if not content.cells:
        return None
    sizes, vols, grid = _grid(content.cells)
    # Wide enough for the size labels even with one column; cells stay readable with many.
    fig, ax = plt.subplots(figsize=(max(6.0, 3.4 + 1.1 * len(vols)), 1.6 + 0.75 * len(sizes)))
    im = ax.imshow(grid, cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(vols)), vols)
    ax.set_yticks(range(len(sizes)), sizes)
    ax.set_xlabel("intermediate-task examples")
    ax.set_ylabel("model size")
    finite = grid[np.isfinite(grid)]
    mid = float(finite.mean()) if finite.size else 0.0
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            if np.isfinite(grid[i, j]):
                color = "black" if grid[i, j] > mid else "white"
                ax.text(j, i, f"{grid[i, j]:.1f}", ha="center", va="center", color=color)
    fig.colorbar(im, ax=ax, label=f"low-resource mean ({content.metric})")
    ax.set_title(f"Zero-shot robustness: {_metric(content)}", fontsize=10)
    return Figure(
        task=content.task,
        name="heatmap",
        file=_save(fig, out, content.file("robustness_heatmap")),
        caption="Mean zero-shot score over the low-resource languages, by model size (rows) and "
        "intermediate-task data volume (columns), averaged over seeds.",
    )


def curves(content: TaskView, out: Path) -> Figure | None:
    """One line per model size: low-resource mean (± sd over seeds) against data volume."""
    if not content.cells:
        return None
    sizes, vols, grid = _grid(content.cells)
    sd = {(c.size, c.volume_label): c.low_resource_sd for c in content.cells}
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    x = np.arange(len(vols))
    for i, size in enumerate(sizes):
        y = grid[i]
        err = np.array([sd.get((size, v)) or 0.0 for v in vols])
        ok = np.isfinite(y)
        ax.errorbar(x[ok], y[ok], yerr=err[ok], marker="o", capsize=3, label=size)
    ax.set_xticks(x, vols)
    ax.set_xlabel("intermediate-task examples (none = no intermediate phase)")
    ax.set_ylabel(f"low-resource mean ({content.metric})")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, title="model size", title_fontsize=8)
    ax.set_title(f"Data volume vs model size: {_metric(content)}", fontsize=10)
    return Figure(
        task=content.task,
        name="curves",
        file=_save(fig, out, content.file("robustness_curves")),
        caption="Low-resource mean score against intermediate data volume, one line per model "
        "size; error bars are the standard deviation over seeds (none where a cell has one run).",
    )


def _lang_label(r: LanguageRow) -> str:
    return f"{r.lang}\n{r.english_name}"


def _mark_low(ax: plt.Axes, rows: Sequence[LanguageRow]) -> None:
    low = [i for i, r in enumerate(rows) if r.group == "low"]
    if low:
        ax.axvspan(min(low) - 0.5, max(low) + 0.5, color=LOW_COLOR, alpha=0.08)
        ax.text(
            (min(low) + max(low)) / 2, 0.98, "low-resource", ha="center", va="top",
            color=LOW_COLOR, transform=ax.get_xaxis_transform(), fontsize=8,
        )  # fmt: skip


def per_language(content: TaskView, out: Path) -> Figure | None:
    """Per-language scores, sorted by resource level, baseline vs STILTs, low-resource marked."""
    rows = [r for r in content.languages if r.best is not None or r.baseline is not None]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(max(6.4, 0.55 * len(rows) + 1.5), 3.8))
    x = np.arange(len(rows))
    colors = [{"low": LOW_COLOR, "source": SRC_COLOR}.get(r.group, HIGH_COLOR) for r in rows]
    base = np.array([r.baseline if r.baseline is not None else np.nan for r in rows])
    best = np.array([r.best if r.best is not None else np.nan for r in rows])
    if np.isfinite(base).any() and np.isfinite(best).any():
        ax.bar(x - 0.2, base, 0.4, color="#bbbbbb", label="no intermediate")
        ax.bar(x + 0.2, best, 0.4, color=colors, label=rows[0].best_cell or "STILTs")
    else:
        ax.bar(x, np.where(np.isfinite(best), best, base), 0.6, color=colors)
    _mark_low(ax, rows)
    ax.set_xticks(x, [_lang_label(r) for r in rows], fontsize=7)
    ax.set_ylabel(content.metric or "score")
    if ax.get_legend_handles_labels()[1]:
        ax.legend(fontsize=7, loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(
        f"Per-language zero-shot scores, by resource level: {_metric(content)}", fontsize=10
    )
    return Figure(
        task=content.task,
        name="per_language",
        file=_save(fig, out, content.file("per_language")),
        caption="Zero-shot score per language, most-resourced first; red bars and the shaded band "
        "mark the low-resource group; grey bars are the runs without intermediate training.",
    )


def english_gap(content: TaskView, out: Path) -> Figure | None:
    """English score minus each other language's score (larger = less robust transfer)."""
    rows = [r for r in content.languages if r.group != "source" and r.gap_to_english is not None]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(max(6.4, 0.5 * len(rows) + 1.5), 3.4))
    x = np.arange(len(rows))
    colors = [LOW_COLOR if r.group == "low" else HIGH_COLOR for r in rows]
    ax.bar(x, [r.gap_to_english for r in rows], color=colors)
    _mark_low(ax, rows)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, [_lang_label(r) for r in rows], fontsize=7)
    ax.set_ylabel(f"English − language ({content.metric})")
    ax.grid(axis="y", alpha=0.3)
    ax.set_title("English → other-language transfer gap", fontsize=10)
    return Figure(
        task=content.task,
        name="english_gap",
        file=_save(fig, out, content.file("english_gap")),
        caption="English score minus each language's zero-shot score in the reference cell "
        f"({rows[0].best_cell or 'largest setting'}); red marks the low-resource group.",
    )
