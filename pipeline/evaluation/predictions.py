"""Reading a biomine output folder back as predictions to score.

Why not :mod:`pipeline.writers.load`: the scorer needs only a few fields of each row,
reduced to comparable keys (namespaced ids, site labels), and must not depend on the
writers; the folder layout it relies on is just ``relations.jsonl`` plus, if present,
``entities.jsonl`` (ids and xrefs of the arguments) and ``documents.jsonl`` (which
documents were processed). Problems are coded: E605 for a folder without
``relations.jsonl``, E603 with file and line for a row that cannot be read.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.entities.sites import format_site
from pipeline.errors import GoldError
from pipeline.evaluation.ids import canonical_ids, site_key


@dataclass(frozen=True)
class PredArg:
    text: str
    type: str
    start: int
    end: int
    ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PredTriple:
    doc_id: str
    relation: str
    subject: PredArg | None
    object: PredArg
    site: PredArg | None
    site_key: str | None
    negated: bool
    hedged: bool
    rule: str
    sentence: str


@dataclass(frozen=True)
class PredictionFiles:
    """Where the rows are: ``pred`` may be the folder or its relations.jsonl."""

    relations: Path
    entities: Path
    documents: Path

    @classmethod
    def of(cls, pred: str | Path) -> "PredictionFiles":
        pred = Path(pred)
        if not pred.exists():
            raise GoldError("E605", path=pred, detail="prediction folder not found")
        folder = pred.parent if pred.is_file() else pred
        files = cls(pred if pred.is_file() else folder / "relations.jsonl", folder / "entities.jsonl",
                    folder / "documents.jsonl")
        if not files.relations.exists():
            raise GoldError("E605", path=folder, detail="no relations.jsonl in the prediction folder")
        return files


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """JSON objects, one per non-blank line, each with its line number in ``_line``."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError("E603", path=path, line=lineno, detail=f"invalid JSON: {exc.msg}") from None
            if not isinstance(row, dict):
                raise GoldError("E603", path=path, line=lineno, detail="expected a JSON object")
            row["_line"] = lineno
            rows.append(row)
    return rows


def _pred_arg(row: dict[str, Any], doc_id: str, xrefs: dict[tuple[str, int, int], dict[str, str]]) -> PredArg:
    start, end = int(row["start"]), int(row["end"])
    ids = canonical_ids(row.get("id"), {**xrefs.get((doc_id, start, end), {}), **(row.get("xrefs") or {})})
    return PredArg(str(row.get("text", "")), str(row.get("type", "")), start, end, ids)


def _pred_site_key(site: dict[str, Any], doc_text: str) -> str | None:
    residue, position = site.get("residue"), site.get("position")
    if residue:
        return format_site(residue, int(position) if position is not None else None)
    return site_key(str(site.get("text", "")), doc_text, int(site.get("start", 0)))


def read_predictions(relations_path: Path, entity_rows: list[dict[str, Any]], texts: dict[str, str]) -> list[PredTriple]:
    """Parse relations.jsonl; ENTITY objects get their xrefs from entities.jsonl (same doc and span)."""
    xrefs: dict[tuple[str, int, int], dict[str, str]] = {}
    for e in entity_rows:
        if e.get("xrefs"):
            xrefs.setdefault((str(e.get("doc_id")), int(e["start"]), int(e["end"])), {}).update(e["xrefs"])
    out = []
    for row in read_jsonl(relations_path):
        try:
            doc_id = str(row["doc_id"])
            site = row.get("site")
            out.append(PredTriple(
                doc_id=doc_id,
                relation=str(row["relation"]),
                subject=_pred_arg(row["subject"], doc_id, xrefs) if row.get("subject") else None,
                object=_pred_arg(row["object"], doc_id, xrefs),
                site=_pred_arg(site, doc_id, xrefs) if site else None,
                site_key=_pred_site_key(site, texts.get(doc_id, "")) if site else None,
                negated=bool(row.get("negated", False)),
                hedged=bool(row.get("hedged", False)),
                rule=str(row.get("rule", "")),
                sentence=str((row.get("sentence") or {}).get("text", "")),
            ))
        except (KeyError, TypeError, ValueError) as exc:
            raise GoldError("E603", path=relations_path, line=row["_line"], detail=f"not a relation row: {exc!r}") from None
    return out
