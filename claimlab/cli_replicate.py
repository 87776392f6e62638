"""The ``replicate`` command group and the top-level ``score`` command.

Sub-areas register their own commands: cli_score (score), cli_run (replicate run),
cli_study (replicate sweep / check / results).
"""

from __future__ import annotations

import typer

from claimlab import cli_run, cli_score, cli_study

replicate_app = typer.Typer(
    help="Re-run the experiments behind claims (STILTs on XTREME / XTREME-R).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add ``score`` and the ``replicate`` group to ``app``."""
    cli_score.register(app)
    cli_run.register(replicate_app)
    cli_study.register(replicate_app)
    app.add_typer(replicate_app, name="replicate")
