"""Cross-validation folds: stable, balanced, disjoint, covering; the per-fold report and single-fold scoring."""
from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import OptionError
from pipeline.evaluation.command import evaluate_command
from pipeline.evaluation.corpus import load_gold
from pipeline.evaluation.folds import assign_folds, check_fold_options, cross_validate, fold_doc_ids
from pipeline.evaluation.report import format_report
from pipeline.evaluation.scoring import evaluate
from standoff_helpers import _nth, write_standoff

IDS = [f"PMID{n:05d}" for n in range(100)]


@pytest.mark.parametrize("k", [2, 3, 5, 7, 10])
def test_folds_balanced_disjoint_covering(k: int) -> None:
    folds = assign_folds(IDS, k)
    members = [fold_doc_ids(IDS, k, f) for f in range(1, k + 1)]
    sizes = [len(m) for m in members]
    assert max(sizes) - min(sizes) <= 1 and sum(sizes) == len(IDS)  # balanced within 1, covering
    assert len(set().union(*map(set, members))) == len(IDS)  # disjoint
    assert set(folds.values()) == set(range(1, k + 1)) and set(folds) == set(IDS)
    for f in range(1, k + 1):
        rest = fold_doc_ids(IDS, k, f, rest=True)
        assert sorted(rest + members[f - 1]) == sorted(IDS) and not set(rest) & set(members[f - 1])


def test_folds_do_not_depend_on_order_or_process() -> None:
    shuffled = IDS[:]
    random.Random(1).shuffle(shuffled)
    assert assign_folds(shuffled, 5) == assign_folds(IDS, 5)
    assert assign_folds(IDS + IDS[:10], 5) == assign_folds(IDS, 5)  # duplicates are one document
    code = "from pipeline.evaluation.folds import fold_doc_ids; print(fold_doc_ids([f'PMID{n:05d}' for n in range(100)], 5, 3))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert runs == {f"{fold_doc_ids(IDS, 5, 3)}\n"}  # no dependence on Python's hash seed
    assert fold_doc_ids(IDS, 5, 3)[:3] == ["PMID00002", "PMID00014", "PMID00022"]  # pinned: a change reshuffles folds


@pytest.mark.parametrize(
    ("folds", "fold", "expected"),
    [(None, None, None), (5, None, 5), (None, 3, 5), (10, 10, 10), (1, None, "E801"), (5, 0, "E801"), (5, 6, "E801"),
     (None, 6, "E801")],
)
def test_fold_options(folds: int | None, fold: int | None, expected: int | str | None) -> None:
    if expected == "E801":
        with pytest.raises(OptionError, match=r"\[E801\] --fold"):
            check_fold_options(folds, fold)
    else:
        assert check_fold_options(folds, fold) == expected


# ------------------------------------------------------------------------------------------- per-fold report

TEXT = "AKT1 phosphorylates GSK3B. RAF1 activates MEK1. JNK1 binds JUN."
A1 = [("T1", "Protein", "AKT1"), ("T2", "Protein", "GSK3B"), ("T3", "Protein", "RAF1"), ("T4", "Protein", "MEK1"),
      ("T5", "Protein", "JNK1"), ("T6", "Protein", "JUN")]
A2 = [("T7", "Phosphorylation", "phosphorylates"), ("T8", "Positive_regulation", "activates"), ("T9", "Binding", "binds"),
      "E1\tPhosphorylation:T7 Theme:T2 Cause:T1", "E2\tPositive_regulation:T8 Theme:T4 Cause:T3",
      "E3\tBinding:T9 Theme:T5 Theme2:T6"]


def _row(doc: str, relation: str, subj: str, obj: str) -> dict:
    def ent(surface: str) -> dict:
        start = _nth(TEXT, surface)
        return {"text": surface, "type": "PROTEIN", "start": start, "end": start + len(surface)}

    return {"doc_id": doc, "relation": relation, "subject": ent(subj), "object": ent(obj), "site": None,
            "negated": False, "hedged": False, "rule": "R", "sentence": {"text": ""}}


@pytest.fixture()
def twelve_docs(tmp_path: Path) -> tuple[Path, Path]:
    """12 identical gold documents; predictions differ per document so the folds score differently."""
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    rows = []
    for n in range(12):
        doc = f"doc{n:02d}"
        write_standoff(gold, doc, TEXT, A1, A2)
        rows.append(_row(doc, "phosphorylation", "AKT1", "GSK3B"))
        if n % 2:
            rows.append(_row(doc, "activation", "RAF1", "MEK1"))
        if n % 3 == 0:
            rows.append(_row(doc, "activation", "MEK1", "RAF1"))  # wrong direction
    pred.mkdir()
    (pred / "relations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (pred / "documents.jsonl").write_text("".join(json.dumps({"doc_id": f"doc{n:02d}"}) + "\n" for n in range(12)))
    return gold, pred


def test_per_fold_scores_add_up_and_average(twelve_docs: tuple[Path, Path]) -> None:
    gold, pred = twelve_docs
    corpus = load_gold(gold)
    pooled = evaluate(corpus, pred)
    cv = cross_validate(corpus, pred, 3)
    assert cv.documents == [4, 4, 4]
    for mode, tasks in pooled.relations.items():
        for task, score in tasks.items():
            per_fold = cv.relations[mode][task]
            assert len(per_fold) == 3
            # documents partition the corpus, so mention-level counts add up to the pooled ones
            assert sum(s.tp for s in per_fold) == score.tp and sum(s.fn for s in per_fold) == score.fn
            assert sum(s.fp for s in per_fold) == score.fp
    activation = cv.relations["overlap"]["activation"]
    summary = cv.summary(activation)
    f1s = [s.f1 for s in activation]
    assert summary["mean"]["f1"] == round(statistics.fmean(f1s), 4) and summary["sd"]["f1"] == round(statistics.stdev(f1s), 4)
    assert summary["folds_used"] == 3
    assert cv.summary(cv.relations["overlap"]["inhibition"])["folds_used"] == 0  # no gold, no prediction: not averaged


def test_per_fold_report_text_and_json(twelve_docs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    gold, pred = twelve_docs
    assert evaluate_command(gold, pred, folds=3) == 0
    text = capsys.readouterr().out
    assert "Cross-validation, overlap matching: 3 folds by doc_id hash (documents per fold: 4 4 4" in text
    header = next(line for line in text.splitlines() if line.startswith("task") and "F1@1" in line)
    assert header.split() == ["task", "F1@1", "F1@2", "F1@3", "P", "mean", "R", "mean", "F1", "mean", "F1", "sd"]
    assert text.index("Relations, document matching") < text.index("Cross-validation")  # pooled tables unchanged, first
    assert evaluate_command(gold, pred, as_json=True, folds=3) == 0
    data = json.loads(capsys.readouterr().out)
    cv = data["cross_validation"]
    assert cv["folds"] == 3 and cv["documents"] == [4, 4, 4]
    row = cv["relations"]["overlap"]["activation"]
    assert len(row["per_fold"]) == 3 and set(row["mean"]) == {"precision", "recall", "f1"} and "f1" in row["sd"]
    assert data["relations"]["overlap"]["activation"]["tp"] == 6  # the pooled report is still there


def test_single_fold_scores_only_its_documents(twelve_docs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    gold, pred = twelve_docs
    members = fold_doc_ids(load_gold(gold), 3, 2)
    assert evaluate_command(gold, pred, as_json=True, folds=3, fold=2) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fold"] == {"fold": 2, "folds": 3} and data["documents"]["scored"] == len(members) == 4
    expected = sum(1 for d in members if int(d[3:]) % 2)  # documents with the right activation
    assert data["relations"]["overlap"]["activation"]["tp"] == expected
    assert data["warnings"] == ["no entities.jsonl: entity scores skipped"]  # other folds' predictions: no warning
    report = evaluate(gold, pred, documents=members)
    assert "fold" not in report.to_dict() and report.documents["scored"] == 4
    assert format_report(report).count("Relations,") == 3
    assert evaluate_command(gold, pred, fold=3) == 0
    assert "fold 3 of 5 (documents assigned by doc_id hash)" in capsys.readouterr().out
    assert evaluate_command(gold, pred, folds=3, fold=4) == 2
