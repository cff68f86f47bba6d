"""Reader for BioNLP shared-task standoff (``.txt`` + ``.a1``/``.a2``) and brat (``.txt`` + ``.ann``) documents.

Why a reader of its own: the same files feed two stages, given entities at run time
(:mod:`pipeline.entities.given`) and gold triples at evaluation time
(:mod:`pipeline.evaluation.events`), so parsing lives here, in the reading room,
and knows nothing about relations.

Offsets are characters of the ``.txt`` read as UTF-8 *without* newline translation,
as the shared-task tools count them. Every problem is a coded :class:`InputError`
naming the file (and line): E111 for a malformed line or a dangling reference,
E104 for bytes that are not UTF-8, E101 for a missing ``.txt``, E107 for a
``.txt`` with no annotation file beside it, E108 for a file that cannot be read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.readers.source import read_utf8

ANNOTATION_SUFFIXES = (".a1", ".a2", ".ann")
STANDOFF_SUFFIXES = (".txt", *ANNOTATION_SUFFIXES)


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
    """An ``N`` line: a reference to a database entry (``Reference T1 UniProt:Q13233``)."""

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
    """One document: its text and every annotation line, by kind; ``warnings`` lists what was skipped."""

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


Origin = dict[str, tuple[Path, int]]  # annotation id (or "*<n>" for an Equiv line) -> file and line


def _malformed(path: Path, line: int, detail: str) -> InputError:
    return InputError("E111", path=path, line=line, detail=detail)


def _parse_spans(raw: str, path: Path, lineno: int) -> tuple[tuple[int, int], ...]:
    spans = []
    for part in raw.split(";"):
        bits = part.split()
        if len(bits) != 2 or not all(b.isdigit() for b in bits):
            raise _malformed(path, lineno, f"bad offsets {raw!r} (want 'start end' or 'start end;start end')")
        start, end = int(bits[0]), int(bits[1])
        if start > end:
            raise _malformed(path, lineno, f"start {start} > end {end}")
        spans.append((start, end))
    return tuple(spans)


def _parse_args(raw: list[str], path: Path, lineno: int) -> tuple[tuple[str, str], ...]:
    args = []
    for token in raw:
        role, sep, ref = token.partition(":")
        if not sep or not role or not ref:
            raise _malformed(path, lineno, f"bad argument {token!r} (want Role:ID)")
        args.append((role, ref))
    return tuple(args)


def _parse_line(doc: StandoffDocument, path: Path, lineno: int, fields: list[str], given: bool) -> bool:
    """Add one annotation line to ``doc``; False if the line was skipped with a warning."""
    ann_id, body, line = fields[0].strip(), fields[1].split(), "\t".join(fields)
    kind = ann_id[:1]
    if kind == "T":
        if len(fields) < 3 or len(body) < 3:
            raise _malformed(path, lineno, f"T line needs 'ID<TAB>Type start end<TAB>text': {line!r}")
        spans = _parse_spans(" ".join(body[1:]), path, lineno)
        if max(e for _, e in spans) > len(doc.text):
            raise _malformed(path, lineno, f"offset beyond the end of the text ({len(doc.text)} chars)")
        text = "\t".join(fields[2:])
        sliced = " ".join(doc.text[s:e] for s, e in spans)
        if sliced != text and sliced.split() != text.split():
            doc.warnings.append(f"{path}:{lineno}: text {text!r} != {sliced!r} at the offsets")
        doc.textbounds[ann_id] = TextBound(ann_id, body[0], spans, text, given)
    elif kind == "E":
        trig_type, sep, trigger = body[0].partition(":")
        if not sep or not trigger:
            raise _malformed(path, lineno, f"E line needs 'Type:Trigger Role:ID ...': {line!r}")
        doc.events[ann_id] = Event(ann_id, trig_type, trigger, _parse_args(body[1:], path, lineno))
    elif kind in ("M", "A"):
        if len(body) < 2:
            raise _malformed(path, lineno, f"{kind} line needs 'Type Target': {line!r}")
        doc.modifications.append(Modification(ann_id, body[0], body[1]))
    elif kind == "*":
        if body[0] != "Equiv":
            doc.warnings.append(f"{path}:{lineno}: ignored '*' line of type {body[0]}")
            return False
        if len(body) < 3:
            raise _malformed(path, lineno, f"Equiv needs at least two ids: {line!r}")
        doc.equivs.append(tuple(body[1:]))
    elif kind == "R":
        doc.relations.append(StandoffRelation(ann_id, body[0], _parse_args(body[1:], path, lineno)))
    elif kind == "N":
        if len(body) < 3:
            raise _malformed(path, lineno, f"N line needs 'Type Target DB:ID': {line!r}")
        doc.normalizations.append(Normalization(ann_id, body[0], body[1], body[2], "\t".join(fields[2:])))
    else:
        doc.warnings.append(f"{path}:{lineno}: ignored unknown annotation line {ann_id!r}")
        return False
    return True


def read_annotation_file(path: Path, doc: StandoffDocument, given: bool, origin: Origin) -> None:
    """Add the annotations of one .a1/.a2/.ann file to ``doc``; ``origin`` records where each id came from."""
    for lineno, line in enumerate(read_utf8(path).split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        ann_id = fields[0].strip()
        if len(fields) < 2 or not fields[1].strip():
            raise _malformed(path, lineno, f"expected a tab after the id {ann_id!r}: {line!r}")
        if ann_id[:1] != "*" and ann_id in origin:
            raise _malformed(path, lineno, f"duplicate id {ann_id}")
        if _parse_line(doc, path, lineno, fields, given):
            origin[ann_id if ann_id[:1] != "*" else f"*{len(doc.equivs) - 1}"] = (path, lineno)


def check_references(doc: StandoffDocument, origin: Origin) -> None:
    """Every event trigger, argument, modification target and Equiv member must be defined (E111)."""
    known = set(doc.textbounds) | set(doc.events)

    def fail(key: str, detail: str) -> None:
        path, lineno = origin.get(key, (Path(doc.path), 0))
        raise _malformed(path, lineno, detail)

    for ev in doc.events.values():
        if ev.trigger not in doc.textbounds:
            fail(ev.id, f"event {ev.id} has an undefined trigger {ev.trigger}")
        for role, ref in ev.args:
            if ref not in known:
                fail(ev.id, f"event {ev.id} argument {role}:{ref} is not defined")
    relation_ids = {r.id for r in doc.relations}
    for mod in doc.modifications:
        if mod.target not in known and mod.target not in relation_ids:
            fail(mod.id, f"{mod.id} refers to an undefined annotation {mod.target}")
    for n, group in enumerate(doc.equivs):
        missing = [ref for ref in group if ref not in doc.textbounds]
        if missing:
            fail(f"*{n}", f"Equiv {' '.join(group)} refers to undefined {missing}")


def annotation_files(txt: Path) -> list[tuple[Path, bool]]:
    """The annotation files of a ``.txt`` with whether they hold given entities: .a1 and .a2, else .ann."""
    a1, a2, ann = txt.with_suffix(".a1"), txt.with_suffix(".a2"), txt.with_suffix(".ann")
    files = [(p, p.suffix == ".a1") for p in (a1, a2) if p.exists()]
    if not files and ann.exists():
        files = [(ann, False)]
    return files


def read_standoff(path: str | Path, *, given_only: bool = False) -> StandoffDocument:
    """Read one document from its ``.txt`` (or any of .a1/.a2/.ann) with the annotation files beside it.

    ``given_only`` reads just the ``.a1`` (or the ``.ann``) and skips the reference check: the
    given entities of the shared task, for a run that must not see the answers in the ``.a2``.
    """
    txt = Path(path).with_suffix(".txt")
    if not txt.exists():
        raise InputError("E101", path=txt)
    if given_only:
        a1, ann = txt.with_suffix(".a1"), txt.with_suffix(".ann")
        files = [(a1 if a1.exists() else ann, True)] if a1.exists() or ann.exists() else []
    else:
        files = annotation_files(txt)
    if not files:
        expected = "an .a1 (or .ann) beside it" if given_only else ".a1/.a2 or .ann annotations beside it"
        raise InputError("E107", path=txt, detail="no annotation file", expected=f"a .txt with {expected}")
    doc = StandoffDocument(doc_id=txt.stem, text=read_utf8(txt), path=str(txt))
    origin: Origin = {}
    for ann_path, given in files:
        read_annotation_file(ann_path, doc, given, origin)
    if not given_only:
        check_references(doc, origin)
    return doc


def standoff_document(path: str | Path, max_bytes: int):
    """The run-time reader: the ``.txt`` of a standoff document as a Document, annotations unread.

    The text is kept exactly (no newline translation, no front matter, a UTF-8 byte-order mark
    stays a character) because the ``.a1``/``.a2``/``.ann`` offsets count it so; NUL bytes become
    spaces (W102), which keeps those offsets. The annotation files are listed in
    ``metadata["annotations"]`` and parsed only when given entities are asked for.
    """
    from pipeline.model import Document
    from pipeline.readers.source import decode, read_limited

    txt = Path(path)
    text, warnings = decode(read_limited(txt, max_bytes), txt, keep_bom=True)
    if not text.strip():
        raise InputError("E102", path=txt)
    annotations = [p.name for p in (txt.with_suffix(s) for s in ANNOTATION_SUFFIXES) if p.is_file()]
    metadata = {"source_format": "standoff", "annotations": annotations}
    return Document(doc_id=txt.stem, text=text, path=str(txt), metadata=metadata, warnings=warnings)


def read_ann(path: str | Path) -> StandoffDocument:
    """Read a brat document (``.ann`` beside ``.txt``); same syntax as the BioNLP files."""
    return read_standoff(Path(path).with_suffix(".txt"))


def read_standoff_dir(path: str | Path) -> list[StandoffDocument]:
    """All annotated documents under a folder (a .txt without .a1/.a2/.ann is skipped)."""
    root = Path(path)
    return [read_standoff(txt) for txt in sorted(root.rglob("*.txt")) if annotation_files(txt)]


def has_annotations(path: str | Path) -> bool:
    """Whether ``path`` is a standoff file (.txt/.a1/.a2/.ann) with annotations beside its ``.txt``."""
    path = Path(path)
    txt = path.with_suffix(".txt")
    return path.suffix in STANDOFF_SUFFIXES and txt.is_file() and bool(annotation_files(txt))
