"""The replicate pipeline on a GPU: the same STILTs run in fp32, bf16 and fp16, against the CPU.

One STILTs run (offline multilingual-e5-small, SST-2 intermediate, English NLI target, XNLI zero-shot
in 15 languages) through ``replicate.pipeline.run_pipeline``, the code path ``claimlab replicate``
takes, once per precision. Run with ``--precisions fp32`` on a CPU machine for the reference figures;
on a GPU machine for fp32 (the same arithmetic on another device), bf16 and fp16 autocast. Each run
writes its scores, timings and per-phase samples/s as one JSON line to ``--out``.

The model comes from ``bench/gpu_bundle.py`` (the offline e5 with its vocabulary restricted to this
data, so that it fits what travels to a GPU machine); data from the bundle's copy as well, through
``$CLAIMLAB_DATA``. Usage:
    python bench/gpu_bundle.py --out .gpu                       # here, once
    CLAIMLAB_DATA=.gpu/data python bench/gpu_check.py --bundle .gpu --precisions fp32 --out cpu.jsonl
    CLAIMLAB_DATA=.gpu/data python bench/gpu_check.py --bundle .gpu --precisions fp32,bf16,fp16 \\
        --out gpu.jsonl                                         # on the GPU machine
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from replicate.records import RunSpec

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


def spec_for(model: str, precision: str, args: argparse.Namespace) -> RunSpec:
    """The one STILTs run of the check, at ``precision``."""
    from replicate.records import RunSpec

    return RunSpec(
        model=model,
        intermediate_task="sst2",
        intermediate_cap=args.intermediate_cap,
        intermediate_epochs=1.0,
        target_task="xnli",
        target_cap=args.target_cap,
        target_epochs=1.0,
        eval_cap=args.eval_cap,
        learning_rate=2e-5,
        batch_size=args.batch_size,
        grad_accum=1,
        max_length=128,
        precision=precision,
        seed=0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=REPO / ".gpu")
    parser.add_argument("--precisions", default="fp32")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--intermediate-cap", type=int, default=4000)
    parser.add_argument("--target-cap", type=int, default=4000)
    parser.add_argument("--eval-cap", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    import torch
    from gpu_bundle import build_model

    from replicate.pipeline import run_pipeline

    work = Path(tempfile.mkdtemp(prefix="claimlab-gpu-check-"))
    model = str(build_model(args.bundle, work / "e5-restricted"))
    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    for precision in args.precisions.split(","):
        spec = spec_for(model, precision, args)
        start = time.perf_counter()
        row = {"precision": precision, "device": device, "torch": torch.__version__}
        try:
            result = run_pipeline(spec, work / f"library-{precision}")
            row |= {
                "average": result.average,
                "scores": result.scores,
                "timings": result.timings,
                "seconds": round(time.perf_counter() - start, 1),
            }
        except Exception as exc:  # one precision failing must not hide the others' figures
            row |= {"error": f"{type(exc).__name__}: {exc}"[:2000]}
        if torch.cuda.is_available():
            row["peak_memory_mb"] = round(torch.cuda.max_memory_allocated() / 2**20)
            torch.cuda.reset_peak_memory_stats()
        with args.out.open("a") as fh:
            fh.write(json.dumps(row) + "\n")
        print(json.dumps({k: v for k, v in row.items() if k != "scores"}), flush=True)


if __name__ == "__main__":
    main()
