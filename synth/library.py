"""The library store: one SQLite file per library directory, with an FTS5 index.

Schema is versioned (``PRAGMA user_version``) and migrated forward in numbered steps. Writes of one
paper happen in one transaction, so a failed or killed ingest never leaves a half-written paper.
Papers are deduplicated by the sha256 of their content.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from synth.records import Paper, Passage, Sentence
from synth.settings import resolve_library_dir
from synth.sqlite_store import migrate, open_db, transaction

DB_NAME = "library.sqlite"

# Each migration moves the schema from version i to i+1. Append only; never edit a shipped step.
MIGRATIONS: tuple[str, ...] = (
    # 1: papers, passages, sentences, FTS5 over sentences, caches for claims/verdicts/embeddings
    """
    CREATE TABLE papers (
        paper_id TEXT PRIMARY KEY,
        arxiv_id TEXT,
        version INTEGER,
        title TEXT NOT NULL,
        authors TEXT NOT NULL DEFAULT '[]',
        year INTEGER,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        pages INTEGER NOT NULL DEFAULT 0,
        flags TEXT NOT NULL DEFAULT '[]',
        path TEXT,
        url TEXT,
        abstract TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE passages (
        passage_id INTEGER PRIMARY KEY,
        paper_id TEXT NOT NULL REFERENCES papers(paper_id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        page INTEGER NOT NULL,
        section TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL
    );
    CREATE INDEX passages_paper ON passages(paper_id, seq);
    CREATE TABLE sentences (
        sentence_id INTEGER PRIMARY KEY,
        paper_id TEXT NOT NULL REFERENCES papers(paper_id) ON DELETE CASCADE,
        passage_id INTEGER REFERENCES passages(passage_id) ON DELETE CASCADE,
        page INTEGER NOT NULL,
        section TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL
    );
    CREATE INDEX sentences_paper ON sentences(paper_id, sentence_id);
    CREATE VIRTUAL TABLE sentences_fts USING fts5(
        text, content='sentences', content_rowid='sentence_id', tokenize='porter unicode61'
    );
    CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
        INSERT INTO sentences_fts(rowid, text) VALUES (new.sentence_id, new.text);
    END;
    CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
        INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES('delete', old.sentence_id, old.text);
    END;
    CREATE TABLE claims (
        claim_id TEXT PRIMARY KEY,
        paper_id TEXT,
        settings_hash TEXT NOT NULL,
        payload TEXT NOT NULL
    );
    CREATE INDEX claims_paper ON claims(paper_id);
    CREATE TABLE verdicts (
        claim_key TEXT NOT NULL,
        settings_hash TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (claim_key, settings_hash)
    );
    CREATE TABLE embeddings (
        content_hash TEXT NOT NULL,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (content_hash, model)
    );
    CREATE TABLE kv (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class LibraryError(RuntimeError):
    """A library that cannot be opened or is newer than this code."""


def _paper_from_row(row: sqlite3.Row) -> Paper:
    return Paper(
        paper_id=row["paper_id"],
        title=row["title"],
        authors=tuple(json.loads(row["authors"])),
        year=row["year"],
        source=row["source"],
        sha256=row["sha256"],
        pages=row["pages"],
        arxiv_id=row["arxiv_id"],
        version=row["version"],
        flags=tuple(json.loads(row["flags"])),
        path=row["path"],
        url=row["url"],
        abstract=row["abstract"],
    )


def _sentence_from_row(row: sqlite3.Row) -> Sentence:
    return Sentence(
        paper_id=row["paper_id"],
        page=row["page"],
        section=row["section"],
        text=row["text"],
        kind=row["kind"],
        char_start=row["char_start"],
        char_end=row["char_end"],
        passage_id=row["passage_id"],
        sentence_id=row["sentence_id"],
    )


class Library:
    """A library directory: ``library.sqlite`` plus ``pdfs/`` (downloaded and copied files) and caches."""

    def __init__(self, directory: str | Path | None = None, busy_timeout_ms: int = 30_000) -> None:
        self.directory = resolve_library_dir(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "pdfs").mkdir(exist_ok=True)
        self.path = self.directory / DB_NAME
        self.conn = open_db(self.path, busy_timeout_ms)
        self._migrate()

    # --- lifecycle -------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path}: schema version {version} is newer than this claimlab ({SCHEMA_VERSION})"
            )
        migrate(self.conn, MIGRATIONS)

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        return transaction(self.conn)

    # --- papers ----------------------------------------------------------------------------
    def has_sha(self, sha256: str) -> Paper | None:
        row = self.conn.execute("SELECT * FROM papers WHERE sha256=?", (sha256,)).fetchone()
        return _paper_from_row(row) if row else None

    def get_paper(self, paper_id: str) -> Paper | None:
        row = self.conn.execute("SELECT * FROM papers WHERE paper_id=?", (paper_id,)).fetchone()
        return _paper_from_row(row) if row else None

    def papers(self) -> list[Paper]:
        rows = self.conn.execute("SELECT * FROM papers ORDER BY added_at, paper_id").fetchall()
        return [_paper_from_row(r) for r in rows]

    def add_paper(
        self, paper: Paper, passages: Sequence[Passage], sentences: Sequence[Sentence]
    ) -> bool:
        """Store a paper with its passages and sentences in one transaction.

        Sentences are linked to passages by ``passage_id`` holding the passage's ``seq`` on input.
        Returns False (and writes nothing) when the same content is already stored.
        """
        if self.has_sha(paper.sha256) or self.get_paper(paper.paper_id):
            return False
        with self.transaction() as c:
            c.execute(
                "INSERT INTO papers (paper_id, arxiv_id, version, title, authors, year, source, sha256,"
                " pages, flags, path, url, abstract) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    paper.paper_id,
                    paper.arxiv_id,
                    paper.version,
                    paper.title,
                    json.dumps(list(paper.authors)),
                    paper.year,
                    paper.source,
                    paper.sha256,
                    paper.pages,
                    json.dumps(list(paper.flags)),
                    paper.path,
                    paper.url,
                    paper.abstract,
                ),
            )
            insert_text(c, paper.paper_id, passages, sentences)
        return True

    def remove_paper(self, paper_id: str) -> bool:
        with self.transaction() as c:
            cur = c.execute("DELETE FROM papers WHERE paper_id=?", (paper_id,))
        return cur.rowcount > 0

    # --- text ------------------------------------------------------------------------------
    def passages(self, paper_id: str) -> list[Passage]:
        rows = self.conn.execute(
            "SELECT * FROM passages WHERE paper_id=? ORDER BY seq", (paper_id,)
        ).fetchall()
        return [
            Passage(
                paper_id=r["paper_id"],
                seq=r["seq"],
                page=r["page"],
                section=r["section"],
                text=r["text"],
                kind=r["kind"],
                char_start=r["char_start"],
                char_end=r["char_end"],
                passage_id=r["passage_id"],
            )
            for r in rows
        ]

    def sentences(
        self, paper_id: str | None = None, kinds: Iterable[str] | None = None
    ) -> list[Sentence]:
        """Sentences in reading order, optionally of one paper and of some kinds only."""
        sql, args = "SELECT * FROM sentences", []
        where = []
        if paper_id is not None:
            where.append("paper_id=?")
            args.append(paper_id)
        if kinds is not None:
            kinds = list(kinds)
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            args.extend(kinds)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY paper_id, sentence_id"
        return [_sentence_from_row(r) for r in self.conn.execute(sql, args).fetchall()]

    def sentence(self, sentence_id: int) -> Sentence | None:
        row = self.conn.execute(
            "SELECT * FROM sentences WHERE sentence_id=?", (sentence_id,)
        ).fetchone()
        return _sentence_from_row(row) if row else None

    def count_sentences(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM sentences").fetchone()[0])

    def fts_search(self, query: str, limit: int = 50) -> list[tuple[Sentence, float]]:
        """BM25 search over sentences. ``query`` is free text; terms are OR-ed and quoted.

        Returns (sentence, score) with higher scores better (FTS5's bm25 negated).
        """
        terms = fts_terms(query)
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = self.conn.execute(
            "SELECT s.*, -bm25(sentences_fts) AS score FROM sentences_fts"
            " JOIN sentences s ON s.sentence_id = sentences_fts.rowid"
            " WHERE sentences_fts MATCH ? ORDER BY bm25(sentences_fts) LIMIT ?",
            (match, limit),
        ).fetchall()
        return [(_sentence_from_row(r), float(r["score"])) for r in rows]

    def sentence_tuples(self) -> list[tuple[int, str, int, str, str, str]]:
        """(sentence_id, paper_id, page, section, kind, text) of every sentence, in the order of
        :meth:`sentences`: plain tuples, for loading a whole library's evidence quickly."""
        return self.conn.execute(
            "SELECT sentence_id, paper_id, page, section, kind, text FROM sentences"
            " ORDER BY paper_id, sentence_id"
        ).fetchall()

    def fts_ids(self, query: str, limit: int = 50) -> list[int]:
        """Sentence ids of :meth:`fts_search`'s hits, best first, without building Sentence records.

        The same MATCH and the same BM25 order; for callers that already hold the sentences
        (a claim verified alone; batches use the in-memory ``synth.bm25.Bm25Index``).
        """
        terms = fts_terms(query)
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = self.conn.execute(
            "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?"
            " ORDER BY bm25(sentences_fts) LIMIT ?",
            (match, limit),
        ).fetchall()
        return [int(r[0]) for r in rows]

    # --- small key/value store for stage outputs ------------------------------------------
    def kv_put(self, namespace: str, key: str, value: object) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO kv (namespace, key, value) VALUES (?,?,?)",
                (namespace, key, json.dumps(value)),
            )

    def kv_get(self, namespace: str, key: str) -> object | None:
        row = self.conn.execute(
            "SELECT value FROM kv WHERE namespace=? AND key=?", (namespace, key)
        ).fetchone()
        return json.loads(row[0]) if row else None


_STOP = frozenset(
    "a an the of in on for to and or is are was were be by with as at from that this these those it its"
    " we our than then".split()
)


def insert_text(
    conn: sqlite3.Connection,
    paper_id: str,
    passages: Sequence[Passage],
    sentences: Sequence[Sentence],
) -> None:
    """Insert a paper's passages and sentences (inside the caller's transaction).

    Sentences are linked to passages by ``passage_id`` holding the passage's ``seq`` on input.
    """
    seq_to_id: dict[int, int] = {}
    for p in passages:
        cur = conn.execute(
            "INSERT INTO passages (paper_id, seq, page, section, kind, text, char_start,"
            " char_end) VALUES (?,?,?,?,?,?,?,?)",
            (paper_id, p.seq, p.page, p.section, p.kind, p.text, p.char_start, p.char_end),
        )
        seq_to_id[p.seq] = int(cur.lastrowid)
    conn.executemany(
        "INSERT INTO sentences (paper_id, passage_id, page, section, kind, text, char_start,"
        " char_end) VALUES (?,?,?,?,?,?,?,?)",
        [
            (
                paper_id,
                seq_to_id.get(s.passage_id) if s.passage_id is not None else None,
                s.page,
                s.section,
                s.kind,
                s.text,
                s.char_start,
                s.char_end,
            )
            for s in sentences
        ],
    )


def fts_terms(query: str) -> list[str]:
    """The words of an FTS5 query for ``query`` (lower-cased, stopwords and repeats dropped, at
    most 64), each matched as a quoted phrase."""
    import re

    words = re.findall(r"\w+", query.lower())
    seen: list[str] = []
    for w in words:
        if w not in _STOP and w not in seen:
            seen.append(w)
    return seen[:64]
