"""Score a pipeline output folder against a gold corpus (BioNLP standoff folder or PubTator file).

Why: rules are tuned against public gold; this gives comparable precision/recall numbers, a per-rule
table to see which rule hurts, and an error listing a curator can read. The event -> triple mapping
is documented in :mod:`pipeline.evaluation.gold` and docs/evaluation.md.

Matching modes
* ``overlap``: a predicted argument matches a gold argument if the spans overlap (or overlap any Equiv
  mention of it), as the shared tasks' approximate matching; sites also match on equal residue+position.
* ``strict``: argument spans must be identical (to the gold mention or one of its Equiv mentions).
* ``document``: unique (doc_id, relation, subject, object, site) tuples, where an entity is its grounded
  id when the gold has ids (PubTator) and otherwise its lower-cased text merged over Equiv sets.
In the mention modes one gold triple matches at most one prediction (maximum bipartite matching per
document); the rest are false positives. Triples that differ only in parts a task ignores are counted
once (e.g. two phosphorylation sites of one substrate mention are one item of the substrate-only task).
Negated triples are not positives on either side; they are used for negation accuracy only.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable

from pipeline.evaluation.gold import (  # re-exported for the CLI / pipeline
    GoldArg,
    GoldCorpus,
    GoldDocument,
    GoldFormatError,
    GoldTriple,
    canonical_ids,
    given_entities,
    given_entities_for,
    given_entities_pubtator,
    load_gold,
    normalise_text,
    site_key,
)
from pipeline.entities.sites import format_site

__all__ = [
    "EvaluationReport", "Score", "Agreement", "Task", "TASKS", "evaluate", "format_report", "write_errors_tsv",
    "evaluate_command", "gold_counts", "given_entities", "given_entities_for", "given_entities_pubtator", "main",
]

MENTION_MODES = ("overlap", "strict")
MODES = (*MENTION_MODES, "document")
ENTITY_BUCKETS = {"PROTEIN": "PROTEIN", "FAMILY": "PROTEIN", "DRUG": "DRUG", "DISEASE": "DISEASE", "CELL_LINE": "CELL_LINE", "SITE": "SITE"}


@dataclass(frozen=True)
class Task:
    """One scored relation class or variant; ``use_subject``/``use_site`` restrict both sides to triples having them."""

    name: str
    gold_relations: tuple[str, ...]
    pred_relations: tuple[str, ...]
    use_subject: bool = False
    use_site: bool = False
    symmetric: bool = False

    @property
    def base(self) -> bool:
        """The task used for negation/hedging agreement (one per relation class)."""
        return not self.use_site and (not self.use_subject or self.name in ("activation", "inhibition", "binding", "association", "drug_inhibits_target"))


_PHOS = ("phosphorylation", "autophosphorylation")
TASKS: tuple[Task, ...] = (
    Task("phosphorylation", _PHOS, _PHOS),
    Task("phosphorylation+kinase", _PHOS, _PHOS, use_subject=True),
    Task("phosphorylation+kinase+site", _PHOS, _PHOS, use_subject=True, use_site=True),
    Task("autophosphorylation", ("autophosphorylation",), ("autophosphorylation",)),
    Task("dephosphorylation", ("dephosphorylation",), ("dephosphorylation",)),
    Task("dephosphorylation+phosphatase", ("dephosphorylation",), ("dephosphorylation",), use_subject=True),
    Task("dephosphorylation+phosphatase+site", ("dephosphorylation",), ("dephosphorylation",), use_subject=True, use_site=True),
    Task("activation", ("activation",), ("activation",), use_subject=True),
    Task("inhibition", ("inhibition",), ("inhibition",), use_subject=True),
    Task("binding", ("binding",), ("binding",), use_subject=True, symmetric=True),
    Task("association", ("association",), ("association",), use_subject=True, symmetric=True),
    Task("drug_inhibits_target", ("drug_inhibits_target",), ("drug_inhibits_target",), use_subject=True),
)


# ---------------------------------------------------------------------------------------------------------
# results

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
        if include_errors:
            out["errors"] = [e.to_dict() for e in self.errors]
        return out


# ---------------------------------------------------------------------------------------------------------
# predictions

@dataclass(frozen=True)
class PredArg:
    text: str
    type: str
    start: int
    end: int
    ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PredTriple:
    doc_id: str
    relation: str
    subject: PredArg | None
    object: PredArg
    site: PredArg | None
    site_key: str | None
    negated: bool
    hedged: bool
    rule: str
    sentence: str


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{lineno}: expected a JSON object")
            row["_line"] = lineno
            rows.append(row)
    return rows


def _pred_files(pred: Path) -> tuple[Path, Path, Path]:
    folder = pred.parent if pred.is_file() else pred
    relations = pred if pred.is_file() else folder / "relations.jsonl"
    return relations, folder / "entities.jsonl", folder / "documents.jsonl"


def _pred_arg(row: dict[str, Any], doc_id: str, xrefs: dict[tuple[str, int, int], dict[str, str]]) -> PredArg:
    start, end = int(row["start"]), int(row["end"])
    ids = canonical_ids(row.get("id"), {**xrefs.get((doc_id, start, end), {}), **(row.get("xrefs") or {})})
    return PredArg(str(row.get("text", "")), str(row.get("type", "")), start, end, ids)


def _pred_site_key(site: dict[str, Any], doc_text: str) -> str | None:
    residue, position = site.get("residue"), site.get("position")
    if residue:
        return format_site(residue, int(position) if position is not None else None)
    return site_key(str(site.get("text", "")), doc_text, int(site.get("start", 0)))


def read_predictions(relations_path: Path, entity_rows: list[dict[str, Any]], texts: dict[str, str]) -> list[PredTriple]:
    """Parse relations.jsonl; ENTITY objects get their xrefs from entities.jsonl (same doc and span)."""
    xrefs: dict[tuple[str, int, int], dict[str, str]] = {}
    for e in entity_rows:
        if e.get("xrefs"):
            xrefs.setdefault((str(e.get("doc_id")), int(e["start"]), int(e["end"])), {}).update(e["xrefs"])
    out = []
    for row in _read_jsonl(relations_path):
        try:
            doc_id = str(row["doc_id"])
            site = row.get("site")
            out.append(PredTriple(
                doc_id=doc_id,
                relation=str(row["relation"]),
                subject=_pred_arg(row["subject"], doc_id, xrefs) if row.get("subject") else None,
                object=_pred_arg(row["object"], doc_id, xrefs),
                site=_pred_arg(site, doc_id, xrefs) if site else None,
                site_key=_pred_site_key(site, texts.get(doc_id, "")) if site else None,
                negated=bool(row.get("negated", False)),
                hedged=bool(row.get("hedged", False)),
                rule=str(row.get("rule", "")),
                sentence=str((row.get("sentence") or {}).get("text", "")),
            ))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{relations_path}:{row['_line']}: not a relation row ({exc!r})") from None
    return out


# ---------------------------------------------------------------------------------------------------------
# matching

@dataclass
class _Item:
    doc_id: str
    key: Hashable
    members: list[Any]

    @property
    def first(self) -> Any:
        return self.members[0]


def _span(a: PredArg | GoldArg | None) -> tuple[int, int] | None:
    return (a.start, a.end) if a is not None else None


def _for_task(triples: Iterable[Any], task: Task, gold: bool) -> tuple[list[Any], int]:
    """Triples of the task's relation that have the parts it needs; autophosphorylation predictions get subject = object."""
    keep, skipped = [], 0
    for t in triples:
        if t.relation not in (task.gold_relations if gold else task.pred_relations):
            continue
        if not gold and t.relation == "autophosphorylation" and t.subject is None and task.use_subject:
            t = replace(t, subject=t.object)
        if (task.use_subject and t.subject is None) or (task.use_site and t.site is None):
            skipped += 1
            continue
        keep.append(t)
    return keep, skipped


def _item_key(t: Any, task: Task, mode: str, doc: GoldDocument, gold: bool, flags: bool) -> tuple:
    """(subject, object, site[, negated, hedged]); unused parts are None, symmetric pairs are ordered.

    Mention modes: gold Equiv-class ids or predicted spans (for de-duplication only; matching compares spans).
    Document mode: gold keys, or for predictions the frozenset of keys the entity may stand for.
    """
    subj: Any
    obj: Any
    if mode == "document":
        if gold:
            subj, obj = (t.subject.key if t.subject else None), t.object.key
        else:
            subj = doc.entity_keys(t.subject.text, t.subject.ids) if t.subject else None
            obj = doc.entity_keys(t.object.text, t.object.ids)
        site = t.site_key
    elif gold:
        subj, obj, site = (t.subject.cls if t.subject else None), t.object.cls, (t.site.cls if t.site else None)
    else:
        subj = doc.mention_key(t.subject.start, t.subject.end) if t.subject else None
        obj, site = doc.mention_key(t.object.start, t.object.end), _span(t.site)
    if not task.use_subject:
        subj = None
    if not task.use_site:
        site = None
    if task.symmetric:
        subj, obj = sorted((subj, obj), key=lambda k: sorted(k) if isinstance(k, frozenset) else repr(k))
    return (subj, obj, site) + ((t.negated, t.hedged) if flags else ())


def _key_in(pred: Any, gold: Any) -> bool:
    return gold in pred if isinstance(pred, frozenset) else pred == gold


def _doc_compatible(pk: tuple, gk: tuple, task: Task) -> bool:
    (ps, po, psite), (gs, go, gsite) = pk[:3], gk[:3]
    pair = (_key_in(ps, gs) and _key_in(po, go)) or (task.symmetric and _key_in(ps, go) and _key_in(po, gs))
    return pair and psite == gsite


def _items(triples: list[Any], task: Task, mode: str, docs: dict[str, GoldDocument], gold: bool, flags: bool = False) -> dict[str, list[_Item]]:
    by_doc: dict[str, dict[Hashable, _Item]] = {}
    for t in triples:
        key = _item_key(t, task, mode, docs[t.doc_id], gold, flags)
        bucket = by_doc.setdefault(t.doc_id, {})
        if key in bucket:
            bucket[key].members.append(t)
        else:
            bucket[key] = _Item(t.doc_id, key, [t])
    return {d: list(items.values()) for d, items in by_doc.items()}


def _arg_match(p: PredArg | None, g: GoldArg | None, strict: bool) -> bool:
    if p is None or g is None:
        return p is None and g is None
    for s, e in g.alternatives:
        if (p.start, p.end) == (s, e) or (not strict and p.start < e and s < p.end):
            return True
    return False


def _compatible(p: PredTriple, g: GoldTriple, task: Task, strict: bool) -> bool:
    if task.symmetric:
        ok = (_arg_match(p.subject, g.subject, strict) and _arg_match(p.object, g.object, strict)) or (
            _arg_match(p.subject, g.object, strict) and _arg_match(p.object, g.subject, strict))
    else:
        ok = _arg_match(p.object, g.object, strict) and (not task.use_subject or _arg_match(p.subject, g.subject, strict))
    if ok and task.use_site:
        same_site = bool(p.site_key and p.site_key == g.site_key and re.search(r"\d", p.site_key))
        ok = _arg_match(p.site, g.site, strict) or (not strict and same_site)
    return ok


def _max_matching(adj: list[list[int]]) -> dict[int, int]:
    """Maximum bipartite matching by augmenting paths (iterative, so large documents cannot hit the recursion
    limit); ``adj[i]`` lists the gold indices prediction ``i`` may match. Returns pred index -> gold index."""
    pred_of: dict[int, int] = {}  # gold -> pred
    gold_of: dict[int, int] = {}  # pred -> gold
    for root, edges in enumerate(adj):
        if not edges:
            continue
        parent: dict[int, int] = {}
        queue, head, free = [root], 0, None
        while head < len(queue) and free is None:
            i = queue[head]
            head += 1
            for j in adj[i]:
                if j in parent:
                    continue
                parent[j] = i
                if j not in pred_of:
                    free = j
                    break
                queue.append(pred_of[j])
        j = free
        while j is not None:  # flip the path root -> ... -> free
            i = parent[j]
            previous = gold_of.get(i)
            pred_of[j], gold_of[i] = i, j
            j = previous if i != root else None
    return gold_of


def _match(pred: dict[str, list[_Item]], gold: dict[str, list[_Item]], task: Task, mode: str,
           prefer: Callable[[Any, Any], bool] | None = None) -> list[tuple[_Item | None, _Item | None]]:
    """Pairs (pred, gold) per document; unmatched items come with None on the other side.

    With ``prefer``, pairs satisfying it are matched first (negation agreement prefers equal flags).
    """
    pairs: list[tuple[_Item | None, _Item | None]] = []
    for doc_id in sorted(set(pred) | set(gold)):
        ps, gs = pred.get(doc_id, []), gold.get(doc_id, [])
        if mode == "document":
            adj = [[j for j, g in enumerate(gs) if _doc_compatible(p.key, g.key, task)] for p in ps]
        else:
            adj = [[j for j, g in enumerate(gs) if _compatible(p.first, g.first, task, mode == "strict")] for p in ps]
        if prefer is None:
            matching = _max_matching(adj)
        else:
            matching = _max_matching([[j for j in js if prefer(ps[i].first, gs[j].first)] for i, js in enumerate(adj)])
            used = set(matching.values())
            rest = _max_matching([[] if i in matching else [j for j in js if j not in used] for i, js in enumerate(adj)])
            matching.update(rest)
        matched_gold = set(matching.values())
        pairs += [(p, gs[matching[i]] if i in matching else None) for i, p in enumerate(ps)]
        pairs += [(None, g) for j, g in enumerate(gs) if j not in matched_gold]
    return pairs


# ---------------------------------------------------------------------------------------------------------
# sentences for the error listing

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


def _gold_context(doc: GoldDocument, g: GoldTriple, cache: dict[str, list[tuple[int, int]]]) -> str:
    if g.trigger:
        points = [g.trigger, _span(g.object)] + ([_span(g.subject)] if g.subject else [])
        return _context(doc, cache, [p for p in points if p])
    # document-level gold (BioRED): the first sentence with a mention of both arguments, else of the object
    spans = cache.setdefault(doc.doc_id, sentence_spans(doc.text))
    for s, e in spans:
        has_obj = any(s <= a < e for a, _ in g.object.alternatives)
        has_subj = g.subject is None or any(s <= a < e for a, _ in g.subject.alternatives)
        if has_obj and has_subj:
            return doc.text[s:e].replace("\t", " ").replace("\n", " ")
    return _context(doc, cache, [g.object.alternatives[0]])


# ---------------------------------------------------------------------------------------------------------
# rejected triples (curation export)

REJECTED_COLUMNS = ("doc_id", "relation", "subject_text", "object_text", "site")
_SYMMETRIC = {t.name for t in TASKS if t.symmetric}


def read_rejected(path: Path) -> list[dict[str, str]]:
    """Curator-rejected triples: a TSV with at least the columns doc_id, relation, subject_text, object_text, site
    (or a curation SQLite database, read with pipeline.curation.decisions.rejected_triples)."""
    if path.suffix in (".sqlite", ".db", ".sqlite3"):
        from pipeline.curation.decisions import rejected_triples  # only when asked: another module's export

        return [{c: str(row.get(c) or "").strip() for c in REJECTED_COLUMNS} for row in rejected_triples(path)]
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        missing = [c for c in REJECTED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}:1: rejected-triples TSV lacks column(s) {', '.join(missing)}")
        return [{c: (row.get(c) or "").strip() for c in REJECTED_COLUMNS} for row in reader]


def _rejected_index(rows: list[dict[str, str]]) -> set[tuple]:
    index = set()
    for r in rows:
        subj, obj = normalise_text(r["subject_text"]), normalise_text(r["object_text"])
        label = r["site"]
        site = label if re.fullmatch(r"[A-Z]\d*", label) else (site_key(label) if label else "")  # "S83" / "Y" labels
        pair = tuple(sorted((subj, obj))) if r["relation"] in _SYMMETRIC else (subj, obj)
        index.add((r["doc_id"], r["relation"], pair, site))
    return index


def _is_rejected(p: PredTriple, index: set[tuple]) -> bool:
    subj, obj = normalise_text(p.subject.text) if p.subject else "", normalise_text(p.object.text)
    pair = tuple(sorted((subj, obj))) if p.relation in _SYMMETRIC else (subj, obj)
    base = (p.doc_id, p.relation, pair)
    return base + ("",) in index or (p.site_key is not None and base + (p.site_key,) in index)


# ---------------------------------------------------------------------------------------------------------
# evaluation

def _entity_scores(corpus: GoldCorpus, docs: set[str], entity_rows: list[dict[str, Any]], report: EvaluationReport) -> None:
    """Entity P/R/F1 per type (only types the gold annotates) and grounding accuracy."""
    gold_by: dict[tuple[str, str], list[Any]] = {}
    for d in sorted(docs):
        for g in corpus.documents[d].entities:
            gold_by.setdefault((d, ENTITY_BUCKETS[g.type]), []).append(g)
    buckets = sorted({b for _, b in gold_by})
    pred_by: dict[tuple[str, str], dict[tuple[int, int], dict[str, Any]]] = {}
    for e in entity_rows:
        bucket = ENTITY_BUCKETS.get(str(e.get("type")))
        doc_id = str(e.get("doc_id"))
        if bucket in buckets and doc_id in docs:
            pred_by.setdefault((doc_id, bucket), {}).setdefault((int(e["start"]), int(e["end"])), e)
    for mode in MENTION_MODES:
        scores = {b: Score() for b in buckets}
        for key in sorted(set(gold_by) | set(pred_by)):
            gs, ps = gold_by.get(key, []), list(pred_by.get(key, {}).values())
            matching = _max_matching(_entity_adjacency(ps, gs, strict=mode == "strict"))
            s = scores[key[1]]
            s.tp += len(matching)
            s.fp += len(ps) - len(matching)
            s.fn += len(gs) - len(matching)
            if mode == "overlap":
                for i, j in matching.items():
                    if gs[j].ids:
                        ids = canonical_ids(ps[i].get("id"), ps[i].get("xrefs"))
                        report.grounding.setdefault(key[1], Agreement()).add(bool(ids & gs[j].ids), True)
        report.entities[mode] = scores


def _entity_adjacency(preds: list[dict[str, Any]], gold: list[Any], strict: bool) -> list[list[int]]:
    """Gold indices each predicted span equals (strict) or overlaps, via a sorted scan instead of all pairs."""
    order = sorted(range(len(gold)), key=lambda j: gold[j].start)
    starts = [gold[j].start for j in order]
    longest = max((g.end - g.start for g in gold), default=0)
    adj = []
    for p in preds:
        start, end = int(p["start"]), int(p["end"])
        lo, hi = bisect_left(starts, start - longest), bisect_left(starts, max(end, start + 1))
        if strict:
            adj.append([order[k] for k in range(lo, hi) if (gold[order[k]].start, gold[order[k]].end) == (start, end)])
        else:
            adj.append([order[k] for k in range(lo, hi) if start < gold[order[k]].end and gold[order[k]].start < end
                        or (gold[order[k]].start, gold[order[k]].end) == (start, end)])
    return adj


def _select_documents(corpus: GoldCorpus, preds: list[PredTriple], entity_rows: list[dict[str, Any]],
                      documents_path: Path, all_gold_docs: bool, report: EvaluationReport) -> set[str]:
    """Gold documents to score: those in documents.jsonl (all gold documents without it); warns on mismatches."""
    gold_docs = set(corpus.documents)
    if documents_path.exists() and not all_gold_docs:
        pred_docs = {str(r.get("doc_id")) for r in _read_jsonl(documents_path)}
        scored = gold_docs & pred_docs
        if gold_docs - pred_docs:
            report.warnings.append(f"{len(gold_docs - pred_docs)} gold documents are not in documents.jsonl and are not scored")
    else:
        pred_docs = {p.doc_id for p in preds} | {str(e.get("doc_id")) for e in entity_rows}
        scored = gold_docs
    if pred_docs - gold_docs:
        report.warnings.append(f"{len(pred_docs - gold_docs)} predicted documents are not in the gold and are ignored, "
                               f"e.g. {sorted(pred_docs - gold_docs)[:3]}")
    if not scored or not (pred_docs & gold_docs):
        report.warnings.append("no document ids in common between gold and predictions: check the doc_id convention")
    report.documents = {"gold": len(gold_docs), "predicted": len(pred_docs), "scored": len(scored)}
    return scored


def _score_task(corpus: GoldCorpus, gold: list[GoldTriple], preds: list[PredTriple], task: Task, mode: str,
                rules: dict[tuple[str, str, str], RuleRow], rejected_by_rule: dict[str, int],
                report: EvaluationReport, cache: dict[str, list[tuple[int, int]]]) -> Score:
    """P/R/F1 of one task in one mode; fills the per-rule rows and the error listing as a side effect."""
    gold_t, _ = _for_task((t for t in gold if not t.negated), task, gold=True)
    pred_t, skipped = _for_task((p for p in preds if not p.negated), task, gold=False)
    pairs = _match(_items(pred_t, task, mode, corpus.documents, False), _items(gold_t, task, mode, corpus.documents, True), task, mode)
    score = Score(skipped=skipped)
    for p_item, g_item in pairs:
        if p_item is not None:
            item_rules = list(dict.fromkeys(m.rule for m in p_item.members))
            for rule in item_rules:
                row = rules.setdefault((mode, task.name, rule), RuleRow(mode, task.name, rule, rejected_hits=rejected_by_rule.get(rule, 0)))
                row.tp += g_item is not None
                row.fp += g_item is None
        if p_item is not None and g_item is not None:
            score.tp += 1
        elif p_item is not None:
            score.fp += 1
            p = p_item.first
            report.errors.append(ErrorRow(mode, task.name, "FP", p.doc_id, p.relation, p.subject.text if p.subject else "",
                                          p.object.text, p.site.text if p.site else "", ",".join(item_rules), p.sentence))
        elif g_item is not None:
            score.fn += 1
            g = g_item.first
            report.errors.append(ErrorRow(mode, task.name, "FN", g.doc_id, g.relation, g.subject.text if g.subject else "",
                                          g.object.text, g.site.text if g.site else "", "", _gold_context(corpus.documents[g.doc_id], g, cache)))
    return score


def _flag_agreement(corpus: GoldCorpus, gold: list[GoldTriple], preds: list[PredTriple], tasks: list[Task], mode: str) -> tuple[Agreement, Agreement]:
    """Negation and hedging agreement over predictions matched to gold triples, negated or not."""
    neg, hedge = Agreement(), Agreement()
    for task in (t for t in tasks if t.base):
        gold_t, _ = _for_task(gold, task, gold=True)
        pred_t, _ = _for_task(preds, task, gold=False)
        p_items = _items(pred_t, task, mode, corpus.documents, False, flags=True)
        g_items = _items(gold_t, task, mode, corpus.documents, True, flags=True)
        for attr, agreement in (("negated", neg), ("hedged", hedge)):
            def same(p: Any, g: Any, a: str = attr) -> bool:
                return getattr(p, a) == getattr(g, a)

            for p_item, g_item in _match(p_items, g_items, task, mode, prefer=same):
                if p_item is not None and g_item is not None:
                    agreement.add(getattr(p_item.first, attr), getattr(g_item.first, attr))
    return neg, hedge


def evaluate(
    gold_path: str | Path,
    pred_dir: str | Path,
    negatives: str | Path | None = None,
    *,
    all_gold_docs: bool = False,
) -> EvaluationReport:
    """Score the output folder ``pred_dir`` (relations.jsonl, entities.jsonl, documents.jsonl) against gold.

    Scored documents: the gold documents listed in documents.jsonl (all gold documents if there is no
    documents.jsonl or ``all_gold_docs``). ``negatives`` is an optional TSV of curator-rejected triples.
    """
    corpus = load_gold(gold_path)
    relations_path, entities_path, documents_path = _pred_files(Path(pred_dir))
    if not relations_path.exists():
        raise FileNotFoundError(f"{relations_path}: no relations.jsonl in the prediction folder")
    report = EvaluationReport(str(gold_path), str(pred_dir), corpus.format, "overlap" if corpus.format == "standoff" else "document")
    report.warnings += corpus.warnings[:20] + ([f"... {len(corpus.warnings) - 20} more gold warnings"] if len(corpus.warnings) > 20 else [])

    entity_rows = _read_jsonl(entities_path) if entities_path.exists() else []
    preds = read_predictions(relations_path, entity_rows, {d: g.text for d, g in corpus.documents.items()})
    scored = _select_documents(corpus, preds, entity_rows, documents_path, all_gold_docs, report)
    preds = [p for p in preds if p.doc_id in scored]
    gold = [t for t in corpus.triples() if t.doc_id in scored]
    report.predictions = {"relations": len(preds), "negated": sum(p.negated for p in preds), "hedged": sum(p.hedged for p in preds),
                          "entities": sum(str(e.get("doc_id")) in scored for e in entity_rows)}
    tasks = [t for t in TASKS if set(t.gold_relations) & set(corpus.relations)]
    covered = {r for t in tasks for r in t.pred_relations}
    for p in preds:
        if p.relation not in covered:
            report.not_evaluated[p.relation] = report.not_evaluated.get(p.relation, 0) + 1

    rejected_by_rule: dict[str, int] = {}
    if negatives:
        rows = read_rejected(Path(negatives))
        index = _rejected_index(rows)
        for p in preds:
            if _is_rejected(p, index):
                rejected_by_rule[p.rule] = rejected_by_rule.get(p.rule, 0) + 1
        report.rejected = {"path": str(negatives), "rows": len(rows), "hits": sum(rejected_by_rule.values()), "by_rule": rejected_by_rule}

    cache: dict[str, list[tuple[int, int]]] = {}
    rules: dict[tuple[str, str, str], RuleRow] = {}
    for mode in MODES if corpus.format == "standoff" else ("document",):
        report.relations[mode] = {task.name: _score_task(corpus, gold, preds, task, mode, rules, rejected_by_rule, report, cache) for task in tasks}
        if mode in MENTION_MODES:
            report.negation[mode], report.hedging[mode] = _flag_agreement(corpus, gold, preds, tasks, mode)
    task_order = [t.name for t in TASKS]
    report.rules = sorted(rules.values(), key=lambda r: (MODES.index(r.mode), task_order.index(r.task), r.rule))
    if entity_rows:
        _entity_scores(corpus, scored, entity_rows, report)
    elif not entities_path.exists():
        report.warnings.append("no entities.jsonl: entity scores skipped")
    return report


def gold_counts(gold: str | Path | GoldCorpus) -> dict[str, dict[str, int]]:
    """Gold positives per task: mention-level items, document-level unique triples, and negated items."""
    corpus = gold if isinstance(gold, GoldCorpus) else load_gold(gold)
    triples = corpus.triples()
    modes = ("overlap", "document") if corpus.format == "standoff" else ("document",)
    out: dict[str, dict[str, int]] = {}
    for task in (t for t in TASKS if set(t.gold_relations) & set(corpus.relations)):
        row = {}
        for mode in modes:
            kept, _ = _for_task((t for t in triples if not t.negated), task, gold=True)
            row["mention" if mode == "overlap" else "document"] = sum(len(v) for v in _items(kept, task, mode, corpus.documents, True).values())
        negated, _ = _for_task((t for t in triples if t.negated), task, gold=True)
        row["negated"] = sum(len(v) for v in _items(negated, task, modes[0], corpus.documents, True).values())
        out[task.name] = row
    return out


# ---------------------------------------------------------------------------------------------------------
# output

def _table(header: list[str], rows: list[list[Any]]) -> str:
    cells = [header] + [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _score_row(name: str, s: Score) -> list[Any]:
    return [name, s.tp + s.fn, s.tp + s.fp, s.tp, s.fp, s.fn, s.precision, s.recall, s.f1]


_SCORE_HEADER = ["gold", "pred", "TP", "FP", "FN", "P", "R", "F1"]


def format_report(report: EvaluationReport, rules_mode: str | None = None) -> str:
    """Human-readable tables: relations per mode, negation/hedging, entities, grounding, rules, warnings."""
    d = report.documents
    out = [f"gold: {report.gold_path} ({report.gold_format}); predictions: {report.pred_dir}",
           f"documents: {d.get('scored', 0)} scored ({d.get('gold', 0)} gold, {d.get('predicted', 0)} predicted); "
           f"relations predicted: {report.predictions.get('relations', 0)} ({report.predictions.get('negated', 0)} negated)"]
    for mode, tasks in report.relations.items():
        rows = [_score_row(name, s) for name, s in tasks.items() if s.tp + s.fp + s.fn]  # JSON keeps the empty ones
        out += ["", f"Relations, {mode} matching", _table(["task"] + _SCORE_HEADER, rows) if rows else "(no gold and no predictions)"]
    for label, agreements in (("Negation", report.negation), ("Hedging", report.hedging)):
        for mode, a in agreements.items():
            out.append(f"{label} accuracy ({mode}): {a.agree}/{a.pairs} = {a.accuracy:.3f} "
                       f"(both flagged {a.both}, prediction only {a.pred_only}, gold only {a.gold_only})")
    for mode, types in report.entities.items():
        out += ["", f"Entities, {mode} matching (FAMILY counts as PROTEIN)",
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


def evaluate_command(gold: Path, pred: Path, as_json: bool = False, errors: Path | None = None, negatives: Path | None = None) -> int:
    """CLI body: evaluate, print tables (or JSON), optionally write the error TSV; returns the exit code."""
    for label, p in (("gold", gold), ("prediction folder", pred), ("negatives file", negatives)):
        if p is not None and not Path(p).exists():
            print(f"error: {label} not found: {p}", file=sys.stderr)
            return 2
    try:
        report = evaluate(Path(gold), Path(pred), negatives=Path(negatives) if negatives else None)
    except (GoldFormatError, ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report.to_dict(), indent=2) if as_json else format_report(report))
    if errors:
        n = write_errors_tsv(report, errors)
        print(f"wrote {n} errors to {errors}", file=sys.stderr)
    return 0 if report.documents.get("scored") else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluation.scoring", description="Score a biomine output folder against gold.")
    parser.add_argument("gold", type=Path, help="BioNLP/brat standoff folder (.txt + .a1/.a2 or .ann) or a PubTator file")
    parser.add_argument("pred", type=Path, help="pipeline output folder with relations.jsonl (and entities.jsonl, documents.jsonl)")
    parser.add_argument("--json", action="store_true", dest="as_json", help="print the report as JSON")
    parser.add_argument("--errors", type=Path, help="write false positives and negatives to this TSV")
    parser.add_argument("--negatives", type=Path, help="TSV of curator-rejected triples (doc_id relation subject_text object_text site)")
    args = parser.parse_args(argv)
    return evaluate_command(args.gold, args.pred, args.as_json, args.errors, args.negatives)


if __name__ == "__main__":
    sys.exit(main())
