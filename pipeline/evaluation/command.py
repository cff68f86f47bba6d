"""The body of ``biomine evaluate``: a plain function, so it can be called and tested without the CLI.

Exit codes: 0 on success, 1 for malformed gold or predictions (or no documents in common),
2 for a missing path or an impossible option. Errors are printed as one coded line.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.errors import BiomineError, GoldError, OptionError
from pipeline.evaluation.corpus import load_gold
from pipeline.evaluation.folds import check_fold_options, cross_validate, fold_doc_ids
from pipeline.evaluation.report import format_report, write_errors_tsv
from pipeline.evaluation.scoring import evaluate


def _missing(gold: Path, pred: Path, negatives: Path | None) -> GoldError | None:
    """The first path that names nothing, as a coded error."""
    if not Path(gold).exists():
        return GoldError("E601", path=gold)
    if not Path(pred).exists():
        return GoldError("E605", path=pred, detail="prediction folder not found")
    if negatives is not None and not Path(negatives).exists():
        return GoldError("E606", path=negatives, detail="file not found")
    return None


def evaluate_command(gold: Path, pred: Path, as_json: bool = False, errors: Path | None = None,
                     negatives: Path | None = None, folds: int | None = None, fold: int | None = None) -> int:
    """Evaluate, print tables (or JSON), optionally write the error TSV; returns the exit code.

    ``folds=K`` adds the scores of each of K document folds with their mean and standard deviation;
    ``fold=k`` scores only the documents of fold k (of ``folds``, default 5). See pipeline.evaluation.folds.
    """
    try:
        k = check_fold_options(folds, fold)
        problem = _missing(gold, pred, negatives)
        if problem:
            raise problem
    except BiomineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        corpus = load_gold(Path(gold))
        members = fold_doc_ids(corpus, k, fold) if k and fold else None
        report = evaluate(corpus, Path(pred), negatives=Path(negatives) if negatives else None, documents=members)
        if k and fold:
            report.fold = {"fold": fold, "folds": k}
        elif k:
            report.cross_validation = cross_validate(corpus, Path(pred), k, negatives=negatives)
    except BiomineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, OptionError) else 1
    print(json.dumps(report.to_dict(), indent=2) if as_json else format_report(report))
    if errors:
        n = write_errors_tsv(report, errors)
        print(f"wrote {n} errors to {errors}", file=sys.stderr)
    return 0 if report.documents.get("scored") else 1
