"""The verifier's library state, worked out at ingest and stored beside the library.

What the checks know about a library depends only on its sentences and on the code that parses
them: each sentence's facts (``textchecks.facts``), each paper's tables of words, names, figures
and cells (``LibraryFacts``), the library's word rarity and number index, and the in-memory BM25
index. ``claimlab ingest`` works them out once (:func:`fill`) and stores them in a sidecar SQLite
file, ``derived.sqlite``, beside ``library.sqlite``; a verifier reads what it needs from there
instead of parsing the library again (a first batch of claims spent about a second of CPU on it).

Every key holds :func:`code_version` (a hash of the ``synth`` package's source, the Python,
SQLite and NumPy versions), so a code change never reads stale state; the library-level entries
hold a fingerprint of every sentence, a paper's entries one of its sentences and title, a
sentence's facts the hash of its text. A library without the file (or with entries of another
version) is verified as before: everything is computed on first use. The file is a cache: deleting
it loses nothing.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from synth.library import Library

STATE_NAME = "derived.sqlite"


def code_version() -> str:
    """A hash of the code that makes the stored state: every module of ``synth`` (any change to
    the parsing invalidates it) and the versions whose objects are stored."""
    return source_hash(Path(__file__).parent)


@lru_cache(maxsize=4)
def source_hash(folder: Path) -> str:
    """A hash of the ``*.py`` files of ``folder`` (names and bytes) and of the Python, SQLite and
    NumPy versions."""
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(f"{sys.version_info[:2]}|{sqlite3.sqlite_version}|{np.__version__}".encode())
    return h.hexdigest()[:16]


def text_key(text: str) -> str:
    """The key of a sentence's facts: the hash of its text (all ``facts`` reads)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class LibraryState:
    """The sidecar store of one library: pickled state under versioned keys."""

    def __init__(self, library: Library, create: bool = False) -> None:
        self.library = library
        self.version = code_version()
        self.path = Path(library.directory) / STATE_NAME
        self.conn: sqlite3.Connection | None = None
        self._fingerprint: str | None = None
        try:
            if create:
                conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, payload BLOB NOT NULL)"
                )
                conn.commit()
                self.conn = conn
            elif self.path.exists():
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        except sqlite3.Error:
            self.conn = None  # an unreadable sidecar: compute as without one

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def get(self, key: str) -> object | None:
        """The state stored under ``key`` (of this code version), or None."""
        if self.conn is None:
            return None
        try:
            row = self.conn.execute(
                "SELECT payload FROM state WHERE key=?", (f"{self.version}|{key}",)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError):
            return None  # unreadable (not this code's objects): computed instead

    def keys(self, prefix: str) -> set[str]:
        """The stored keys (of this code version) that begin with ``prefix``, without it."""
        if self.conn is None:
            return set()
        full = f"{self.version}|{prefix}"
        rows = self.conn.execute(
            "SELECT key FROM state WHERE key >= ? AND key < ?", (full, full + "\uffff")
        ).fetchall()
        return {k[len(full) :] for (k,) in rows}

    def put_many(self, items: list[tuple[str, object]]) -> None:
        """Store (key, state) pairs in one transaction, and drop other code versions' entries."""
        assert self.conn is not None, "opened read-only"
        rows = [(f"{self.version}|{k}", pickle.dumps(v, protocol=5)) for k, v in items]
        with self.conn:
            self.conn.execute("DELETE FROM state WHERE key NOT LIKE ?", (f"{self.version}|%",))
            self.conn.executemany("INSERT OR REPLACE INTO state (key, payload) VALUES (?,?)", rows)

    def fingerprint(self) -> str:
        """A hash of every sentence (all its fields) and of which papers are machine-generated:
        the key of the library-level tables (worked out once per state object, when first
        needed, as those tables are)."""
        if self._fingerprint is None:
            h = hashlib.sha256()
            for row in self.library.conn.execute("SELECT * FROM sentences ORDER BY sentence_id"):
                h.update(repr(tuple(row)).encode() + b"\0")
            mg = sorted(p.paper_id for p in self.library.papers() if p.machine_generated)
            h.update(repr(mg).encode())
            self._fingerprint = h.hexdigest()[:32]
        return self._fingerprint


def paper_key(paper_id: str, title: str, sentences: list) -> str:
    """The key of a paper's tables: its id, title and sentences (every field)."""
    h = hashlib.sha256(repr((paper_id, title)).encode())
    for s in sentences:
        h.update(repr(s).encode() + b"\0")
    return h.hexdigest()[:32]


def fill(library: Library, min_words: int = 4) -> dict[str, int]:
    """Work out and store what a verifier of ``library`` would (what is already stored for this
    code version is kept): each evidence sentence's facts, each paper's tables, the library's
    word rarity, number index and BM25 index. Returns how many entries were added."""
    from synth.bm25 import Bm25Index
    from synth.libfacts import LibraryFacts

    state = LibraryState(library, create=True)
    if state.conn is None:
        return {}
    try:
        known = LibraryFacts(library, min_words)  # computes: no state given
        added: list[tuple[str, object]] = []
        have = state.keys("")
        # Each evidence sentence's facts, by the hash of its text.
        todo: dict[str, str] = {}
        for s in filter(known._is_evidence, known._sentences()):
            key = "facts|" + text_key(s.text)
            if key not in have and key not in todo:
                todo[key] = s.text
        added += [(k, known.text_facts(t)) for k, t in todo.items()]
        # Each paper's tables.
        for paper in library.papers():
            key = f"paper|{min_words}|{known.paper_key(paper.paper_id)}"
            if key not in have:
                added.append((key, known.paper_state(paper.paper_id)))
        # The library's word rarity and number index; the BM25 index.
        lib_key = f"library|{min_words}|{state.fingerprint()}"
        if lib_key not in have:
            added.append((lib_key, known.library_state()))
        bm25_key = f"bm25|{state.fingerprint()}"
        if bm25_key not in have:
            added.append((bm25_key, Bm25Index(library.conn).state()))
        state.put_many(added)
        return {
            "facts": len(todo),
            "papers": sum(k.startswith("paper|") for k, _ in added),
            "library": sum(k.startswith(("library|", "bm25|")) for k, _ in added),
        }
    finally:
        state.close()
