"""Shared rich console and the one-line error style used by every command."""

from __future__ import annotations

from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def error_line(subject: str, message: str) -> None:
    """Print one clear error line naming the input: ``error: SUBJECT: MESSAGE``."""
    err_console.print(f"[bold red]error[/]: {subject}: {message}", highlight=False, markup=True)


def warn_line(subject: str, message: str) -> None:
    err_console.print(f"[yellow]warning[/]: {subject}: {message}", highlight=False)
