"""Benchmark: ingesting the real papers vs plain ``page.get_text()`` as the floor.

The five PDFs in ../shared/data/papers are copied (each copy re-saved with its own metadata, so the
library's content-hash dedup does not skip it) until the set holds at least ``--pages`` pages.
Each side runs in its own process, so wall time and peak memory are whole-process figures
(interpreter start and imports included); the in-process rate is reported beside it.

Sides:
  floor    pymupdf: open each PDF, ``page.get_text()`` every page (what a user would do by hand)
  parse    claimlab: ``synth.pdf.parse_pdf`` on each PDF (layout, structure, sentences)
  ingest   claimlab: ``synth.ingest.ingest`` of the folder into a fresh library (parse + store)

Run: ``.venv/bin/python bench/ingest.py`` (options: --pages 200 --repeats 3).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# --- workers (run in their own process) -------------------------------------------------------
def worker_floor(folder: Path) -> dict:
    import pymupdf

    start = time.perf_counter()
    pages = chars = 0
    for pdf in sorted(folder.glob("*.pdf")):
        with pymupdf.open(pdf) as doc:
            for page in doc:
                chars += len(page.get_text())
                pages += 1
    return {"pages": pages, "seconds": time.perf_counter() - start, "chars": chars}


def worker_parse(folder: Path) -> dict:
    from synth.pdf import parse_pdf

    start = time.perf_counter()
    pages = sentences = 0
    for pdf in sorted(folder.glob("*.pdf")):
        doc = parse_pdf(pdf)
        pages += doc.paper.pages
        sentences += len(doc.sentences)
    return {"pages": pages, "seconds": time.perf_counter() - start, "sentences": sentences}


def worker_ingest(folder: Path) -> dict:
    from synth.ingest import IngestSettings, ingest
    from synth.library import Library

    with tempfile.TemporaryDirectory() as lib_dir, Library(lib_dir) as lib:
        start = time.perf_counter()
        outcomes = ingest(lib, [str(folder)], IngestSettings(copy_files=False))
        seconds = time.perf_counter() - start
        bad = [o for o in outcomes if o.status not in ("ok", "warning")]
        if bad:
            raise SystemExit(f"ingest failed: {bad[0].input}: {bad[0].message}")
        return {
            "pages": sum(o.pages for o in outcomes),
            "seconds": seconds,
            "sentences": lib.count_sentences(),
        }


WORKERS = {"floor": worker_floor, "parse": worker_parse, "ingest": worker_ingest}


# --- driver ---------------------------------------------------------------------------------
def build_corpus(papers: Path, target_pages: int, out: Path) -> int:
    """Distinct copies of the real PDFs until ``target_pages`` is reached; returns the page count."""
    import pymupdf

    sources = sorted(papers.glob("*/*.pdf"))
    if not sources:
        raise SystemExit(f"no PDFs under {papers}")
    pages, copy = 0, 0
    while pages < target_pages:
        for src in sources:
            with pymupdf.open(src) as doc:
                doc.set_metadata({**(doc.metadata or {}), "subject": f"bench copy {copy}"})
                doc.save(out / f"{copy:03d}-{src.parent.name}.pdf")
                pages += doc.page_count
        copy += 1
    return pages


def run_side(side: str, folder: Path) -> dict:
    """One worker process: whole-process wall time and peak RSS (from wait4's rusage)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", side, str(folder)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    out = proc.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{side} worker failed (status {status})")
    result = json.loads(out)
    result["wall"] = wall
    result["peak_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=sorted(WORKERS))
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--pages", type=int, default=200, help="at least this many pages")
    parser.add_argument("--repeats", type=int, default=3, help="runs per side (median taken)")
    parser.add_argument("--papers", default=None, help="folder of real papers")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(WORKERS[args.worker](Path(args.folder))))
        return

    sys.path.insert(0, str(REPO))
    from rich.console import Console
    from rich.table import Table

    from synth.settings import resolve_data_dir

    papers = Path(args.papers) if args.papers else resolve_data_dir() / "papers"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        total = build_corpus(papers, args.pages, folder)
        runs: dict[str, list[dict]] = {side: [] for side in WORKERS}
        for _ in range(args.repeats):  # sides interleaved so machine noise hits all of them
            for side in WORKERS:
                runs[side].append(run_side(side, folder))
    n_pdfs = len(list(papers.glob("*/*.pdf")))
    table = Table(
        title=f"ingesting {total} pages ({n_pdfs} real PDFs repeated), median of {args.repeats} runs",
        caption="process: wall time of the whole worker process (start, imports, work, exit); "
        "work: the timed loop inside it. Peak RSS from wait4().",
    )
    for col in ("side", "pages", "process s", "pages/s", "vs floor", "work s", "work pages/s",
                "vs floor (work)", "peak RSS MB"):  # fmt: skip
        table.add_column(col, justify="right")
    floor = None
    for side, results in runs.items():
        wall = statistics.median(r["wall"] for r in results)
        work = statistics.median(r["seconds"] for r in results)
        peak = statistics.median(r["peak_mb"] for r in results)
        pages = results[0]["pages"]
        floor = floor or (pages / wall, pages / work)
        table.add_row(
            side, str(pages), f"{wall:.2f}", f"{pages / wall:.1f}",
            f"{100 * pages / wall / floor[0]:.0f}%", f"{work:.2f}", f"{pages / work:.1f}",
            f"{100 * pages / work / floor[1]:.0f}%", f"{peak:.0f}",
        )  # fmt: skip
    Console(width=max(Console().width, 120)).print(table)


if __name__ == "__main__":
    main()
