"""brat standoff export, so curators can inspect and fix annotations in brat's web UI.

Layout: ``out_dir/brat/<stem>.txt`` (the document text, offsets unchanged) and
``<stem>.ann``, where ``<stem>`` is the doc_id written reversibly as a file name
(:func:`file_stem`: ``a;b`` -> ``a%3Bb``, so ``a;b``, ``a b`` and ``a_b`` never share a pair), plus ``annotation.conf`` and ``visual.conf`` so the folder opens
in brat as it is.

Mapping (chosen for what brat draws best):
- entities -> ``T`` lines typed PROTEIN, FAMILY, SITE, ...; a span that crosses a
  line break is written as fragments (``10 15;17 30``) because brat cannot draw one
  span over two lines; ``#`` notes carry the grounding (``HGNC:6857 MAP3K5``).
- a relation with a trigger -> an event on a trigger ``T`` line, e.g.
  ``E1 Phosphorylation:T9 Theme:T2 Site:T4 Cause:T1`` (BioNLP roles: subject=Cause,
  object=Theme, site=Site; roles per relation type come from patterns/relation_types.yml, e.g.
  binding: subject=Theme, object=Theme2). brat draws the trigger word
  with arcs to its arguments, which shows the evidence best.
- a relation without a trigger -> a binary relation ``R1 ActivationRel Arg1:T1 Arg2:T2``
  (labelled "Activation" via visual.conf); a site, if any, goes into its note.
- negated / hedged -> attributes ``A1 Negated E1`` / ``A2 Hedged R1``.
- every event/relation has a note ``rule=<rule id>`` (shown on hover in brat).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.writers.style import DEFAULT_COLOR, TYPE_COLORS
from pipeline.model import ENTITY_TYPES, Entity, ProcessedDocument, Relation
from pipeline.relations.types import registry

REL_SUFFIX = "Rel"


def event_types() -> dict[str, str]:
    """brat event type of each relation type (patterns/relation_types.yml)."""
    return {name: rt.brat.event for name, rt in _types().items()}


def _types() -> dict:
    """The registry's relation types; looked up once per document (``registry()`` resolves a path per call)."""
    return registry().types


def event_type(relation: str, types: dict | None = None) -> str:
    """brat type name of a relation (a name the registry does not know is capitalised)."""
    rt = (types if types is not None else _types()).get(relation)
    return rt.brat.event if rt else relation.capitalize()


def _roles(relation: str, types: dict | None = None) -> tuple[str, str]:
    """(subject role, object role) of a relation's brat event."""
    rt = (types if types is not None else _types()).get(relation)
    return (rt.brat.subject, rt.brat.object) if rt else ("Cause", "Theme")


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a span at line breaks (brat draws each fragment on its own line), trimming whitespace."""
    piece = text[start:end]
    if "\n" not in piece and not piece[:1].isspace() and not piece[-1:].isspace():
        return [(start, end)]  # nearly every mention: one line, nothing to trim
    frags = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            frags.append((s, e))
    return frags or [(start, end)]


@dataclass
class _Ann:
    text: str
    lines: list[str] = field(default_factory=list)
    tids: dict[tuple, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]}"

    def textbound(self, typ: str, start: int, end: int, note: str = "") -> str:
        key = (typ, start, end)
        if key not in self.tids:
            tid = self.next_id("T")
            frags = _fragments(self.text, start, end)
            spans = ";".join(f"{s} {e}" for s, e in frags)
            shown = " ".join(self.text[s:e] for s, e in frags)
            self.lines.append(f"{tid}\t{typ} {spans}\t{shown}")
            if note:
                self.note(tid, note)
            self.tids[key] = tid
        return self.tids[key]

    def note(self, target: str, text: str) -> None:
        self.lines.append(f"{self.next_id('#')}\tAnnotatorNotes {target}\t{' '.join(text.split())}")

    def entity(self, e: Entity) -> str:
        bits = [b for b in (e.id, e.name) if b]
        if e.type == "SITE" and e.residue:
            bits.append(f"{e.residue}{e.position if e.position is not None else ''}")
        if e.rule:
            bits.append(f"rule={e.rule}")
        return self.textbound(e.type, e.start, e.end, "; ".join(bits))


def _relation_lines(ann: _Ann, rel: Relation, types: dict | None = None) -> None:
    subj = ann.entity(rel.subject) if rel.subject else None
    obj = ann.entity(rel.object)
    site = ann.entity(rel.site) if rel.site else None
    types = types if types is not None else _types()
    etype = event_type(rel.relation, types)
    if rel.trigger is not None:
        trig = ann.textbound(etype, rel.trigger[0], rel.trigger[1])
        rid = ann.next_id("E")
        subj_role, obj_role = _roles(rel.relation, types)
        obj_role = obj_role if subj else "Theme"
        args = [f"{etype}:{trig}", f"{obj_role}:{obj}"]
        if site:
            args.append(f"Site:{site}")
        if subj:
            args.append(f"{subj_role}:{subj}")
        ann.lines.append(f"{rid}\t{' '.join(args)}")
        note = f"rule={rel.rule}"
    else:
        rid = ann.next_id("R")
        # a brat relation is binary: without a subject the object is linked to itself
        ann.lines.append(f"{rid}\t{etype}{REL_SUFFIX} Arg1:{subj or obj} Arg2:{obj}")
        note = f"rule={rel.rule}" + ("" if subj else "; no subject") + (f"; site={site}" if site else "")
    for flag, on in (("Negated", rel.negated), ("Hedged", rel.hedged)):
        if on:
            ann.lines.append(f"{ann.next_id('A')}\t{flag} {rid}")
    ann.note(rid, note)


def document_ann(pd: ProcessedDocument) -> str:
    """The .ann text of one document: all entities first, then events/relations."""
    ann = _Ann(pd.document.text)
    types = _types()
    for e in pd.entities:
        ann.entity(e)
    for rel in pd.relations:
        _relation_lines(ann, rel, types)
    return "".join(line + "\n" for line in ann.lines)


def annotation_conf(entity_types: list[str] | None = None, relations: list[str] | None = None) -> str:
    """Types and argument constraints for brat; overlaps are allowed (nested mentions happen)."""
    types = list(dict.fromkeys([*ENTITY_TYPES, *(entity_types or [])]))
    rels = list(dict.fromkeys([*registry().names, *(relations or [])]))
    ents = "|".join(types)
    lines = ["[entities]", *types, "", "[relations]",
             "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]
    lines += [f"{event_type(r)}{REL_SUFFIX}\tArg1:{ents}, Arg2:{ents}" for r in rels]
    lines += ["", "[events]"]
    for rel in rels:
        t = event_type(rel)
        subj_role, obj_role = _roles(rel)
        if subj_role == "Theme":  # symmetric: Theme is required, the second partner optional
            lines.append(f"{t}\tTheme:{ents}, {obj_role}?:{ents}, Site?:SITE")
        else:
            lines.append(f"{t}\t{obj_role}:{ents}, {subj_role}?:{ents}, Site?:SITE")
    lines += ["", "[attributes]", "Negated\tArg:<EVENT>|<RELATION>", "Hedged\tArg:<EVENT>|<RELATION>", ""]
    return "\n".join(lines)


def visual_conf() -> str:
    """Colours per entity type and readable labels for the trigger-less relation types."""
    lines = ["[labels]"]
    events = list(dict.fromkeys(event_types().values()))
    lines += [f"{t}{REL_SUFFIX} | {t.replace('_', ' ')} | {t[:5]}" for t in events]
    lines += [f"{t} | {t.replace('_', ' ')} | {t[:5]}" for t in events]
    lines += ["CELL_LINE | Cell line | Cell", "", "[drawing]",
              "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
              "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5"]
    lines += [f"{t}\tbgColor:{TYPE_COLORS.get(t, DEFAULT_COLOR)}" for t in ENTITY_TYPES]
    lines += [f"{t}\tbgColor:#ffe8a8" for t in events]
    lines += ["Negated\tbox:crossed, glyph:<NONE>, dashArray:<NONE>", "Hedged\tdashArray:3-3, glyph:<NONE>", ""]
    return "\n".join(lines)


def file_stem(doc_id: str) -> str:
    """The brat file name (without suffix) of a doc_id: the readers' reversible mapping.

    ``a;b``, ``a b`` and ``a_b`` become ``a%3Bb``, ``a%20b`` and ``a_b``
    (pipeline/readers/ids.py), so no two documents of a run share a .txt/.ann pair.
    """
    from pipeline.readers.ids import doc_id_to_filename

    return doc_id_to_filename(doc_id)


def doc_id_from_stem(stem: str) -> str | None:
    """The doc_id of a brat file name (None for a shortened, hashed name)."""
    from pipeline.readers.ids import filename_to_doc_id

    return filename_to_doc_id(stem)


class BratSink:
    """Writes ``out_dir/brat/`` one document at a time; no fsync per file (one filesystem sync at the end)."""

    def __init__(self, out_dir: Path, *, sync: bool = True, **opts: object) -> None:
        self.folder = Path(out_dir) / "brat"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sync = sync
        self.written: list[Path] = []
        self.types: set[str] = set()
        self.rels: set[str] = set()
        self.stems: set[str] = set()

    def _write(self, name: str, text: str) -> Path:
        """Into a staging folder (``sync=False``) straight; in place through a temporary file and a rename."""
        path = self.folder / name
        target = path if not self.sync else self.folder / f".{name}.{os.getpid() % 10**8:08d}.tmp"
        with open(target, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        if target != path:
            os.replace(target, path)
        self.written.append(path)
        return path

    def add(self, pd: ProcessedDocument) -> None:
        stem = file_stem(pd.document.doc_id)
        if stem in self.stems:  # doc_ids are unique in a run; this guards hand-made document lists
            raise ValueError(f"two documents map to the brat file name {stem!r}")
        self.stems.add(stem)
        self._write(f"{stem}.txt", pd.document.text)
        self._write(f"{stem}.ann", document_ann(pd))
        self.types.update(e.type for e in pd.entities)
        self.rels.update(r.relation for r in pd.relations)

    def close(self) -> list[Path]:
        self._write("annotation.conf", annotation_conf(sorted(self.types), sorted(self.rels)))
        self._write("visual.conf", visual_conf())
        if self.sync:
            from pipeline.writers.shards import sync_filesystem

            sync_filesystem(self.folder)
        return self.written

    def abort(self) -> None:
        for tmp in self.folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def write_brat(docs: Iterable[ProcessedDocument], out_dir: Path, **opts: object) -> list[Path]:
    """Write ``out_dir/brat/`` with one .txt/.ann pair per document (named by :func:`file_stem`) and the configs."""
    from pipeline.writers import drive

    return drive(BratSink(out_dir, **opts), docs)


# ---- reading back (used by tests and by anyone importing corrected brat files) ----

def parse_ann(text: str) -> dict[str, dict]:
    """Parse .ann text into {id: record}; records have a ``kind`` (T, E, R, A, #)."""
    out: dict[str, dict] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        kind = ident[0]
        if kind == "T":
            head, _, shown = rest.partition("\t")
            typ, _, spans = head.partition(" ")
            frags = [tuple(int(x) for x in part.split()) for part in spans.split(";")]
            out[ident] = {"kind": "T", "type": typ, "fragments": frags, "text": shown}
        elif kind == "E":
            parts = rest.split()
            etype, trig = parts[0].split(":")
            args = dict(p.split(":") for p in parts[1:])
            out[ident] = {"kind": "E", "type": etype, "trigger": trig, "args": args}
        elif kind == "R":
            rtype, a1, a2 = rest.split()
            out[ident] = {"kind": "R", "type": rtype, "args": {"Arg1": a1.split(":")[1], "Arg2": a2.split(":")[1]}}
        elif kind == "A":
            name, target = rest.split()[:2]
            out[ident] = {"kind": "A", "name": name, "target": target}
        elif kind == "#":
            head, _, note = rest.partition("\t")
            out[ident] = {"kind": "#", "target": head.split()[1], "text": note}
        else:
            raise ValueError(f"unsupported brat line: {line!r}")
    return out
