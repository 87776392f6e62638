"""Settings objects, one per concern: validated, described, self-hashing.

Every settings class derives from :class:`Settings`; unknown keys are rejected and the
hash of the canonical JSON form is stamped on every output and names cache entries.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

LIBRARY_ENV = "CLAIMLAB_LIBRARY"
DEFAULT_LIBRARY_DIR = "claimlab-library"


class Settings(BaseModel):
    """Base for all settings: frozen, strict about unknown keys, hashable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def settings_hash(self, length: int = 12) -> str:
        """Return a short, stable hash of these settings (canonical JSON, sorted keys)."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()[:length]


def resolve_library_dir(library: str | Path | None = None) -> Path:
    """The library directory: the explicit argument, else $CLAIMLAB_LIBRARY, else ./claimlab-library."""
    if library:
        return Path(library).expanduser().resolve()
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return (Path.cwd() / DEFAULT_LIBRARY_DIR).resolve()


class LibrarySettings(Settings):
    """Where the library lives and how it is opened."""

    directory: str = Field(
        default=DEFAULT_LIBRARY_DIR,
        description="Library directory holding library.sqlite, pdfs/ and caches.",
    )
    busy_timeout_ms: int = Field(
        default=30_000, ge=0, description="SQLite busy timeout, so concurrent writers wait."
    )


DATA_ENV = "CLAIMLAB_DATA"


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """The real-data folder: the argument, else $CLAIMLAB_DATA, else ``../shared/data`` beside the repo.

    The repo-relative default is looked up from the working directory first, then from this file.
    """
    if data_dir:
        return Path(data_dir).expanduser().resolve()
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser().resolve()
    cwd_candidate = (Path.cwd() / ".." / "shared" / "data").resolve()
    if cwd_candidate.is_dir():
        return cwd_candidate
    return (Path(__file__).resolve().parents[2] / "shared" / "data").resolve()
