"""Given entities: the gold entity mentions of a shared task, as pipeline ``Entity`` objects.

Why: BioNLP shared tasks hand out the protein mentions (``.a1``) and score only the
events, and BioRED's relation task gives the mentions too; running the relation rules
on those mentions measures the rules alone, not the recogniser. This is run-time
code (``biomine run --given-entities``), so it lives with the entities and depends only
on the readers, never on :mod:`pipeline.evaluation`; the evaluation reuses the type and
id mapping defined here, so both sides agree on what a gold mention is.

Types: Protein, Gene_or_gene_product, GeneOrGeneProduct -> PROTEIN; Complex -> FAMILY;
Simple_chemical, ChemicalEntity -> DRUG, or SITE when the text is a residue ("Ser-241");
DiseaseOrPhenotypicFeature -> DISEASE; CellLine -> CELL_LINE; other types are skipped.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from pipeline.entities.sites import normalise_site
from pipeline.model import Document, Entity
from pipeline.readers.pubtator import PubTatorDocument, PubTatorMention, is_pubtator, read_pubtator
from pipeline.readers.standoff import read_standoff

GOLD_TYPE_MAP = {
    "Protein": "PROTEIN",
    "Gene_or_gene_product": "PROTEIN",
    "GeneOrGeneProduct": "PROTEIN",
    "Complex": "FAMILY",  # complexes (NF-kappaB, AP-1, mTORC1) are FamPlex-style groupings in our model
    "Simple_chemical": "DRUG",
    "ChemicalEntity": "DRUG",
    "DiseaseOrPhenotypicFeature": "DISEASE",
    "CellLine": "CELL_LINE",
}

NAMESPACES = {
    "EGID": "NCBIGENE", "NCBIGENE": "NCBIGENE", "NCBIGENEID": "NCBIGENE", "ENTREZ": "NCBIGENE",
    "ENTREZGENE": "NCBIGENE", "GENEID": "NCBIGENE", "NCBI_GENE": "NCBIGENE",
    "MESH": "MESH", "MSH": "MESH",
    "CVCL": "CELLOSAURUS", "CELLOSAURUS": "CELLOSAURUS",
    "OMIM": "OMIM", "MIM": "OMIM",
    "UP": "UNIPROT", "UNIPROT": "UNIPROT", "UNIPROTKB": "UNIPROT",
}

# canonical namespace -> (the xrefs key biomine's recogniser uses, the form of Entity.id)
_XREF_KEYS = {"NCBIGENE": "EGID", "MESH": "MESH", "CELLOSAURUS": "CVCL", "OMIM": "OMIM"}


def map_gold_type(gold_type: str, text: str = "") -> str | None:
    """Our entity type for a gold type; a chemical that is a residue ("Ser-241", "tyrosine") is a SITE.

    PC annotates residues as Simple_chemical; in signalling text they are sites, and
    our recogniser types them so too.
    """
    ours = GOLD_TYPE_MAP.get(gold_type)
    if ours == "DRUG" and text:
        residue, _position = normalise_site(text)
        if residue:
            return "SITE"
    return ours


def canon(namespace: str, local: str) -> str:
    """One spelling per identifier: ``NAMESPACE:local`` with the namespace's synonyms merged."""
    ns = NAMESPACES.get(namespace.upper().replace(" ", ""), namespace.upper())
    local = local.strip()
    if ns == "CELLOSAURUS":
        local = "CVCL_" + re.sub(r"^CVCL[_:]", "", local, flags=re.IGNORECASE)
    if ns == "MESH":
        local = local.upper()
    return f"{ns}:{local}"


def gold_ids(gold_type: str, ids: Iterable[str]) -> frozenset[str]:
    """Namespace the bare ids of a PubTator mention by its type (genes: NCBI Gene, else MeSH)."""
    out = set()
    for raw in ids:
        if raw.upper().startswith("CVCL"):
            out.add(canon("CELLOSAURUS", raw))
        elif ":" in raw:
            out.add(canon(*raw.split(":", 1)))
        elif gold_type == "GeneOrGeneProduct" and raw.isdigit():
            out.add(canon("NCBIGENE", raw))
        elif re.fullmatch(r"[CD]\d+", raw):
            out.add(canon("MESH", raw))
        else:
            out.add(f"{gold_type.upper()}:{raw}")
    return frozenset(out)


def entity_from_gold(text: str, gold_type: str, start: int, end: int, rule: str, ids: tuple[str, ...] = ()) -> Entity | None:
    """A pipeline Entity for one gold mention, with ids as the recogniser would write them; None if unmapped."""
    ours = map_gold_type(gold_type, text)
    if ours is None:
        return None
    ent = Entity(text=text, type=ours, start=start, end=end, rule=rule)
    if ours == "SITE":
        ent.residue, ent.position = normalise_site(text)
    if ids:
        canonical = [min(gold_ids(gold_type, [i])) for i in ids]
        first = canonical[0]
        ns, local = first.split(":", 1)
        ent.id = {"NCBIGENE": f"NCBIGene:{local}", "CELLOSAURUS": local}.get(ns, first)
        if ns in _XREF_KEYS:
            ent.xrefs[_XREF_KEYS[ns]] = ",".join(c.split(":", 1)[1] for c in canonical if c.startswith(ns + ":"))
    return ent


def _sorted(found: Iterable[Entity | None]) -> list[Entity]:
    return sorted((e for e in found if e), key=lambda e: (e.start, e.end))


def _from_mentions(mentions: Iterable[PubTatorMention]) -> list[Entity]:
    return _sorted(entity_from_gold(m.text, m.type, m.start, m.end, "given:pubtator", m.ids) for m in mentions)


@lru_cache(maxsize=8)
def _pubtator_by_id(path: str, mtime: float) -> dict[str, PubTatorDocument]:
    return {d.doc_id: d for d in read_pubtator(path)}


def given_entities(path: str | Path, doc_id: str | None = None) -> list[Entity]:
    """Gold entity mentions as pipeline Entities, for running relation rules on given entities.

    ``path`` is a document ``.txt`` (reads the ``.a1`` beside it, or the entity lines of a brat ``.ann``;
    rule "given:a1") or a PubTator file, recognised by its content, plus ``doc_id`` (rule
    "given:pubtator"). BioRED ids become ``id``/``xrefs`` (NCBIGene:N + EGID, MESH:D.. + MESH,
    CVCL_.. + CVCL).
    """
    path = Path(path)
    if is_pubtator(path):
        docs = _pubtator_by_id(str(path), path.stat().st_mtime)
        if doc_id is None:
            if len(docs) != 1:
                raise ValueError(f"{path}: has {len(docs)} documents; pass doc_id")
            doc_id = next(iter(docs))
        if doc_id not in docs:
            raise KeyError(f"{path}: no document {doc_id}")
        return _from_mentions(docs[doc_id].mentions)
    doc = read_standoff(path, given_only=True)
    triggers = doc.trigger_ids()
    return _sorted(
        entity_from_gold(doc.text[tb.start:tb.end], tb.type, tb.start, tb.end, "given:a1")
        for tid, tb in doc.textbounds.items()
        if tid not in triggers
    )


def given_entities_pubtator(paths: Iterable[str | Path]) -> Callable[[Document], list[Entity] | None]:
    """A per-document lookup of the mentions of one or more PubTator files (rule "given:pubtator").

    For the pipeline's given-entity mode; a document whose PMID is in none of the files gets None.
    """
    by_id: dict[str, list[Entity]] = {}
    for path in paths:
        for doc in read_pubtator(path):
            by_id.setdefault(doc.doc_id, _from_mentions(doc.mentions))

    def lookup(document: Document) -> list[Entity] | None:
        ents = by_id.get(document.doc_id)
        return [replace(e, xrefs=dict(e.xrefs)) for e in ents] if ents is not None else None

    return lookup


def given_entities_for(document: Document) -> list[Entity]:
    """:func:`given_entities` for a Document read from a .txt or by ``read_pubtator_documents``."""
    if document.metadata.get("source_format") == "pubtator":
        return given_entities(document.path, document.doc_id)
    return given_entities(document.path)
