"""The run's own output files: JSON Lines for machines, TSV for people and databases.

Rows are built here (one function per file) and written by :class:`OutputWriter`, a
streaming sink: each file is written into a temporary file beside its target and
renamed into place only on :meth:`OutputWriter.commit`, so a crash never leaves a
half-written file and never destroys the previous run's files. ``biomine run`` writes
these files into a staging folder from the shards (pipeline/writers/shards.py) and
swaps the folder in, so they always describe the same run as the other exports.

The row contract (fields, types) is the versioned JSON Schema in
``pipeline/writers/schemas/`` (docs/outputs.md); ``SCHEMA_VERSION`` is written into
the run manifest.
"""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline.model import ProcessedDocument
from pipeline.writers.jsonlines import dump_text
from pipeline.writers.keys import triple_key

SCHEMA_VERSION = "1.0"
OUTPUT_FILES = ("documents.jsonl", "entities.jsonl", "relations.jsonl", "errors.jsonl")
TSV_NAME = "relations.tsv"
TSV_COLUMNS = [
    "triple_key", "doc_id", "relation", "subject", "subject_type", "subject_id", "subject_name", "object",
    "object_type", "object_id", "object_name", "site", "residue", "position", "negated", "hedged", "rule",
    "sentence_index", "sentence", "subject_start", "subject_end", "object_start", "object_end",
]


def dumps(row: dict[str, Any]) -> str:
    """One JSON line, as every output file writes it: compact, UTF-8, no ASCII escaping
    (pipeline/writers/jsonlines.py)."""
    return dump_text(row)


def document_row(pd: ProcessedDocument) -> dict[str, Any]:
    row = pd.document.to_dict()
    row["sentences"] = [s.to_dict() for s in pd.sentences]
    return row


def entity_rows(pd: ProcessedDocument) -> list[dict[str, Any]]:
    return [ent.to_dict(pd.document.doc_id) for ent in pd.entities]


def relation_rows(pd: ProcessedDocument) -> list[dict[str, Any]]:
    """Relation rows with their stable ``triple_key`` (the key curation decisions use)."""
    rows = []
    for rel in pd.relations:
        row = rel.to_dict()
        row["triple_key"] = triple_key(rel)
        rows.append(row)
    return rows


def error_row(path: str, message: str, code: str | None = None, level: str = "error",
              doc_id: str | None = None) -> dict[str, Any]:
    """An errors.jsonl row: ``code`` is the bracketed code of ``message`` when not given."""
    if code is None and message.startswith("[") and "]" in message[:8]:
        code = message[1:message.index("]")]
    row: dict[str, Any] = {"path": path, "error": message, "code": code, "level": level}
    if doc_id is not None:
        row["doc_id"] = doc_id
    return row


class AtomicFile:
    """A text file that appears at ``path`` only after a successful :meth:`commit`."""

    def __init__(self, path: Path, sync: bool = True) -> None:
        self.path = path
        self.sync = sync
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write_json(self, row: dict[str, Any]) -> None:
        self.handle.write(dumps(row) + "\n")

    def write_line(self, line: str) -> None:
        self.handle.write(line + "\n")

    def commit(self) -> None:
        self.handle.flush()
        if self.sync:
            os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)


class OutputWriter:
    """Streams rows into documents/entities/relations/errors.jsonl and relations.tsv; commits them together."""

    def __init__(self, out_dir: Path, sync: bool = True) -> None:
        self.out_dir = Path(out_dir)
        self.files = {name: AtomicFile(self.out_dir / name, sync) for name in (*OUTPUT_FILES, TSV_NAME)}
        self.tsv = csv.writer(self.files[TSV_NAME].handle, delimiter="\t", lineterminator="\n")
        self.tsv.writerow(TSV_COLUMNS)

    def __enter__(self) -> "OutputWriter":
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()

    def add(self, processed: ProcessedDocument | dict[str, Any]) -> None:
        """A processed document, or a shard record (``{"document", "entities", "relations"}``)."""
        if isinstance(processed, dict):
            self.add_rows(processed["document"], processed["entities"], processed["relations"])
        else:
            self.add_rows(document_row(processed), entity_rows(processed), relation_rows(processed))

    def add_rows(self, document: dict[str, Any], entities: list[dict[str, Any]],
                 relations: list[dict[str, Any]]) -> None:
        """Rows as stored in a shard (the same dicts :meth:`add` builds)."""
        self.files["documents.jsonl"].write_json(document)
        for row in entities:
            self.files["entities.jsonl"].write_json(row)
        for row in relations:
            self.files["relations.jsonl"].write_json(row)
            self.tsv.writerow(tsv_values(row))

    def add_error(self, path: str, message: str, **fields: Any) -> None:
        self.add_error_row(error_row(path, message, **fields))

    def add_error_row(self, row: dict[str, Any]) -> None:
        self.files["errors.jsonl"].write_json(row)

    def commit(self) -> list[Path]:
        for f in self.files.values():
            f.commit()
        return [f.path for f in self.files.values()]

    def discard(self) -> None:
        for f in self.files.values():
            f.discard()


def tsv_row(rel: dict[str, Any]) -> dict[str, Any]:
    """One flat row per triple for spreadsheets; newlines in sentences become spaces."""
    subj = rel["subject"] or {}
    obj = rel["object"]
    site = rel["site"] or {}
    return {
        "triple_key": rel.get("triple_key") or "", "doc_id": rel["doc_id"], "relation": rel["relation"],
        "subject": _flat(subj.get("text")), "subject_type": subj.get("type"), "subject_id": subj.get("id"),
        "subject_name": subj.get("name"),
        "object": _flat(obj["text"]), "object_type": obj["type"], "object_id": obj["id"], "object_name": obj["name"],
        "site": _flat(site.get("text")), "residue": site.get("residue"), "position": site.get("position"),
        "negated": rel["negated"], "hedged": rel["hedged"], "rule": rel["rule"],
        "sentence_index": rel["sentence"]["index"], "sentence": _flat(rel["sentence"]["text"]),
        "subject_start": subj.get("start"), "subject_end": subj.get("end"),
        "object_start": obj["start"], "object_end": obj["end"],
    }


def tsv_values(rel: dict[str, Any]) -> list[str]:
    """The TSV cells of a relation row: integers as integers (``83``, never ``83.0``), empty for none."""
    row = tsv_row(rel)
    return [_cell(row[c]) for c in TSV_COLUMNS]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _flat(text: str | None) -> str | None:
    """One line per row: line breaks inside mentions and sentences become single spaces."""
    return " ".join(text.split()) if text is not None else None
