"""One STILTs run as numbered phases: model -> intermediate -> target -> zero-shot evaluation -> result.

``run_pipeline(spec)`` is idempotent (a finished run returns its stored result), resumable (each
training phase checkpoints; a killed run continues where it stopped) and safe to call from several
processes at once: the intermediate phase is keyed by ``spec.intermediate_key()`` and built under a
file lock, so every run that shares it waits for one build and reuses it; a run's own directory is
locked too, and every file is written atomically.

Layout under the library directory::

    intermediate/<key hash>/{checkpoint.pt, encoder/, done.json}
    runs/<run id>/{target/, predictions/ and labels/ <task>/test-<lang>.tsv|json, result.json}
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import torch

from replicate import adapters, models
from replicate.evaluate import Evaluation, evaluate_retrieval, evaluate_with_head, languages_for
from replicate.features import cached_features
from replicate.fsutil import atomic_write_json, file_lock, read_json
from replicate.heads import RetrievalSettings, TaskModel, default_layer, make_head
from replicate.records import RunResult, RunSpec
from replicate.results import ResultsStore
from replicate.tasks import get_task
from replicate.train import TaskData, TrainSettings, train
from replicate.versions import git_hash, package_versions
from synth.settings import resolve_library_dir

# (phase, message, done, total); total 0 means "unknown / not a counted step".
Progress = Callable[[str, str, int, int], None]
TARGET_HEAD = "target"
CHECKPOINT_ENV = "CLAIMLAB_CHECKPOINT_EVERY"


@dataclass
class RunState:
    """What the phases hand each other inside one run."""

    spec: RunSpec
    library: Path
    run_dir: Path
    progress: Progress
    checkpoint_every: int
    stop_after_steps: int | None = None
    resolved: models.ResolvedModel | None = None
    encoder_path: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def _quiet(phase: str, message: str, done: int, total: int) -> None:
    return None


def intermediate_dir(library: Path, spec: RunSpec) -> Path:
    """Where the intermediate phase shared by every run with this ``intermediate_key`` lives."""
    key = json.dumps(spec.intermediate_key(), sort_keys=True, default=list)
    return library / "intermediate" / hashlib.sha256(key.encode()).hexdigest()[:16]


def run_pipeline(
    spec: RunSpec,
    library_dir: Path | None = None,
    progress: Progress | None = None,
    *,
    checkpoint_every: int | None = None,
    stop_after_steps: int | None = None,
) -> RunResult:
    """Run (or reuse) one STILTs run and return its result, stored in the library's results store.

    Args:
        spec: The run; its hash is the run id.
        library_dir: Library directory (default: ``$CLAIMLAB_LIBRARY`` or ./claimlab-library).
        progress: Called as ``progress(phase, message, done, total)``.
        checkpoint_every: Optimiser steps between checkpoints (default ``$CLAIMLAB_CHECKPOINT_EVERY``
            or 200); it does not change results.
        stop_after_steps: Stop each training phase after this many optimiser steps, leaving a
            checkpoint (a controlled "kill" for tests); the run is then unfinished and raises.
    """
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the caller's progress reports the phases instead
    library = resolve_library_dir(library_dir)
    with ResultsStore(library) as store:
        if store.has(spec.run_id):
            return store.get(spec.run_id)  # type: ignore[return-value]
    run_dir = library / "runs" / spec.run_id
    every = checkpoint_every or int(os.environ.get(CHECKPOINT_ENV, "200"))
    state = RunState(spec, library, run_dir, progress or _quiet, every, stop_after_steps)
    with file_lock(library / "runs" / f"{spec.run_id}.lock"):
        with ResultsStore(library) as store:  # another process may have finished it meanwhile
            if store.has(spec.run_id):
                return store.get(spec.run_id)  # type: ignore[return-value]
        # === Step 1: resolve the model (builds the offline e5 folder once)
        _timed(state, "resolve", lambda: _resolve(state))
        # === Step 2: intermediate phase (skipped for the baseline; shared across runs)
        _timed(state, "intermediate", lambda: _intermediate_phase(state))
        # === Step 3: target phase (English training of the target task; none for retrieval)
        model = _timed(state, "target", lambda: _target_phase(state))
        # === Step 4: zero-shot evaluation in every requested language
        evaluations = _timed(state, "evaluate", lambda: _evaluate(state, model))
        # === Step 5: write the RunResult to the run directory and the results store
        return _write_result(state, evaluations)


def _timed(state: RunState, name: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    out = fn()
    state.timings[name] = round(time.perf_counter() - start, 3)
    return out


# --- Step 1 -----------------------------------------------------------------------------------


def _resolve(state: RunState) -> None:
    state.progress("resolve", f"resolving {state.spec.model}", 0, 0)
    state.resolved = models.resolve_model(state.spec.model)
    state.encoder_path = state.resolved.name_or_path
    state.details["model_path"] = state.resolved.name_or_path


def _train_settings(spec: RunSpec, epochs: float, every: int) -> TrainSettings:
    return TrainSettings(
        learning_rate=spec.learning_rate,
        epochs=epochs,
        batch_size=spec.batch_size,
        grad_accum=spec.grad_accum,
        precision=spec.precision,
        freeze_embeddings=spec.freeze_embeddings,
        seed=spec.seed,
        temperature=spec.multitask_temperature,
        checkpoint_every=every,
    )


def _task_data(
    name: str, cap: int | None, spec: RunSpec, tokenizer: Any, avoid: list[tuple[str, str]]
) -> tuple[TaskData, adapters.DataSource]:
    task = get_task(name)
    examples, source = adapters.load_training(name, cap, spec.seed, avoid)
    max_length = min(spec.max_length, task.max_length)
    feats = cached_features(task.format, examples, tokenizer, max_length, task.label_names)
    return TaskData(name, task.format, feats), source


def _load_model(
    path: str,
    num_layers: int | None,
    heads: dict[str, Any],
    pooling: str = "cls",
    seed: int | None = None,
) -> TaskModel:
    resolved = models.ResolvedModel(path, "", True)
    encoder = models.load_encoder(resolved, num_layers)
    hidden = encoder.config.hidden_size
    if seed is not None:
        torch.manual_seed(seed)  # new heads start from the run's seed, not from whatever ran before
    built = {name: make_head(fmt, hidden, n, pooling) for name, (fmt, n) in heads.items()}
    return TaskModel(encoder, built)


def _train_phase(
    state: RunState, model: TaskModel, data: list[TaskData], work: Path, epochs: float, phase: str
) -> dict[str, float]:
    cfg = _train_settings(state.spec, epochs, state.checkpoint_every)

    def report(message: str, done: int, total: int) -> None:
        state.progress(phase, message, done, total)

    stats = train(model, data, cfg, work, model_pad_id(state), report, state.stop_after_steps)
    if state.stop_after_steps is not None and (work / "checkpoint.pt").is_file():
        raise InterruptedError(f"{phase} phase stopped early after {state.stop_after_steps} steps")
    return stats


def model_pad_id(state: RunState) -> int:
    tok = models.load_tokenizer(state.resolved)  # type: ignore[arg-type]
    return int(tok.pad_token_id)


# --- Step 2 -----------------------------------------------------------------------------------


def _intermediate_phase(state: RunState) -> None:
    spec = state.spec
    names = list(spec.intermediate_tasks) or (
        [spec.intermediate_task] if spec.intermediate_task else []
    )
    if not names:
        state.details["intermediate"] = "none (baseline)"
        return
    work = intermediate_dir(state.library, spec)
    encoder_dir = work / "encoder"
    with file_lock(work.with_suffix(".lock")):
        done = work / "done.json"
        if not done.is_file():
            tokenizer = models.load_tokenizer(state.resolved)  # type: ignore[arg-type]
            pairs = [_task_data(n, spec.intermediate_cap, spec, tokenizer, []) for n in names]
            data = [p[0] for p in pairs]
            heads = {n: (get_task(n).format, get_task(n).num_labels) for n in names}
            model = _load_model(
                state.encoder_path, spec.num_layers, heads, spec.head_pooling, spec.seed
            )
            stats = _train_phase(state, model, data, work, spec.intermediate_epochs, "intermediate")
            _save_encoder(model, tokenizer, encoder_dir)
            atomic_write_json(
                done,
                {
                    "tasks": names,
                    "data": [p[1].describe() for p in pairs],
                    "data_keys": [[p[1].task, p[1].split] for p in pairs],
                    "stats": stats,
                    "key": spec.intermediate_key(),
                },
            )
            (work / "checkpoint.pt").unlink(missing_ok=True)  # large; the encoder is what is reused
        info = read_json(done)
    state.progress("intermediate", f"intermediate encoder ready ({', '.join(names)})", 1, 1)
    state.encoder_path = str(encoder_dir)
    state.details["intermediate"] = {"dir": str(work), **info}


def _save_encoder(model: TaskModel, tokenizer: Any, dest: Path) -> None:
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    model.encoder.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


# --- Step 3 -----------------------------------------------------------------------------------


def _target_phase(state: RunState) -> TaskModel | None:
    spec = state.spec
    target = get_task(spec.target_task)
    layers = None if state.encoder_path != state.resolved.name_or_path else spec.num_layers  # type: ignore[union-attr]
    if target.format == "retrieval" or not target.english_train:
        state.details["target_training"] = "none (retrieval: the encoder is used as is)"
        return _load_model(state.encoder_path, layers, {})
    work = state.run_dir / "target"
    tokenizer = models.load_tokenizer(state.resolved)  # type: ignore[arg-type]
    head = {TARGET_HEAD: (target.format, target.num_labels)}
    model = _load_model(state.encoder_path, layers, head, spec.head_pooling, spec.seed)
    done = work / "done.json"
    if done.is_file():
        model.load_state_dict(torch.load(work / "model.pt", weights_only=True, map_location="cpu"))
        state.details["target_training"] = read_json(done)
        return model
    sources, stats = [], {}
    inter = state.details.get("intermediate")
    avoid = [tuple(k) for k in inter.get("data_keys", [])] if isinstance(inter, dict) else []
    for i, name in enumerate(target.english_train):  # e.g. XCOPA: Social IQa, then COPA
        data, source = _task_data(name, spec.target_cap, spec, tokenizer, avoid)
        sources.append(source.describe())
        avoid.append((source.task, source.split))
        data = TaskData(TARGET_HEAD, data.fmt, data.features)
        stats = _train_phase(state, model, [data], work / f"stage{i}", spec.target_epochs, "target")
    work.mkdir(parents=True, exist_ok=True)
    tmp = work / "model.pt.tmp"
    torch.save(model.state_dict(), tmp)
    tmp.replace(work / "model.pt")
    info = {"train_tasks": list(target.english_train), "data": sources, "stats": stats}
    atomic_write_json(done, info)
    for i in range(len(target.english_train)):
        (work / f"stage{i}" / "checkpoint.pt").unlink(missing_ok=True)
    state.details["target_training"] = info
    return model


# --- Step 4 -----------------------------------------------------------------------------------


def _evaluate(state: RunState, model: TaskModel) -> list[Evaluation]:
    spec = state.spec
    target = get_task(spec.target_task)
    tokenizer = models.load_tokenizer(state.resolved)  # type: ignore[arg-type]
    if torch.cuda.is_available():
        model.to("cuda")
    evaluations = []
    for name in (spec.target_task, *spec.extra_eval_tasks):
        task = get_task(name)
        if name != spec.target_task and (task.format, task.label_names) != (
            target.format,
            target.label_names,
        ):
            raise ValueError(f"extra_eval_tasks: {name} does not share {spec.target_task}'s labels")
        langs = languages_for(task, spec.eval_languages)
        max_length = min(spec.max_length, task.max_length)

        def on_language(what: str, total: int = len(langs)) -> None:
            state.progress("evaluate", what, 0, total)

        if task.format == "retrieval":
            n_layers = model.encoder.config.num_hidden_layers
            settings = RetrievalSettings(
                spec.retrieval_layer
                if spec.retrieval_layer is not None
                else default_layer(n_layers),
                spec.pooling,
            )
            state.details["retrieval"] = settings.describe()
            ev = evaluate_retrieval(
                model.encoder,
                tokenizer,
                name,
                langs,
                settings,
                max_length,
                spec.eval_cap,
                spec.seed,
                state.run_dir,
                on_language,
            )
        else:
            ev = evaluate_with_head(
                model,
                TARGET_HEAD,
                tokenizer,
                name,
                langs,
                max_length,
                spec.eval_cap,
                spec.seed,
                state.run_dir,
                on_language,
            )
        evaluations.append(ev)
    return evaluations


# --- Step 5 -----------------------------------------------------------------------------------


def _average(scores: dict[str, dict[str, float]]) -> dict[str, float]:
    metrics_seen = sorted({m for per_lang in scores.values() for m in per_lang})
    return {
        m: sum(s[m] for s in scores.values() if m in s) / sum(m in s for s in scores.values())
        for m in metrics_seen
    }


def _write_result(state: RunState, evaluations: list[Evaluation]) -> RunResult:
    spec = state.spec
    primary = evaluations[0]
    scores, per_example = dict(primary.scores), dict(primary.per_example)
    average = _average(primary.scores)
    for ev in evaluations[1:]:
        for lang in ev.scores:
            if lang in scores:
                raise ValueError(
                    f"extra_eval_tasks: language {lang} of {ev.task} clashes with {primary.task}"
                )
        scores.update(ev.scores)
        per_example.update(ev.per_example)
        average.update({f"{m}:{ev.task}": v for m, v in _average(ev.scores).items()})
    provenance = state.resolved.provenance  # type: ignore[union-attr]
    if "retrieval" in state.details:
        r = state.details["retrieval"]
        provenance += f"; retrieval: layer {r['retrieval_layer']}, {r['pooling']} pooling"
    result = RunResult(
        run_id=spec.run_id,
        spec=spec.model_dump(mode="json"),
        task=spec.target_task,
        scores=scores,
        average=average,
        primary_metric=get_task(spec.target_task).primary_metric,
        per_example=per_example,
        timings=state.timings,
        versions=package_versions(),
        git_hash=git_hash(),
        model_provenance=provenance,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        prediction_dir=str(state.run_dir / "predictions"),
    )
    details = {
        **state.details,
        "evaluation_data": {ev.task: ev.sources for ev in evaluations},
        "skipped_languages": {ev.task: ev.skipped for ev in evaluations if ev.skipped},
        "language_task": {lang: ev.task for ev in evaluations for lang in ev.scores},
    }
    atomic_write_json(state.run_dir / "result.json", {**result.to_dict(), "details": details})
    with ResultsStore(state.library) as store:
        store.put(result)
    state.progress("done", f"run {spec.run_id} stored", 1, 1)
    return result


def run_details(library_dir: Path | None, run_id: str) -> dict[str, Any]:
    """The full JSON written for a finished run (result plus data sources, skips, layer...)."""
    return read_json(resolve_library_dir(library_dir) / "runs" / run_id / "result.json")
