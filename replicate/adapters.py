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
    if not src.is_standin and not data_module.available(src.task, src.split, src.lang):
        try:  # the hub route: fetch it now, and fall back to local stand-ins when unreachable
            examples = load_examples(src.task, src.split, src.lang, cap, seed)
            return examples, DataSource(src.task, src.split, src.lang, len(examples))
        except DataUnavailable as exc:
            hub_error = str(exc).splitlines()[0]
            src = data_module.training_source(task, source="local")
            src = type(src)(src.task, src.split, src.lang, f"{src.note} (hub: {hub_error})")
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


def write_and_score(
    task: str, lang: str, labels: Any, predictions: Any, run_dir: Path
) -> tuple[dict[str, float], Path]:
    """Write gold labels and predictions in the official XTREME format, then score the files.

    Scoring reads the files back exactly as ``claimlab score TASK PRED_DIR LABEL_DIR`` does, so a
    run's numbers can be recomputed from ``predictions/`` and ``labels/`` alone.
    """
    from replicate import metrics, xtreme_io

    pred_path = xtreme_io.write_predictions(task, lang, predictions, run_dir / "predictions")
    label_path = xtreme_io.write_labels(task, lang, labels, run_dir / "labels")
    scores = metrics.score_language(
        task, lang, xtreme_io.read_file(task, label_path), xtreme_io.read_file(task, pred_path)
    )
    return scores, pred_path


def qa_per_example_f1(
    task: str, lang: str, examples: Sequence[Any], answers: dict[str, str]
) -> list[float]:
    """Per-question F1 (0-1) with the task's official normalisation (MLQA's per language)."""
    from replicate import metrics, xtreme_io

    data = xtreme_io.squad_payload(examples)["data"]
    return [row[2] for row in metrics.qa_per_example(data, answers, task, lang)]
