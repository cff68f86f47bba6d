"""BioC XML and JSON export (via the ``bioc`` package), the exchange format of BioNLP tools.

One BioC document per input document with a single passage at offset 0 holding the
whole text, so BioC offsets equal ``Document.text`` offsets. Annotations:
``T<n>`` entities (infons ``type``, ``identifier``, ``name``, ``rule``, ``xref:<db>``,
``residue``/``position`` for sites) and ``TR<n>`` trigger spans (type ``TRIGGER``).
Relations: ``R<n>`` with nodes in roles subject / object / site / trigger and infons
``relation``, ``negated``, ``hedged``, ``rule``, ``sentence_index``, ``triple_key``.
Infon values are strings, as BioC requires ("true"/"false" for flags).
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

import bioc
from bioc import biocjson, biocxml

from pipeline.writers.keys import triple_key
from pipeline.model import Entity, GENE_TYPES, ProcessedDocument

_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Replace characters XML 1.0 forbids, one for one, so offsets stay valid."""
    return _XML_BAD.sub(" ", text)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _annotation(ann_id: str, text: str, start: int, end: int, infons: dict[str, str]) -> bioc.BioCAnnotation:
    ann = bioc.BioCAnnotation()
    ann.id = ann_id
    ann.text = _clean(text[start:end])
    ann.infons.update({k: v for k, v in infons.items() if v not in (None, "")})
    ann.add_location(bioc.BioCLocation(start, end - start))
    return ann


def _entity_infons(e: Entity) -> dict[str, str]:
    infons = {"type": e.type, "identifier": e.id or "", "name": e.name or "", "rule": e.rule}
    if e.type in GENE_TYPES:
        infons["kinase"] = _flag(e.kinase)
    if e.type == "SITE":
        infons["residue"] = e.residue or ""
        infons["position"] = "" if e.position is None else str(e.position)
    infons.update({f"xref:{db}": str(v) for db, v in sorted(e.xrefs.items())})
    return infons


def to_bioc_document(pd: ProcessedDocument) -> bioc.BioCDocument:
    """Convert one processed document; relation arguments point at entity annotations by id."""
    text = pd.document.text
    doc = bioc.BioCDocument()
    doc.id = pd.document.doc_id
    for key, value in pd.document.metadata.items():  # infons are strings: scalars and lists of scalars
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            doc.infons[str(key)] = str(value)
        elif isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            doc.infons[str(key)] = "; ".join(map(str, value))
    if pd.document.pmid:
        doc.infons["pmid"] = pd.document.pmid
    if pd.document.path:
        doc.infons["path"] = pd.document.path
    passage = bioc.BioCPassage()
    passage.offset = 0
    passage.text = _clean(text)
    passage.infons["type"] = "body"
    doc.add_passage(passage)

    ids: dict[tuple[str, int, int], str] = {}

    def ann_id(e: Entity) -> str:
        key = (e.type, e.start, e.end)
        if key not in ids:
            ids[key] = f"T{len(ids) + 1}"
            passage.add_annotation(_annotation(ids[key], text, e.start, e.end, _entity_infons(e)))
        return ids[key]

    for e in pd.entities:
        ann_id(e)
    triggers: dict[tuple[int, int], str] = {}
    for n, rel in enumerate(pd.relations, start=1):
        r = bioc.BioCRelation()
        r.id = f"R{n}"
        r.infons.update({
            "relation": rel.relation, "negated": _flag(rel.negated), "hedged": _flag(rel.hedged),
            "rule": rel.rule, "sentence_index": str(rel.sentence.index), "triple_key": triple_key(rel),
        })
        if rel.subject is not None:
            r.add_node(bioc.BioCNode(ann_id(rel.subject), "subject"))
        r.add_node(bioc.BioCNode(ann_id(rel.object), "object"))
        if rel.site is not None:
            r.add_node(bioc.BioCNode(ann_id(rel.site), "site"))
        if rel.trigger is not None:
            if rel.trigger not in triggers:
                triggers[rel.trigger] = f"TR{len(triggers) + 1}"
                passage.add_annotation(_annotation(triggers[rel.trigger], text, *rel.trigger, {"type": "TRIGGER"}))
            r.add_node(bioc.BioCNode(triggers[rel.trigger], "trigger"))
        passage.add_relation(r)
    return doc


ANNOTATION_TYPES = "PROTEIN FAMILY SITE STRESS DRUG DISEASE CELL_LINE TRIGGER"


def new_collection(date: str | None = None) -> bioc.BioCCollection:
    coll = bioc.BioCCollection()
    coll.source = "biomine"
    coll.key = "biomine.key"
    if date:
        coll.date = date
    coll.infons["annotation_types"] = ANNOTATION_TYPES
    return coll


def to_bioc_collection(docs: Iterable[ProcessedDocument], date: str | None = None) -> bioc.BioCCollection:
    """The whole collection in memory (small runs and tests; the exporter streams instead)."""
    coll = new_collection(date)
    for pd in docs:
        coll.add_document(to_bioc_document(pd))
    return coll


class BiocSink:
    """Writes ``bioc/collection.xml`` and ``collection.json`` one document at a time.

    The XML goes through bioc's ``BioCXMLDocumentWriter``; the JSON is the collection
    as ``biocjson`` writes it, with each document on one line (compact JSON is written
    by Python's C encoder, several times faster than an indented one).
    Only one document is ever held in memory. ``date`` (YYYY-MM-DD) defaults to today;
    ``biomine run`` passes the date the run started so a resumed run writes the same bytes.
    """

    def __init__(self, out_dir: Path, *, date: str | None = None, sync: bool = True, **opts: object) -> None:
        self.folder = Path(out_dir) / "bioc"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sync = sync
        coll = new_collection(date)
        self.xml_tmp = self.folder / f".collection.xml.{os.getpid() % 10**8:08d}.tmp"
        self.json_tmp = self.folder / f".collection.json.{os.getpid() % 10**8:08d}.tmp"
        self.xml_fh = open(self.xml_tmp, "wb")
        self.xml = biocxml.BioCXMLDocumentWriter(self.xml_fh)
        self.xml.write_collection_info(coll)
        self.json_fh = open(self.json_tmp, "w", encoding="utf-8", newline="")
        head = biocjson.dumps(coll, indent=1, ensure_ascii=False)
        assert head.endswith(' "documents": []\n}')
        self.json_fh.write(head[: -len("[]\n}")])
        self.n = 0

    def add(self, pd: ProcessedDocument) -> None:
        doc = to_bioc_document(pd)
        self.xml.write_document(doc)
        text = json.dumps(biocjson.toJSON(doc), ensure_ascii=False)
        self.json_fh.write(("[\n  " if self.n == 0 else ",\n  ") + text)
        self.n += 1

    def close(self) -> list[Path]:
        self.xml.close()
        self.json_fh.write("\n ]\n}\n" if self.n else "[]\n}\n")
        paths = []
        for fh, tmp, name in ((self.xml_fh, self.xml_tmp, "collection.xml"), (self.json_fh, self.json_tmp, "collection.json")):
            fh.flush()
            if self.sync:
                os.fsync(fh.fileno())
            fh.close()
            os.replace(tmp, self.folder / name)
            paths.append(self.folder / name)
        return paths

    def abort(self) -> None:
        for fh, tmp in ((self.xml_fh, self.xml_tmp), (self.json_fh, self.json_tmp)):
            try:
                fh.close()
            except Exception:  # noqa: BLE001 - best effort: the export is being discarded
                pass
            tmp.unlink(missing_ok=True)


def write_bioc(docs: Iterable[ProcessedDocument], out_dir: Path, **opts: object) -> list[Path]:
    """Write ``out_dir/bioc/collection.xml`` and ``collection.json`` (same content), streaming."""
    from pipeline.writers import drive

    return drive(BiocSink(out_dir, **opts), docs)
