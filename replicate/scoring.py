"""Score one task's prediction folder against its label folder, as the official XTREME scorer does.

The scorer's result for one task is ``{"task", "scores": {lang: {metric: value}}, "average": {...}}``;
``average`` holds the mean of every metric over the scored languages plus ``metric``, the scorer's
``avg_metric`` ((EM + F1) / 2 for QA, else F1, else accuracy, else mAP@20).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from replicate.metrics import official_average, score_language
from replicate.tasks import get_task
from replicate.xtreme_io import JSON_FORMATS, file_format, file_name, folder_name, read_file

ProblemHandler = Callable[[str, str], None]


class ScoreError(ValueError):
    """A folder or file that cannot be scored; ``subject`` names it, the message says why."""

    def __init__(self, subject: str, message: str) -> None:
        self.subject, self.message = subject, message
        super().__init__(f"{subject}: {message}")


def task_folder(task: str, root: str | Path) -> Path:
    """``root/{folder}`` when ``root`` holds the task's subfolder (a run's prediction root), else root."""
    root = Path(root)
    sub = root / folder_name(task)
    return sub if sub.is_dir() else root


def _language_files(task: str, folder: Path) -> dict[str, Path]:
    suffix = ".json" if file_format(task) in JSON_FORMATS else ".tsv"
    files = {}
    for path in sorted(folder.glob(f"test-*{suffix}")):
        files[path.name[len("test-") : -len(suffix)]] = path
    return files


def _ordered(task: str, langs: set[str]) -> list[str]:
    official = [lg for lg in get_task(task).languages if lg in langs]
    return official + sorted(langs - set(official))


def score_dirs(
    task: str,
    pred_dir: str | Path,
    label_dir: str | Path,
    on_problem: ProblemHandler | None = None,
) -> dict[str, Any]:
    """Score every language whose label file exists, from the official per-language files.

    Args:
        task: Registry name (``xnli``, ``panx``, ``mlqa``, ...).
        pred_dir: The task's folder of ``test-{lang}.*`` predictions, or a root holding it.
        label_dir: The same for gold labels.
        on_problem: Called with (subject, message) for each missing, extra or mismatched file,
            and scoring goes on without that language; None raises :class:`ScoreError` instead.

    Returns:
        ``{"task": task, "scores": {lang: {metric: value}}, "average": {metric: value}}``.

    Raises:
        ScoreError: a folder is missing, nothing could be scored, or (without ``on_problem``)
            any file problem.
    """
    get_task(task)

    def problem(subject: str, message: str) -> None:
        if on_problem is None:
            raise ScoreError(subject, message)
        on_problem(subject, message)

    # === Step 1: find the per-language files on both sides
    pred_root, label_root = task_folder(task, pred_dir), task_folder(task, label_dir)
    for side, folder in (("prediction", pred_root), ("label", label_root)):
        if not folder.is_dir():
            raise ScoreError(str(folder), f"{side} folder not found")
    preds, labels = _language_files(task, pred_root), _language_files(task, label_root)
    if not labels:
        raise ScoreError(str(label_root), f"no {file_name(task, '*')} label files")
    for lang in _ordered(task, set(preds) - set(labels)):
        problem(str(preds[lang]), "no label file for this language")

    # === Step 2: score each language that has both files
    scores: dict[str, dict[str, float]] = {}
    for lang in _ordered(task, set(labels)):
        if lang not in preds:
            problem(str(pred_root / file_name(task, lang)), "missing prediction file")
            continue
        try:
            gold, pred = read_file(task, labels[lang]), read_file(task, preds[lang])
            scores[lang] = score_language(task, lang, gold, pred)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            kind = "invalid JSON" if isinstance(exc, json.JSONDecodeError) else "mismatch"
            problem(str(preds[lang]), f"{kind}: {exc}")
    if not scores:
        raise ScoreError(f"{task} {pred_root}", "no language could be scored")

    # === Step 3: average over the scored languages, as the scorer does
    return {"task": task, "scores": scores, "average": average_scores(task, scores)}


def average_scores(task: str, scores: dict[str, dict[str, float]]) -> dict[str, float]:
    """Mean of each metric over languages, plus ``metric`` (the scorer's avg_metric)."""
    names = list(dict.fromkeys(m for per_lang in scores.values() for m in per_lang))
    average = {
        m: sum(s[m] for s in scores.values() if m in s) / sum(m in s for s in scores.values())
        for m in names
    }
    average["metric"] = official_average(task, average)
    return average
