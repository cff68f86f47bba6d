"""``biomine curate export|import|curated|rules``: the curation round trip through a TSV and the database,
and per-rule precision from the decisions."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

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
    curator: Optional[str] = typer.Option(None, "--curator", help="Who decided, for rows with an empty curator column."),
) -> None:
    """Record accept / reject / correct decisions (all or nothing); they survive re-runs."""
    from pipeline.curation.decisions import curate_import as record

    counts = record(file, db, curator=curator)
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


@curate_app.command("rules")
@reports_errors
def curate_rules(
    db: Path = typer.Option(Path("outputs/biomine.sqlite"), "--db", help="SQLite database with decisions."),
    fmt: str = typer.Option("text", "--format", help="text (an aligned table) or tsv."),
    sort: str = typer.Option("rule", "--sort", help="rule, precision (worst first), rejected, undecided or triples."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file instead of the terminal."),
) -> None:
    """Per-rule precision from the decisions: accepted / rejected / undecided per rule, and why rejected."""
    from contextlib import closing

    from pipeline.curation.feedback import SORTS, rule_precision, to_text, to_tsv
    from pipeline.curation.store import open_store
    from pipeline.errors import OptionError
    from pipeline.writers.atomic import atomic_write_text

    if fmt not in ("text", "tsv"):
        raise OptionError("E801", option="format", value=fmt, detail="choose text or tsv")
    if sort not in SORTS:
        raise OptionError("E801", option="sort", value=sort, detail=f"choose one of {', '.join(SORTS)}")
    with closing(open_store(db)) as con:
        rows = rule_precision(con, sort)
    body = to_tsv(rows) if fmt == "tsv" else to_text(rows)
    if out is None:
        typer.echo(body, nl=False)
    else:
        typer.echo(f"wrote {atomic_write_text(out, body)}")
