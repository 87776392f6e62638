"""Typed records that flow through synth, each carrying its provenance.

Paper -> Passage -> Sentence -> Claim -> Evidence -> Verdict. Frozen dataclasses, defined once;
``to_dict`` gives the JSON form used on the command line and in the store.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# Flags a paper can carry. MACHINE_GENERATED sources are never counted as independent evidence.
FLAG_MACHINE_GENERATED = "machine_generated"
FLAG_TRUNCATED = "truncated"  # pymupdf repaired the file: text may be missing
FLAG_REVIEW_COPY = "review_copy"  # line-numbered review draft
FLAG_NO_TEXT = "no_text"  # no text layer on some pages

Label = Literal["SUPPORTS", "REFUTES", "NOT ENOUGH INFO"]
LABELS: tuple[str, ...] = ("SUPPORTS", "REFUTES", "NOT ENOUGH INFO")


class Record:
    """Mixin: JSON-ready dict form."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Paper(Record):
    """One document in the library. ``paper_id`` is ``arxiv:<id>v<n>`` or ``pdf:<sha12>`` / ``text:<sha12>``."""

    paper_id: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    source: str = "pdf"  # "arxiv" | "pdf" | "text"
    sha256: str = ""
    pages: int = 0
    arxiv_id: str | None = None  # without version, e.g. "2005.13013"
    version: int | None = None  # arXiv version number, pinned
    flags: tuple[str, ...] = ()
    path: str | None = None  # where the stored file lies (relative to the library)
    url: str | None = None
    abstract: str = ""

    @property
    def machine_generated(self) -> bool:
        return FLAG_MACHINE_GENERATED in self.flags

    @property
    def citation(self) -> str:
        """'Gupta et al. (2024)' from the authors and year; the title when there are no authors."""
        if not self.authors:
            return self.title or self.paper_id
        who = self.authors[0].split()[-1] + (" et al." if len(self.authors) > 1 else "")
        return f"{who} ({self.year})" if self.year else who


@dataclass(frozen=True)
class Passage(Record):
    """A block of text on one page, in reading order. ``kind``: body, abstract, caption, references, title."""

    paper_id: str
    seq: int
    page: int  # 1-based page number
    section: str
    text: str
    kind: str = "body"
    char_start: int = 0  # offsets into the paper's full reading-order text
    char_end: int = 0
    passage_id: int | None = None


@dataclass(frozen=True)
class Sentence(Record):
    """One sentence, knowing its paper, page, section and passage."""

    paper_id: str
    page: int
    section: str
    text: str
    kind: str = "body"
    char_start: int = 0
    char_end: int = 0
    passage_id: int | None = None
    sentence_id: int | None = None


@dataclass(frozen=True)
class Number(Record):
    """A number stated in a claim, with what it measures."""

    value: float
    raw: str
    unit: str | None = None  # "%", "points", "pp", "x", ...
    metric: str | None = None  # "accuracy", "F1", ...


@dataclass(frozen=True)
class Claim(Record):
    """A claim: a whole sentence, typed, with its numbers and tagged entities."""

    claim_id: str
    text: str
    paper_id: str | None = None
    page: int | None = None
    section: str | None = None
    sentence_id: int | None = None
    type: str = "result"  # result | comparison | method | contribution
    score: float = 0.0  # check-worthiness in [0, 1]
    numbers: tuple[Number, ...] = ()
    entities: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # tasks/models/datasets/languages
    sources: tuple[tuple[str, int], ...] = ()  # every (paper_id, page) that states it
    truncated: bool = False  # the source cut it off mid-sentence


@dataclass(frozen=True)
class Evidence(Record):
    """A sentence retrieved for a claim, with its scores."""

    paper_id: str
    page: int
    section: str
    text: str
    sentence_id: int | None = None
    score: float = 0.0  # reranked relevance
    machine_generated: bool = False


@dataclass(frozen=True)
class Verdict(Record):
    """SciFact-shaped verdict: label, calibrated confidence, rationale evidence, checks, provenance."""

    claim_id: str
    claim: str
    label: str
    confidence: float  # calibrated probability of ``label``
    evidence: tuple[Evidence, ...] = ()
    checks: dict[str, Any] = field(default_factory=dict)  # numeric / polarity / direction results
    models: dict[str, str] = field(default_factory=dict)  # role -> "name@version"
    settings_hash: str = ""
