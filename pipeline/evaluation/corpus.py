"""A gold corpus in one shape, whatever its format: documents with entities and relation triples.

Why: BioNLP events and BioRED id pairs encode knowledge differently; the scorer only
ever sees :class:`GoldTriple` and :class:`GoldEntity`, built by
:mod:`pipeline.evaluation.events` from the readers' output, so it needs no
format-specific code. :func:`load_gold` picks the reader by what the path holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pipeline.errors import GoldError
from pipeline.evaluation.ids import normalise_text
from pipeline.readers.pubtator import PubTatorDocument, is_pubtator, read_pubtator
from pipeline.readers.standoff import StandoffDocument, has_annotations, read_standoff, read_standoff_dir
from pipeline.relations.types import RelationRegistry, registry


@dataclass(frozen=True)
class GoldArg:
    """One argument of a gold triple; ``alternatives`` are the spans of it and its Equiv mentions."""

    text: str
    type: str
    start: int
    end: int
    alternatives: tuple[tuple[int, int], ...]
    key: str  # document-level key: grounded id, or normalised text (Equiv-merged)
    cls: str = ""  # mention-level identity: smallest T id of its Equiv set (or the key)


@dataclass(frozen=True)
class GoldTriple:
    doc_id: str
    relation: str
    subject: GoldArg | None
    object: GoldArg
    site: GoldArg | None = None
    negated: bool = False
    hedged: bool = False
    trigger: tuple[int, int] | None = None
    source: str = ""  # the event ids (or the BioRED relation type) it came from

    @property
    def site_key(self) -> str | None:
        return self.site.key if self.site else None


@dataclass(frozen=True)
class GoldEntity:
    """A gold mention for entity scoring, already mapped to our types (``type``) with namespaced ids."""

    doc_id: str
    start: int
    end: int
    text: str
    type: str
    gold_type: str
    ids: frozenset[str] = frozenset()


@dataclass
class GoldDocument:
    doc_id: str
    text: str
    format: str  # "standoff" | "pubtator"
    entities: list[GoldEntity]
    triples: list[GoldTriple]
    text_keys: dict[str, str] = field(default_factory=dict)  # normalised text -> entity key
    id_keys: frozenset[str] = frozenset()  # namespaced ids present in the document
    raw: StandoffDocument | PubTatorDocument | None = None
    equiv_spans: dict[tuple[int, int], str] = field(default_factory=dict)  # span of an Equiv mention -> its class

    def mention_key(self, start: int, end: int) -> tuple[int, int] | str:
        """De-duplication key of a predicted argument: its Equiv class if it is exactly an Equiv mention."""
        return self.equiv_spans.get((start, end), (start, end))

    def entity_keys(self, text: str, ids: Iterable[str] = ()) -> frozenset[str]:
        """Document-level keys a predicted entity may stand for.

        When the gold has ids: the predicted ids found in this document (all predicted ids if none is, so
        it matches nothing); only an entity without ids falls back to its text. Otherwise: the
        normalised text, merged over Equiv sets.
        """
        ids = frozenset(ids)
        if self.id_keys and ids:
            return (ids & self.id_keys) or ids
        t = normalise_text(text)
        return frozenset({self.text_keys.get(t, t)})


@dataclass
class GoldCorpus:
    path: str
    format: str
    documents: dict[str, GoldDocument]
    relations: tuple[str, ...]  # relation types this corpus can express
    warnings: list[str] = field(default_factory=list)

    def triples(self) -> list[GoldTriple]:
        return [t for d in self.documents.values() for t in d.triples]

    def restricted(self, doc_ids: Iterable[str]) -> "GoldCorpus":
        """The same corpus with only ``doc_ids`` (a cross-validation fold)."""
        keep = set(doc_ids)
        docs = {d: g for d, g in self.documents.items() if d in keep}
        return GoldCorpus(self.path, self.format, docs, self.relations, list(self.warnings))


def load_gold(path: str | Path, types: RelationRegistry | None = None) -> GoldCorpus:
    """Read a gold folder of standoff documents, a single standoff document or a PubTator file (any name).

    ``types`` is the relation-type registry whose ``gold:`` mappings turn annotations into
    triples (default: biomine's own ``patterns/relation_types.yml``).
    """
    from pipeline.evaluation.events import corpus_relations, pubtator_gold, standoff_gold  # events builds the classes above

    types = types or registry()
    path = Path(path)
    if not path.exists():
        raise GoldError("E601", path=path)
    raw_docs: list[StandoffDocument] | list[PubTatorDocument]
    if path.is_dir() or has_annotations(path):
        raw_docs = read_standoff_dir(path) if path.is_dir() else [read_standoff(path)]
        if not raw_docs:
            raise GoldError("E604", path=path, detail="no .txt files with .a1/.a2 or .ann annotations found")
        docs = [standoff_gold(d, types) for d in raw_docs]
        fmt = "standoff"
    elif is_pubtator(path):
        raw_docs = read_pubtator(path)
        docs = [pubtator_gold(d, types) for d in raw_docs]
        fmt = "pubtator"
    else:
        raise GoldError("E604", path=path, detail="not a standoff folder or document (.txt with .a1/.a2 or .ann) "
                                                  "nor a PubTator file (first line should be 'PMID|t|title')")
    warnings = [w for d in raw_docs for w in d.warnings]
    return GoldCorpus(str(path), fmt, {d.doc_id: d for d in docs}, corpus_relations(fmt, types), warnings)
