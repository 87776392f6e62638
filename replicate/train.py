"""The training loop: one or several tasks on a shared encoder, resumable, data-parallel.

What makes it fast on small hardware: examples are tokenised once (``features.cached_features``),
batches are grouped by length and padded only to their own longest sequence, and the word embeddings
(most of a multilingual encoder's parameters) can be frozen. What makes it safe to kill: the whole
micro-step schedule is a pure function of the seed, and checkpoints hold model, optimiser, scheduler,
RNG states, the position in the schedule and the config, so a resumed run does exactly what the
uninterrupted one would have done. Under ``torchrun`` every rank takes its share of each step
(``DistributedDataParallel``; gloo on CPU, NCCL on GPU) and rank 0 writes checkpoints.
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from pydantic import Field
from torch import nn

from replicate.features import Feature, collate, length_grouped_batches
from replicate.heads import TaskModel
from synth.settings import Settings

Progress = Callable[[str, int, int], None]  # (description, done, total)


class TrainSettings(Settings):
    """How one phase trains. Stored inside every checkpoint it produces."""

    learning_rate: float = Field(default=1e-5, gt=0, description="Peak learning rate.")
    epochs: float = Field(default=3.0, gt=0, description="Passes over the (largest) task's data.")
    batch_size: int = Field(default=4, ge=1, description="Examples per micro-step and rank.")
    grad_accum: int = Field(default=8, ge=1, description="Micro-steps per optimiser step.")
    warmup_ratio: float = Field(default=0.1, ge=0, le=1, description="Share of steps warming up.")
    weight_decay: float = Field(default=0.01, ge=0, description="AdamW decay (not on bias/norms).")
    max_grad_norm: float = Field(default=1.0, gt=0, description="Gradient clipping norm.")
    precision: str = Field(default="fp32", description="fp32, or bf16/fp16 autocast on GPU.")
    freeze_embeddings: bool = Field(default=False, description="Freeze the word embeddings.")
    seed: int = Field(default=0, description="Seed for batching, task sampling and dropout.")
    temperature: float = Field(default=2.0, gt=0, description="Multi-task sampling temperature.")
    checkpoint_every: int = Field(
        default=200, ge=1, description="Optimiser steps between resumable checkpoints."
    )


@dataclass
class TaskData:
    """One task's training features and format, for the loop."""

    name: str
    fmt: str
    features: list[Feature]


# --- distributed helpers ------------------------------------------------------------------------


def init_distributed() -> tuple[int, int]:
    """Join the torchrun process group if launched by torchrun; return (rank, world size)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    if dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def is_main_process() -> bool:
    return not dist.is_initialized() or dist.get_rank() == 0


def barrier() -> None:
    if dist.is_initialized():
        dist.barrier()


# --- the schedule -------------------------------------------------------------------------------


def _task_groups(task: TaskData, cfg: TrainSettings, world: int) -> Iterator[list[list[int]]]:
    """Endless groups of ``world`` batches of one task, reshuffled each pass."""
    epoch = 0
    while True:
        batches = length_grouped_batches(task.features, cfg.batch_size, cfg.seed * 1000 + epoch)
        usable = len(batches) - len(batches) % world if len(batches) >= world else 0
        batches = batches[:usable] if usable else (batches * world)[:world]
        for i in range(0, len(batches), world):
            yield batches[i : i + world]
        epoch += 1


def build_schedule(
    tasks: Sequence[TaskData], cfg: TrainSettings, world: int = 1
) -> list[tuple[str, list[list[int]]]]:
    """Every micro-step as (task, one batch per rank): a pure function of the seed.

    One task: ``epochs`` passes. Several: as many steps as ``epochs`` passes over all tasks, each step's
    task drawn with probability proportional to ``size ** (1 / temperature)``.
    """
    per_epoch = sum(max(1, math.ceil(len(t.features) / cfg.batch_size / world)) for t in tasks)
    total = max(1, math.ceil(cfg.epochs * per_epoch))
    iters = {t.name: _task_groups(t, cfg, world) for t in tasks}
    weights = [len(t.features) ** (1.0 / cfg.temperature) for t in tasks]
    rng = random.Random(cfg.seed)
    schedule = []
    for _ in range(total):
        task = tasks[0] if len(tasks) == 1 else rng.choices(tasks, weights=weights)[0]
        schedule.append((task.name, next(iters[task.name])))
    return schedule


# --- optimiser, precision, checkpoints ----------------------------------------------------------


def make_optimizer(model: nn.Module, cfg: TrainSettings, total_steps: int) -> tuple[Any, Any]:
    """AdamW without decay on biases and norms; linear warmup then linear decay to zero."""
    from transformers import get_linear_schedule_with_warmup

    if cfg.freeze_embeddings:
        encoder = getattr(model, "module", model).encoder
        encoder.get_input_embeddings().weight.requires_grad_(False)
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (no_decay if p.ndim < 2 or "norm" in name.lower() else decay).append(p)
    groups = [
        {"params": decay, "weight_decay": cfg.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    try:  # the fused kernel (CPU and GPU) is several times faster on large embedding matrices
        opt = torch.optim.AdamW(groups, lr=cfg.learning_rate, fused=True)
    except (RuntimeError, TypeError):
        opt = torch.optim.AdamW(groups, lr=cfg.learning_rate)
    warmup = int(cfg.warmup_ratio * total_steps)
    return opt, get_linear_schedule_with_warmup(opt, warmup, total_steps)


def autocast_context(precision: str, device: torch.device) -> Any:
    """bf16/fp16 autocast on GPU; fp32 elsewhere (half precision is refused on CPU)."""
    if precision == "fp32":
        return contextlib.nullcontext()
    if device.type != "cuda":
        raise ValueError(f"precision={precision} needs a GPU; use fp32 on CPU")
    dtype = torch.bfloat16 if precision == "bf16" else torch.float16
    return torch.autocast("cuda", dtype=dtype)


def save_checkpoint(
    path: Path,
    model: nn.Module,
    opt: Any,
    sched: Any,
    micro: int,
    cfg: TrainSettings,
    extra: dict[str, Any],
) -> None:
    """Write a resumable checkpoint atomically (temp file + rename)."""
    state = {
        "model": getattr(model, "module", model).state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": sched.state_dict(),
        "micro_step": micro,
        "torch_rng": torch.get_rng_state(),
        "python_rng": random.getstate(),
        "config": cfg.model_dump(mode="json"),
        "extra": extra,
    }
    if torch.cuda.is_available():
        state["cuda_rng"] = torch.cuda.get_rng_state_all()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    torch.save(state, tmp)
    tmp.replace(path)


def load_checkpoint(path: Path, model: nn.Module, opt: Any, sched: Any, cfg: TrainSettings) -> int:
    """Restore a checkpoint written with the same config; return the micro-step to continue from."""
    state = torch.load(path, weights_only=False, map_location="cpu")
    # checkpoint_every only says how often to save; it never changes what is trained.
    saved = {k: v for k, v in state["config"].items() if k != "checkpoint_every"}
    if saved != cfg.model_dump(mode="json", exclude={"checkpoint_every"}):
        raise ValueError(f"{path}: checkpoint was written with another config; refusing to resume")
    getattr(model, "module", model).load_state_dict(state["model"])
    opt.load_state_dict(state["optimizer"])
    sched.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["torch_rng"])
    random.setstate(state["python_rng"])
    if "cuda_rng" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    return int(state["micro_step"])


# --- the loop -----------------------------------------------------------------------------------


def train(
    model: TaskModel,
    tasks: Sequence[TaskData],
    cfg: TrainSettings,
    work_dir: Path,
    pad_id: int,
    progress: Progress | None = None,
    stop_after_steps: int | None = None,
) -> dict[str, float]:
    """Train ``model`` on ``tasks``; resume from ``work_dir/checkpoint.pt`` when present.

    ``stop_after_steps`` ends the loop early after that many optimiser steps (after writing a
    checkpoint): how tests simulate a kill. Returns throughput statistics of this process.
    """
    rank, world = init_distributed()
    device = torch.device(
        f"cuda:{rank % torch.cuda.device_count()}" if torch.cuda.is_available() else "cpu"
    )
    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)
    model.to(device)
    schedule = build_schedule(tasks, cfg, world)
    total_opt = math.ceil(len(schedule) / cfg.grad_accum)
    opt, sched = make_optimizer(model, cfg, total_opt)
    ckpt = work_dir / "checkpoint.pt"
    start = load_checkpoint(ckpt, model, opt, sched, cfg) if ckpt.is_file() else 0
    wrapped: nn.Module = model
    if world > 1:
        wrapped = nn.parallel.DistributedDataParallel(model, find_unused_parameters=len(tasks) > 1)
    scaler = torch.amp.GradScaler("cuda") if cfg.precision == "fp16" else None
    by_name = {t.name: t for t in tasks}
    wrapped.train()
    samples, t0, steps_done = 0, time.perf_counter(), 0
    for micro in range(start, len(schedule)):
        name, group = schedule[micro]
        task = by_name[name]
        feats = [task.features[i] for i in group[rank]]
        batch = {k: v.to(device) for k, v in collate(task.fmt, feats, pad_id).items()}
        boundary = (micro + 1) % cfg.grad_accum == 0 or micro == len(schedule) - 1
        sync = contextlib.nullcontext() if boundary or world == 1 else wrapped.no_sync()
        with sync, autocast_context(cfg.precision, device):
            loss, _ = wrapped(name, batch)
            scaled = loss / cfg.grad_accum
            (scaler.scale(scaled) if scaler else scaled).backward()
        samples += len(feats)
        if not boundary:
            continue
        if scaler:
            scaler.unscale_(opt)
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.max_grad_norm)
        if scaler:
            scaler.step(opt)
            scaler.update()
        else:
            opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        steps_done += 1
        opt_step = (micro + 1 + cfg.grad_accum - 1) // cfg.grad_accum
        if progress:
            progress(f"step {opt_step}/{total_opt} loss {loss.item():.3f}", opt_step, total_opt)
        stopping = stop_after_steps is not None and steps_done >= stop_after_steps
        if (opt_step % cfg.checkpoint_every == 0 or stopping) and micro + 1 < len(schedule):
            if is_main_process():
                save_checkpoint(ckpt, model, opt, sched, micro + 1, cfg, {"tasks": list(by_name)})
            barrier()
        if stopping:
            break
    elapsed = time.perf_counter() - t0
    return {
        "samples": samples * world,
        "seconds": elapsed,
        "samples_per_s": samples * world / max(elapsed, 1e-9),
        "optimizer_steps": total_opt,
    }
