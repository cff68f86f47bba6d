"""Read a pipeline output folder back into ``ProcessedDocument`` objects.

Exporters work from the files on disk (not from the live pipeline), so any run can
be re-exported later. Input is checked before anything is written: a bad line
raises ``OutputError`` (E502/E503) naming the file and line, and no exporter runs.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from pipeline.errors import OutputError
from pipeline.model import Document, Entity, ProcessedDocument, Relation, Sentence

DOCUMENTS = "documents.jsonl"
ENTITIES = "entities.jsonl"
RELATIONS = "relations.jsonl"


def _bad_row(path: Path, lineno: int, detail: str) -> OutputError:
    """A row of an output file that cannot be read back (E503 names file and line)."""
    return OutputError("E503", path=path, line=lineno, detail=detail)


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank JSON line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise _bad_row(path, line, f"not UTF-8 text ({exc.reason})") from None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _bad_row(path, lineno, f"malformed JSON line: {exc.msg} (column {exc.colno})") from None
        if not isinstance(row, dict):
            raise _bad_row(path, lineno, f"expected a JSON object, got {type(row).__name__}")
        yield lineno, row


def _fail(path: Path, lineno: int, exc: Exception) -> OutputError:
    if isinstance(exc, KeyError):
        return _bad_row(path, lineno, f"missing field {exc.args[0]!r}")
    return _bad_row(path, lineno, f"invalid row: {exc}")


def _sentence(row: dict[str, Any]) -> Sentence:
    return Sentence(int(row["index"]), int(row["start"]), int(row["end"]), str(row["text"]))


def _check_span(text: str, start: int, end: int, what: str, expect: str | None, strict: bool) -> None:
    if not (0 <= start <= end <= len(text)):
        raise ValueError(f"{what} span {start}-{end} is outside the document text (length {len(text)})")
    if strict and expect is not None and text[start:end] != expect:
        raise ValueError(f"{what} text {expect!r} does not match document text {text[start:end]!r} at {start}-{end}")


def load_output_dir(path: Path | str, *, strict: bool = True) -> list[ProcessedDocument]:
    """Load documents, sentences, entities and relations from a pipeline output folder.

    Sentences come from an optional ``sentences`` list in documents.jsonl rows and
    from the relations' sentence objects. Relation arguments are linked to the full
    entity rows (xrefs, kinase flag, rule) when an entity with the same span exists.
    With ``strict`` (default) every span must slice exactly its text out of the document.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise OutputError("E502", path=folder, detail="output folder not found")
    files = {name: folder / name for name in (DOCUMENTS, ENTITIES, RELATIONS)}
    missing = [name for name, p in files.items() if not p.is_file()]
    if missing:
        raise OutputError("E502", path=folder, detail=f"missing {', '.join(missing)}")

    docs: dict[str, ProcessedDocument] = {}
    sentences: dict[str, dict[int, Sentence]] = {}
    f = files[DOCUMENTS]
    for lineno, row in iter_jsonl(f):
        try:
            doc = Document(
                doc_id=str(row["doc_id"]),
                text=str(row["text"]),
                path=str(row.get("path") or ""),
                metadata=dict(row.get("metadata") or {}),
            )
            if row.get("pmid") and doc.pmid != str(row["pmid"]):
                doc.metadata = {**doc.metadata, "pmid": str(row["pmid"])}
            sents = {s.index: s for s in map(_sentence, row.get("sentences") or [])}
            for s in sents.values():
                _check_span(doc.text, s.start, s.end, f"sentence {s.index}", s.text, strict)
        except (KeyError, TypeError, ValueError) as exc:
            raise _fail(f, lineno, exc) from None
        if doc.doc_id in docs:
            raise _bad_row(f, lineno, f"duplicate doc_id {doc.doc_id!r}")
        docs[doc.doc_id] = ProcessedDocument(doc, [], [], [])
        sentences[doc.doc_id] = sents

    spans: dict[str, dict[tuple[int, int], list[Entity]]] = {d: {} for d in docs}
    f = files[ENTITIES]
    for lineno, row in iter_jsonl(f):
        try:
            doc_id = str(row["doc_id"])
            if doc_id not in docs:
                raise ValueError(f"doc_id {doc_id!r} is not in {DOCUMENTS}")
            ent = Entity.from_dict(row)
            _check_span(docs[doc_id].document.text, ent.start, ent.end, f"entity {ent.text!r}", ent.text, strict)
        except (KeyError, TypeError, ValueError) as exc:
            raise _fail(f, lineno, exc) from None
        docs[doc_id].entities.append(ent)
        spans[doc_id].setdefault((ent.start, ent.end), []).append(ent)

    def link(doc_id: str, e: Entity | None) -> Entity | None:
        """Prefer the full entity row (same span, same type if possible) over the relation's copy."""
        if e is None:
            return None
        cands = spans[doc_id].get((e.start, e.end), [])
        return next((c for c in cands if c.type == e.type), e)

    f = files[RELATIONS]
    for lineno, row in iter_jsonl(f):
        try:
            doc_id = str(row["doc_id"])
            if doc_id not in docs:
                raise ValueError(f"doc_id {doc_id!r} is not in {DOCUMENTS}")
            rel = Relation.from_dict(row)
            text = docs[doc_id].document.text
            s = rel.sentence
            _check_span(text, s.start, s.end, f"sentence {s.index}", s.text, strict)
            for role, e in (("subject", rel.subject), ("object", rel.object), ("site", rel.site)):
                if e is not None:
                    _check_span(text, e.start, e.end, role, e.text, strict)
            if rel.trigger is not None:
                _check_span(text, rel.trigger[0], rel.trigger[1], "trigger", None, strict)
        except (KeyError, TypeError, ValueError) as exc:
            raise _fail(f, lineno, exc) from None
        rel.subject = link(doc_id, rel.subject)
        rel.object = link(doc_id, rel.object)  # type: ignore[assignment]
        if rel.site is not None:
            site = link(doc_id, rel.site)
            rel.site = site if site is not None and site.type == "SITE" else rel.site
        sentences[doc_id].setdefault(s.index, s)
        docs[doc_id].relations.append(rel)

    for doc_id, pd in docs.items():
        pd.sentences = sorted(sentences[doc_id].values(), key=lambda s: s.index)
        pd.entities.sort(key=lambda e: (e.start, e.end, e.type))
    return list(docs.values())


def processed_from_record(record: dict[str, Any]) -> ProcessedDocument:
    """One shard record (rows of documents/entities/relations.jsonl for one document) as a ProcessedDocument.

    Relation arguments are linked to the full entity rows (xrefs, kinase flag), as
    :func:`load_output_dir` does; rows are trusted (they were written by this biomine).
    """
    row = record["document"]
    doc = Document(doc_id=str(row["doc_id"]), text=str(row["text"]), path=str(row.get("path") or ""),
                   metadata=dict(row.get("metadata") or {}))
    if row.get("pmid") and doc.pmid != str(row["pmid"]):
        doc.metadata = {**doc.metadata, "pmid": str(row["pmid"])}
    sentences = {s.index: s for s in map(_sentence, row.get("sentences") or [])}
    entities = [Entity.from_dict(r) for r in record.get("entities") or []]
    spans: dict[tuple[int, int], list[Entity]] = {}
    for ent in entities:
        spans.setdefault((ent.start, ent.end), []).append(ent)

    def link(e: Entity | None) -> Entity | None:
        if e is None:
            return None
        return next((c for c in spans.get((e.start, e.end), []) if c.type == e.type), e)

    relations = []
    for r in record.get("relations") or []:
        rel = Relation.from_dict(r)
        rel.subject = link(rel.subject)
        rel.object = link(rel.object)  # type: ignore[assignment]
        if rel.site is not None:
            site = link(rel.site)
            rel.site = site if site is not None and site.type == "SITE" else rel.site
        sentences.setdefault(rel.sentence.index, rel.sentence)
        relations.append(rel)
    return ProcessedDocument(doc, sorted(sentences.values(), key=lambda s: s.index), entities, relations)
