"""Document-level cross-validation folds, so rule tuning can be scored on documents it did not look at.

Why: tuning rules on a corpus and reporting on the same corpus overstates accuracy. Splitting
by document (never by sentence or triple) keeps every statement of an abstract on one side.

Assignment: the corpus's doc_ids are ordered by the SHA-256 of their UTF-8 bytes (ties by the
id itself) and dealt round-robin to folds 1..K. So the assignment is deterministic across
runs, machines and Python versions (no ``hash()`` randomisation), fold sizes differ by at
most one, and the order of the ids given does not matter. The fold of a document depends
on the *set* of ids: assign folds over the whole gold corpus (as ``biomine evaluate
--folds`` does), not over a subset. Folds are numbered from 1.

    fold_doc_ids(gold, 5, 3)              # the doc_ids of fold 3 of 5: score on these
    fold_doc_ids(gold, 5, 3, rest=True)   # the other four folds: tune on these
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

from pipeline.errors import OptionError
from pipeline.evaluation.corpus import GoldCorpus, load_gold
from pipeline.evaluation.report import CrossValidation
from pipeline.evaluation.scoring import evaluate
from pipeline.relations.types import RelationRegistry

DEFAULT_FOLDS = 5


def _ids(source: GoldCorpus | str | Path | Iterable[str]) -> list[str]:
    if isinstance(source, GoldCorpus):
        return list(source.documents)
    if isinstance(source, (str, Path)):
        return list(load_gold(source).documents)
    return [str(d) for d in source]


def assign_folds(doc_ids: GoldCorpus | str | Path | Iterable[str], folds: int = DEFAULT_FOLDS) -> dict[str, int]:
    """doc_id -> fold (1..``folds``) for a gold corpus, a gold path or a collection of ids."""
    if folds < 1:
        raise ValueError(f"folds must be at least 1, not {folds}")
    ordered = sorted(set(_ids(doc_ids)), key=lambda d: (hashlib.sha256(d.encode("utf-8")).hexdigest(), d))
    return {d: i % folds + 1 for i, d in enumerate(ordered)}


def fold_doc_ids(doc_ids: GoldCorpus | str | Path | Iterable[str], folds: int, fold: int, *, rest: bool = False) -> list[str]:
    """The sorted doc_ids of fold ``fold`` of ``folds`` (with ``rest``, of every other fold)."""
    if not 1 <= fold <= folds:
        raise ValueError(f"fold must be between 1 and {folds}, not {fold}")
    return sorted(d for d, f in assign_folds(doc_ids, folds).items() if (f == fold) != rest)


def check_fold_options(folds: int | None, fold: int | None) -> int | None:
    """The number of folds the options ask for (None: no folds); E801 for impossible values."""
    if folds is None and fold is None:
        return None
    k = DEFAULT_FOLDS if folds is None else folds
    if k < 2:
        raise OptionError("E801", option="folds", value=folds, detail="cross-validation needs at least 2 folds")
    if fold is not None and not 1 <= fold <= k:
        raise OptionError("E801", option="fold", value=fold, detail=f"folds are numbered 1 to {k}")
    return k


def cross_validate(corpus: GoldCorpus, pred_dir: str | Path, folds: int = DEFAULT_FOLDS,
                   negatives: str | Path | None = None, types: RelationRegistry | None = None) -> CrossValidation:
    """Score each fold on its own; the report shows the scores per fold with mean and standard deviation."""
    assignment = assign_folds(corpus, folds)
    cv = CrossValidation(folds, documents=[])
    for k in range(1, folds + 1):
        members = [d for d, f in assignment.items() if f == k]
        report = evaluate(corpus, pred_dir, negatives, documents=members, types=types)
        cv.documents.append(report.documents.get("scored", 0))
        for mode, tasks in report.relations.items():
            for task, score in tasks.items():
                cv.relations.setdefault(mode, {}).setdefault(task, []).append(score)
    return cv
