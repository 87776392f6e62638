"""The results store: ``results.sqlite`` in the library directory.

Runs are keyed by ``run_id`` (the RunSpec hash). Writes are single transactions under WAL with a busy
timeout, so several jobs (subprocesses, Slurm array tasks) can write at once without losing a result;
``put`` is idempotent (a re-run of a finished run replaces nothing it should keep).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from replicate.records import ClaimCheck, RunResult
from synth.settings import resolve_library_dir
from synth.sqlite_store import migrate, open_db, transaction

DB_NAME = "results.sqlite"

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        task TEXT NOT NULL,
        spec TEXT NOT NULL,
        primary_metric TEXT NOT NULL,
        average TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE scores (
        run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        lang TEXT NOT NULL,
        metric TEXT NOT NULL,
        value REAL NOT NULL,
        PRIMARY KEY (run_id, lang, metric)
    );
    CREATE TABLE claim_checks (
        claim_id TEXT NOT NULL,
        study TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (claim_id, study)
    );
    CREATE TABLE studies (
        name TEXT PRIMARY KEY,
        spec_hash TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class ResultsStore:
    """Per-run results and claim checks, queryable by task, language and spec fields."""

    def __init__(self, library: str | Path | None = None, busy_timeout_ms: int = 60_000) -> None:
        self.directory = resolve_library_dir(library)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / DB_NAME
        self.conn = open_db(self.path, busy_timeout_ms)
        migrate(self.conn, MIGRATIONS)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self.conn)

    # --- runs ------------------------------------------------------------------------------
    def put(self, result: RunResult) -> None:
        """Store one run's result (replacing an older copy of the same run id) in one transaction."""
        with self._tx() as c:
            c.execute("DELETE FROM runs WHERE run_id=?", (result.run_id,))
            c.execute(
                "INSERT INTO runs (run_id, task, spec, primary_metric, average, payload)"
                " VALUES (?,?,?,?,?,?)",
                (
                    result.run_id,
                    result.task,
                    json.dumps(result.spec, sort_keys=True),
                    result.primary_metric,
                    json.dumps(result.average),
                    json.dumps(result.to_dict()),
                ),
            )
            c.executemany(
                "INSERT INTO scores (run_id, lang, metric, value) VALUES (?,?,?,?)",
                [
                    (result.run_id, lang, metric, float(value))
                    for lang, metrics in result.scores.items()
                    for metric, value in metrics.items()
                ],
            )

    def has(self, run_id: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM runs WHERE run_id=?", (run_id,)).fetchone() is not None
        )

    def get(self, run_id: str) -> RunResult | None:
        row = self.conn.execute("SELECT payload FROM runs WHERE run_id=?", (run_id,)).fetchone()
        return RunResult(**json.loads(row[0])) if row else None

    def all(self, task: str | None = None) -> list[RunResult]:
        sql, args = "SELECT payload FROM runs", ()
        if task:
            sql, args = sql + " WHERE task=?", (task,)
        rows = self.conn.execute(sql + " ORDER BY created_at, run_id", args).fetchall()
        return [RunResult(**json.loads(r[0])) for r in rows]

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM runs").fetchone()[0])

    def score_rows(self) -> list[dict[str, Any]]:
        """Flat rows (run_id, task, lang, metric, value, spec fields) for analysis and export."""
        rows = self.conn.execute(
            "SELECT s.run_id, r.task, s.lang, s.metric, s.value, r.spec FROM scores s"
            " JOIN runs r USING (run_id) ORDER BY s.run_id, s.lang, s.metric"
        ).fetchall()
        out = []
        for r in rows:
            d = {k: r[k] for k in ("run_id", "task", "lang", "metric", "value")}
            d["spec"] = json.loads(r["spec"])
            out.append(d)
        return out

    # --- claim checks and studies ------------------------------------------------------------
    def put_check(self, check: ClaimCheck, study: str = "") -> None:
        with self._tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO claim_checks (claim_id, study, payload) VALUES (?,?,?)",
                (check.claim_id, study, json.dumps(check.to_dict())),
            )

    def checks(self, study: str | None = None) -> list[ClaimCheck]:
        sql, args = "SELECT payload FROM claim_checks", ()
        if study is not None:
            sql, args = sql + " WHERE study=?", (study,)
        rows = self.conn.execute(sql + " ORDER BY created_at, claim_id", args).fetchall()
        out = []
        for r in rows:
            d = json.loads(r[0])
            for k in ("target_tasks", "languages", "differences", "run_ids"):
                d[k] = tuple(d.get(k, ()))
            out.append(ClaimCheck(**d))
        return out

    def put_study(self, name: str, spec_hash: str, payload: dict[str, Any]) -> None:
        with self._tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO studies (name, spec_hash, payload) VALUES (?,?,?)",
                (name, spec_hash, json.dumps(payload)),
            )

    def studies(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT name, spec_hash, payload, created_at FROM studies ORDER BY created_at"
        ).fetchall()
        return [
            {"name": r[0], "spec_hash": r[1], "created_at": r[3], **json.loads(r[2])} for r in rows
        ]
