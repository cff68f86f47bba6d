"""``biomine bench``: throughput of the pipeline against a bare tokenizer pass, measured in one run."""
from __future__ import annotations

import typer

from pipeline.cli._app import app, reports_errors


@app.command()
@reports_errors
def bench(
    inputs: list[str] = typer.Argument(None, help="Texts to time (default: the PC train abstracts of ../shared)."),
    limit: int = typer.Option(500, help="At most this many documents."),
    repeat: int = typer.Option(1, help="Process the texts this many times."),
) -> None:
    """Documents/s of the full pipeline and of a bare tokenizer pass, and their ratio."""
    from pipeline.benchmark import benchmark

    typer.echo(benchmark(inputs or None, limit=limit, repeat=repeat).format())
