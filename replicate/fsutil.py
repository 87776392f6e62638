"""Small file-system helpers shared by models, train and pipeline: locks, atomic writes, caches.

Several processes (subprocess sweeps, Slurm array tasks, torchrun ranks) may build the same cached
model or train the same shared intermediate phase at once; an exclusive ``flock`` on a lock file beside
the target makes the second one wait and then reuse the first one's output.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CACHE_ENV = "CLAIMLAB_CACHE"


def cache_dir(sub: str = "") -> Path:
    """claimlab's cache directory: ``$CLAIMLAB_CACHE`` else ``~/.cache/claimlab``, plus ``sub``."""
    base = os.environ.get(CACHE_ENV) or str(Path.home() / ".cache" / "claimlab")
    path = Path(base).expanduser() / sub if sub else Path(base).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (created if missing) for the ``with`` body."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so readers never see half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, payload: Any) -> None:
    """Write ``payload`` as indented, key-sorted JSON atomically."""
    atomic_write_text(path, json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")


def read_json(path: Path) -> Any:
    """Read a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))
