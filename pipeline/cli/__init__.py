"""The ``biomine`` command line: a thin Typer layer over plain functions."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Rule-based biomedical text mining.")
curate_app = typer.Typer(no_args_is_help=True, help="Curation round-trip: review TSV out, decisions in.")
app.add_typer(curate_app, name="curate")


@app.command()
def run(
    inputs: list[str] = typer.Argument(..., help="Files, directories or globs (.txt, .md)."),
    out: Path = typer.Option(Path("outputs"), "--out", "-o", help="Output folder."),
    model: Optional[str] = typer.Option(None, "--model", help="An installed spaCy/scispaCy pipeline to use."),
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
    from pipeline.errors import BiomineError
    from pipeline.runner import run as run_pipeline

    try:
        documents, given = _inputs_for(inputs, given_entities)
        summary, results = run_pipeline(inputs, out, model=model, given_entities=given, documents=documents,
                                        progress=not quiet, max_bytes=max_bytes)
    except BiomineError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    written = _export(results, out, formats, db)
    typer.echo(summary.format())
    typer.echo(f"outputs: {out}/documents.jsonl, entities.jsonl, relations.jsonl, relations.tsv"
               + (f"; exports: {', '.join(written)}" if written else ""))
    if summary.failed:
        raise typer.Exit(1)


def _inputs_for(inputs: list[str], given_entities: bool):
    """PubTator files are read by the gold reader; .a1 files supply given entities."""
    pubtator = [i for i in inputs if i.lower().endswith((".pubtator", ".pubtator.txt"))]
    if pubtator:
        from pipeline.evaluation.gold import given_entities_pubtator, read_pubtator_documents

        documents = [d for path in pubtator for d in read_pubtator_documents(Path(path))]
        given = given_entities_pubtator(pubtator) if given_entities else None
        return documents, given
    if given_entities:
        from pipeline.evaluation.gold import given_entities as from_a1

        return None, lambda doc: from_a1(Path(doc.path))
    return None, None


def _export(results, out: Path, formats: Optional[list[str]], db: Optional[Path]) -> list[str]:
    from pipeline.writers import export, resolve_formats

    if formats and all(f == "none" for f in formats):
        return []
    chosen = resolve_formats(formats)
    others = [f for f in chosen if f != "sqlite"]
    if others:
        export(results, out, others)
    if "sqlite" in chosen:
        export(results, out, ["sqlite"], db_path=db)
    return chosen


@app.command()
def bench(
    inputs: list[str] = typer.Argument(None, help="Texts to time (default: the seeds and bundled corpora)."),
    limit: int = typer.Option(500, help="At most this many documents."),
    repeat: int = typer.Option(1, help="Process the texts this many times."),
) -> None:
    """Documents/s of the full pipeline and of a bare scispaCy tokenizer pass, and their ratio."""
    from pipeline.benchmark import benchmark

    typer.echo(benchmark(inputs or None, limit=limit, repeat=repeat).format())


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold: folder of .txt/.a1/.a2 or .ann, or a PubTator file."),
    pred: Path = typer.Argument(..., help="A biomine output folder (relations.jsonl, entities.jsonl)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable report."),
    errors: Optional[Path] = typer.Option(None, "--errors", help="Write every FP and FN to this TSV."),
    negatives: Optional[Path] = typer.Option(None, "--negatives", help="Curator-rejected triples (TSV)."),
) -> None:
    """Precision, recall and F1 of PRED against GOLD."""
    from pipeline.evaluation.scoring import evaluate_command

    raise typer.Exit(evaluate_command(gold, pred, as_json=as_json, errors=errors, negatives=negatives))


@app.command("export")
def export_cmd(
    src: Path = typer.Argument(..., help="An existing biomine output folder."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to write (default: SRC)."),
    formats: Optional[list[str]] = typer.Option(None, "--format", "-f", help="Formats (default: all cheap ones)."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database path."),
) -> None:
    """Write brat, BioC, INDRA, SQLite, HTML or network exports from an output folder."""
    from pipeline.writers import export_command

    raise typer.Exit(export_command(src, out, formats or [], db))


@curate_app.command("export")
def curate_export(
    src: Path = typer.Argument(Path("outputs"), help="Output folder or SQLite database."),
    out: Path = typer.Option(Path("outputs/review.tsv"), "--out", "-o", help="Review TSV to write."),
) -> None:
    """Write a review TSV: one row per triple with empty decision and comment columns."""
    from pipeline.writers import curate_export_command

    raise typer.Exit(curate_export_command(src, out))


@curate_app.command("import")
def curate_import(
    file: Path = typer.Argument(..., help="A filled-in review TSV."),
    db: Path = typer.Option(Path("outputs/biomine.sqlite"), "--db", help="SQLite database to record decisions in."),
) -> None:
    """Record accept / reject / correct decisions; they survive re-runs."""
    from pipeline.writers import curate_import_command

    raise typer.Exit(curate_import_command(file, db))


@curate_app.command("curated")
def curate_curated(
    db: Path = typer.Option(Path("outputs/biomine.sqlite"), "--db", help="SQLite database with decisions."),
    out: Path = typer.Option(Path("outputs/curated.jsonl"), "--out", "-o", help="JSONL of accepted/corrected triples."),
) -> None:
    """Write the accepted and corrected triples (corrections applied) as JSON Lines."""
    from pipeline.writers import curated_export_command

    raise typer.Exit(curated_export_command(db, out))


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="biomine")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
