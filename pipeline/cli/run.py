"""``biomine run``: extract entities and relation triples from documents into an output folder."""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Optional

import typer

from pipeline.cli._app import app, reports_errors


@app.command()
@reports_errors
def run(
    inputs: list[str] = typer.Argument(..., help="Files, directories or globs."),
    out: Path = typer.Option(Path("outputs"), "--out", "-o", help="Output folder (the run owns it)."),
    model: Optional[str] = typer.Option(None, "--model", help="A spaCy pipeline to use (default: the shipped one; "
                                                               "'none' for rules only)."),
    given_entities: bool = typer.Option(False, "--given-entities",
                                        help="Take protein mentions from the .a1 file beside each .txt "
                                             "(or from a PubTator input's own annotations)."),
    formats: Optional[list[str]] = typer.Option(None, "--format", "-f",
                                                help="Extra export formats (brat, bioc, indra, sqlite, html, "
                                                     "network); default: all cheap ones. 'none' for none."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default OUT/biomine.sqlite)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    max_bytes: int = typer.Option(20_000_000, "--max-bytes", help="Refuse larger input files (with an error)."),
    input_format: str = typer.Option("auto", "--input-format",
                                     help="auto, text, pubmed, pmc, bioc, pubtator or standoff (auto: by content)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w",
                                          help="Worker processes (a local Dask cluster); default: this process."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Address of a running Dask scheduler (tcp://host:8786)."),
    shard_size: int = typer.Option(100, "--shard-size", help="Documents per shard (the unit of work and of resume)."),
) -> None:
    """Extract entities and relation triples from documents into OUT.

    An interrupted run resumes where it stopped when the same command is given again.
    """
    from pipeline.errors import BiomineError, ProcessingError
    from pipeline.runner import RunOptions, run as run_pipeline, validate_options
    from pipeline.writers import resolve_formats

    options = RunOptions(model=model, formats=resolve_formats(formats), db_path=db, shard_size=shard_size,
                         workers=workers, scheduler=scheduler, max_bytes=max_bytes,
                         input_format=None if input_format == "auto" else input_format,
                         given_entities=given_entities, progress=not quiet)
    validate_options(options)  # every option before any input is read
    documents, given = _inputs_for(inputs, given_entities)
    previous = signal.signal(signal.SIGTERM, _terminate)  # a kill (TERM) unwinds: lock released, temp files gone
    try:
        summary, _ = run_pipeline(inputs, out, given_entities=given, documents=documents, options=options)
    except KeyboardInterrupt:
        typer.echo(f"interrupted: give the same command again to resume ({out})", err=True)
        raise typer.Exit(130) from None
    except (BiomineError, SystemExit):
        raise
    except Exception as exc:  # never a traceback for a user; BIOMINE_DEBUG=1 shows it
        if os.environ.get("BIOMINE_DEBUG"):
            raise
        raise ProcessingError("E203", path=out, detail=f"{type(exc).__name__}: {exc}"[:500]) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    typer.echo(summary.format())
    written = summary.formats_written
    typer.echo(f"outputs: {out}/documents.jsonl, entities.jsonl, relations.jsonl, relations.tsv, manifest.json"
               + (f"; exports: {', '.join(written)}" if written else ""))
    if summary.export_failed:
        typer.echo("export errors:\n" + "\n".join(summary.export_failed))
        raise typer.Exit(1)
    if summary.failed:
        raise typer.Exit(1)


def _terminate(signum: int, frame: object) -> None:
    sys.exit(128 + signum)


def _inputs_for(inputs: list[str], given_entities: bool):
    """With --given-entities, PubTator files supply their own annotations, and .a1 files those of a .txt.

    Without it every input goes through the readers (PubTator recognised by content), streamed.
    """
    pubtator = [i for i in inputs if i.lower().endswith((".pubtator", ".pubtator.txt"))]
    if pubtator and given_entities:
        from pipeline.entities.given import given_entities_pubtator
        from pipeline.readers.pubtator import read_pubtator_documents

        documents = [d for path in pubtator for d in read_pubtator_documents(Path(path))]
        given = given_entities_pubtator(pubtator) if given_entities else None
        return documents, given
    if given_entities:
        from pipeline.entities.given import given_entities as from_a1

        return None, lambda doc: from_a1(Path(doc.path))
    return None, None
