"""``biomine review``: the curation workbench, a local web server over a run's SQLite database."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli._app import app, reports_errors


@app.command()
@reports_errors
def review(
    outdir: Path = typer.Argument(Path("outputs"), help="The run's output folder (or its SQLite database)."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default OUTDIR/biomine.sqlite)."),
    port: int = typer.Option(8765, "--port", help="Port to listen on (0: any free port)."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to bind. Only this computer can connect to the default; "
                                  "another address exposes the pages to the network."),
    curator: Optional[str] = typer.Option(None, "--curator",
                                          help="Name recorded with each decision (default: your user name; "
                                               "the page lets each curator set their own)."),
) -> None:
    """Review triples in a browser: accept, reject with an error type, notes; saved at once in the database."""
    from pipeline.errors import CurationError, OptionError
    from pipeline.writers.sqlite import resolve_db_path

    if not 0 <= port <= 65535:
        raise OptionError("E801", option="port", value=port, detail="a port is a number from 0 to 65535")
    path = db if db is not None else resolve_db_path(outdir)
    try:
        from pipeline.curation.server import is_loopback, serve
    except ImportError as exc:
        raise CurationError("E706", host=host, port=port,
                            detail=f"{exc.name or exc} is not installed; pip install starlette uvicorn") from None

    def ready(url: str) -> None:
        typer.echo(f"biomine review: {url}  (database {path}; Ctrl-C stops)")
        if not is_loopback(host):
            typer.echo(f"warning: listening on {host}, not the loopback: others on the network can read these "
                       "pages (decisions still need the page's session token)", err=True)

    try:
        serve(path, host=host, port=port, curator=curator, on_ready=ready)
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        pass
