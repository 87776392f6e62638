"""Verification speed: claims verified per second on 2 CPU cores against a ≥5,000-sentence library.

Usage (from the repo root):

    .venv/bin/python bench/verify_speed.py [--claims 300] [--min-sentences 5000]

The library: the real papers of ../shared/data/papers (ingested as `claimlab ingest` does) plus
SNLI premises from ../shared/data/english/snli as filler documents (real English sentences) until
it holds at least --min-sentences sentences. Library sentences are embedded once before timing
(that is ingest-time work, cached by content hash). The claims: the labelled set's claims
(supported, perturbed and unaddressed), all new to the embedding cache, so each is embedded.

Timed, side by side, on the same claims:
- claimlab: ``Verifier.verify_many`` (hybrid BM25 + dense retrieval, rerank, checks, calibrated label);
- baseline: what a user would otherwise run, sentence-transformers ``util.semantic_search`` over
  the same sentence matrix (retrieval only, no label);
- claimlab again on the same claims, now in the embedding cache (everything but the encoder);
- whole process: ``claimlab verify CLAIMS --json`` as a subprocess (start-up and model loading
  included), against the same library.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import torch  # noqa: E402

from synth.labelled import build_labelled_set, library_from_papers  # noqa: E402
from synth.library import Library  # noqa: E402
from synth.records import Paper, Passage, Sentence  # noqa: E402
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=300)
    parser.add_argument("--min-sentences", type=int, default=5000)
    parser.add_argument("--data", default=str(resolve_data_dir()))
    args = parser.parse_args()
    pin_two_cores()
    data = Path(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        # === Step 1: the library (real papers + real filler), embedded before timing
        lib_dir = Path(tmp) / "library"
        library = library_from_papers(data / "papers", lib_dir)
        n_sent = add_filler(library, data, args.min_sentences)
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
        t0 = time.perf_counter()
        verdicts = verifier.verify_many([(str(i), c) for i, c in enumerate(claims)])
        ours_s = time.perf_counter() - t0
        # Again: every claim is now in the embedding cache, so this is the cost of everything else.
        t0 = time.perf_counter()
        verifier.verify_many([(str(i), c) for i, c in enumerate(claims)])
        cached_s = time.perf_counter() - t0
        library.close()
        # === Step 4: the whole process, as a user runs it (claims now cached: rephrase them)
        claims_file = Path(tmp) / "claims.txt"
        claims_file.write_text("\n".join(f"{c} (restated)" for c in claims) + "\n")
        t0 = time.perf_counter()
        subprocess.run(
            [str(REPO / ".venv" / "bin" / "claimlab"), "verify", str(claims_file), "--json",
             "--library", str(lib_dir)],
            check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1"},
        )  # fmt: skip
        whole_s = time.perf_counter() - t0
    report = {
        "cores": len(os.sched_getaffinity(0)),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        "library_sentences": n_sent,
        "claims": len(claims),
        "claimlab_claims_per_s": round(len(claims) / ours_s, 1),
        "claimlab_embeddings_cached_claims_per_s": round(len(claims) / cached_s, 1),
        "baseline_semantic_search_claims_per_s": round(len(claims) / base_s, 1),
        "whole_process_claims_per_s": round(len(claims) / whole_s, 1),
        "whole_process_seconds": round(whole_s, 2),
        "labels": {lab: sum(v.label == lab for v in verdicts) for lab in ("SUPPORTS", "REFUTES", "NOT ENOUGH INFO")},
    }  # fmt: skip
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
