"""Gold annotations -> :class:`GoldTriple`: BioNLP standoff events and BioRED id pairs.

Why data-driven: which gold annotation stands for which relation is declared per relation
in ``patterns/relation_types.yml`` (``gold:``), so adding a relation type with a ``gold:``
entry needs no change here. The mapping kinds (see docs/evaluation.md):

* ``modification`` (phosphorylation): each listed event with an eligible Theme gives a
  subject-less triple (object = Theme, site = its ``Site``), plus one per eligible ``Cause``
  of the event (PC style) or of a ``regulation_causes`` event whose Theme is the event (GE
  style). ``trigger_prefix`` picks between relations listing the same event type
  ("autophosph..." -> autophosphorylation). A *reflexive* relation (subject optional and
  subject role = object role, e.g. autophosphorylation: kinase/kinase) has subject = object.
* ``control`` (activation, inhibition): a listed event with an eligible Cause and Theme.
* ``complex`` (binding): every unordered pair of eligible Themes of a listed event.
* ``pubtator``: a BioRED relation of the listed type between ids of the listed entity types;
  the id of the ``subject`` type is the subject.

An argument is eligible when its gold type maps (:func:`map_gold_type`) to an entity type
the relation accepts for that role (``GENE`` = PROTEIN|FAMILY: Protein,
Gene_or_gene_product, Complex). ``Negation``/``Speculation`` on the event, or on the
regulation that contributes the subject, set ``negated``/``hedged``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from pipeline.evaluation.corpus import GoldArg, GoldDocument, GoldEntity, GoldTriple
from pipeline.evaluation.ids import gold_ids, map_gold_type, normalise_text, site_key
from pipeline.readers.pubtator import PubTatorDocument, PubTatorMention, split_ids
from pipeline.readers.standoff import Event, StandoffDocument
from pipeline.relations.types import RelationRegistry, RelationType, StandoffMapping, registry


def reflexive(rt: RelationType) -> bool:
    """A subject-less triple of this relation means subject = object (autophosphorylation: kinase = kinase)."""
    return rt.subject_optional and rt.subject_role == rt.object_role


def corpus_relations(fmt: str, types: RelationRegistry | None = None) -> tuple[str, ...]:
    """Relations a corpus of format ``fmt`` can express: those with a ``gold:`` mapping for it, in registry order."""
    types = types or registry()
    if fmt == "standoff":
        return tuple(n for n, rt in types.types.items() if rt.gold.standoff)
    return tuple(n for n, rt in types.types.items() if rt.gold.pubtator)


@dataclass(frozen=True)
class _Rule:
    relation: str
    mapping: StandoffMapping


def _rules_by_event(types: RelationRegistry) -> dict[str, list[_Rule]]:
    out: dict[str, list[_Rule]] = {}
    for name, rt in types.types.items():
        if rt.gold.standoff:
            for event_type in rt.gold.standoff.events:
                out.setdefault(event_type, []).append(_Rule(name, rt.gold.standoff))
    return out


def _rule_for(rules: list[_Rule], trigger: str) -> _Rule | None:
    """The relation an event gives: one whose trigger prefix matches, else one without a prefix, else the only one."""
    low = trigger.lower()
    prefixed = [r for r in rules if r.mapping.trigger_prefix and low.startswith(r.mapping.trigger_prefix.lower())]
    plain = [r for r in rules if not r.mapping.trigger_prefix]
    chosen = prefixed or plain or rules
    return chosen[0] if chosen else None


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _tid_sort(tid: str) -> str:
    """Zero-padded id so that the smallest string is the smallest number (T9 < T10)."""
    m = re.fullmatch(r"([A-Za-z]*)(\d+)", tid)
    return f"{m.group(1)}{int(m.group(2)):09d}" if m else tid


class _StandoffMapper:
    """The per-document state of the event mapping: Equiv classes, argument builders, regulators."""

    def __init__(self, doc: StandoffDocument, types: RelationRegistry) -> None:
        self.doc, self.types = doc, types
        tbs = doc.textbounds
        triggers = doc.trigger_ids()
        self.entity_ids = [t for t in tbs if t not in triggers]
        texts, self.members = _UnionFind(), _UnionFind()
        for tid in self.entity_ids:
            texts.find(normalise_text(tbs[tid].text))
        for group in doc.equivs:
            for a, b in zip(group, group[1:]):
                texts.union(normalise_text(tbs[a].text), normalise_text(tbs[b].text))
                self.members.union(_tid_sort(a), _tid_sort(b))
        self.text_keys = {t: texts.find(t) for t in list(texts.parent)}
        self.alt: dict[str, list[str]] = {}
        for tid in self.entity_ids:
            self.alt.setdefault(self.members.find(_tid_sort(tid)), []).append(tid)
        self.regulators: dict[str, list[Event]] = {}
        for ev in doc.events.values():
            for theme in ev.role("Theme"):
                self.regulators.setdefault(theme, []).append(ev)

    def arg(self, tid: str) -> GoldArg:
        tbs = self.doc.textbounds
        tb = tbs[tid]
        cls = self.members.find(_tid_sort(tid))
        spans = [(tb.start, tb.end)] + [(tbs[o].start, tbs[o].end) for o in self.alt.get(cls, []) if o != tid]
        return GoldArg(tb.text, tb.type, tb.start, tb.end, tuple(spans), self.text_keys[normalise_text(tb.text)], cls)

    def site_arg(self, tid: str) -> GoldArg:
        tb = self.doc.textbounds[tid]
        key = site_key(tb.text, self.doc.text, tb.start)
        return GoldArg(tb.text, tb.type, tb.start, tb.end, ((tb.start, tb.end),), key, tid)

    def eligible(self, ref: str, relation: str, role: str) -> bool:
        """``ref`` is an entity (not an event) whose mapped type the relation accepts as ``role``."""
        tbs = self.doc.textbounds
        if ref not in tbs or ref in self.doc.events:
            return False
        ours = map_gold_type(tbs[ref].type, tbs[ref].text)
        allowed = self.types.subject_types(relation) if role == "subject" else self.types.object_types(relation)
        return ours in allowed

    def flags(self, event_id: str) -> tuple[bool, bool]:
        return self.doc.flagged(event_id, "Negation"), self.doc.flagged(event_id, "Speculation")

    def triples(self, ev: Event, rule: _Rule) -> list[GoldTriple]:
        doc_id, rel, mapping = self.doc.doc_id, rule.relation, rule.mapping
        neg, hedge = self.flags(ev.id)
        trig = self.doc.textbounds[ev.trigger]
        span = (trig.start, trig.end)
        out: list[GoldTriple] = []
        if mapping.kind == "modification":
            sites = [r for r in ev.role("Site") if r in self.doc.textbounds]
            site = self.site_arg(sites[0]) if sites else None
            causes = [(c, ev) for c in ev.role("Cause") if self.eligible(c, rel, "subject")]
            for reg in self.regulators.get(ev.id, []):
                if reg.type in mapping.regulation_causes:
                    causes += [(c, reg) for c in reg.role("Cause") if self.eligible(c, rel, "subject")]
            for theme in (t for t in ev.role("Theme") if self.eligible(t, rel, "object")):
                obj = self.arg(theme)
                base_subject = obj if reflexive(self.types[rel]) else None
                out.append(GoldTriple(doc_id, rel, base_subject, obj, site, neg, hedge, span, ev.id))
                for cause, via in causes:
                    src = ev.id if via is ev else f"{via.id}>{ev.id}"
                    via_neg, via_hedge = self.flags(via.id)
                    out.append(GoldTriple(doc_id, rel, self.arg(cause), obj, site, neg or via_neg, hedge or via_hedge, span, src))
        elif mapping.kind == "control":
            for cause in (c for c in ev.role("Cause") if self.eligible(c, rel, "subject")):
                for theme in (t for t in ev.role("Theme") if self.eligible(t, rel, "object")):
                    out.append(GoldTriple(doc_id, rel, self.arg(cause), self.arg(theme), None, neg, hedge, span, ev.id))
        else:  # complex: every unordered pair of partners
            themes = [t for t in ev.role("Theme") if self.eligible(t, rel, "subject") and self.eligible(t, rel, "object")]
            for a, b in combinations(themes, 2):
                ga, gb = self.arg(a), self.arg(b)
                if ga.cls != gb.cls:
                    out.append(GoldTriple(doc_id, rel, ga, gb, None, neg, hedge, span, ev.id))
        return out

    def entities(self) -> list[GoldEntity]:
        out = []
        for tid in self.entity_ids:
            tb = self.doc.textbounds[tid]
            ours = map_gold_type(tb.type, tb.text)
            if ours:
                out.append(GoldEntity(self.doc.doc_id, tb.start, tb.end, tb.text, ours, tb.type))
        return out


def standoff_gold(doc: StandoffDocument, types: RelationRegistry | None = None) -> GoldDocument:
    """Map one standoff document to gold entities and triples (see the module docstring)."""
    types = types or registry()
    mapper = _StandoffMapper(doc, types)
    rules = _rules_by_event(types)
    triples: list[GoldTriple] = []
    for ev in doc.events.values():
        rule = _rule_for(rules.get(ev.type, []), doc.textbounds[ev.trigger].text)
        if rule is not None:
            triples += mapper.triples(ev, rule)
    tbs = doc.textbounds
    equiv_spans = {(tbs[t].start, tbs[t].end): cls for cls, tids in mapper.alt.items() if len(tids) > 1 for t in tids}
    return GoldDocument(doc.doc_id, doc.text, "standoff", mapper.entities(), triples, mapper.text_keys, frozenset(),
                        doc, equiv_spans)


def pubtator_map(types: RelationRegistry | None = None) -> dict[tuple[str, str, str], str]:
    """(BioRED type, subject entity type, object entity type) -> our relation; the first declaration wins."""
    types = types or registry()
    out: dict[tuple[str, str, str], str] = {}
    for name, rt in types.types.items():
        for m in rt.gold.pubtator:
            out.setdefault((m.type, m.subject, m.object), name)
    return out


def pubtator_gold(doc: PubTatorDocument, types: RelationRegistry | None = None) -> GoldDocument:
    """Map one BioRED document to gold entities (mention level) and triples (document level)."""
    mapping = pubtator_map(types)
    entities: list[GoldEntity] = []
    id_type: dict[str, str] = {}
    id_mentions: dict[str, list[PubTatorMention]] = {}
    text_ids: dict[str, set[str]] = {}
    all_ids: set[str] = set()
    for m in doc.mentions:
        ids = gold_ids(m.type, m.ids)
        all_ids |= ids
        for raw in set(m.ids) | ({m.raw_id} if m.raw_id and m.raw_id != "-" else set()):
            id_type.setdefault(raw, m.type)
            id_mentions.setdefault(raw, []).append(m)
        if len(ids) == 1:
            text_ids.setdefault(normalise_text(m.text), set()).update(ids)
        ours = map_gold_type(m.type, m.text)
        if ours:
            entities.append(GoldEntity(doc.doc_id, m.start, m.end, m.text, ours, m.type, ids))
    text_keys = {t: next(iter(ids)) for t, ids in text_ids.items() if len(ids) == 1}

    def arg(raw: str) -> GoldArg:
        mentions = id_mentions[raw]
        first = mentions[0]
        key = "|".join(sorted(gold_ids(first.type, split_ids(raw))))
        spans = tuple((m.start, m.end) for m in mentions)
        return GoldArg(first.text, first.type, first.start, first.end, spans, key, key)

    triples: list[GoldTriple] = []
    for rel in doc.relations:
        t1, t2 = id_type.get(rel.id1), id_type.get(rel.id2)
        if t1 is None or t2 is None:
            doc.warnings.append(f"{doc.path}: {doc.doc_id} relation {rel.type} {rel.id1} {rel.id2} has an id without a mention")
            continue
        for a, b, ta, tb in ((rel.id1, rel.id2, t1, t2), (rel.id2, rel.id1, t2, t1)):
            relation = mapping.get((rel.type, ta, tb))
            if relation:
                triples.append(GoldTriple(doc.doc_id, relation, arg(a), arg(b), source=rel.type))
                break
    return GoldDocument(doc.doc_id, doc.text, "pubtator", entities, triples, text_keys, frozenset(all_ids), doc)
