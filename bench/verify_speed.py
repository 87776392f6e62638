"""Verification speed: claims verified per second on 2 CPU cores against a ≥5,000-sentence library.

Usage (from the repo root):

    .venv/bin/python bench/verify_speed.py [--claims 300] [--min-sentences 5000] [--whole-claims 1000]
                                           [--int8] [--nli-model PATH]

The library: the real papers of ../shared/data/papers (ingested as `claimlab ingest` does) plus
SNLI premises from ../shared/data/english/snli as filler documents (real English sentences) until
it holds at least --min-sentences sentences. Library sentences are embedded once before timing
(that is ingest-time work, cached by content hash), and the verifier's library state is stored
as `claimlab ingest` stores it (``synth.libstate.fill``: sentence facts, per-paper tables, word
rarity, number and BM25 indexes; its cost is reported as ``ingest_state``). The claims: the
labelled set's claims (supported, perturbed and unaddressed), all new to the embedding cache, so
each is embedded.

Timed, side by side, on the same claims:
- claimlab: ``Verifier.verify_many`` (hybrid BM25 + dense retrieval, rerank, checks, calibrated label);
- baseline: what a user would otherwise run, sentence-transformers ``util.semantic_search`` over
  the same sentence matrix (retrieval only, no label);
- claimlab again on the same claims, now in the embedding cache (everything but the encoder);
- retrieval alone on cached vectors: ``HybridSearcher.search`` claim by claim vs ``search_many``;
- whole process: ``claimlab verify CLAIMS --json`` as a subprocess (start-up and model loading
  included), against the same library, with the default encoder runtime (``auto``: ONNX Runtime)
  and with ``--embed-backend torch``; the baseline as a whole process too (a script that imports
  sentence-transformers, loads the model and the sentence matrix, encodes, semantic_search); and
  ``claimlab verify`` on a larger file (--whole-claims restated claims), where start-up amortises.
  Each whole process reports its wall time and peak RSS (``wait4``).
- with --int8: the int8 ONNX encoder (the default runtime) against the fp32 one (``--embed-backend
  onnx``): cosine of the same texts, top-5 evidence agreement and verdict-label agreement (one
  calibrator for both), encoder speed.
- with --nli-model (a folder `claimlab nli train` made, or 'claimlab-nli'): the NLI stage's cost,
  in process on the same claims (embeddings cached, both ways: everything but the encoder) with
  and without it, and ``claimlab verify --nli-model`` as a whole process next to the plain one.
The load average (1 min) is read before and after: the machine is shared, say it with the numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import torch  # noqa: E402

from synth.calibration_data import library_from_papers  # noqa: E402
from synth.labelled import build_labelled_set  # noqa: E402
from synth.library import Library  # noqa: E402
from synth.libstate import fill  # noqa: E402
from synth.records import Paper, Passage, Sentence  # noqa: E402
from synth.search import HybridSearcher  # noqa: E402
from synth.settings import resolve_data_dir  # noqa: E402
from synth.verify import Verifier  # noqa: E402


def pin_two_cores() -> None:
    cores = sorted(os.sched_getaffinity(0))[:2]
    os.sched_setaffinity(0, set(cores))
    torch.set_num_threads(len(cores))


def add_filler(library: Library, data: Path, min_sentences: int) -> int:
    """Add SNLI premises as text documents of 500 sentences until the library is big enough."""
    premises: list[str] = []
    for split in ("dev", "test"):
        for line in (data / "english" / "snli" / f"s1.{split}").read_text().splitlines():
            text = line.strip()
            if text and text not in premises[-3:]:
                premises.append(text[0].upper() + text[1:])
    premises = list(dict.fromkeys(premises))
    need = max(0, min_sentences - library.count_sentences())
    for start in range(0, need, 500):
        chunk = premises[start : start + 500]
        sha = hashlib.sha256("\n".join(chunk).encode()).hexdigest()
        pid = f"text:{sha[:12]}"
        paper = Paper(paper_id=pid, title=f"SNLI premises {start}", source="text", sha256=sha)
        passage = Passage(paper_id=pid, seq=0, page=1, section="Body", text=" ".join(chunk))
        sents = [
            Sentence(paper_id=pid, page=1, section="Body", text=t, passage_id=0) for t in chunk
        ]
        library.add_paper(paper, [passage], sents)
    return library.count_sentences()


BASELINE_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import numpy as np, torch
    from sentence_transformers import SentenceTransformer, util
    model_path, matrix_path, claims_path = sys.argv[1:4]
    model = SentenceTransformer(model_path, device="cpu")
    corpus = torch.from_numpy(np.load(matrix_path))
    claims = [c for c in open(claims_path, encoding="utf-8").read().splitlines() if c.strip()]
    q = model.encode(claims, convert_to_tensor=True, normalize_embeddings=True)
    for claim, hits in zip(claims, util.semantic_search(q, corpus, top_k=5)):
        print(json.dumps({"claim": claim, "hits": [h["corpus_id"] for h in hits]}))
    """
)


# Runs one command and reports its wall time and rusage. A small process of its own: a child forked
# from this big one would carry this one's resident size into its peak RSS (Linux counts the
# pre-exec image), so the command is started from here instead.
LAUNCHER = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    t0 = time.perf_counter()
    with open(sys.argv[2], "wb") as out, open(sys.argv[3], "wb") as err:
        proc = subprocess.Popen(sys.argv[4:], stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
    print(json.dumps({"seconds": time.perf_counter() - t0, "rc": os.waitstatus_to_exitcode(status),
                      "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}))
    """
)


def run_whole(cmd: list[str], n_claims: int, tmp: Path) -> dict[str, float]:
    """Run one whole process; its wall time, claims/s, CPU seconds and peak RSS (its own)."""
    (tmp / "launcher.py").write_text(LAUNCHER)
    out, err = tmp / "whole.out", tmp / "whole.err"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    launched = subprocess.run(
        [sys.executable, str(tmp / "launcher.py"), "-", str(out), str(err), *cmd],
        capture_output=True, text=True, env=env, check=True, cwd=REPO,
    )  # fmt: skip
    stats = json.loads(launched.stdout)
    if stats["rc"] != 0:
        raise RuntimeError(f"{cmd[:3]} failed: {err.read_text()[-2000:]}")
    return {
        "seconds": round(stats["seconds"], 2),
        "claims_per_s": round(n_claims / stats["seconds"], 1),
        "peak_rss_mb": round(stats["maxrss_kb"] / 1024, 1),
        "cpu_seconds": round(stats["cpu"], 2),
    }


def restated(claims: list[str], n: int, tag: str) -> str:
    """``n`` claims new to the embedding cache (the bench claims, restated), one a line."""
    return (
        "\n".join(f"{claims[k % len(claims)]} ({tag} {k // len(claims)})" for k in range(n)) + "\n"
    )


def whole_processes(lib_dir: Path, tmp: Path, claims: list[str], matrix, whole_claims: int) -> dict:
    """Step 4: claimlab verify (auto and torch runtimes), the baseline script, a larger file."""
    import numpy as np

    from synth.embed import resolve_model

    # This tree's code (the venv's `claimlab` script runs the tree it was installed from).
    verify = [sys.executable, "-m", "claimlab", "verify", "--json", "--library", str(lib_dir)]
    files = {}
    for tag, n in (("restated", len(claims)), ("torch", len(claims)), ("big", whole_claims),
                   ("baseline", len(claims))):  # fmt: skip
        files[tag] = tmp / f"claims-{tag}.txt"
        files[tag].write_text(restated(claims, n, tag))
    (tmp / "baseline.py").write_text(BASELINE_SCRIPT)
    np.save(tmp / "matrix.npy", matrix)
    model_path = resolve_model("all-MiniLM-L6-v2")[0]
    baseline = [sys.executable, str(tmp / "baseline.py"), model_path, str(tmp / "matrix.npy")]
    n = len(claims)
    return {
        "auto": run_whole([*verify, str(files["restated"])], n, tmp),
        "torch": run_whole([*verify, "--embed-backend", "torch", str(files["torch"])], n, tmp),
        "baseline": run_whole([*baseline, str(files["baseline"])], n, tmp),
        "auto_big": run_whole([*verify, str(files["big"])], whole_claims, tmp),
    }


def search_side_by_side(searcher: HybridSearcher, claims: list[str]) -> dict[str, float]:
    """Retrieval alone on cached claim vectors: claim by claim vs one batched call."""
    vectors = searcher.embedder.encode(claims)
    t0 = time.perf_counter()
    one = [searcher.search(c, v) for c, v in zip(claims, vectors, strict=True)]
    one_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    many = searcher.search_many(claims, vectors)
    many_s = time.perf_counter() - t0
    assert one == many, "search_many must give what search gives"
    return {
        "search_claims_per_s": round(len(claims) / one_s, 1),
        "search_many_claims_per_s": round(len(claims) / many_s, 1),
    }


def int8_agreement(library: Library, verifier: Verifier, claims: list[str]) -> dict:
    """The int8 ONNX encoder against the fp32 one: vectors, evidence, labels, speed."""
    import numpy as np

    from synth.embed import Embedder, EmbedSettings

    fp32 = Embedder(EmbedSettings(backend="onnx"), library)
    int8 = Embedder(EmbedSettings(backend="onnx-int8"), library)
    texts = [r.text for r in verifier.searcher.rows[:2000]] + claims
    cos = (fp32.encode(texts, use_cache=False) * int8.encode(texts, use_cache=False)).sum(axis=1)
    speed: dict[str, list[float]] = {"fp32": [], "int8": []}
    for _ in range(3):  # alternated, so both see the same load
        for name, emb in (("fp32", fp32), ("int8", int8)):
            t0 = time.perf_counter()
            emb.encode(claims, use_cache=False)
            speed[name].append(time.perf_counter() - t0)

    # The verifier's own settings (its top_k too), only the encoder's runtime changed.
    def with_runtime(emb: Embedder) -> Verifier:
        search = verifier.settings.search.model_copy(update={"embed": emb.settings})
        return Verifier(library, verifier.settings.model_copy(update={"search": search}))

    v32, v8 = with_runtime(fp32), with_runtime(int8)  # each library embedded under its stamp
    items = [(str(i), c) for i, c in enumerate(claims)]
    a, b = v32.verify_many(items), v8.verify_many(items)
    ev_a = [
        [e.sentence_id for e in x] for x in v32.searcher.search_many(claims, fp32.encode(claims))
    ]
    ev_b = [
        [e.sentence_id for e in x] for x in v8.searcher.search_many(claims, int8.encode(claims))
    ]
    pairs = [(x[:5], y[:5]) for x, y in zip(ev_a, ev_b, strict=True)]
    return {
        "backend_default": verifier.searcher.embedder.backend,
        "stamp_int8": int8.stamp,
        "cosine_mean": round(float(cos.mean()), 5),
        "cosine_min": round(float(cos.min()), 5),
        "texts": len(texts),
        "top5_identical_fraction": round(float(np.mean([x == y for x, y in pairs])), 3),
        "top5_overlap_mean": round(float(np.mean([len(set(x) & set(y)) / max(1, len(x)) for x, y in pairs])), 3),
        "top1_identical_fraction": round(float(np.mean([x[:1] == y[:1] for x, y in pairs])), 3),
        "label_agreement": round(float(np.mean([x.label == y.label for x, y in zip(a, b, strict=True)])), 3),
        "encode_claims_per_s_fp32": round(len(claims) / min(speed["fp32"]), 1),
        "encode_claims_per_s_int8": round(len(claims) / min(speed["int8"]), 1),
    }  # fmt: skip


def nli_cost(
    library: Library, verifier: Verifier, claims: list[str], nli_model: str, whole: dict, tmp: Path
) -> dict:
    """The NLI stage's cost: in process (same searcher, embeddings cached) and whole process."""
    from synth.verify import VerifySettings

    nli = Verifier(library, VerifySettings(nli_model=nli_model), verifier.searcher)
    items = [(str(i), c) for i, c in enumerate(claims)]
    nli.verify_many(items[:8])  # loads the cross-encoder outside the timing
    timed = {}
    for name, v in (("without_nli", verifier), ("with_nli", nli)):
        t0 = time.perf_counter()
        verdicts = v.verify_many(items)
        timed[name] = (time.perf_counter() - t0, verdicts)
    (tmp / "claims-nli.txt").write_text(restated(claims, len(claims), "nli"))
    cmd = [sys.executable, "-m", "claimlab", "verify", "--json", "--library",
           str(library.directory), "--nli-model", nli_model]  # fmt: skip
    return {
        "nli_model": nli.models["nli_id"],
        "calibrator_with_nli": nli.models["calibrator"],
        "in_process_cached_claims_per_s_without_nli": round(len(claims) / timed["without_nli"][0], 1),
        "in_process_cached_claims_per_s_with_nli": round(len(claims) / timed["with_nli"][0], 1),
        "label_agreement": round(sum(a.label == b.label for a, b in zip(timed["without_nli"][1], timed["with_nli"][1], strict=True)) / len(claims), 3),
        "whole_process_without_nli": whole["auto"],
        "whole_process_with_nli": run_whole([*cmd, str(tmp / "claims-nli.txt")], len(claims), tmp),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=300)
    parser.add_argument("--min-sentences", type=int, default=5000)
    parser.add_argument("--whole-claims", type=int, default=1000, help="Claims in the larger file.")
    parser.add_argument("--int8", action="store_true", help="Also measure the int8 encoder.")
    parser.add_argument("--data", default=str(resolve_data_dir()))
    parser.add_argument("--nli-model", default=None, help="Also measure this NLI stage's cost.")
    args = parser.parse_args()
    pin_two_cores()
    load_start = os.getloadavg()[0]
    data = Path(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        # === Step 1: the library (real papers + real filler), embedded before timing
        lib_dir = Path(tmp) / "library"
        library = library_from_papers(data / "papers", lib_dir)
        n_sent = add_filler(library, data, args.min_sentences)
        # What `claimlab ingest` stores beside the library (the filler is added without ingest).
        t0, c0 = time.perf_counter(), time.process_time()
        fill(library)
        state_s, state_cpu = time.perf_counter() - t0, time.process_time() - c0
        claims = list(dict.fromkeys(e.claim for e in build_labelled_set(library)))[: args.claims]
        verifier = Verifier(library)  # embeds every library sentence (cached in the library)
        # === Step 2: baseline: semantic_search over the same matrix (fresh encoder calls)
        from sentence_transformers import util

        model = verifier.searcher.embedder.model
        corpus = torch.from_numpy(verifier.searcher.matrix)
        t0 = time.perf_counter()
        q = model.encode(claims, convert_to_tensor=True, normalize_embeddings=True)
        util.semantic_search(q, corpus, top_k=5)
        base_s = time.perf_counter() - t0
        # === Step 3: claimlab in process (claims not yet in the embedding cache)
        t0, c0 = time.perf_counter(), time.process_time()
        verdicts = verifier.verify_many([(str(i), c) for i, c in enumerate(claims)])
        ours_s, ours_cpu = time.perf_counter() - t0, time.process_time() - c0
        # Again: every claim is now in the embedding cache, so this is the cost of everything else.
        t0, c0 = time.perf_counter(), time.process_time()
        verifier.verify_many([(str(i), c) for i, c in enumerate(claims)])
        cached_s, cached_cpu = time.perf_counter() - t0, time.process_time() - c0
        search = search_side_by_side(verifier.searcher, claims)
        int8 = int8_agreement(library, verifier, claims) if args.int8 else None
        backend, stamp = verifier.searcher.embedder.backend, verifier.searcher.embedder.stamp
        # === Step 4: whole processes, as a user runs them (claims restated: new to the cache)
        whole = whole_processes(
            lib_dir, Path(tmp), claims, verifier.searcher.matrix, args.whole_claims
        )
        # === Step 5: the NLI stage's cost, when asked
        nli = (
            nli_cost(library, verifier, claims, args.nli_model, whole, Path(tmp))
            if args.nli_model
            else None
        )
        library.close()
    report = {
        "cores": len(os.sched_getaffinity(0)),
        "load_average_1m_at_start": round(load_start, 2),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "library_sentences": n_sent,
        "claims": len(claims),
        "encoder_backend": backend,
        "embedding_stamp": stamp,
        "ingest_state": {"seconds": round(state_s, 2), "cpu_seconds": round(state_cpu, 2)},
        "claimlab_claims_per_s": round(len(claims) / ours_s, 1),
        "claimlab_embeddings_cached_claims_per_s": round(len(claims) / cached_s, 1),
        "claimlab_cpu_seconds": round(ours_cpu, 2),
        "claimlab_embeddings_cached_cpu_seconds": round(cached_cpu, 2),
        "baseline_semantic_search_claims_per_s": round(len(claims) / base_s, 1),
        **search,
        "whole_process_claims_per_s": whole["auto"]["claims_per_s"],
        "whole_process_seconds": whole["auto"]["seconds"],
        "whole_process_peak_rss_mb": whole["auto"]["peak_rss_mb"],
        "whole_process": whole,
        "whole_process_big_claims": args.whole_claims,
        "labels": {lab: sum(v.label == lab for v in verdicts) for lab in ("SUPPORTS", "REFUTES", "NOT ENOUGH INFO")},
    }  # fmt: skip
    if int8:
        report["int8"] = int8
    if nli:
        report["nli"] = nli
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
