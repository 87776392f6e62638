"""Verification on a GPU: the same verdicts as on the CPU, and how fast, for users who have one.

``claimlab verify --device cuda`` runs the sentence encoder in torch on the GPU (the ONNX graph of
the default CPU path is CPU-only); retrieval, the checks and the calibrator stay on the CPU. This
bench runs the written claims against one library three ways on the same machine and compares:

1. ``cpu-torch``: the encoder in torch on the CPU (the reference: the same code, another device);
2. ``cpu-auto``: the default CPU path (ONNX Runtime graph exported once into the library);
3. ``cuda``: the encoder in torch on the GPU.

For each: the library prepared from an empty embedding cache (``Verifier()``: its sentences
embedded, its papers read), the encoder alone on all its sentences (sentences/s), the claims
verified (claims/s, their vectors new to the cache), labels against the gold labels of the written
claims. Between runs: label agreement, largest confidence difference, same first evidence
sentence, cosine of the claim vectors. Last, ``claimlab verify --device cuda --json`` as a whole
process on the same claims (start-up included), whose labels must equal the in-process cuda run's.

Two steps, because the GPU machine reaches no network and takes 64 MiB:

    # here (where the papers and the packaged model are):
    .venv/bin/python bench/gpu_verify.py pack --out .gpu
    # on the GPU machine (carry .gpu/minilm16 .gpu/lib.tar.xz .gpu/claims.jsonl, and pydantic's and
    # typer's wheels in .gpu/whl when its Python lacks them):
    python3 bench/gpu_verify.py run --bundle .gpu --json "$OUT/gpu_verify.json"

``pack`` ingests ../shared/data/papers, bench/dev*/papers and the retired held-out sets' papers into
``.gpu/lib`` (the held-out set in use is never read), keeps the library without its embedding cache,
packs it as ``.gpu/lib.tar.xz`` (4 MB), writes the written claims with their gold labels
(``.gpu/claims.jsonl``) and the packaged
all-MiniLM-L6-v2 with its weights stored in fp16 (``.gpu/minilm16``: 44 MB instead of 87 MB; ``run``
turns them back to fp32 before anything is encoded, so every run reads the same fp32 weights).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CLAIM_FILES = ["bench/verify_handwritten.jsonl", "bench/dev/verify_claims.jsonl"]
PAPER_DIRS = ["bench/dev/papers", "bench/dev_more/papers"]


def pack(out: Path) -> None:
    """Build the bundle: library (no embedding cache), claims with gold labels, fp16 model."""
    from sentence_transformers import SentenceTransformer

    from synth.calibration_data import RETIRED_HELDOUT
    from synth.embed import resolve_model
    from synth.libstate import STATE_NAME
    from synth.settings import resolve_data_dir

    out.mkdir(parents=True, exist_ok=True)
    retired = [f"bench/{name}" for name in RETIRED_HELDOUT]
    lib = out / "lib"  # kept when there (delete it to ingest again)
    sources = [str(resolve_data_dir() / "papers")] + [
        str(REPO / d) for d in PAPER_DIRS + [f"{r}/papers" for r in retired]
    ]
    cli = str(Path(sys.executable).with_name("claimlab"))
    if not lib.exists():
        subprocess.run([cli, "ingest", *sources, "--library", str(lib)], check=True)
    shutil.rmtree(lib / "cache", ignore_errors=True)
    # The stored library state (synth.libstate) is keyed by the Python/SQLite/NumPy versions, which
    # differ there: it would be recomputed anyway, and it is 4-5 times the size of the library.
    (lib / STATE_NAME).unlink(missing_ok=True)
    with tarfile.open(out / "lib.tar.xz", "w:xz") as tar:  # 14 MB of SQLite travel as 4 MB
        tar.add(lib, arcname="lib")
    rows = []
    for rel in CLAIM_FILES + [f"{r}/verify_claims.jsonl" for r in retired]:
        for line in (REPO / rel).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                rows.append({"id": item["id"], "claim": item["claim"], "gold": item["label"]})
    (out / "claims.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    model = SentenceTransformer(resolve_model("all-MiniLM-L6-v2")[0], device="cpu")
    model.half()
    shutil.rmtree(out / "minilm16", ignore_errors=True)
    model.save(str(out / "minilm16"))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
    print(f"bundle {out}: {len(rows)} claims, {size:.1f} MiB")


def fp32_model(bundle: Path, where: Path) -> str:
    """The bundle's fp16-stored weights as an fp32 model folder (the same values for every run)."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(bundle / "minilm16"), device="cpu").float()
    assert all(p.dtype == torch.float32 for p in model.parameters())
    model.save(str(where))
    return str(where)


def one_run(bundle: Path, model: str, device: str, backend: str, claims, tmp: Path) -> dict:
    """Embed the library from an empty cache, then verify the claims; timings and verdicts."""
    import numpy as np

    from synth.embed import Embedder, EmbedSettings
    from synth.library import Library
    from synth.search import SearchSettings
    from synth.verify import Verifier, VerifySettings

    lib_dir = tmp / f"lib-{device}-{backend}"
    shutil.copytree(bundle / "lib", lib_dir)
    embed = EmbedSettings(model=model, backend=backend, device=device)
    settings = VerifySettings(search=SearchSettings(top_k=10, embed=embed))
    with Library(lib_dir) as lib:
        sync = _sync(device)
        # Not timed: loading the model, exporting the ONNX graph (once per library), CUDA's start.
        Embedder(embed, lib).encode(["A warm-up sentence."] * 8, use_cache=False)
        t0 = time.perf_counter()
        verifier = Verifier(lib, settings)
        n_sent = len(verifier.searcher.rows)
        sync()
        lib_s = time.perf_counter() - t0
        pairs = [(c["id"], c["claim"]) for c in claims]
        verifier.verify_many(pairs[:32])  # warm-up (kernels, graph), not timed
        t0 = time.perf_counter()
        verdicts = verifier.verify_many(pairs[32:])
        sync()
        verify_s = time.perf_counter() - t0
        vectors = verifier.searcher.embedder.encode([c["claim"] for c in claims])
        texts = [r.text for r in verifier.searcher.rows]
        t0 = time.perf_counter()
        verifier.searcher.embedder.encode(texts, use_cache=False)
        sync()
        encode_s = time.perf_counter() - t0
        backend_used = verifier.searcher.embedder.backend
        verdicts = verifier.verify_many(pairs[:32]) + verdicts  # the warm-up's claims, again
    gold = [c["gold"] for c in claims]
    labels = [v.label for v in verdicts]
    return {
        "device": device,
        "backend": backend_used,
        "library_sentences": n_sent,
        "library_prepare_s": round(lib_s, 2),  # Verifier(): embed the sentences, read the papers
        "encode_sentences_per_s": round(n_sent / encode_s, 1),  # the encoder alone, uncached
        "claims_timed": len(pairs) - 32,
        "verify_s": round(verify_s, 2),
        "claims_per_s": round((len(pairs) - 32) / verify_s, 1),
        "accuracy_vs_gold": round(
            float(np.mean([a == b for a, b in zip(labels, gold, strict=True)])), 4
        ),
        "settings_hash": verdicts[0].settings_hash,
        "_labels": labels,
        "_conf": [v.confidence for v in verdicts],
        "_first": [v.evidence[0].sentence_id if v.evidence else None for v in verdicts],
        "_vectors": vectors,
    }


def _sync(device: str):
    import torch

    if device.startswith("cuda"):
        return torch.cuda.synchronize
    return lambda: None


def compare(a: dict, b: dict) -> dict:
    """How far run ``b``'s verdicts are from run ``a``'s."""
    import numpy as np

    cos = (a["_vectors"] * b["_vectors"]).sum(axis=1)
    conf = np.abs(np.array(a["_conf"]) - np.array(b["_conf"]))
    same = [x == y for x, y in zip(a["_labels"], b["_labels"], strict=True)]
    return {
        "label_agreement": round(float(np.mean(same)), 4),
        "labels_differing": int(len(same) - sum(same)),
        "max_confidence_diff": round(float(conf.max()), 5),
        "mean_confidence_diff": round(float(conf.mean()), 6),
        "same_first_evidence": round(
            float(np.mean([x == y for x, y in zip(a["_first"], b["_first"], strict=True)])), 4
        ),
        "claim_vector_cosine_min": round(float(cos.min()), 6),
    }


def _quiet(stderr: str) -> str:
    """stderr without progress bars (model loading)."""
    lines = stderr.replace("\r", "\n").splitlines()
    return "\n".join(x for x in lines if x.strip() and "it/s]" not in x and "%|" not in x)


def whole_process(bundle: Path, model: str, claims_path: Path, tmp: Path) -> dict:
    """``claimlab verify --device cuda --json`` as a process of its own (start-up included)."""
    lib_dir = tmp / "lib-cli"
    shutil.copytree(bundle / "lib", lib_dir)
    cmd = [sys.executable, "-m", "claimlab.cli", "verify", str(claims_path), "--json",
           "--device", "cuda", "--embed-model", model, "--library", str(lib_dir)]  # fmt: skip
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rows = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    return {"rc": done.returncode, "seconds": round(wall, 2), "verdicts": len(rows),
            "labels": [r["label"] for r in rows], "stderr_tail": _quiet(done.stderr)[-400:]}  # fmt: skip


RUNS = {"cpu-torch": ("cpu", "torch"), "cpu-auto": ("cpu", "auto"), "cuda": ("cuda", "auto")}


def run(bundle: Path, json_out: Path | None, names: list[str], max_claims: int | None) -> dict:
    import tempfile

    import torch

    tmp = Path(tempfile.mkdtemp(prefix="gpu-verify-"))
    if not (bundle / "lib").is_dir():
        with tarfile.open(bundle / "lib.tar.xz") as tar:
            tar.extractall(bundle, filter="data")
    os.environ.setdefault("CLAIMLAB_CACHE", str(tmp / "cache"))
    claims = [json.loads(x) for x in (bundle / "claims.jsonl").read_text().splitlines() if x]
    claims = claims[:max_claims]
    claims_path = tmp / "claims.jsonl"
    claims_path.write_text("".join(json.dumps(c) + "\n" for c in claims))
    model = fp32_model(bundle, tmp / "minilm32")
    env = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "cpu_threads": torch.get_num_threads(),
        "claims": len(claims),
    }
    print(json.dumps(env), flush=True)
    runs = {}
    for name in names:
        device, backend = RUNS[name]
        runs[name] = one_run(bundle, model, device, backend, claims, tmp)
        shown = {k: v for k, v in runs[name].items() if not k.startswith("_")}
        print(name, json.dumps(shown), flush=True)
    result = {
        "env": env,
        "runs": {k: {x: y for x, y in r.items() if not x.startswith("_")} for k, r in runs.items()},
    }
    for name in names[1:]:
        result[f"{name}_vs_{names[0]}"] = compare(runs[names[0]], runs[name])
        print(name, "vs", names[0], json.dumps(result[f"{name}_vs_{names[0]}"]), flush=True)
    if "cuda" in runs:
        cli = whole_process(bundle, model, claims_path, tmp)
        cli["labels_equal_in_process_cuda"] = cli.pop("labels") == runs["cuda"]["_labels"]
        result["cli_cuda"] = cli
        print("cli", json.dumps(cli), flush=True)
    if json_out:
        json_out.write_text(json.dumps(result, indent=1))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack", help="build the bundle here")
    p.add_argument("--out", type=Path, default=REPO / ".gpu")
    r = sub.add_parser("run", help="run on the GPU machine")
    r.add_argument("--bundle", type=Path, default=REPO / ".gpu")
    r.add_argument("--json", type=Path, default=None)
    r.add_argument("--runs", default="cpu-torch,cuda,cpu-auto", help="of: " + ", ".join(RUNS))
    r.add_argument("--max-claims", type=int, default=None)
    args = ap.parse_args()
    if args.cmd == "pack":
        pack(args.out)
    else:
        run(args.bundle, args.json, args.runs.split(","), args.max_claims)


if __name__ == "__main__":
    main()
