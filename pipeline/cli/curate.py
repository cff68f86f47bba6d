"""``biomine curate export|import|curated``: the curation round trip through a TSV and the database."""
from __future__ import annotations

from pathlib import Path

import typer

from pipeline.cli._app import curate_app, reports_errors


def _docs_or_db(src: Path):
    from pipeline.writers.load import load_output_dir
    from pipeline.writers.sqlite import DB_SUFFIXES

    if src.is_file() and src.suffix.lower() in DB_SUFFIXES:
        return src
    return load_output_dir(src)


@curate_app.command("export")
@reports_errors
def curate_export(
    src: Path = typer.Argument(Path("outputs"), help="Output folder or SQLite database."),
    out: Path = typer.Option(Path("outputs/review.tsv"), "--out", "-o", help="Review TSV to write."),
) -> None:
    """Write a review TSV: one row per triple with empty decision and comment columns."""
    from pipeline.curation.decisions import curate_export as write

    typer.echo(f"wrote {write(_docs_or_db(src), out)}")


@curate_app.command("import")
@reports_errors
def curate_import(
    file: Path = typer.Argument(..., help="A filled-in review TSV."),
    db: Path = typer.Option(Path("outputs/biomine.sqlite"), "--db", help="SQLite database to record decisions in."),
) -> None:
    """Record accept / reject / correct decisions (all or nothing); they survive re-runs."""
    from pipeline.curation.decisions import curate_import as record

    counts = record(file, db)
    typer.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))


@curate_app.command("curated")
@reports_errors
def curate_curated(
    db: Path = typer.Option(Path("outputs/biomine.sqlite"), "--db", help="SQLite database with decisions."),
    out: Path = typer.Option(Path("outputs/curated.jsonl"), "--out", "-o", help="JSONL of accepted/corrected triples."),
) -> None:
    """Write the accepted and corrected triples (corrections applied) as JSON Lines."""
    from pipeline.curation.decisions import curated_export

    typer.echo(f"wrote {curated_export(db, out)}")
