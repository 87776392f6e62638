"""The claimlab command line: a thin layer over synth, replicate and reports.

Each area registers its commands from its own module, so the areas grow independently.
"""

from __future__ import annotations

import typer

from claimlab import (
    cli_claims,
    cli_nli,
    cli_reparse,
    cli_replicate,
    cli_reports,
    cli_synth,
    cli_synthesize,
)

app = typer.Typer(
    name="claimlab",
    help="Turn a research question into a verified, evidence-backed report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

cli_synth.register(app)  # ingest, papers
cli_reparse.register(app)  # reparse
cli_claims.register(app)  # claims, verify, audit
cli_synthesize.register(app)  # synthesize
cli_replicate.register(app)  # score, replicate {run,sweep,check,results}
cli_reports.register(app)  # report, show, demo
cli_nli.register(app)  # nli train


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
