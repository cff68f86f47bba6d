"""``biomine export``: brat, BioC, INDRA, SQLite, HTML or network files from an output folder."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from pipeline.cli._app import app, reports_errors


@app.command("export")
@reports_errors
def export_cmd(
    src: Path = typer.Argument(..., help="An existing biomine output folder."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to write (default: SRC)."),
    formats: Optional[list[str]] = typer.Option(None, "--format", "-f", help="Formats (default: all cheap ones)."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database path (adds the sqlite format)."),
) -> None:
    """Write exports from an existing output folder (OUT defaults to SRC)."""
    from pipeline.writers import FORMATS, resolve_formats
    from pipeline.writers.load import load_output_dir

    names = resolve_formats(formats)
    if db is not None and "sqlite" not in names:
        names.append("sqlite")
    docs = load_output_dir(src)
    target = Path(out) if out is not None else Path(src)
    for name in names:
        start = time.perf_counter()
        opts = {"db_path": db} if name == "sqlite" and db is not None else {}
        paths = FORMATS[name](docs, target, **opts)
        shown = paths[0].parent if len(paths) > 2 else ", ".join(str(p) for p in paths)
        typer.echo(f"{name}: {len(paths)} file(s) in {time.perf_counter() - start:.2f}s -> {shown}")
