"""Scoring mention recognition on character spans: exact per label, and GENETAG with alternatives.

GENETAG's Correct.Data accepts other boundaries for a name ("SNF1 protein kinase"
for "protein kinase"). A prediction counts as a true positive when it equals a
gold name or one of that name's alternatives, and each gold name is matched at
most once, so a second hit on the same name is a false positive. Alternatives
that overlap no gold name give no credit here (stricter than the original script).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from pipeline.evaluation.report import Score
from pipeline.training.converters.standoff import Annotated, Span3


@dataclass
class PRF(Score):
    """The relation scorer's counts and figures, summed across sentences and reported as a dict."""

    def add(self, other: "PRF") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Scores:
    """Micro totals and per-label counts."""

    total: PRF = field(default_factory=PRF)
    by_label: dict[str, PRF] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"micro": self.total.as_dict(), **{k: v.as_dict() for k, v in sorted(self.by_label.items())}}


def score_exact(gold: Sequence[Annotated], predicted: Sequence[Iterable[Span3]],
                labels: Iterable[str] | None = None) -> Scores:
    """Exact (start, end, label) matching. ``labels`` limits scoring to labels the gold annotates,
    e.g. GENE only on a protein-only corpus, where a CHEMICAL prediction is neither right nor wrong."""
    keep = set(labels) if labels is not None else None
    out = Scores()
    for item, pred in zip(gold, predicted, strict=True):
        g = {s for s in item.spans if keep is None or s[2] in keep}
        p = {s for s in pred if keep is None or s[2] in keep}
        for label in {s[2] for s in g | p}:
            gl, pl = {s for s in g if s[2] == label}, {s for s in p if s[2] == label}
            counts = PRF(len(gl & pl), len(pl - gl), len(gl - pl))
            out.by_label.setdefault(label, PRF()).add(counts)
            out.total.add(counts)
    return out


def score_alternatives(gold: Sequence[Annotated], predicted: Sequence[Iterable[Span3]], label: str = "GENE") -> PRF:
    """GENETAG-style scoring of one label: gold names or their listed alternatives count as right."""
    out = PRF()
    for item, pred in zip(gold, predicted, strict=True):
        names = [(s, e) for s, e, lab in item.spans if lab == label]
        accept = {(s, e): {(s, e), *item.alternatives.get((s, e), [])} for s, e in names}
        matched: set[tuple[int, int]] = set()
        for s, e, lab in sorted(pred):
            if lab != label:
                continue
            # prefer the gold name itself, then any still-unmatched name that lists this span
            owner = (s, e) if (s, e) in accept and (s, e) not in matched else None
            if owner is None:
                owner = next((n for n in names if n not in matched and (s, e) in accept[n]), None)
            if owner is None:
                out.fp += 1
            else:
                matched.add(owner)
                out.tp += 1
        out.fn += len(names) - len(matched)
    return out
