"""Shared rich console and the one-line error style used by every command."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

console = Console()
err_console = Console(stderr=True)


def error_line(subject: str, message: str) -> None:
    """Print one clear error line naming the input: ``error: SUBJECT: MESSAGE``."""
    # soft_wrap: one line even when piped (rich would wrap at 80 columns); escape: names may hold "[".
    err_console.print(
        f"[bold red]error[/]: {escape(subject)}: {escape(message)}", highlight=False, soft_wrap=True
    )


def warn_line(subject: str, message: str) -> None:
    err_console.print(
        f"[yellow]warning[/]: {escape(subject)}: {escape(message)}", highlight=False, soft_wrap=True
    )
