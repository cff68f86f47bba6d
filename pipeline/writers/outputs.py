"""Writing the run's output files: JSON Lines for machines, TSV for people.

Each file is streamed into a temporary file beside its target and renamed into
place only when the run finished, so a crash never leaves half-written output
and never destroys the previous run's files.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline.model import ProcessedDocument

OUTPUT_FILES = ("documents.jsonl", "entities.jsonl", "relations.jsonl", "errors.jsonl")
TSV_COLUMNS = [
    "doc_id", "relation", "subject", "subject_type", "subject_id", "subject_name", "object", "object_type",
    "object_id", "object_name", "site", "residue", "position", "negated", "hedged", "rule", "sentence_index",
    "sentence", "subject_start", "subject_end", "object_start", "object_end",
]


class AtomicFile:
    """A text file that appears at ``path`` only after a successful close."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write_json(self, row: dict[str, Any]) -> None:
        self.handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        self.handle.flush()
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
    """Streams processed documents into the output folder; commits all files together on success."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.files = {name: AtomicFile(self.out_dir / name) for name in OUTPUT_FILES}
        self.relation_rows: list[dict[str, Any]] = []

    def __enter__(self) -> "OutputWriter":
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            for f in self.files.values():
                f.discard()

    def add(self, processed: ProcessedDocument) -> None:
        doc = processed.document
        row = doc.to_dict()
        row["sentences"] = [s.to_dict() for s in processed.sentences]
        self.files["documents.jsonl"].write_json(row)
        for ent in processed.entities:
            self.files["entities.jsonl"].write_json(ent.to_dict(doc.doc_id))
        for rel in processed.relations:
            rel_row = rel.to_dict()
            self.files["relations.jsonl"].write_json(rel_row)
            self.relation_rows.append(tsv_row(rel_row))

    def add_error(self, path: str, message: str) -> None:
        self.files["errors.jsonl"].write_json({"path": path, "error": message})

    def commit(self) -> None:
        import pandas as pd

        table = pd.DataFrame(self.relation_rows, columns=TSV_COLUMNS)
        tsv = AtomicFile(self.out_dir / "relations.tsv")
        try:
            table.to_csv(tsv.handle, sep="\t", index=False, lineterminator="\n")
            tsv.commit()
        except BaseException:
            tsv.discard()
            raise
        for f in self.files.values():
            f.commit()


def tsv_row(rel: dict[str, Any]) -> dict[str, Any]:
    """One flat row per triple for spreadsheets; newlines in sentences become spaces."""
    subj = rel["subject"] or {}
    obj = rel["object"]
    site = rel["site"] or {}
    return {
        "doc_id": rel["doc_id"], "relation": rel["relation"],
        "subject": _flat(subj.get("text")), "subject_type": subj.get("type"), "subject_id": subj.get("id"),
        "subject_name": subj.get("name"),
        "object": _flat(obj["text"]), "object_type": obj["type"], "object_id": obj["id"], "object_name": obj["name"],
        "site": _flat(site.get("text")), "residue": site.get("residue"), "position": site.get("position"),
        "negated": rel["negated"], "hedged": rel["hedged"], "rule": rel["rule"],
        "sentence_index": rel["sentence"]["index"], "sentence": _flat(rel["sentence"]["text"]),
        "subject_start": subj.get("start"), "subject_end": subj.get("end"),
        "object_start": obj["start"], "object_end": obj["end"],
    }


def _flat(text: str | None) -> str | None:
    """One line per row: line breaks inside mentions and sentences become single spaces."""
    return " ".join(text.split()) if text is not None else None
