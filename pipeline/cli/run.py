"""``biomine run``: extract entities and relation triples from documents into an output folder."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli._app import app, reports_errors


@app.command()
@reports_errors
def run(
    inputs: list[str] = typer.Argument(..., help="Files, directories or globs (.txt, .md)."),
    out: Path = typer.Option(Path("outputs"), "--out", "-o", help="Output folder."),
    model: Optional[str] = typer.Option(None, "--model", help="A spaCy pipeline to use (default: the shipped one)."),
    given_entities: bool = typer.Option(False, "--given-entities",
                                        help="Take protein mentions from the .a1 file beside each .txt "
                                             "(or from a PubTator input's own annotations)."),
    formats: Optional[list[str]] = typer.Option(None, "--format", "-f",
                                                help="Extra export formats (brat, bioc, indra, sqlite, html, "
                                                     "network); default: all cheap ones. 'none' for none."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database (default OUT/biomine.sqlite)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    max_bytes: int = typer.Option(20_000_000, "--max-bytes", help="Refuse larger input files (with an error)."),
) -> None:
    """Extract entities and relation triples from documents into OUT."""
    from pipeline.runner import run as run_pipeline
    from pipeline.writers import resolve_formats

    chosen = [] if formats and all(f == "none" for f in formats) else resolve_formats(formats)  # options first
    documents, given = _inputs_for(inputs, given_entities)
    summary, results = run_pipeline(inputs, out, model=model, given_entities=given, documents=documents,
                                    progress=not quiet, max_bytes=max_bytes)
    written = _export(results, out, chosen, db)
    typer.echo(summary.format())
    typer.echo(f"outputs: {out}/documents.jsonl, entities.jsonl, relations.jsonl, relations.tsv"
               + (f"; exports: {', '.join(written)}" if written else ""))
    if summary.failed:
        raise typer.Exit(1)


def _inputs_for(inputs: list[str], given_entities: bool):
    """PubTator files are read by their reader; .a1 files supply given entities."""
    pubtator = [i for i in inputs if i.lower().endswith((".pubtator", ".pubtator.txt"))]
    if pubtator:
        from pipeline.entities.given import given_entities_pubtator
        from pipeline.readers.pubtator import read_pubtator_documents

        documents = [d for path in pubtator for d in read_pubtator_documents(Path(path))]
        given = given_entities_pubtator(pubtator) if given_entities else None
        return documents, given
    if given_entities:
        from pipeline.entities.given import given_entities as from_a1

        return None, lambda doc: from_a1(Path(doc.path))
    return None, None


def _export(results, out: Path, chosen: list[str], db: Optional[Path]) -> list[str]:
    from pipeline.writers import export

    others = [f for f in chosen if f != "sqlite"]
    if others:
        export(results, out, others)
    if "sqlite" in chosen:
        export(results, out, ["sqlite"], db_path=db)
    return chosen
