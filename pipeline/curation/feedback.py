"""Feedback to rule authors: how each rule's triples fared with the curators.

A triple found by several rules counts for each of them. Precision is over decided
triples: accepted / (accepted + rejected + corrected) -- a corrected triple was not right
as the rule produced it. Rejection reasons are the error types curators gave.
Only triples of the current run count (decisions about triples the run no longer
produces are reported separately as ``retired``): the table describes the rules as they are.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from pipeline.curation.store import ERROR_TYPES

_PER_RULE = """
SELECT e.rule,
       COUNT(*)                                        AS triples,
       COALESCE(SUM(c.decision = 'accept'), 0)         AS accepted,
       COALESCE(SUM(c.decision = 'reject'), 0)         AS rejected,
       COALESCE(SUM(c.decision = 'correct'), 0)        AS corrected,
       SUM(c.decision IS NULL)                         AS undecided
FROM evidence e LEFT JOIN curation_decisions c ON c.triple_key = e.triple_key
GROUP BY e.rule
"""
_REASONS = """
SELECT e.rule, COALESCE(c.error_type, 'unspecified'), COUNT(*)
FROM evidence e JOIN curation_decisions c ON c.triple_key = e.triple_key
WHERE c.decision = 'reject'
GROUP BY 1, 2
"""
SORTS = ("rule", "precision", "rejected", "undecided", "triples")
REASONS = (*ERROR_TYPES, "unspecified")


@dataclass
class RuleStats:
    rule: str
    triples: int
    accepted: int
    rejected: int
    corrected: int
    undecided: int
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return self.accepted + self.rejected + self.corrected

    @property
    def precision(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


def rule_precision(con: sqlite3.Connection, sort: str = "rule") -> list[RuleStats]:
    """One row per rule that produced at least one triple of the current run."""
    stats = {r[0]: RuleStats(*r) for r in con.execute(_PER_RULE)}
    for rule, reason, n in con.execute(_REASONS):
        stats[rule].reasons[reason] = n
    rows = sorted(stats.values(), key=lambda s: s.rule)
    if sort == "precision":  # worst first, undecided rules last
        rows.sort(key=lambda s: (s.precision is None, s.precision if s.precision is not None else 0.0))
    elif sort in ("rejected", "undecided", "triples"):
        rows.sort(key=lambda s: -getattr(s, sort))
    return rows


def _pct(p: float | None) -> str:
    return "" if p is None else f"{p:.2f}"


def _reasons_text(s: RuleStats) -> str:
    return ", ".join(f"{ERROR_TYPES.get(k, k)} {v}" for k, v in sorted(s.reasons.items(), key=lambda kv: -kv[1]))


TSV_COLUMNS = ("rule", "triples", "accepted", "rejected", "corrected", "undecided", "precision", *REASONS)


def to_tsv(rows: list[RuleStats]) -> str:
    """Tab-separated, one row per rule; one column per rejection reason (counts)."""
    lines = ["\t".join(TSV_COLUMNS)]
    for s in rows:
        cells = [s.rule, s.triples, s.accepted, s.rejected, s.corrected, s.undecided, _pct(s.precision),
                 *(s.reasons.get(r, 0) for r in REASONS)]
        lines.append("\t".join(str(c) for c in cells))
    return "\n".join(lines) + "\n"


def to_text(rows: list[RuleStats]) -> str:
    """An aligned table for the terminal, with totals."""
    head = ("rule", "triples", "accept", "reject", "correct", "undecided", "precision", "rejection reasons")
    body = [(s.rule, str(s.triples), str(s.accepted), str(s.rejected), str(s.corrected), str(s.undecided),
             _pct(s.precision) or "-", _reasons_text(s)) for s in rows]
    acc, rej, cor = (sum(getattr(s, a) for s in rows) for a in ("accepted", "rejected", "corrected"))
    total = acc / (acc + rej + cor) if acc + rej + cor else None
    body.append(("all rules", str(sum(s.triples for s in rows)), str(acc), str(rej), str(cor),
                 str(sum(s.undecided for s in rows)), _pct(total) or "-", ""))
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head) - 1)]
    out = []
    for r in [head, *body]:
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        out.append("  ".join(cells + [r[-1]]).rstrip())
    return "\n".join(out) + "\n"
