"""``biomine bench``: CPU time per document, stage by stage, and what it means for a big corpus."""
from __future__ import annotations

from typing import Optional

import typer

from pipeline.cli._app import app, reports_errors


@app.command()
@reports_errors
def bench(
    inputs: list[str] = typer.Argument(None, help="Texts to time (default: the PC train abstracts of ../shared; "
                                                  "without them the seeds, with a note saying so)."),
    limit: int = typer.Option(500, help="At most this many documents."),
    repeat: int = typer.Option(3, help="Passes per measurement; the median pass is reported."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Also time `run --workers N`."),
) -> None:
    """Documents/s (CPU) of the tokenizer, the rules-only pipeline, the parser, a run with exports; load time,
    memory, workers, and the projected time for 36 M abstracts on 16 cores."""
    from pipeline.benchmark import benchmark
    from pipeline.errors import OptionError

    if repeat < 1:
        raise OptionError("E801", option="repeat", value=repeat, detail="must be at least 1")
    if workers is not None and workers < 1:
        raise OptionError("E801", option="workers", value=workers, detail="must be at least 1")
    typer.echo(benchmark(inputs or None, limit=limit, repeat=repeat, workers=workers).format())
