"""Data-parallel training through torchrun: two CPU processes (gloo) train one model in lockstep."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tiny_models import build_tiny_model, corpus_lines

REPO = Path(__file__).resolve().parents[1]

SCRIPT = """
import hashlib, json, sys
from pathlib import Path
import torch
import torch.distributed as dist
from replicate import models
from replicate.data import load_examples
from replicate.features import cached_features
from replicate.heads import TaskModel, make_head
from replicate.train import TaskData, TrainSettings, train, init_distributed

model_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
rank, world = init_distributed()
resolved = models.resolve_model(str(model_dir))
tok = models.load_tokenizer(resolved)
feats = cached_features("pair_classification", load_examples("snli", "validation", "en", cap=48, seed=0), tok, 64)
torch.manual_seed(0)
enc = models.load_encoder(resolved)
model = TaskModel(enc, {"snli": make_head("pair_classification", enc.config.hidden_size, 3)})
before = {k: v.clone() for k, v in model.state_dict().items()}
cfg = TrainSettings(learning_rate=1e-3, epochs=1, batch_size=4, grad_accum=2, checkpoint_every=2)
stats = train(model, [TaskData("snli", "pair_classification", feats)], cfg, out / "work", tok.pad_token_id)
digest = hashlib.sha256(b"".join(v.numpy().tobytes() for v in model.state_dict().values())).hexdigest()
changed = any(not torch.equal(before[k], v) for k, v in model.state_dict().items())
(out / f"rank{rank}.json").write_text(json.dumps({"world": world, "digest": digest, "changed": changed, **stats}))
dist.destroy_process_group()
"""


@pytest.mark.slow
def test_torchrun_two_cpu_processes_stay_in_sync(tmp_path, shared_data) -> None:
    torchrun = shutil.which("torchrun") or str(Path(sys.executable).parent / "torchrun")
    model = build_tiny_model(tmp_path / "m", corpus_lines(shared_data))
    script = tmp_path / "dist_train.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    cmd = [
        torchrun,
        "--standalone",
        "--nproc_per_node",
        "2",
        str(script),
        str(model),
        str(tmp_path),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert [r["world"] for r in ranks] == [2, 2]
    assert ranks[0]["digest"] == ranks[1]["digest"]  # gradients were all-reduced every step
    assert ranks[0]["changed"] and ranks[1]["changed"]
    # 48 examples, batch 4 per rank, 2 ranks: 6 micro-steps of 8 examples, 3 optimiser steps.
    assert ranks[0]["samples"] == 48 and ranks[0]["optimizer_steps"] == 3
    assert (tmp_path / "work" / "checkpoint.pt").is_file()  # rank 0 wrote the mid-run checkpoint
