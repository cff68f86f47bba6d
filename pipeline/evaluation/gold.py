"""Gold-standard readers (BioNLP standoff, brat, PubTator) and the mapping from gold events to our triples.

Why: the scorer (pipeline/evaluate.py) compares our relation triples with public gold corpora, which encode
knowledge as nested events (BioNLP) or document-level id pairs (BioRED). This module turns both into one
shape, :class:`GoldTriple`, so the scorer needs no format-specific code.

Event -> triple mapping (BioNLP-ST GE/PC standoff)
--------------------------------------------------
"protein-like" means a ``T`` entity of type Protein (GE), Gene_or_gene_product or Complex (PC).

* phosphorylation: each ``Phosphorylation`` event with a protein-like Theme gives a triple with
  object = Theme (substrate), site = its ``Site`` argument, subject = None; plus one triple per kinase,
  where a kinase is a protein-like direct ``Cause`` of the event (PC style) or the protein-like ``Cause`` of
  a ``Positive_regulation``/``Regulation`` whose Theme is the event (GE style). Negative_regulation causes
  are not kinases. A Phosphorylation whose trigger starts with "autophosph" (or an ``Autophosphorylation``
  event) is an autophosphorylation: relation ``autophosphorylation`` with subject = object.
* dephosphorylation: the same for ``Dephosphorylation`` (the phosphatase is the Cause). GE 2013 has no
  Dephosphorylation events, PC has a few.
* activation: ``Positive_regulation`` or ``Activation`` with a protein-like Cause and a protein-like Theme
  (subject = Cause, object = Theme); an event Theme (e.g. a Phosphorylation) does not count.
* inhibition: ``Negative_regulation`` or ``Inactivation`` likewise.
* binding: ``Binding`` with two or more protein-like ``Theme``/``Theme2``/... arguments: every unordered pair.
  ``Product`` (the complex formed) is not a partner.
* ``Regulation`` (no direction), Gene_expression, Transport, ... are not mapped.
* ``M`` Negation on the event (or on the regulation that contributes the kinase) sets ``negated``;
  Speculation sets ``hedged``. Negated triples are not positives; the scorer uses them only for
  negation accuracy.
* ``*  Equiv T1 T2`` mentions are one entity: a prediction may match any of them, and duplicates that
  differ only by an Equiv mention are counted once.
* Site text is normalised with :func:`pipeline.entities.sites.normalise_site` ("Ser-32" -> S32); a bare number
  ("36" in "serines 32 and 36") takes the residue of the nearest amino-acid word just before it.

BioRED (PubTator) relations are document-level pairs of ids (no mentions, no direction):

* ``Bind`` between two genes, or a chemical and a gene -> binding (unordered);
* ``Negative_Correlation`` chemical-gene -> drug_inhibits_target (subject = chemical);
* ``Association``/``Positive_Correlation``/``Negative_Correlation`` gene-disease -> association
  (subject = gene, object = disease, matched unordered);
* everything else (chemical-disease, gene-gene correlations, variants, ...) is not mapped.

Offsets: BioNLP offsets are characters of the ``.txt`` file read without newline translation; PubTator
offsets are characters of ``title + "\\n" + abstract`` (BioRED's abstract offsets start at len(title) + 1).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Callable, Iterable

from pipeline.model import Document, Entity
from pipeline.entities.sites import format_site, last_residue, normalise_site


class GoldFormatError(ValueError):
    """Malformed gold annotation; the message names the file and the 1-based line."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


# ---------------------------------------------------------------------------------------------------------
# standoff (BioNLP .a1/.a2, brat .ann)

@dataclass(frozen=True)
class TextBound:
    """A ``T`` line: an entity or an event trigger; ``spans`` has several parts if discontinuous."""

    id: str
    type: str
    spans: tuple[tuple[int, int], ...]
    text: str
    given: bool = False  # from the .a1 file (the given entities of the shared task)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)


@dataclass(frozen=True)
class Event:
    """An ``E`` line; ``args`` keeps the role names as written (Theme2, Site, CSite, ...)."""

    id: str
    type: str
    trigger: str
    args: tuple[tuple[str, str], ...]

    def role(self, name: str) -> list[str]:
        """References of role ``name`` and its numbered variants (Theme -> Theme, Theme2, ...)."""
        return [ref for role, ref in self.args if re.fullmatch(rf"{name}\d*", role)]


@dataclass(frozen=True)
class Modification:
    """An ``M`` (or brat ``A``) line such as ``Negation E3``."""

    id: str
    type: str
    target: str


@dataclass(frozen=True)
class Normalization:
    id: str
    type: str
    target: str
    ref: str
    text: str = ""


@dataclass(frozen=True)
class StandoffRelation:
    """An ``R`` line, e.g. Coreference Subject:T32 Object:T22."""

    id: str
    type: str
    args: tuple[tuple[str, str], ...]


@dataclass
class StandoffDocument:
    doc_id: str
    text: str
    path: str
    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    modifications: list[Modification] = field(default_factory=list)
    equivs: list[tuple[str, ...]] = field(default_factory=list)
    relations: list[StandoffRelation] = field(default_factory=list)
    normalizations: list[Normalization] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def flagged(self, event_id: str, flag: str) -> bool:
        return any(m.target == event_id and m.type == flag for m in self.modifications)

    def trigger_ids(self) -> set[str]:
        return {e.trigger for e in self.events.values()}


def _parse_spans(raw: str, path: Path, lineno: int) -> tuple[tuple[int, int], ...]:
    spans = []
    for part in raw.split(";"):
        bits = part.split()
        if len(bits) != 2 or not all(b.isdigit() for b in bits):
            raise GoldFormatError(path, lineno, f"bad offsets {raw!r} (want 'start end' or 'start end;start end')")
        start, end = int(bits[0]), int(bits[1])
        if start > end:
            raise GoldFormatError(path, lineno, f"start {start} > end {end}")
        spans.append((start, end))
    return tuple(spans)


def _parse_args(raw: list[str], path: Path, lineno: int) -> tuple[tuple[str, str], ...]:
    args = []
    for token in raw:
        role, sep, ref = token.partition(":")
        if not sep or not role or not ref:
            raise GoldFormatError(path, lineno, f"bad argument {token!r} (want Role:ID)")
        args.append((role, ref))
    return tuple(args)


def _parse_standoff_file(path: Path, doc: StandoffDocument, given: bool, origin: dict[str, tuple[Path, int]]) -> None:
    """Add the annotations of one .a1/.a2/.ann file to ``doc``; ``origin`` records where each id came from."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = fh.read().split("\n")
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        ann_id = fields[0].strip()
        kind = ann_id[:1]
        if len(fields) < 2 or not fields[1].strip():
            raise GoldFormatError(path, lineno, f"expected a tab after the id {ann_id!r}: {line!r}")
        body = fields[1].split()
        if kind != "*" and ann_id in origin:
            raise GoldFormatError(path, lineno, f"duplicate id {ann_id}")
        if kind == "T":
            if len(fields) < 3 or len(body) < 3:
                raise GoldFormatError(path, lineno, f"T line needs 'ID<TAB>Type start end<TAB>text': {line!r}")
            spans = _parse_spans(" ".join(body[1:]), path, lineno)
            if max(e for _, e in spans) > len(doc.text):
                raise GoldFormatError(path, lineno, f"offset beyond the end of the text ({len(doc.text)} chars)")
            text = "\t".join(fields[2:])
            sliced = " ".join(doc.text[s:e] for s, e in spans)
            if sliced != text and sliced.split() != text.split():
                doc.warnings.append(f"{path}:{lineno}: text {text!r} != {sliced!r} at the offsets")
            doc.textbounds[ann_id] = TextBound(ann_id, body[0], spans, text, given)
        elif kind == "E":
            trig_type, sep, trigger = body[0].partition(":")
            if not sep or not trigger:
                raise GoldFormatError(path, lineno, f"E line needs 'Type:Trigger Role:ID ...': {line!r}")
            doc.events[ann_id] = Event(ann_id, trig_type, trigger, _parse_args(body[1:], path, lineno))
        elif kind in ("M", "A"):
            if len(body) < 2:
                raise GoldFormatError(path, lineno, f"{kind} line needs 'Type Target': {line!r}")
            doc.modifications.append(Modification(ann_id, body[0], body[1]))
        elif kind == "*":
            if body[0] == "Equiv":
                if len(body) < 3:
                    raise GoldFormatError(path, lineno, f"Equiv needs at least two ids: {line!r}")
                doc.equivs.append(tuple(body[1:]))
            else:
                doc.warnings.append(f"{path}:{lineno}: ignored '*' line of type {body[0]}")
        elif kind == "R":
            doc.relations.append(StandoffRelation(ann_id, body[0], _parse_args(body[1:], path, lineno)))
        elif kind == "N":
            if len(body) < 3:
                raise GoldFormatError(path, lineno, f"N line needs 'Type Target DB:ID': {line!r}")
            doc.normalizations.append(Normalization(ann_id, body[0], body[1], body[2], "\t".join(fields[2:])))
        else:
            doc.warnings.append(f"{path}:{lineno}: ignored unknown annotation line {ann_id!r}")
            continue
        if kind != "*":
            origin[ann_id] = (path, lineno)


def _check_references(doc: StandoffDocument, origin: dict[str, tuple[Path, int]]) -> None:
    known = set(doc.textbounds) | set(doc.events)

    def fail(ann_id: str, message: str) -> None:
        path, lineno = origin.get(ann_id, (Path(doc.path), None))
        raise GoldFormatError(path, lineno, message)

    for ev in doc.events.values():
        if ev.trigger not in doc.textbounds:
            fail(ev.id, f"event {ev.id} has an undefined trigger {ev.trigger}")
        for role, ref in ev.args:
            if ref not in known:
                fail(ev.id, f"event {ev.id} argument {role}:{ref} is not defined")
    for mod in doc.modifications:
        if mod.target not in known and mod.target not in {r.id for r in doc.relations}:
            fail(mod.id, f"{mod.id} refers to an undefined annotation {mod.target}")
    for group in doc.equivs:
        missing = [ref for ref in group if ref not in doc.textbounds]
        if missing:
            raise GoldFormatError(doc.path, None, f"Equiv {' '.join(group)} refers to undefined {missing}")


def _annotation_files(txt: Path) -> list[tuple[Path, bool]]:
    a1, a2, ann = txt.with_suffix(".a1"), txt.with_suffix(".a2"), txt.with_suffix(".ann")
    files = [(p, p.suffix == ".a1") for p in (a1, a2) if p.exists()]
    if not files and ann.exists():
        files = [(ann, False)]
    return files


def read_standoff(path: str | Path) -> StandoffDocument:
    """Read one document from its ``.txt`` (or any of .a1/.a2/.ann) with the annotation files beside it."""
    txt = Path(path).with_suffix(".txt")
    if not txt.exists():
        raise FileNotFoundError(f"{txt}: text file not found")
    files = _annotation_files(txt)
    if not files:
        raise FileNotFoundError(f"{txt}: no .a1/.a2 or .ann annotation beside it")
    with open(txt, encoding="utf-8", newline="") as fh:
        text = fh.read()
    doc = StandoffDocument(doc_id=txt.stem, text=text, path=str(txt))
    origin: dict[str, tuple[Path, int]] = {}
    for ann_path, given in files:
        _parse_standoff_file(ann_path, doc, given, origin)
    _check_references(doc, origin)
    return doc


def read_ann(path: str | Path) -> StandoffDocument:
    """Read a brat document (``.ann`` beside ``.txt``); same syntax as the BioNLP files."""
    return read_standoff(Path(path).with_suffix(".txt"))


def read_standoff_dir(path: str | Path) -> list[StandoffDocument]:
    """All annotated documents under a folder (a .txt without .a1/.a2/.ann is skipped)."""
    root = Path(path)
    return [read_standoff(txt) for txt in sorted(root.rglob("*.txt")) if _annotation_files(txt)]


# ---------------------------------------------------------------------------------------------------------
# PubTator (BioRED)

@dataclass(frozen=True)
class PubTatorMention:
    doc_id: str
    start: int
    end: int
    text: str
    type: str
    ids: tuple[str, ...]  # split on , ; | ("-" dropped)
    raw_id: str = ""  # the identifier column as written (relations may cite a composite "D1|D2")


@dataclass(frozen=True)
class PubTatorRelation:
    doc_id: str
    type: str
    id1: str
    id2: str
    novelty: str = ""


@dataclass
class PubTatorDocument:
    doc_id: str
    title: str
    abstract: str | None
    path: str
    mentions: list[PubTatorMention] = field(default_factory=list)
    relations: list[PubTatorRelation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """title + newline + abstract: the string the PubTator offsets refer to."""
        return self.title if self.abstract is None else f"{self.title}\n{self.abstract}"


_PT_TEXT = re.compile(r"^([^|\t]+)\|([ta])\|(.*)$")


_SIMPLE_ID = re.compile(r"[CD]\d+|\d+|[A-Za-z]+:\w+|CVCL_\w+")


def _split_ids(raw: str) -> tuple[str, ...]:
    """Split "836,840" or "D004409|D006948"; a variant id such as "p|SUB|V|600|E" stays whole."""
    out: list[str] = []
    for part in re.split(r"[,;]", raw):
        part = part.strip()
        if "|" in part and all(_SIMPLE_ID.fullmatch(x.strip()) for x in part.split("|")):
            out += [x.strip() for x in part.split("|")]
        elif part and part != "-":
            out.append(part)
    return tuple(out)


def read_pubtator(path: str | Path) -> list[PubTatorDocument]:
    """Parse a PubTator file; raises :class:`GoldFormatError` with the line number on malformed input."""
    path = Path(path)
    docs: list[PubTatorDocument] = []
    by_id: dict[str, PubTatorDocument] = {}
    current: PubTatorDocument | None = None
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                current = None
                continue
            m = _PT_TEXT.match(line)
            if m:
                pmid, part, content = m.groups()
                if part == "t":
                    if pmid in by_id:
                        raise GoldFormatError(path, lineno, f"document {pmid} appears twice")
                    current = PubTatorDocument(pmid, content, None, str(path))
                    docs.append(current)
                    by_id[pmid] = current
                else:
                    if current is None or current.doc_id != pmid or current.abstract is not None:
                        raise GoldFormatError(path, lineno, f"abstract line of {pmid} without its title line just before")
                    current.abstract = content
                continue
            fields = line.split("\t")
            if current is None or fields[0] != current.doc_id:
                raise GoldFormatError(path, lineno, f"annotation for {fields[0]!r} outside its document block")
            if len(fields) >= 5 and fields[1].isdigit() and fields[2].isdigit():
                start, end = int(fields[1]), int(fields[2])
                text = current.text
                if start > end or end > len(text):
                    raise GoldFormatError(path, lineno, f"offsets {start}-{end} outside the text ({len(text)} chars)")
                if text[start:end] != fields[3]:
                    current.warnings.append(f"{path}:{lineno}: {fields[3]!r} != {text[start:end]!r} at the offsets")
                ids = _split_ids(fields[5]) if len(fields) > 5 else ()
                raw_id = fields[5].strip() if len(fields) > 5 else ""
                current.mentions.append(PubTatorMention(current.doc_id, start, end, fields[3], fields[4], ids, raw_id))
            elif len(fields) in (4, 5) and not fields[1].isdigit():
                novelty = fields[4] if len(fields) == 5 else ""
                current.relations.append(PubTatorRelation(current.doc_id, fields[1], fields[2].strip(), fields[3].strip(), novelty))
            else:
                raise GoldFormatError(path, lineno, f"neither a mention (PMID start end text type ids) nor a relation line: {line!r}")
    return docs


def read_pubtator_documents(path: str | Path) -> list[Document]:
    """PubTator abstracts as pipeline Documents (text = title + "\\n" + abstract, doc_id = PMID)."""
    return [
        Document(
            doc_id=d.doc_id,
            text=d.text,
            path=str(path),
            metadata={"pmid": d.doc_id, "title": d.title, "source_format": "pubtator"},
        )
        for d in read_pubtator(path)
    ]


def is_pubtator(path: str | Path) -> bool:
    """True if the first non-empty line looks like ``PMID|t|title``."""
    path = Path(path)
    if not path.is_file() or path.suffix in (".txt", ".a1", ".a2", ".ann"):
        return False
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.strip():
                return bool(_PT_TEXT.match(line.rstrip("\r\n")))
    return False


# ---------------------------------------------------------------------------------------------------------
# types and identifiers

PROTEIN_LIKE = frozenset({"Protein", "Gene_or_gene_product", "Complex", "GeneOrGeneProduct"})

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

_NAMESPACES = {
    "EGID": "NCBIGENE", "NCBIGENE": "NCBIGENE", "NCBIGENEID": "NCBIGENE", "ENTREZ": "NCBIGENE",
    "ENTREZGENE": "NCBIGENE", "GENEID": "NCBIGENE", "NCBI_GENE": "NCBIGENE",
    "MESH": "MESH", "MSH": "MESH",
    "CVCL": "CELLOSAURUS", "CELLOSAURUS": "CELLOSAURUS",
    "OMIM": "OMIM", "MIM": "OMIM",
    "UP": "UNIPROT", "UNIPROT": "UNIPROT", "UNIPROTKB": "UNIPROT",
}


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


def _canon(namespace: str, local: str) -> str:
    ns = _NAMESPACES.get(namespace.upper().replace(" ", ""), namespace.upper())
    local = local.strip()
    if ns == "CELLOSAURUS":
        local = "CVCL_" + re.sub(r"^CVCL[_:]", "", local, flags=re.IGNORECASE)
    if ns == "MESH":
        local = local.upper()
    return f"{ns}:{local}"


def canonical_ids(entity_id: str | None, xrefs: dict[str, str] | None = None) -> frozenset[str]:
    """Namespaced ids ("NCBIGENE:4217", "MESH:D000001", "CELLOSAURUS:CVCL_0030") of a predicted entity."""
    out: set[str] = set()
    values = [(None, entity_id)] if entity_id else []
    values += [(k, v) for k, v in (xrefs or {}).items() if v]
    for key, raw in values:
        for value in _split_ids(str(raw)):
            if value.upper().startswith("CVCL_"):
                out.add(_canon("CELLOSAURUS", value))
            elif ":" in value:
                ns, local = value.split(":", 1)
                out.add(_canon(ns, local))
            elif key:
                out.add(_canon(key, value))
            else:
                out.add(value.upper())
    return frozenset(out)


def gold_ids(gold_type: str, ids: Iterable[str]) -> frozenset[str]:
    """Namespace the bare ids of a PubTator mention by its type (genes: NCBI Gene, else MeSH)."""
    out = set()
    for raw in ids:
        if raw.upper().startswith("CVCL"):
            out.add(_canon("CELLOSAURUS", raw))
        elif ":" in raw:
            out.add(_canon(*raw.split(":", 1)))
        elif gold_type == "GeneOrGeneProduct" and raw.isdigit():
            out.add(_canon("NCBIGENE", raw))
        elif re.fullmatch(r"[CD]\d+", raw):
            out.add(_canon("MESH", raw))
        else:
            out.add(f"{gold_type.upper()}:{raw}")
    return frozenset(out)


def normalise_text(text: str) -> str:
    """Lower-cased mention text with whitespace collapsed and edge punctuation removed ("TGF-beta," -> "tgf-beta")."""
    text = text.translate(dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-"))
    return re.sub(r"\s+", " ", text).strip(" .,;:()[]{}'\"").lower()


# ---------------------------------------------------------------------------------------------------------
# gold triples

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


STANDOFF_RELATIONS = ("phosphorylation", "autophosphorylation", "dephosphorylation", "activation", "inhibition", "binding")
PUBTATOR_RELATIONS = ("binding", "association", "drug_inhibits_target")
_MODIFICATION_EVENTS = {
    "Phosphorylation": "phosphorylation",
    "Autophosphorylation": "autophosphorylation",
    "Dephosphorylation": "dephosphorylation",
}
_CONTROL_EVENTS = {
    "Positive_regulation": "activation",
    "Activation": "activation",
    "Negative_regulation": "inhibition",
    "Inactivation": "inhibition",
}
_KINASE_REGULATIONS = ("Positive_regulation", "Regulation")


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


def site_key(text: str, doc_text: str = "", start: int = 0) -> str:
    """Document-level site key ("S32"); a bare number borrows the residue word just before it in the text."""
    residue, position = normalise_site(text)
    if residue is None and position is not None:
        residue = last_residue(doc_text[max(0, start - 40):start])
    return format_site(residue, position) or normalise_text(text)


def standoff_gold(doc: StandoffDocument) -> GoldDocument:
    """Map one standoff document to gold entities and triples (see the module docstring)."""
    tbs, events = doc.textbounds, doc.events
    triggers = doc.trigger_ids()
    entity_ids = [t for t in tbs if t not in triggers]

    texts = _UnionFind()
    members = _UnionFind()
    for tid in entity_ids:
        texts.find(normalise_text(tbs[tid].text))
    for group in doc.equivs:
        for a, b in zip(group, group[1:]):
            texts.union(normalise_text(tbs[a].text), normalise_text(tbs[b].text))
            members.union(_tid_sort(a), _tid_sort(b))
    text_keys = {t: texts.find(t) for t in list(texts.parent)}
    alt: dict[str, list[str]] = {}
    for tid in entity_ids:
        alt.setdefault(members.find(_tid_sort(tid)), []).append(tid)

    def arg(tid: str) -> GoldArg:
        tb = tbs[tid]
        cls = members.find(_tid_sort(tid))
        spans = [(tb.start, tb.end)] + [(tbs[o].start, tbs[o].end) for o in alt.get(cls, []) if o != tid]
        return GoldArg(tb.text, tb.type, tb.start, tb.end, tuple(spans), text_keys[normalise_text(tb.text)], cls)

    def site_arg(tid: str) -> GoldArg:
        tb = tbs[tid]
        return GoldArg(tb.text, tb.type, tb.start, tb.end, ((tb.start, tb.end),), site_key(tb.text, doc.text, tb.start), tid)

    def protein(ref: str) -> bool:
        return ref in tbs and ref not in events and tbs[ref].type in PROTEIN_LIKE

    regulators: dict[str, list[Event]] = {}
    for ev in events.values():
        for theme in ev.role("Theme"):
            regulators.setdefault(theme, []).append(ev)

    triples: list[GoldTriple] = []
    for ev in events.values():
        neg, hedge = doc.flagged(ev.id, "Negation"), doc.flagged(ev.id, "Speculation")
        trig = tbs[ev.trigger]
        span = (trig.start, trig.end)
        if ev.type in _MODIFICATION_EVENTS:
            relation = _MODIFICATION_EVENTS[ev.type]
            if relation == "phosphorylation" and trig.text.lower().startswith("autophosph"):
                relation = "autophosphorylation"
            sites = [r for r in ev.role("Site") if r in tbs]
            site = site_arg(sites[0]) if sites else None
            causes = [(c, ev) for c in ev.role("Cause") if protein(c)]
            for reg in regulators.get(ev.id, []):
                if reg.type in _KINASE_REGULATIONS:
                    causes += [(c, reg) for c in reg.role("Cause") if protein(c)]
            for theme in (t for t in ev.role("Theme") if protein(t)):
                obj = arg(theme)
                base_subject = obj if relation == "autophosphorylation" else None
                triples.append(GoldTriple(doc.doc_id, relation, base_subject, obj, site, neg, hedge, span, ev.id))
                for cause, via in causes:
                    src = ev.id if via is ev else f"{via.id}>{ev.id}"
                    triples.append(GoldTriple(
                        doc.doc_id, relation, arg(cause), obj, site,
                        neg or doc.flagged(via.id, "Negation"), hedge or doc.flagged(via.id, "Speculation"), span, src,
                    ))
        elif ev.type in _CONTROL_EVENTS:
            for cause in (c for c in ev.role("Cause") if protein(c)):
                for theme in (t for t in ev.role("Theme") if protein(t)):
                    triples.append(GoldTriple(doc.doc_id, _CONTROL_EVENTS[ev.type], arg(cause), arg(theme), None, neg, hedge, span, ev.id))
        elif ev.type == "Binding":
            themes = [t for t in ev.role("Theme") if protein(t)]
            for a, b in combinations(themes, 2):
                ga, gb = arg(a), arg(b)
                if ga.cls != gb.cls:
                    triples.append(GoldTriple(doc.doc_id, "binding", ga, gb, None, neg, hedge, span, ev.id))

    entities = []
    for tid in entity_ids:
        tb = tbs[tid]
        ours = map_gold_type(tb.type, tb.text)
        if ours:
            entities.append(GoldEntity(doc.doc_id, tb.start, tb.end, tb.text, ours, tb.type))
    equiv_spans = {(tbs[t].start, tbs[t].end): cls for cls, tids in alt.items() if len(tids) > 1 for t in tids}
    return GoldDocument(doc.doc_id, doc.text, "standoff", entities, triples, text_keys, frozenset(), doc, equiv_spans)


def _tid_sort(tid: str) -> str:
    """Zero-padded id so that the smallest string is the smallest number (T9 < T10)."""
    m = re.fullmatch(r"([A-Za-z]*)(\d+)", tid)
    return f"{m.group(1)}{int(m.group(2)):09d}" if m else tid


BIORED_MAP: dict[tuple[str, str, str], tuple[str, bool]] = {
    # (BioRED type, type of one id, type of the other) -> (our relation, chemical/gene first as subject?)
    ("Bind", "GeneOrGeneProduct", "GeneOrGeneProduct"): ("binding", False),
    ("Bind", "ChemicalEntity", "GeneOrGeneProduct"): ("binding", True),
    ("Negative_Correlation", "ChemicalEntity", "GeneOrGeneProduct"): ("drug_inhibits_target", True),
    ("Association", "GeneOrGeneProduct", "DiseaseOrPhenotypicFeature"): ("association", True),
    ("Positive_Correlation", "GeneOrGeneProduct", "DiseaseOrPhenotypicFeature"): ("association", True),
    ("Negative_Correlation", "GeneOrGeneProduct", "DiseaseOrPhenotypicFeature"): ("association", True),
}


def pubtator_gold(doc: PubTatorDocument) -> GoldDocument:
    """Map one BioRED document to gold entities (mention level) and triples (document level)."""
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
        key = "|".join(sorted(gold_ids(first.type, _split_ids(raw))))
        spans = tuple((m.start, m.end) for m in mentions)
        return GoldArg(first.text, first.type, first.start, first.end, spans, key, key)

    triples: list[GoldTriple] = []
    for rel in doc.relations:
        t1, t2 = id_type.get(rel.id1), id_type.get(rel.id2)
        if t1 is None or t2 is None:
            doc.warnings.append(f"{doc.path}: {doc.doc_id} relation {rel.type} {rel.id1} {rel.id2} has an id without a mention")
            continue
        for a, b, ta, tb in ((rel.id1, rel.id2, t1, t2), (rel.id2, rel.id1, t2, t1)):
            mapped = BIORED_MAP.get((rel.type, ta, tb))
            if mapped:
                triples.append(GoldTriple(doc.doc_id, mapped[0], arg(a), arg(b), source=f"{rel.type}"))
                break
    return GoldDocument(doc.doc_id, doc.text, "pubtator", entities, triples, text_keys, frozenset(all_ids), doc)


def load_gold(path: str | Path) -> GoldCorpus:
    """Read a gold folder of standoff documents, a single standoff document or a PubTator file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: gold path not found")
    if path.is_dir() or path.suffix in (".txt", ".a1", ".a2", ".ann"):
        raw_docs = read_standoff_dir(path) if path.is_dir() else [read_standoff(path)]
        if not raw_docs:
            raise GoldFormatError(path, None, "no .txt files with .a1/.a2 or .ann annotations found")
        docs = [standoff_gold(d) for d in raw_docs]
        fmt, relations = "standoff", STANDOFF_RELATIONS
    elif is_pubtator(path):
        raw_docs = read_pubtator(path)
        docs = [pubtator_gold(d) for d in raw_docs]
        fmt, relations = "pubtator", PUBTATOR_RELATIONS
    else:
        raise GoldFormatError(path, 1, "not a standoff folder/file nor a PubTator file (first line should be 'PMID|t|title')")
    warnings = [w for d in raw_docs for w in d.warnings]
    return GoldCorpus(str(path), fmt, {d.doc_id: d for d in docs}, relations, warnings)


# ---------------------------------------------------------------------------------------------------------
# given-entity mode

def _entity_from_gold(text: str, gold_type: str, start: int, end: int, rule: str, ids: tuple[str, ...] = ()) -> Entity | None:
    ours = map_gold_type(gold_type, text)
    if ours is None:
        return None
    ent = Entity(text=text, type=ours, start=start, end=end, rule=rule)
    if ours == "SITE":
        ent.residue, ent.position = normalise_site(text)
    if ids:
        canon = [min(gold_ids(gold_type, [i])) for i in ids]
        first = canon[0]
        ns, local = first.split(":", 1)
        xref_key = {"NCBIGENE": "EGID", "MESH": "MESH", "CELLOSAURUS": "CVCL", "OMIM": "OMIM"}.get(ns)
        ent.id = {"NCBIGENE": f"NCBIGene:{local}", "CELLOSAURUS": local}.get(ns, first)
        if xref_key:
            ent.xrefs[xref_key] = ",".join(c.split(":", 1)[1] for c in canon if c.startswith(ns + ":"))
    return ent


@lru_cache(maxsize=8)
def _pubtator_by_id(path: str, mtime: float) -> dict[str, PubTatorDocument]:
    return {d.doc_id: d for d in read_pubtator(path)}


def given_entities(path: str | Path, doc_id: str | None = None) -> list[Entity]:
    """Gold entity mentions as pipeline Entities, for running relation rules on given entities.

    ``path`` is a document ``.txt`` (reads the ``.a1`` beside it, or the entity lines of a brat ``.ann``;
    rule "given:a1") or a PubTator file plus ``doc_id`` (rule "given:pubtator"). Types: Protein and
    Gene_or_gene_product -> PROTEIN, Complex -> FAMILY, Simple_chemical -> DRUG (or SITE when it is a
    residue with a position, as PC annotates "Ser-241"), BioRED ids become ``id``/``xrefs``
    (NCBIGene:N + EGID, MESH:D.. + MESH, CVCL_.. + CVCL). Other types are skipped.
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
        doc = docs[doc_id]
        found = (_entity_from_gold(m.text, m.type, m.start, m.end, "given:pubtator", m.ids) for m in doc.mentions)
        return sorted((e for e in found if e), key=lambda e: (e.start, e.end))
    txt = path.with_suffix(".txt")
    a1, ann = txt.with_suffix(".a1"), txt.with_suffix(".ann")
    if not txt.exists() or not (a1.exists() or ann.exists()):
        raise FileNotFoundError(f"{txt}: needs the .txt and an .a1 (or .ann) beside it")
    with open(txt, encoding="utf-8", newline="") as fh:
        doc = StandoffDocument(txt.stem, fh.read(), str(txt))
    _parse_standoff_file(a1 if a1.exists() else ann, doc, True, {})
    triggers = doc.trigger_ids()
    found = (
        _entity_from_gold(doc.text[tb.start:tb.end], tb.type, tb.start, tb.end, "given:a1")
        for tid, tb in doc.textbounds.items()
        if tid not in triggers
    )
    return sorted((e for e in found if e), key=lambda e: (e.start, e.end))


def given_entities_pubtator(paths: Iterable[str | Path]) -> Callable[[Document], list[Entity] | None]:
    """A per-document lookup of the mentions of one or more PubTator files (rule "given:pubtator").

    For the pipeline's given-entity mode; a document whose PMID is in none of the files gets None.
    """
    by_id: dict[str, list[Entity]] = {}
    for path in paths:
        for doc in read_pubtator(path):
            found = (_entity_from_gold(m.text, m.type, m.start, m.end, "given:pubtator", m.ids) for m in doc.mentions)
            by_id.setdefault(doc.doc_id, sorted((e for e in found if e), key=lambda e: (e.start, e.end)))

    def lookup(document: Document) -> list[Entity] | None:
        ents = by_id.get(document.doc_id)
        return [replace(e, xrefs=dict(e.xrefs)) for e in ents] if ents is not None else None

    return lookup


def given_entities_for(document: Document) -> list[Entity]:
    """:func:`given_entities` for a Document read from a .txt or by :func:`read_pubtator_documents`."""
    if document.metadata.get("source_format") == "pubtator":
        return given_entities(document.path, document.doc_id)
    return given_entities(document.path)
