"""CLI commands of this area (registered by claimlab.cli_replicate)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to app."""
