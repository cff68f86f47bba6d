"""Statistical mentions combined with dictionary matches (issue 8).

The trained recogniser (``models/``; docs/ner.md) finds gene, chemical and disease
names the dictionaries cannot know (yeast genes, isoform and species variants,
long descriptive names). Dictionary matches stay the backbone — they carry ids and
work inside tokens ("ASK1-mediated") — and the two are combined span by span:

- a mention that covers the same words as a dictionary match confirms it
  (``rule`` becomes ``ner+dictionary:<source>``);
- a mention that is longer than the dictionary matches inside it replaces them when
  its own text grounds ("protein kinase C-delta" -> PRKCD rather than the family
  "protein kinase C"), or when nothing inside it is a gene;
- a mention the dictionaries missed becomes an entity grounded by normalised lookup
  (``grounding.candidates_for``), or an ungrounded one (``id`` null) that can still
  take part in relations, with ``rule`` ``ner:<label>``;
- dictionary matches without a mention are kept; STRESS, SITE and CELL_LINE keep
  their own sources (a mention over them never changes their type).
"""
from __future__ import annotations

from collections.abc import Iterable

from pipeline.entities.dictionary import Dictionary
from pipeline.entities.grounding import Context, candidates_for, ground
from pipeline.model import GENE_TYPES, Entity

LABEL_TYPES = {"GENE": "PROTEIN", "CHEMICAL": "DRUG", "DISEASE": "DISEASE"}
KEEP_OWN_SOURCE = frozenset({"STRESS", "SITE", "CELL_LINE"})
_COMPATIBLE = {"PROTEIN": GENE_TYPES, "DRUG": ("DRUG",), "DISEASE": ("DISEASE",)}
_TRIM = " \t\n.,;:()[]"


def _overlaps(a: Entity, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def mention_entity(dictionary: Dictionary, text: str, start: int, end: int, label: str) -> Entity | None:
    """An entity for one statistical mention, grounded when the dictionaries know its name."""
    etype = LABEL_TYPES.get(label)
    if etype is None:
        return None
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if end - start < 2:
        return None
    surface = text[start:end]
    entity = Entity(text=surface, type=etype, start=start, end=end, rule=f"ner:{label.lower()}")
    found = candidates_for(dictionary, surface, _COMPATIBLE[etype])
    if found:
        ground(entity, found, Context(document=text))
        best = found[0]
        if best.type in GENE_TYPES and etype == "PROTEIN":
            entity.type = best.type  # a family name stays a FAMILY
    return entity


def combine(dictionary: Dictionary, text: str, candidates: list[Entity],
            mentions: Iterable[tuple[int, int, str]], genes: bool = True) -> list[Entity]:
    """Dictionary candidates and statistical mentions merged as the module docstring says.

    The result may still overlap (``resolve_overlaps`` runs next). ``genes=False``
    ignores GENE mentions (the shared-task setting, where the proteins are given).
    """
    kept = list(candidates)
    added: list[Entity] = []
    for start, end, label in mentions:
        if label == "GENE" and not genes:
            continue
        inside = [c for c in kept if _overlaps(c, start, end)]
        if any(c.type in KEEP_OWN_SOURCE for c in inside):
            continue
        entity = mention_entity(dictionary, text, start, end, label)
        if entity is None:
            continue
        same = [c for c in inside if (c.start, c.end) == (entity.start, entity.end)]
        if same:
            for c in same:
                if not c.rule.startswith("ner+"):
                    c.rule = f"ner+{c.rule}"
            continue
        covering = [c for c in inside if c.start <= entity.start and entity.end <= c.end]
        if covering:
            continue  # the dictionary's longer match already covers the mention
        inner_genes = [c for c in inside if c.type in GENE_TYPES and c.id]
        if entity.id is None and inner_genes and entity.type in GENE_TYPES:
            continue  # an ungrounded long mention around a grounded gene: the gene is more use
        kept = [c for c in kept if not (entity.start <= c.start and c.end <= entity.end)]
        added.append(entity)
    return kept + added
