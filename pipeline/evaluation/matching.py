"""Matching predicted and gold triples: de-duplicated items, compatibility per mode, one-to-one matching.

Why separate from the scores: the same matching serves P/R/F1, negation and hedging
agreement, the per-rule table and entity scoring, and it is the subtle part (Equiv
mentions, unordered pairs, sites matched by residue) that deserves its own tests.

Modes: ``overlap`` (argument spans overlap the gold mention or an Equiv mention of it;
sites also match on equal residue+position), ``strict`` (identical spans) and
``document`` (unique (subject, object, site) keys per document: grounded ids when the
gold has ids, otherwise normalised text merged over Equiv sets).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Callable, Hashable

from pipeline.evaluation.corpus import GoldArg, GoldDocument, GoldTriple
from pipeline.evaluation.predictions import PredArg, PredTriple
from pipeline.evaluation.tasks import Task

MENTION_MODES = ("overlap", "strict")
MODES = (*MENTION_MODES, "document")


@dataclass
class Item:
    """Triples that count as one (same key in one document); ``first`` stands for them in listings."""

    doc_id: str
    key: Hashable
    members: list[Any]

    @property
    def first(self) -> Any:
        return self.members[0]


def span(a: PredArg | GoldArg | None) -> tuple[int, int] | None:
    return (a.start, a.end) if a is not None else None


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
        obj, site = doc.mention_key(t.object.start, t.object.end), span(t.site)
    if not task.use_subject:
        subj = None
    if not task.use_site:
        site = None
    if task.symmetric:
        subj, obj = sorted((subj, obj), key=lambda k: sorted(k) if isinstance(k, frozenset) else repr(k))
    return (subj, obj, site) + ((t.negated, t.hedged) if flags else ())


def items(triples: list[Any], task: Task, mode: str, docs: dict[str, GoldDocument], gold: bool,
          flags: bool = False) -> dict[str, list[Item]]:
    """Triples grouped into items per document (triples differing only in parts the task ignores are one)."""
    by_doc: dict[str, dict[Hashable, Item]] = {}
    for t in triples:
        key = _item_key(t, task, mode, docs[t.doc_id], gold, flags)
        bucket = by_doc.setdefault(t.doc_id, {})
        if key in bucket:
            bucket[key].members.append(t)
        else:
            bucket[key] = Item(t.doc_id, key, [t])
    return {d: list(found.values()) for d, found in by_doc.items()}


def _key_in(pred: Any, gold: Any) -> bool:
    return gold in pred if isinstance(pred, frozenset) else pred == gold


def _doc_compatible(pk: tuple, gk: tuple, task: Task) -> bool:
    (ps, po, psite), (gs, go, gsite) = pk[:3], gk[:3]
    pair = (_key_in(ps, gs) and _key_in(po, go)) or (task.symmetric and _key_in(ps, go) and _key_in(po, gs))
    return pair and psite == gsite


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


def max_matching(adj: list[list[int]]) -> dict[int, int]:
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


def match(pred: dict[str, list[Item]], gold: dict[str, list[Item]], task: Task, mode: str,
          prefer: Callable[[Any, Any], bool] | None = None) -> list[tuple[Item | None, Item | None]]:
    """Pairs (pred, gold) per document; unmatched items come with None on the other side.

    With ``prefer``, pairs satisfying it are matched first (negation agreement prefers equal flags).
    """
    pairs: list[tuple[Item | None, Item | None]] = []
    for doc_id in sorted(set(pred) | set(gold)):
        ps, gs = pred.get(doc_id, []), gold.get(doc_id, [])
        if mode == "document":
            adj = [[j for j, g in enumerate(gs) if _doc_compatible(p.key, g.key, task)] for p in ps]
        else:
            adj = [[j for j, g in enumerate(gs) if _compatible(p.first, g.first, task, mode == "strict")] for p in ps]
        if prefer is None:
            matching = max_matching(adj)
        else:
            matching = max_matching([[j for j in js if prefer(ps[i].first, gs[j].first)] for i, js in enumerate(adj)])
            used = set(matching.values())
            rest = max_matching([[] if i in matching else [j for j in js if j not in used] for i, js in enumerate(adj)])
            matching.update(rest)
        matched_gold = set(matching.values())
        pairs += [(p, gs[matching[i]] if i in matching else None) for i, p in enumerate(ps)]
        pairs += [(None, g) for j, g in enumerate(gs) if j not in matched_gold]
    return pairs


def entity_adjacency(preds: list[dict[str, Any]], gold: list[Any], strict: bool) -> list[list[int]]:
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
