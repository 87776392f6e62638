"""FTS5's BM25 ranking, worked out in memory from FTS5's own index: the same hits, scores and order.

Batch verification runs one ``MATCH "t1" OR "t2" ...`` query per claim (about 3 ms of CPU each on
a 5,000-sentence library). This index reads the library's FTS5 index once (``fts5vocab``: every
token of every sentence, as FTS5's ``porter unicode61`` tokenizer made it) and scores a query the
way FTS5's ``bm25()`` does (``fts5_aux.c``), in the same float64 operations in the same order:

    idf(p)   = log((N - n_p + 0.5) / (n_p + 0.5)), or 1e-6 when that is <= 0
    score(d) = 0 + sum over the query's phrases p, in query order, of
               idf(p) * (f_pd * (k1 + 1)) / (f_pd + k1 * (1 - b + b * |d| / avgdl))

(k1 = 1.2, b = 0.75; N sentences, n_p of them holding p, f_pd times in d, |d| tokens in d). A
phrase's term is mapped to its token by FTS5's tokenizer itself (a throwaway in-memory FTS5 table
with the library's tokenizer), so stemming and case folding are FTS5's. Hits come best first,
ties in rowid order (as SQLite's sorter returns FTS5's rowid-ordered rows). A term that FTS5 reads
as several tokens (a multi-token phrase, "covid_19") or as none is not modelled: such a query
returns ``None`` and the caller asks FTS5.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Sequence

import numpy as np

K1, B = 1.2, 0.75


class Bm25Index:
    """The library's FTS5 index, in memory, for ranked lookups."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        table: str = "sentences_fts",
        tokenize: str = "porter unicode61",
    ):
        vocab = f"_bm25_vocab_{threading.get_ident()}"
        conn.execute(f"CREATE VIRTUAL TABLE temp.{vocab} USING fts5vocab(main, {table}, instance)")
        try:
            rows = conn.execute(f"SELECT term, doc FROM temp.{vocab}").fetchall()
        finally:
            conn.execute(f"DROP TABLE temp.{vocab}")
        terms = [t for t, _ in rows]
        names = list(dict.fromkeys(terms))
        code = {t: k for k, t in enumerate(names)}
        term_of = np.fromiter((code[t] for t in terms), dtype=np.int64, count=len(terms))
        self.rowids, doc_of = np.unique(
            np.array([d for _, d in rows], dtype=np.int64), return_inverse=True
        )
        n = len(self.rowids)
        length = np.bincount(doc_of, minlength=n)  # tokens per document
        avgdl = float(length.sum()) / float(n) if n else 1.0
        # k1 * (1 - b + b * D / avgdl), per document, as fts5Bm25Function evaluates it.
        norm = K1 * ((1 - B) + (B * length.astype(np.float64)) / avgdl)
        # (term, document) pairs, sorted; f = instances of the term in the document.
        order = np.lexsort((doc_of, term_of))
        term_of, doc_of = term_of[order], doc_of[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (term_of[1:] != term_of[:-1]) | (doc_of[1:] != doc_of[:-1])
        starts = np.flatnonzero(first)
        f = np.diff(np.append(starts, len(order))).astype(np.float64)
        pair_term, pair_doc = term_of[starts], doc_of[starts]
        bounds = np.searchsorted(pair_term, np.arange(len(names) + 1))
        hits = np.diff(bounds)  # documents holding each term
        idf = np.array([math.log((n - h + 0.5) / (h + 0.5)) for h in hits.tolist()])
        idf[idf <= 0.0] = 1e-6
        contrib = idf[pair_term] * ((f * (K1 + 1.0)) / (f + norm[pair_doc]))
        self._set((names, bounds, pair_doc, contrib, self.rowids, n), tokenize)

    def _set(self, arrays: tuple, tokenize: str) -> None:
        """Postings per term from the flat arrays of :meth:`state`, and FTS5's tokenizer."""
        names, bounds, pair_doc, contrib, self.rowids, self.size = self._arrays = arrays
        self._terms: dict[str, tuple[np.ndarray, np.ndarray]] = {
            t: (pair_doc[bounds[k] : bounds[k + 1]], contrib[bounds[k] : bounds[k + 1]])
            for k, t in enumerate(names)
        }
        # FTS5's tokenizer, for mapping query terms to tokens; one word -> its tokens, cached.
        self._tok = sqlite3.connect(":memory:", check_same_thread=False)
        self._tok.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize='{tokenize}')")
        self._tok.execute("CREATE VIRTUAL TABLE tv USING fts5vocab(t, instance)")
        self._tokens: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def state(self) -> tuple:
        """The index as plain arrays (terms, their bounds, documents, contributions, rowids,
        size): what :meth:`from_state` rebuilds it from without reading FTS5 (stored with the
        library: ``synth.libstate``)."""
        return self._arrays

    @classmethod
    def from_state(cls, arrays: tuple, tokenize: str = "porter unicode61") -> Bm25Index:
        """The index :meth:`state` describes (the same postings, scores and order)."""
        index = cls.__new__(cls)
        index._set(arrays, tokenize)
        return index

    def tokens(self, words: Sequence[str]) -> list[tuple[str, ...]]:
        """FTS5's tokens of each word (as a quoted phrase of a query would be tokenized)."""
        with self._lock:
            new = [w for w in dict.fromkeys(words) if w not in self._tokens]
            if new:
                with self._tok:
                    self._tok.execute("DELETE FROM t")
                    self._tok.executemany(
                        "INSERT INTO t(rowid, text) VALUES (?, ?)", list(enumerate(new, 1))
                    )
                    found: dict[int, list[tuple[int, str]]] = {}
                    for term, doc, offset in self._tok.execute("SELECT term, doc, offset FROM tv"):
                        found.setdefault(doc, []).append((offset, term))
                for k, w in enumerate(new, 1):
                    self._tokens[w] = tuple(t for _, t in sorted(found.get(k, [])))
            return [self._tokens[w] for w in words]

    def top(self, terms: Sequence[str], limit: int) -> list[int] | None:
        """Rowids of ``MATCH "t1" OR "t2" ... ORDER BY bm25() LIMIT limit``, or None when a term
        is not one token (FTS5 answers those)."""
        if not terms:
            return []
        phrases = self.tokens(terms)
        if any(len(p) != 1 for p in phrases):
            return None
        score = np.zeros(self.size, dtype=np.float64)
        hit = np.zeros(self.size, dtype=bool)
        for (token,) in phrases:
            post = self._terms.get(token)
            if post is None:
                continue
            idx, contrib = post
            score[idx] += contrib
            hit[idx] = True
        rows = np.flatnonzero(hit)
        if len(rows) > limit:
            # Keep every row tied with the limit-th score, then order exactly.
            kth = np.partition(-score[rows], limit - 1)[limit - 1]
            rows = rows[-score[rows] <= kth]
        best = rows[np.lexsort((rows, -score[rows]))][:limit]
        return self.rowids[best].tolist()
