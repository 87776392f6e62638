"""The seam between the pipeline and the data / metrics modules (replicate.data, replicate.metrics).

The pipeline asks three things of them: examples of one (task, split, language), prediction files in
the official XTREME format, and the official per-language scores. This module calls them and adds
only what the pipeline needs on top: which split evaluation uses, and where English training data
comes from when a task's own training split is not available offline (the task's declared stand-in,
then a labelled dev split), recorded as ``DataSource`` so results say what was really used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replicate import data as data_module
from replicate.tasks import get_task

DataUnavailable = data_module.DataUnavailable


@dataclass(frozen=True)
class DataSource:
    """What was actually loaded for a request: task, split, language, example count, why."""

    task: str
    split: str
    lang: str
    n: int
    note: str = ""

    def describe(self) -> str:
        text = f"{self.task}/{self.split}/{self.lang} ({self.n})"
        return f"{text}: {self.note}" if self.note else text


def load_examples(task: str, split: str, lang: str, cap: int | None, seed: int) -> Any:
    """Examples of one (task, split, lang), capped with the data module's seeded, stratified cap."""
    return data_module.load_examples(task, split, lang, cap=cap, seed=seed)


def load_training(
    task: str, cap: int | None, seed: int, avoid: Sequence[tuple[str, str]] = ()
) -> tuple[list[Any], DataSource]:
    """English training examples of ``task`` from ``replicate.data.training_source``.

    ``avoid`` lists (task, split) pairs already used by an earlier phase of the run: offline, MNLI's
    stand-in is SNLI dev, which may already be the intermediate data; then another labelled split
    of the same stand-in (SNLI test) trains the target phase, so the phases never share examples.

    Raises:
        DataUnavailable: when nothing can train it here (one line naming the task).
    """
    src = data_module.training_source(task)
    choice, note = (src.task, src.split), src.note
    if choice in avoid:
        for split in ("train", "test", "validation"):
            if (src.task, split) not in avoid and data_module.available(src.task, split, src.lang):
                choice = (src.task, split)
                note = f"{task} train not available offline; using {src.task} [{src.lang}] {split}"
                note += " (its other splits are used by an earlier phase of this run)"
                break
    examples = load_examples(choice[0], choice[1], src.lang, cap, seed)
    return examples, DataSource(choice[0], choice[1], src.lang, len(examples), note)


def load_evaluation(task: str, lang: str, cap: int | None, seed: int) -> tuple[Any, DataSource]:
    """Evaluation examples of one language: the test split, else the validation split."""
    errors = []
    for split in ("test", "validation"):
        try:
            examples = load_examples(task, split, lang, cap, seed)
        except DataUnavailable as exc:
            errors.append(str(exc))
            continue
        n = len(examples.sources) if hasattr(examples, "sources") else len(examples)
        return examples, DataSource(task, split, lang, n)
    raise DataUnavailable(f"{task}/{lang}: " + "; ".join(errors))


def write_predictions(task: str, lang: str, predictions: Any, out_dir: Path) -> Path:
    """Prediction file in the official XTREME format, written by ``replicate.metrics``.

    Until that module is importable, label-per-line tasks (xnli, pawsx, tatoeba, ...) are written
    here in the same ``<task folder>/test-<lang>.tsv`` shape; other formats then raise.
    """
    try:
        from replicate import metrics
    except ImportError:
        metrics = None
    if metrics is not None and hasattr(metrics, "write_predictions"):
        return metrics.write_predictions(task, lang, predictions, out_dir)
    if isinstance(predictions, dict) or (predictions and isinstance(predictions[0], list)):
        raise RuntimeError(f"{task}: replicate.metrics is needed to write this prediction format")
    folder = Path(out_dir) / (get_task(task).xtreme_name or task)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"test-{lang}.tsv"
    path.write_text("".join(f"{p}\n" for p in predictions), encoding="utf-8")
    return path
