"""Re-parse stored papers in place with the current parser.

A library keeps a copy of every file it ingested (``<library>/pdfs/<sha256>.<ext>``). When a later
claimlab parses differently (see :mod:`synth.parser_version`), ``reparse`` reads each kept copy
again and swaps the paper's passages and sentences for the new ones in one transaction per paper:
the paper keeps its id, its arXiv metadata and its place in the library. What was derived from the
old text goes with it: the paper's stored claims (extracted again on next use) and the stored
verdicts (their evidence quoted the old sentences; ``verify`` and the demo store new ones). A paper
whose copy is missing or changed fails with one line and keeps its old text; the batch goes on.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from synth.claim_store import forget_claims
from synth.ingest import TEXT_SUFFIXES, flag_machine_generated
from synth.library import Library, insert_text
from synth.parser_version import INGEST_KV, PARSER_VERSION, papers_parsed_before
from synth.pdf import ParsedDocument, ParseSettings, PdfError, file_sha256, parse_pdf
from synth.provenance import parse_text
from synth.records import Paper


@dataclass(frozen=True)
class ReparseOutcome:
    """What happened to one paper."""

    paper_id: str
    status: str  # "ok" | "failed"
    message: str = ""
    sentences_before: int = 0
    sentences_after: int = 0


class ReparseError(RuntimeError):
    """A paper that cannot be re-parsed; the message is one line."""


def stale_papers(library: Library, everything: bool = False) -> list[str]:
    """The papers to re-parse: those parsed by an older claimlab, or all of them."""
    if everything:
        return [p.paper_id for p in library.papers()]
    return papers_parsed_before(library)


def reparse(
    library: Library,
    paper_ids: list[str],
    settings: ParseSettings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[ReparseOutcome]:
    """Re-parse each paper from its kept copy; one outcome per paper, failures included."""
    settings = settings or ParseSettings()
    outcomes = []
    for done, pid in enumerate(paper_ids, start=1):
        try:
            outcomes.append(_reparse_one(library, pid, settings))
        except (ReparseError, PdfError) as exc:
            outcomes.append(ReparseOutcome(pid, "failed", str(exc)))
        except Exception as exc:  # a parser bug on one paper must not end the batch
            outcomes.append(
                ReparseOutcome(pid, "failed", f"unexpected {type(exc).__name__}: {exc}")
            )
        if progress is not None:
            progress(pid, done, len(paper_ids))
    return outcomes


def _kept_copy(library: Library, paper: Paper) -> Path:
    if not paper.path:
        raise ReparseError("no kept copy (ingested without copying the file): ingest it again")
    path = library.directory / paper.path
    if not path.is_file():
        raise ReparseError(f"kept copy {paper.path} is missing: ingest the file again")
    return path


def _parse_again(library: Library, paper: Paper, settings: ParseSettings) -> ParsedDocument:
    # === Step 1: read the kept copy; it must be the very file that was ingested
    path = _kept_copy(library, paper)
    data = path.read_bytes()
    if file_sha256(data) != paper.sha256:
        raise ReparseError(f"kept copy {paper.path} no longer matches the ingested file's sha256")
    # === Step 2: parse it with today's parser, under the paper's own id
    if path.suffix.lower() in TEXT_SUFFIXES:
        return parse_text(path, data, paper.sha256, paper_id=paper.paper_id)
    return flag_machine_generated(parse_pdf(path, settings, paper_id=paper.paper_id, data=data))


def _merged_paper(old: Paper, new: Paper) -> Paper:
    """The stored record with what parsing decides (pages, flags; title/abstract if not arXiv's)."""
    flags = tuple(dict.fromkeys((*old.flags, *new.flags)))
    if old.source == "arxiv":  # arXiv's metadata beats what a parser reads off the first page
        return dataclasses.replace(old, pages=new.pages, flags=flags)
    return dataclasses.replace(
        old, title=new.title or old.title, abstract=new.abstract or old.abstract,
        authors=new.authors or old.authors, pages=new.pages, flags=flags,
    )  # fmt: skip


def _reparse_one(library: Library, paper_id: str, settings: ParseSettings) -> ReparseOutcome:
    old = library.get_paper(paper_id)
    if old is None:
        raise ReparseError("no such paper in the library")
    doc = _parse_again(library, old, settings)
    if not doc.sentences:
        raise ReparseError("the new parse found no text; the old one is kept")
    paper = _merged_paper(old, doc.paper)
    before = library.conn.execute(
        "SELECT COUNT(*) FROM sentences WHERE paper_id=?", (paper_id,)
    ).fetchone()[0]
    record = library.kv_get(INGEST_KV, paper_id)
    record = dict(record) if isinstance(record, dict) else {}
    record.update(
        parser_version=PARSER_VERSION,
        warnings=doc.warnings,
        page_errors={str(k): v for k, v in doc.page_errors.items()},
        reparsed=True,
    )
    # === Step 3: swap the text and drop what was derived from it, all in one transaction
    with library.transaction() as c:
        c.execute(
            "UPDATE papers SET title=?, authors=?, pages=?, flags=?, abstract=? WHERE paper_id=?",
            (
                paper.title, json.dumps(list(paper.authors)), paper.pages,
                json.dumps(list(paper.flags)), paper.abstract, paper_id,
            ),
        )  # fmt: skip
        c.execute("DELETE FROM sentences WHERE paper_id=?", (paper_id,))
        c.execute("DELETE FROM passages WHERE paper_id=?", (paper_id,))
        insert_text(c, paper_id, doc.passages, doc.sentences)
        forget_claims(c, paper_id)
        c.execute("DELETE FROM verdicts")
        c.execute(
            "INSERT OR REPLACE INTO kv (namespace, key, value) VALUES (?,?,?)",
            (INGEST_KV, paper_id, json.dumps(record)),
        )
    return ReparseOutcome(paper_id, "ok", "; ".join(doc.warnings), before, len(doc.sentences))
