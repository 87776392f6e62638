"""Ingestion: PDFs, folders of PDFs, text files, arXiv ids and arXiv searches into the library.

``ingest`` reads as numbered steps: classify every input, expand folders and searches, then for
each document read, parse, flag and store it in one transaction. Each input gets one
:class:`IngestOutcome` (ok / warning / duplicate / failed with a one-line reason); a failing input
never stops the batch and never leaves anything half-written.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from synth.arxiv_source import (
    ArxivError,
    ArxivId,
    ArxivRecord,
    ArxivSettings,
    ArxivSource,
    parse_arxiv_id,
)
from synth.library import Library
from synth.libstate import fill as fill_state
from synth.parser_version import INGEST_KV, PARSER_VERSION
from synth.pdf import ParsedDocument, ParseSettings, PdfError, file_sha256, parse_pdf
from synth.provenance import is_machine_generated, parse_text
from synth.records import FLAG_MACHINE_GENERATED
from synth.settings import Settings

log = logging.getLogger(__name__)

PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}


class IngestSettings(Settings):
    """How documents get into the library."""

    max_file_bytes: int = Field(
        default=100 * 2**20, gt=0, description="Local files larger than this are refused."
    )
    copy_files: bool = Field(
        default=True, description="Keep a copy of each ingested file under <library>/pdfs/<sha256>."
    )
    parse: ParseSettings = Field(default_factory=ParseSettings, description="PDF parsing.")
    arxiv: ArxivSettings = Field(default_factory=ArxivSettings, description="arXiv access.")


@dataclass
class IngestOutcome:
    """What happened to one input (or one document found in a folder or a search)."""

    input: str
    status: str  # "ok" | "warning" | "duplicate" | "failed"
    message: str = ""
    paper_id: str | None = None
    title: str = ""
    pages: int = 0
    sentences: int = 0
    flags: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == "failed"


class InputError(ValueError):
    """An input that cannot be ingested; the message is one line."""


Progress = Callable[[str, int, int], None]  # (label, done, total)


@dataclass(frozen=True)
class _Task:
    label: str
    kind: str  # "pdf" | "text" | "arxiv" | "record" | "error"
    path: Path | None = None
    arxiv_id: ArxivId | None = None
    record: ArxivRecord | None = None
    error: str = ""


def classify(inp: str) -> list[_Task]:
    """What an input is: a PDF, a folder, a text file or an id.

    A folder expands to the PDFs under it; a folder with no PDF, to its .txt/.md files (papers
    kept as text). A folder of PDFs is not also read for its READMEs and notes.
    """
    path = Path(inp).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        found = [p for p in files if p.suffix.lower() in PDF_SUFFIXES]
        if found:
            return [_Task(str(p), "pdf", path=p) for p in found]
        texts = [p for p in files if p.suffix.lower() in TEXT_SUFFIXES]
        if not texts:
            return [_Task(inp, "error", error="folder holds no PDF, .txt or .md files")]
        return [_Task(str(p), "text", path=p) for p in texts]
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix in TEXT_SUFFIXES:
            return [_Task(inp, "text", path=path)]
        return [_Task(inp, "pdf", path=path)]  # content decides: a non-PDF fails with a clear line
    try:
        return [_Task(inp, "arxiv", arxiv_id=parse_arxiv_id(inp))]
    except ValueError as exc:
        looks_like_path = (
            os.sep in inp
            or "/" in inp
            or Path(inp).suffix.lower() in (PDF_SUFFIXES | TEXT_SUFFIXES)
        )
        if looks_like_path:
            return [_Task(inp, "error", error="no such file or folder (and not an arXiv id)")]
        return [_Task(inp, "error", error=str(exc))]


def _read_local(path: Path, settings: IngestSettings) -> bytes:
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            cap = settings.max_file_bytes / 2**20
            raise InputError(f"file is {size / 2**20:.1f} MiB, over the {cap:.0f} MiB cap")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})") from None


def _keep_copy(library: Library, data: bytes, sha: str, suffix: str) -> str:
    """Write a content-addressed copy atomically; return its path relative to the library."""
    rel = Path("pdfs") / f"{sha}{suffix}"
    final = library.directory / rel
    if not final.exists():
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return str(rel)


def flag_machine_generated(doc: ParsedDocument) -> ParsedDocument:
    """PDFs can be machine-generated syntheses too: check their text for the same signals."""
    flagged, reasons = is_machine_generated(doc.text)
    if flagged and FLAG_MACHINE_GENERATED not in doc.paper.flags:
        doc.paper = dataclasses.replace(doc.paper, flags=(*doc.paper.flags, FLAG_MACHINE_GENERATED))
        doc.warnings.insert(0, "machine-generated synthesis: " + "; ".join(reasons))
    return doc


def _store(
    library: Library, task: _Task, doc: ParsedDocument, settings: IngestSettings
) -> IngestOutcome:
    try:
        stored = library.add_paper(doc.paper, doc.passages, doc.sentences)
    except sqlite3.IntegrityError:
        stored = False  # another process stored the same paper between our check and our write
    if stored:
        # How the paper was read, beside it: which settings, what went wrong on which page.
        library.kv_put(
            INGEST_KV,
            doc.paper.paper_id,
            {
                "input": task.label,
                "settings_hash": settings.settings_hash(),
                "parser_version": PARSER_VERSION,
                "warnings": doc.warnings,
                "page_errors": {str(k): v for k, v in doc.page_errors.items()},
            },
        )
    status = "ok" if stored else "duplicate"
    if stored and doc.warnings:
        status = "warning"
    return IngestOutcome(
        input=task.label,
        status=status,
        message="; ".join(doc.warnings) if stored else "already in the library",
        paper_id=doc.paper.paper_id,
        title=doc.paper.title,
        pages=doc.paper.pages,
        sentences=len(doc.sentences),
        flags=doc.paper.flags,
        warnings=list(doc.warnings),
    )


def _duplicate(task: _Task, paper) -> IngestOutcome:
    return IngestOutcome(
        task.label, "duplicate", "already in the library", paper.paper_id, paper.title,
        paper.pages, 0, paper.flags,
    )  # fmt: skip


def _ingest_local(library: Library, task: _Task, settings: IngestSettings) -> IngestOutcome:
    assert task.path is not None
    data = _read_local(task.path, settings)
    sha = file_sha256(data)
    known = library.has_sha(sha)
    if known:
        return _duplicate(task, known)
    if task.kind == "text":
        doc = parse_text(task.path, data, sha)
    else:
        doc = flag_machine_generated(parse_pdf(task.path, settings.parse, data=data))
    if settings.copy_files:
        rel = _keep_copy(library, data, sha, task.path.suffix.lower() or ".bin")
        doc.paper = dataclasses.replace(doc.paper, path=rel)
    return _store(library, task, doc, settings)


def _ingest_arxiv(
    library: Library, task: _Task, source: ArxivSource, settings: IngestSettings
) -> IngestOutcome:
    record = task.record
    if record is None:  # only a pinned id already in the library gets here: no network needed
        known = library.get_paper(f"arxiv:{task.arxiv_id}")
        assert known is not None
        return _duplicate(task, known)
    paper_id = f"arxiv:{record.arxiv_id}"
    if known := library.get_paper(paper_id):
        return _duplicate(task, known)
    dl = source.download_pdf(record, library.directory / "pdfs")
    if known := library.has_sha(dl.sha256):
        return _duplicate(task, known)
    data = dl.path.read_bytes()
    doc = flag_machine_generated(parse_pdf(dl.path, settings.parse, paper_id=paper_id, data=data))
    doc.paper = dataclasses.replace(
        doc.paper,
        title=record.title or doc.paper.title,
        authors=record.authors or doc.paper.authors,
        year=record.year or doc.paper.year,
        abstract=record.abstract or doc.paper.abstract,
        source="arxiv",
        arxiv_id=record.arxiv_id.base,
        version=record.arxiv_id.version,
        url=record.url,
        path=str(dl.path.relative_to(library.directory)),
    )
    return _store(library, task, doc, settings)


def ingest(
    library: Library,
    inputs: list[str],
    settings: IngestSettings | None = None,
    progress: Progress | None = None,
    query: str | None = None,
    max_results: int = 10,
) -> list[IngestOutcome]:
    """Ingest every input (and the hits of an arXiv ``query``) into ``library``.

    Args:
        library: the open library to write to.
        inputs: PDF files, folders of PDFs, .txt/.md files, arXiv ids.
        settings: ingestion settings; defaults apply when None.
        progress: called as ``progress(label, done, total)`` after each document.
        query: an arXiv search whose first ``max_results`` hits are ingested too.
        max_results: how many search hits to take.

    Returns:
        One outcome per document (a folder gives one per PDF; a failed search gives one failure).
    """
    settings = settings or IngestSettings()
    source = _LazySource(settings.arxiv)
    # === Step 1: classify inputs; expand folders
    tasks = [t for inp in inputs for t in classify(inp)]
    # === Step 2: look up all arXiv ids in one request (pinned ones already stored need none)
    tasks = _resolve_ids(library, tasks, source)
    # === Step 3: run the arXiv search, if any
    if query:
        try:
            hits = source.search(query, max_results)
            tasks += [_Task(f"arxiv:{r.arxiv_id}", "record", record=r) for r in hits]
            if not hits:
                tasks.append(_Task(f"query {query!r}", "error", error="arXiv search found nothing"))
        except ArxivError as exc:
            tasks.append(_Task(f"query {query!r}", "error", error=str(exc)))
    # === Step 4: read, parse, flag and store each document; one failure never stops the batch
    outcomes: list[IngestOutcome] = []
    for done, task in enumerate(tasks, start=1):
        outcomes.append(_run_task(library, task, source, settings))
        if progress is not None:
            progress(task.label, done, len(tasks))
    # === Step 5: what a verifier reads of the library, worked out once and stored beside it
    if tasks:
        try:
            fill_state(library)
        except (sqlite3.Error, OSError) as exc:  # a cache: verification computes it instead
            log.warning("library state not stored: %s", exc)
    return outcomes


def _resolve_ids(library: Library, tasks: list[_Task], source: ArxivSource) -> list[_Task]:
    """Turn arXiv-id tasks into record tasks with one batched lookup (arXiv prefers id_list)."""
    wanted = [
        t.arxiv_id
        for t in tasks
        if t.kind == "arxiv"
        and t.arxiv_id is not None
        and not (t.arxiv_id.version and library.get_paper(f"arxiv:{t.arxiv_id}"))
    ]
    if not wanted:
        return tasks
    try:
        found, error = source.lookup(list(dict.fromkeys(wanted))), ""
    except ArxivError as exc:
        found, error = {}, str(exc)
    resolved = []
    for t in tasks:
        if t.kind != "arxiv" or t.arxiv_id not in wanted:
            resolved.append(t)
        elif t.arxiv_id in found:
            resolved.append(dataclasses.replace(t, kind="record", record=found[t.arxiv_id]))
        else:
            resolved.append(
                dataclasses.replace(
                    t, kind="error", error=error or f"arXiv has no paper {t.arxiv_id}"
                )
            )
    return resolved


class _LazySource:
    """Builds the arXiv client (requests, lxml) only when an input needs arXiv."""

    def __init__(self, settings: ArxivSettings) -> None:
        self.settings = settings
        self._source: ArxivSource | None = None

    def __getattr__(self, name: str):
        if self._source is None:
            self._source = ArxivSource(self.settings)
        return getattr(self._source, name)


def _run_task(
    library: Library, task: _Task, source: ArxivSource, settings: IngestSettings
) -> IngestOutcome:
    try:
        if task.kind == "error":
            raise InputError(task.error)
        if task.kind in ("pdf", "text"):
            return _ingest_local(library, task, settings)
        return _ingest_arxiv(library, task, source, settings)
    except (InputError, PdfError, ArxivError) as exc:
        return IngestOutcome(task.label, "failed", str(exc))
    except Exception as exc:  # an unforeseen parser bug must not end the batch either
        return IngestOutcome(task.label, "failed", f"unexpected {type(exc).__name__}: {exc}")
