"""The typed data model every stage and exporter shares.

Offsets are always character offsets into ``Document.text`` (the body after any
front matter), so a curator can slice the text and see exactly what was matched.
The ``to_dict`` methods define the JSON contract of the output files; downstream
tools rely on it, so change it only deliberately.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = ("PROTEIN", "FAMILY", "SITE", "STRESS", "DRUG", "DISEASE", "CELL_LINE")
GENE_TYPES = ("PROTEIN", "FAMILY")  # the grammar class GENE of patterns/grammar.yml

# Relation types are data: patterns/relation_types.yml, read by pipeline.relations.types.registry().


@dataclass
class Passage:
    """A part of ``Document.text`` as its source divides it: title, abstract section, paragraph, caption.

    ``offset`` and ``length`` count characters of ``Document.text``. ``source_offset`` is where
    the passage starts in the source's own offsets when those differ (a BioC input whose passage
    offsets could not be kept): position ``i`` of the passage is ``source_offset + i - offset``
    there. ``title`` is a label that is not part of the text (an abstract section's label).
    """

    offset: int
    length: int
    type: str = ""
    title: str | None = None
    infons: dict[str, str] = field(default_factory=dict)
    source_offset: int | None = None

    @property
    def end(self) -> int:
        return self.offset + self.length

    def to_dict(self) -> dict[str, Any]:
        row: dict[str, Any] = {"offset": self.offset, "length": self.length, "type": self.type}
        if self.title is not None:
            row["title"] = self.title
        if self.infons:
            row["infons"] = self.infons
        if self.source_offset is not None:
            row["source_offset"] = self.source_offset
        return row


@dataclass
class Document:
    """One input text; ``text`` is the body that all offsets refer to.

    ``passages`` (optional) divide the text as the source did; ``warnings`` are coded ``[Wxxx]``
    messages from reading (text cleaned, id made unique) for errors.jsonl, never written with
    the document itself.
    """

    doc_id: str
    text: str
    path: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def pmid(self) -> str | None:
        """PMID from front matter (``reference_id: PMID:123`` or ``pmid: 123``)."""
        for key in ("pmid", "PMID"):
            if self.metadata.get(key):
                return str(self.metadata[key])
        ref = str(self.metadata.get("reference_id") or "")
        if ref.upper().startswith("PMID:"):
            return ref.split(":", 1)[1].strip()
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "path": self.path,
            "pmid": self.pmid,
            "metadata": self.metadata,
            "text": self.text,
            **({"passages": [p.to_dict() for p in self.passages]} if self.passages else {}),
        }


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "text": self.text, "start": self.start, "end": self.end}


@dataclass
class Entity:
    """A recognised mention. ``id`` is a CURIE such as ``HGNC:6871`` or ``FPLX:AKT``."""

    text: str
    type: str
    start: int
    end: int
    id: str | None = None
    name: str | None = None
    sentence: int = -1
    rule: str = ""
    kinase: bool = False
    residue: str | None = None  # SITE only: one-letter amino acid
    position: int | None = None  # SITE only: residue number, None for a bare residue type
    xrefs: dict[str, str] = field(default_factory=dict)  # other identifiers, e.g. {"UP": "Q99683", "EGID": "4217"}
    ambiguous: bool = False  # the name fits several ids; ``id`` is the one chosen in context
    candidates: list[dict[str, Any]] = field(default_factory=list)  # [{"id", "name", "score"}], best first

    def ref(self) -> dict[str, Any]:
        """The ENTITY object of the relations contract."""
        return {
            "text": self.text,
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "id": self.id,
            "name": self.name,
            "ambiguous": self.ambiguous,
        }

    def site_ref(self) -> dict[str, Any]:
        """The site object of the relations contract."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "residue": self.residue,
            "position": self.position,
        }

    def to_dict(self, doc_id: str) -> dict[str, Any]:
        row: dict[str, Any] = {"doc_id": doc_id, **self.ref(), "sentence": self.sentence, "rule": self.rule}
        row["xrefs"] = self.xrefs
        if self.candidates:
            row["candidates"] = self.candidates
        if self.type in GENE_TYPES:
            row["kinase"] = self.kinase
        if self.type == "SITE":
            row["residue"] = self.residue
            row["position"] = self.position
        return row


    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> "Entity":
        """Rebuild from an entities.jsonl row, a relation ENTITY object or a site object."""
        return cls(
            text=row["text"],
            type=row.get("type", "SITE"),
            start=row["start"],
            end=row["end"],
            id=row.get("id"),
            name=row.get("name"),
            sentence=row.get("sentence", -1),
            rule=row.get("rule", ""),
            kinase=bool(row.get("kinase", False)),
            residue=row.get("residue"),
            position=row.get("position"),
            xrefs=dict(row.get("xrefs") or {}),
            ambiguous=bool(row.get("ambiguous", False)),
            candidates=list(row.get("candidates") or []),
        )


@dataclass
class Relation:
    """A relation triple with the evidence a curator needs to check it."""

    doc_id: str
    relation: str
    subject: Entity | None
    object: Entity
    sentence: Sentence
    rule: str
    site: Entity | None = None
    negated: bool = False
    hedged: bool = False
    trigger: tuple[int, int] | None = None  # character span of the trigger word(s)

    def key(self) -> tuple:
        """Identity of a mention-level triple, used to drop duplicates from overlapping rules."""
        return (
            self.relation,
            (self.subject.start, self.subject.end) if self.subject else None,
            (self.object.start, self.object.end),
            (self.site.start, self.site.end) if self.site else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "relation": self.relation,
            "subject": self.subject.ref() if self.subject else None,
            "object": self.object.ref(),
            "site": self.site.site_ref() if self.site else None,
            "negated": self.negated,
            "hedged": self.hedged,
            "sentence": self.sentence.to_dict(),
            "rule": self.rule,
            "trigger": {"start": self.trigger[0], "end": self.trigger[1]} if self.trigger else None,
        }


    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> "Relation":
        """Rebuild from a relations.jsonl row."""
        sent = row["sentence"]
        trig = row.get("trigger")
        return cls(
            doc_id=row["doc_id"],
            relation=row["relation"],
            subject=Entity.from_dict(row["subject"]) if row.get("subject") else None,
            object=Entity.from_dict(row["object"]),
            sentence=Sentence(sent["index"], sent["start"], sent["end"], sent["text"]),
            rule=row["rule"],
            site=Entity.from_dict(row["site"]) if row.get("site") else None,
            negated=bool(row.get("negated", False)),
            hedged=bool(row.get("hedged", False)),
            trigger=(trig["start"], trig["end"]) if trig else None,
        )


@dataclass
class ProcessedDocument:
    """What the pipeline produces for one document."""

    document: Document
    sentences: list[Sentence]
    entities: list[Entity]
    relations: list[Relation]
    warnings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (Wxxx code, message fields)
    spacy_doc: Any = field(default=None, repr=False, compare=False)  # the parsed Doc; never written out
