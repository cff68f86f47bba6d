"""Stable identities shared by the SQLite store, the curation TSV and the exporters.

A curator's decision is keyed by ``triple_key``; it must not change between runs
on the same text, so it hashes only what identifies the mention-level triple:
document, relation type, subject/object span and grounding, and site span.
A changed grounding gives a new key on purpose: the old decision judged another triple.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pipeline.model import Entity, ProcessedDocument, Relation
from pipeline.writers.jsonlines import dump_bytes


def _ent_key(e: Entity | None) -> list | None:
    return None if e is None else [e.start, e.end, e.id or ""]


def triple_key(rel: Relation) -> str:
    """16 hex chars of sha1 over (doc_id, relation, subject span/id, object span/id, site span)."""
    ident = [
        rel.doc_id,
        rel.relation,
        _ent_key(rel.subject),
        _ent_key(rel.object),
        None if rel.site is None else [rel.site.start, rel.site.end],
    ]
    return hashlib.sha1(dump_bytes(ident)).hexdigest()[:16]  # the text json.dumps(ident, separators=(",", ":")) gives


def site_label(site: Entity | None) -> str:
    """Compact site label: ``S83`` when residue and position are known, else the site text."""
    if site is None:
        return ""
    if site.residue and site.position is not None:
        return f"{site.residue}{site.position}"
    if site.residue:
        return site.residue
    return " ".join(site.text.split())


def entity_key(e: Entity | None) -> str:
    """Grounded id, or ``text:<lowercased text>`` for ungrounded mentions (aggregation key)."""
    if e is None:
        return ""
    return e.id or "text:" + " ".join(e.text.split()).lower()


def entity_label(e: Entity | None) -> str:
    """Display label: normalised name when grounded, else the mention text."""
    if e is None:
        return ""
    return e.name or " ".join(e.text.split())


@dataclass
class TripleGroup:
    """Mentions of one (subject, relation, object, site) triple across documents."""

    subject_key: str
    relation: str
    object_key: str
    site: str
    subject: Entity | None  # first mention, representative for labels and ids
    object: Entity
    evidence: list[tuple[ProcessedDocument, Relation]] = field(default_factory=list)

    @property
    def n_documents(self) -> int:
        return len({pd.document.doc_id for pd, _ in self.evidence})

    @property
    def all_negated(self) -> bool:
        return all(rel.negated for _, rel in self.evidence)


def group_triples(docs: list[ProcessedDocument]) -> list[TripleGroup]:
    """Group relations by grounded identity, in first-seen order (same key as the SQLite ``triples`` view)."""
    groups: dict[tuple[str, str, str, str], TripleGroup] = {}
    for pd in docs:
        for rel in pd.relations:
            key = (entity_key(rel.subject), rel.relation, entity_key(rel.object), site_label(rel.site))
            if key not in groups:
                groups[key] = TripleGroup(*key, subject=rel.subject, object=rel.object)
            groups[key].evidence.append((pd, rel))
    return list(groups.values())
