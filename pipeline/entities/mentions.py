"""Statistical mentions combined with dictionary matches (issue 8).

The trained recogniser (``models/``; docs/ner.md) finds gene, chemical and disease
names the dictionaries cannot know (yeast genes, isoform and species variants,
long descriptive names). Dictionary matches stay the backbone — they carry ids and
work inside tokens ("ASK1-mediated") — and the two are combined span by span:

- a mention that covers the same words as a dictionary match confirms it
  (``rule`` becomes ``ner+dictionary:<source>``);
- a mention that is longer than the dictionary matches inside it replaces them when
  its own text grounds to something else ("protein kinase C-delta" -> PRKCD rather
  than the family "protein kinase C"), or when nothing inside it is grounded; it
  leaves them alone when it only adds words ("the JNK protein kinase" stays "JNK");
- a mention the dictionaries missed becomes an entity grounded by normalised lookup
  (``grounding.candidates_for``), or an ungrounded one (``id`` null) that can still
  take part in relations, with ``rule`` ``ner:<label>``;
- dictionary matches without a mention are kept; STRESS, SITE and CELL_LINE keep
  their own sources (a mention over them never changes their type).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.entities.dictionary import Dictionary
from pipeline.entities.grounding import Context, candidates_for, ground
from pipeline.entities.lexicon import entity_lexicon
from pipeline.model import GENE_TYPES, Entity

LABEL_TYPES = {"GENE": "PROTEIN", "CHEMICAL": "DRUG", "DISEASE": "DISEASE"}
KEEP_OWN_SOURCE = frozenset({"STRESS", "SITE", "CELL_LINE"})
_COMPATIBLE = {"PROTEIN": GENE_TYPES, "DRUG": ("DRUG",), "DISEASE": ("DISEASE",)}
_TRIM = " \t\n.,;:()[]"


def _overlaps(a: Entity, start: int, end: int) -> bool:
    return a.start < end and start < a.end


_CLAUSE_WORD = re.compile(r"\s(?:in|from|by|with|during|after|upon|under)\s")


def _without_generic_heads(text: str, start: int, end: int) -> tuple[int, int]:
    """"kinase Gin4", "ASK1 protein" -> the name alone, when what remains is one word that looks like a
    name (the corpora behind the recogniser disagree on including such heads; grounding and the
    relation rules want the name)."""
    words = text[start:end].split(" ")
    if len(words) == 2:
        first, second = words
        if first.lower() in entity_lexicon().generic_heads and _name_like(second):
            return end - len(second), end
        if second.lower() in entity_lexicon().generic_heads and _name_like(first):
            return start, start + len(first)
    return start, end


def _name_like(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:])


def mention_entity(dictionary: Dictionary, text: str, start: int, end: int, label: str) -> Entity | None:
    """An entity for one statistical mention, grounded when the dictionaries know its name."""
    etype = LABEL_TYPES.get(label)
    if etype is None:
        return None
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    cut = _CLAUSE_WORD.search(text, start, end)
    if cut:  # "Elm1 in budding yeast": a name does not run on past "in", "from", "by", "with"
        end = cut.start()
        while end > start and text[end - 1] in _TRIM:
            end -= 1
    start, end = _without_generic_heads(text, start, end)
    if end - start < 2:
        return None
    surface = text[start:end]
    generic = entity_lexicon().generic_words
    if all(w in generic for w in re.split(r"[\s/]+", surface.lower()) if w) or surface.lower() in dictionary.stoplist:
        return None  # "protein kinase", "the ligand": a class word, not a name
    entity = Entity(text=surface, type=etype, start=start, end=end, rule=f"ner:{label.lower()}")
    # the recogniser has judged it a name: when the dictionaries' case rules (there to keep "CAN" and
    # "Rest" out of running text) find nothing, the name is looked up without them ("Epo", "PrlR")
    found = candidates_for(dictionary, surface, _COMPATIBLE[etype])
    if not found and etype == "PROTEIN":  # gene names vary in case; disease and drug names did worse
        found = candidates_for(dictionary, surface, _COMPATIBLE[etype], strict_case=False)
    if found:
        ground(entity, found, Context(document=text))
        best = found[0]
        if best.type in GENE_TYPES and etype == "PROTEIN":
            entity.type = best.type  # a family name stays a FAMILY
    return entity


def _named_after_ligand(mention: Entity, inside: list[Entity]) -> bool:
    """"glucocorticoid receptor", "serotonin transporter", "nitric oxide synthase": a gene product named
    after its chemical ligand or substrate. Only a chemical inside, and a product word that heads the name."""
    if mention.type not in GENE_TYPES or any(c.type != "DRUG" for c in inside):
        return False
    head = entity_lexicon().product_head.search(mention.text)
    return head is not None and all(c.end <= mention.start + head.start() for c in inside)


def _overruled(candidate: Entity, mention: Entity) -> bool:
    """Whether the recogniser's type beats a dictionary match on the very same words.

    Two cases, where one lexicon is known to overreach: a short gene alias (an acronym such
    as "STZ") read as a chemical or disease, and a chemical-dictionary name read as a gene
    product that the gene dictionaries also know (peptide hormones and proteins that MeSH
    and ChEMBL list as drugs: "ghrelin", "erythropoietin", "laminin").
    """
    surface = candidate.text
    if candidate.type in GENE_TYPES:
        return mention.type in ("DRUG", "DISEASE") and len(surface) <= 6 and sum(ch.isupper() for ch in surface) >= 2
    return candidate.type == "DRUG" and mention.type in GENE_TYPES and mention.id is not None


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
        compatible = _COMPATIBLE.get(LABEL_TYPES[label], ())
        if same and all(c.type not in compatible for c in same) and any(_overruled(c, entity) for c in same):
            # "STZ", "NTG": a gene alias of the dictionary that the recogniser reads, in context, as a chemical
            # or disease; the reading in context wins (grounded in its own dictionaries, or left without id)
            kept = [c for c in kept if c not in same]
            added.append(entity)
            continue
        if same:
            for c in same:
                if not c.rule.startswith("ner+"):
                    c.rule = f"ner+{c.rule}"
            continue
        covering = [c for c in inside if c.start <= entity.start and entity.end <= c.end]
        if covering:
            continue  # the dictionary's longer match already covers the mention
        grounded = [c for c in inside if c.id]
        if grounded and not _named_after_ligand(entity, grounded) and (
                entity.id is None or any(c.id == entity.id or c.type not in compatible for c in grounded)):
            # "the JNK protein kinase", "hereditary breast cancer", "CYP3A4 inhibitors": the longer mention
            # names nothing more than the grounded name inside it (the tighter span curators and the gold
            # corpora use), or would hide an entity of another type
            continue
        kept = [c for c in kept if not (entity.start <= c.start and c.end <= entity.end)]
        added.append(entity)
    return kept + added
