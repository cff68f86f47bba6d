"""What an evaluation found, and how it is shown: scores, report tables, JSON, the error TSV.

Why apart from the scoring: the report is read by people (tables), by scripts (JSON, whose
keys the README and tests quote) and by curators (the TSV of every false positive and
negative with its sentence); keeping the presentation here lets the scorer change
without changing what users see.
"""
from __future__ import annotations

import csv
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.evaluation.corpus import GoldDocument, GoldTriple


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    skipped: int = 0  # predictions of the class lacking the subject/site this variant needs

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def empty(self) -> bool:
        """No gold and no prediction: the scores are undefined, not zero."""
        return not self.tp + self.fp + self.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.tp + self.fn, "predicted": self.tp + self.fp, "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "skipped": self.skipped,
        }


@dataclass
class Agreement:
    """Flag agreement over matched (prediction, gold) pairs: negation or hedging, or grounding correctness."""

    pairs: int = 0
    agree: int = 0
    both: int = 0  # flagged on both sides
    pred_only: int = 0
    gold_only: int = 0

    @property
    def accuracy(self) -> float:
        return self.agree / self.pairs if self.pairs else 0.0

    def add(self, pred_flag: bool, gold_flag: bool) -> None:
        self.pairs += 1
        self.agree += pred_flag == gold_flag
        self.both += pred_flag and gold_flag
        self.pred_only += pred_flag and not gold_flag
        self.gold_only += gold_flag and not pred_flag

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "agree": self.agree, "accuracy": round(self.accuracy, 4),
                "both": self.both, "pred_only": self.pred_only, "gold_only": self.gold_only}


@dataclass
class RuleRow:
    mode: str
    task: str
    rule: str
    tp: int = 0
    fp: int = 0
    rejected_hits: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "task": self.task, "rule": self.rule, "tp": self.tp, "fp": self.fp,
                "precision": round(self.precision, 4), "rejected_hits": self.rejected_hits}


@dataclass
class ErrorRow:
    mode: str
    task: str
    kind: str  # FP | FN
    doc_id: str
    relation: str
    subject: str
    object: str
    site: str
    rule: str
    sentence: str

    FIELDS = ("mode", "task", "kind", "doc_id", "relation", "subject", "object", "site", "rule", "sentence")

    def to_dict(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in self.FIELDS}


def _mean_sd(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0.0 with fewer than two values)."""
    if not values:
        return 0.0, 0.0
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


@dataclass
class CrossValidation:
    """Scores per fold (``relations[mode][task]`` = one Score per fold) with mean and standard deviation.

    A fold where a task has neither gold nor predictions is left out of that task's mean.
    """

    folds: int
    documents: list[int]  # scored documents per fold
    relations: dict[str, dict[str, list[Score]]] = field(default_factory=dict)

    def summary(self, scores: list[Score]) -> dict[str, Any]:
        used = [s for s in scores if not s.empty]
        out: dict[str, Any] = {"folds_used": len(used), "mean": {}, "sd": {}}
        for metric in ("precision", "recall", "f1"):
            mean, sd = _mean_sd([getattr(s, metric) for s in used])
            out["mean"][metric], out["sd"][metric] = round(mean, 4), round(sd, 4)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"folds": self.folds, "assignment": "doc_id sha256 rank, dealt round-robin",
                "documents": self.documents,
                "relations": {m: {t: {"per_fold": [s.to_dict() for s in scores], **self.summary(scores)}
                                  for t, scores in tasks.items()} for m, tasks in self.relations.items()}}


@dataclass
class EvaluationReport:
    gold_path: str
    pred_dir: str
    gold_format: str
    primary_mode: str
    documents: dict[str, int] = field(default_factory=dict)
    predictions: dict[str, int] = field(default_factory=dict)
    relations: dict[str, dict[str, Score]] = field(default_factory=dict)  # mode -> task -> score
    negation: dict[str, Agreement] = field(default_factory=dict)  # mention mode -> agreement
    hedging: dict[str, Agreement] = field(default_factory=dict)
    entities: dict[str, dict[str, Score]] = field(default_factory=dict)  # mention mode -> type -> score
    grounding: dict[str, Agreement] = field(default_factory=dict)  # type -> (pairs, agree = correct id)
    rules: list[RuleRow] = field(default_factory=list)
    rejected: dict[str, Any] | None = None
    not_evaluated: dict[str, int] = field(default_factory=dict)  # predicted relation -> count
    errors: list[ErrorRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fold: dict[str, int] | None = None  # {"fold": k, "folds": K} when only one fold was scored
    cross_validation: CrossValidation | None = None

    def to_dict(self, include_errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "gold_path": self.gold_path,
            "pred_dir": self.pred_dir,
            "gold_format": self.gold_format,
            "primary_mode": self.primary_mode,
            "documents": self.documents,
            "predictions": self.predictions,
            "relations": {m: {t: s.to_dict() for t, s in tasks.items()} for m, tasks in self.relations.items()},
            "negation": {m: a.to_dict() for m, a in self.negation.items()},
            "hedging": {m: a.to_dict() for m, a in self.hedging.items()},
            "entities": {m: {t: s.to_dict() for t, s in types.items()} for m, types in self.entities.items()},
            "grounding": {t: {"pairs": a.pairs, "correct": a.agree, "accuracy": round(a.accuracy, 4)} for t, a in self.grounding.items()},
            "rules": [r.to_dict() for r in self.rules],
            "rejected": self.rejected,
            "not_evaluated": self.not_evaluated,
            "warnings": self.warnings,
        }
        if self.fold is not None:
            out["fold"] = self.fold
        if self.cross_validation is not None:
            out["cross_validation"] = self.cross_validation.to_dict()
        if include_errors:
            out["errors"] = [e.to_dict() for e in self.errors]
        return out


# ---------------------------------------------------------------------------------------------------------
# text

def _table(header: list[str], rows: list[list[Any]]) -> str:
    cells = [header] + [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _score_row(name: str, s: Score) -> list[Any]:
    return [name, s.tp + s.fn, s.tp + s.fp, s.tp, s.fp, s.fn, s.precision, s.recall, s.f1]


_SCORE_HEADER = ["gold", "pred", "TP", "FP", "FN", "P", "R", "F1"]


def _cross_validation_lines(cv: CrossValidation, mode: str) -> list[str]:
    """F1 per fold and mean P/R/F1 with the F1 standard deviation, for the tasks with any item."""
    header = ["task"] + [f"F1@{i}" for i in range(1, cv.folds + 1)] + ["P mean", "R mean", "F1 mean", "F1 sd"]
    rows = []
    for task, scores in cv.relations.get(mode, {}).items():
        if all(s.empty for s in scores):
            continue
        summary = cv.summary(scores)
        rows.append([task, *("-" if s.empty else f"{s.f1:.3f}" for s in scores), summary["mean"]["precision"],
                     summary["mean"]["recall"], summary["mean"]["f1"], summary["sd"]["f1"]])
    sizes = " ".join(map(str, cv.documents))
    return ["", f"Cross-validation, {mode} matching: {cv.folds} folds by doc_id hash (documents per fold: {sizes}; "
                f"mean and sample sd over the folds where the task has gold or predictions)",
            _table(header, rows) if rows else "(no gold and no predictions)"]


def format_report(report: EvaluationReport, rules_mode: str | None = None) -> str:
    """Human-readable tables: relations per mode, negation/hedging, entities, grounding, rules, warnings."""
    d = report.documents
    out = [f"gold: {report.gold_path} ({report.gold_format}); predictions: {report.pred_dir}"]
    if report.fold:
        out.append(f"fold {report.fold['fold']} of {report.fold['folds']} (documents assigned by doc_id hash)")
    out.append(f"documents: {d.get('scored', 0)} scored ({d.get('gold', 0)} gold, {d.get('predicted', 0)} predicted); "
               f"relations predicted: {report.predictions.get('relations', 0)} ({report.predictions.get('negated', 0)} negated)")
    for mode, tasks in report.relations.items():
        rows = [_score_row(name, s) for name, s in tasks.items() if not s.empty]  # JSON keeps the empty ones
        out += ["", f"Relations, {mode} matching", _table(["task"] + _SCORE_HEADER, rows) if rows else "(no gold and no predictions)"]
    if report.cross_validation:
        out += _cross_validation_lines(report.cross_validation, report.primary_mode)
    for label, agreements in (("Negation", report.negation), ("Hedging", report.hedging)):
        for mode, a in agreements.items():
            out.append(f"{label} accuracy ({mode}): {a.agree}/{a.pairs} = {a.accuracy:.3f} "
                       f"(both flagged {a.both}, prediction only {a.pred_only}, gold only {a.gold_only})")
    for mode, types in report.entities.items():
        out += ["", f"Entities, {mode} matching (FAMILY, and a STRESS grounded to a gene, count as PROTEIN)",
                _table(["type"] + _SCORE_HEADER, [_score_row(t, s) for t, s in types.items()])]
    if report.grounding:
        out += ["", "Grounding (overlap-matched pairs where gold has an id)",
                _table(["type", "pairs", "correct", "accuracy"], [[t, a.pairs, a.agree, a.accuracy] for t, a in report.grounding.items()])]
    mode = rules_mode or report.primary_mode
    rule_rows = [[r.task, r.rule or "(none)", r.tp, r.fp, r.precision, r.rejected_hits] for r in report.rules if r.mode == mode]
    if rule_rows:
        out += ["", f"Rules, {mode} matching", _table(["task", "rule", "TP", "FP", "P", "rejected"], rule_rows)]
    if report.rejected:
        out.append(f"rejected triples: {report.rejected['rows']} rows, {report.rejected['hits']} predictions match one")
    if report.not_evaluated:
        out.append("not evaluated (the gold cannot express these): " + ", ".join(f"{k} {v}" for k, v in sorted(report.not_evaluated.items())))
    out += [f"warning: {w}" for w in report.warnings]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------
# the error listing

def write_errors_tsv(report: EvaluationReport, path: str | Path, mode: str | None = None) -> int:
    """Write every FP and FN of ``mode`` (default: the primary mode) as TSV; returns the number of rows."""
    mode = mode or report.primary_mode
    rows = [e for e in report.errors if e.mode == mode]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(ErrorRow.FIELDS)
        for e in rows:
            writer.writerow([str(getattr(e, f)).replace("\t", " ").replace("\n", " ") for f in ErrorRow.FIELDS])
    return len(rows)


_SENT_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])|\n+")
_ABBREV = re.compile(r"\b(?:Fig|Figs|al|e\.g|i\.e|vs|cf|ca|approx|[Rr]efs?|No|[A-Z])\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentence split (punctuation + capital, or newline; not after "Fig." or "et al."), for context only."""
    spans: list[tuple[int, int]] = []
    start, merge = 0, False
    for m in _SENT_BREAK.finditer(text):
        if m.start() > start:
            if merge and spans:
                spans[-1] = (spans[-1][0], m.start())
            else:
                spans.append((start, m.start()))
            merge = "\n" not in m.group() and bool(_ABBREV.search(text, 0, m.start()))
        start = m.end()
    if start < len(text):
        spans[-1:] = [(spans[-1][0], len(text))] if merge and spans else spans[-1:] + [(start, len(text))]
    return spans


def _context(doc: GoldDocument, cache: dict[str, list[tuple[int, int]]], points: list[tuple[int, int]]) -> str:
    spans = cache.setdefault(doc.doc_id, sentence_spans(doc.text))
    lo, hi = min(s for s, _ in points), max(e for _, e in points)
    hit = [(s, e) for s, e in spans if s < hi and lo < e] or [(s, e) for s, e in spans if s <= lo <= e]
    return " ".join(doc.text[s:e] for s, e in hit).replace("\t", " ").replace("\n", " ")


def gold_context(doc: GoldDocument, g: GoldTriple, cache: dict[str, list[tuple[int, int]]]) -> str:
    """The gold sentence(s) of a false negative: around trigger and arguments, or where both arguments occur."""
    if g.trigger:
        points = [g.trigger, (g.object.start, g.object.end)] + ([(g.subject.start, g.subject.end)] if g.subject else [])
        return _context(doc, cache, points)
    # document-level gold (BioRED): the first sentence with a mention of both arguments, else of the object
    spans = cache.setdefault(doc.doc_id, sentence_spans(doc.text))
    for s, e in spans:
        has_obj = any(s <= a < e for a, _ in g.object.alternatives)
        has_subj = g.subject is None or any(s <= a < e for a, _ in g.subject.alternatives)
        if has_obj and has_subj:
            return doc.text[s:e].replace("\t", " ").replace("\n", " ")
    return _context(doc, cache, [g.object.alternatives[0]])
