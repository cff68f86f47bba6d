"""``biomine evaluate``: precision, recall and F1 of an output folder against gold annotations."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli._app import app, reports_errors


@app.command()
@reports_errors
def evaluate(
    gold: Path = typer.Argument(..., help="Gold: folder of .txt/.a1/.a2 or .ann, or a PubTator file."),
    pred: Path = typer.Argument(..., help="A biomine output folder (relations.jsonl, entities.jsonl)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable report."),
    errors: Optional[Path] = typer.Option(None, "--errors", help="Write every FP and FN to this TSV."),
    negatives: Optional[Path] = typer.Option(None, "--negatives", help="Curator-rejected triples (TSV or database)."),
    folds: Optional[int] = typer.Option(None, "--folds", help="Also score K document folds (doc_id hash): per fold, mean and sd."),
    fold: Optional[int] = typer.Option(None, "--fold", help="Score only the documents of fold K (1..--folds, default 5 folds)."),
) -> None:
    """Precision, recall and F1 of PRED against GOLD."""
    from pipeline.evaluation.command import evaluate_command

    raise typer.Exit(evaluate_command(gold, pred, as_json=as_json, errors=errors, negatives=negatives,
                                      folds=folds, fold=fold))
