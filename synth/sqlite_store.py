"""SQLite plumbing shared by every store (the library, the results store).

One way to open a database (WAL, foreign keys, busy timeout so concurrent writers wait), one way to
migrate it forward in numbered steps (safe when several processes open a new file at once), and one
transaction helper.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def open_db(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """Open ``path`` in autocommit mode with WAL, foreign keys and a busy timeout; rows as Row."""
    conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    # Switching a new file to WAL can answer "locked" at once while another process switches it
    # (SQLite may not call the busy handler for it): retry within the busy timeout.
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[str]) -> None:
    """Apply ``migrations[v:]`` where v is the file's ``user_version``, one transaction per step.

    Another process opening a new file at the same moment may apply a step between our version read
    and our write lock: that is fine when the version has moved on, and re-raised otherwise.
    """
    for step in range(user_version(conn), len(migrations)):
        # executescript commits any open transaction first, so the step carries its own BEGIN.
        script = f"BEGIN IMMEDIATE;{migrations[step]};PRAGMA user_version={step + 1};COMMIT;"
        try:
            conn.executescript(script)
        except sqlite3.OperationalError:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if user_version(conn) <= step:
                raise


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
