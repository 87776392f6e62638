"""PDF -> Paper, Passages and Sentences with pymupdf.

``parse_pdf`` reads in numbered steps: open and check the file, extract each page's blocks (a page
that fails is reported and skipped, the document goes on), remove layout noise, order blocks for
reading, find title and authors, assemble paragraphs under their section headings, split sentences.

The work is done by: ``layout`` (visual lines, noise, reading order), ``frontmatter`` (title,
authors), ``structure`` (headings, passage kinds, paragraphs), ``hyphenation`` (words broken at
line ends), ``sentences`` (pysbd, passages and sentences with offsets).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf
from pydantic import Field

from synth.frontmatter import front_matter
from synth.hyphenation import document_vocab
from synth.layout import Block, body_font_size, mark_running_noise, page_blocks, reading_order
from synth.records import FLAG_NO_TEXT, FLAG_REVIEW_COPY, FLAG_TRUNCATED, Paper, Passage, Sentence
from synth.sentences import build_records
from synth.settings import Settings
from synth.structure import assemble

_YEAR_RE = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


class ParseSettings(Settings):
    """How PDFs are read."""

    max_pages: int = Field(
        default=500,
        ge=1,
        description="Pages read at most; longer documents are cut with a warning.",
    )
    eof_window: int = Field(
        default=2048,
        ge=16,
        description="Bytes at the end of the file searched for %%EOF; no marker means truncated.",
    )


class PdfError(ValueError):
    """A PDF that cannot be read at all. The message is one line meant for the user."""


@dataclass
class ParsedDocument:
    """The result of parsing one document: the paper, its passages and sentences, and what went wrong."""

    paper: Paper
    passages: list[Passage]
    sentences: list[Sentence]
    warnings: list[str] = field(default_factory=list)
    page_errors: dict[int, str] = field(default_factory=dict)  # 1-based page -> error
    text: str = ""  # full reading-order text that the char offsets index


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_pdf(data: bytes, name: str, settings: ParseSettings) -> tuple[pymupdf.Document, list[str]]:
    """Open PDF bytes, raising :class:`PdfError` with one clear line; returns (doc, flags)."""
    if not data:
        raise PdfError("empty file (0 bytes)")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise PdfError("not a PDF (no %PDF header)")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, pymupdf.EmptyFileError, RuntimeError, ValueError) as exc:
        raise PdfError(f"damaged PDF that cannot be opened ({exc})") from None
    if doc.needs_pass:
        doc.close()
        raise PdfError("encrypted PDF: it needs a password")
    if doc.page_count == 0:
        doc.close()
        raise PdfError("PDF has no pages")
    flags = []
    # pymupdf repairs broken files silently; a missing %%EOF also betrays a cut-off download.
    if doc.is_repaired or b"%%EOF" not in data[-settings.eof_window :]:
        flags.append(FLAG_TRUNCATED)
    return doc, flags


def _page_flags(
    pages: list[list[Block]], errors: dict[int, str], flags: list[str], warnings: list[str]
) -> None:
    """Flag review copies and pages without a text layer (naming the pages)."""
    if any(b.meta.get("review_copy") for blocks in pages for b in blocks):
        flags.append(FLAG_REVIEW_COPY)
    empty = [i + 1 for i, blocks in enumerate(pages) if not blocks and i + 1 not in errors]
    if empty:
        flags.append(FLAG_NO_TEXT)
        warnings.append(
            f"{len(empty)} of {len(pages)} pages have no text layer (scanned images?):"
            f" page {_page_list(empty)}"
        )


def _page_list(pages: list[int], limit: int = 8) -> str:
    shown = ", ".join(map(str, pages[:limit]))
    return shown + (f" and {len(pages) - limit} more" if len(pages) > limit else "")


def _metadata_year(doc: pymupdf.Document, first_page_text: str) -> int | None:
    date = (doc.metadata or {}).get("creationDate") or ""
    m = re.match(r"^D:(\d{4})", date)
    if m:
        return int(m.group(1))
    m = _YEAR_RE.search(first_page_text)
    return int(m.group(1)) if m else None


def _extract_pages(
    doc: pymupdf.Document, settings: ParseSettings, warnings: list[str]
) -> tuple[list[list[Block]], list[float], list[float], dict[int, str]]:
    pages: list[list[Block]] = []
    heights: list[float] = []
    widths: list[float] = []
    errors: dict[int, str] = {}
    n = min(doc.page_count, settings.max_pages)
    if doc.page_count > n:
        warnings.append(f"only the first {n} of {doc.page_count} pages were read")
    for i in range(n):
        try:
            page = doc[i]
            blocks = page_blocks(page, i + 1)
            heights.append(page.rect.height)
            widths.append(page.rect.width)
        except Exception as exc:  # one bad page must not lose the others
            errors[i + 1] = f"{type(exc).__name__}: {exc}".splitlines()[0]
            blocks = []
            heights.append(842.0)
            widths.append(595.0)
        pages.append(blocks)
    return pages, heights, widths, errors


def parse_pdf(
    path: str | Path,
    settings: ParseSettings | None = None,
    paper_id: str | None = None,
    data: bytes | None = None,
) -> ParsedDocument:
    """Parse a PDF file into a Paper with passages and sentences (pages 1-based).

    Args:
        path: the PDF file (also used in messages when ``data`` is given).
        settings: parsing settings; defaults apply when None.
        paper_id: the id to stamp on records; default ``pdf:<first 12 hex of sha256>``.
        data: the file's bytes when already read.

    Raises:
        PdfError: the file is empty, not a PDF, encrypted or cannot be opened at all.
    """
    settings = settings or ParseSettings()
    path = Path(path)
    # === Step 1: read, hash and open the file; detect truncation
    data = path.read_bytes() if data is None else data
    sha = file_sha256(data)
    paper_id = paper_id or f"pdf:{sha[:12]}"
    doc, flags = open_pdf(data, str(path), settings)
    warnings: list[str] = []
    if FLAG_TRUNCATED in flags:
        warnings.append("file is truncated or damaged (pymupdf repaired it): text may be missing")
    try:
        # === Step 2: blocks of every page; a failing page is recorded and skipped
        pages, heights, widths, errors = _extract_pages(doc, settings, warnings)
        for page_no, err in errors.items():
            warnings.append(f"page {page_no} could not be read: {err}")
        # === Step 3: layout noise (running headers/footers, page numbers, line numbers)
        mark_running_noise(pages, heights)
        _page_flags(pages, errors, flags, warnings)
        # === Step 4: reading order per page
        pages = [reading_order(b, w) for b, w in zip(pages, widths, strict=True)]
        # === Step 5: title and authors from the first page
        body = body_font_size(pages)
        front = front_matter(pages[0], body, heights[0])
        first_text = " ".join(ln.text for b in pages[0] for ln in b.lines)
        year = _metadata_year(doc, first_text)
        meta_title = ((doc.metadata or {}).get("title") or "").strip()
        title = front.title or meta_title or path.stem
        # === Step 6: paragraphs under sections, then passages and sentences
        paras = assemble(pages, heights, body, document_vocab(pages), title)
        passages, sentences, text = build_records(paper_id, paras)
        n_pages = doc.page_count
    finally:
        doc.close()
    paper = Paper(
        paper_id=paper_id,
        title=title,
        authors=front.authors,
        year=year,
        source="pdf",
        sha256=sha,
        pages=n_pages,
        flags=tuple(dict.fromkeys(flags)),
        abstract=" ".join(p.text for p in passages if p.kind == "abstract"),
    )
    return ParsedDocument(paper, passages, sentences, warnings, errors, text)
