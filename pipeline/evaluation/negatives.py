"""Curator-rejected triples as negatives: which predictions a curator already said are wrong.

Why: a rule that keeps producing rejected triples is a rule to fix, even where the gold
corpus is silent. The rejections come from a review TSV (``biomine curate export``, with
at least the columns doc_id, relation, subject_text, object_text, site) or straight from
the ``curation`` table of a biomine SQLite database. The database is read with the
``sqlite3`` module and a plain SELECT, not through :mod:`pipeline.curation`, so the
evaluation does not depend on the curation or writer code (tests/test_layering.py).
Problems are coded E606.
"""
from __future__ import annotations

import csv
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from pipeline.errors import GoldError
from pipeline.evaluation.ids import normalise_text, site_key
from pipeline.evaluation.predictions import PredTriple
from pipeline.relations.types import RelationRegistry, registry

REJECTED_COLUMNS = ("doc_id", "relation", "subject_text", "object_text", "site")
DB_SUFFIXES = (".sqlite", ".db", ".sqlite3")
_REJECTED_SQL = ("SELECT doc_id, relation, subject_text, object_text, COALESCE(site, '') AS site "
                 "FROM curation WHERE decision = 'reject' ORDER BY doc_id, triple_key")


def _problem(path: Path, detail: str) -> GoldError:
    return GoldError("E606", path=path, detail=detail)


def _read_database(path: Path) -> list[dict[str, str]]:
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as con:
            con.row_factory = sqlite3.Row
            rows = con.execute(_REJECTED_SQL).fetchall()
    except sqlite3.Error as exc:
        raise _problem(path, f"not a biomine database with a curation table: {exc}") from None
    return [{c: str(row[c] or "").strip() for c in REJECTED_COLUMNS} for row in rows]


def read_rejected(path: str | Path) -> list[dict[str, str]]:
    """Rejected triples from a review TSV or a curation database (.sqlite/.db/.sqlite3)."""
    path = Path(path)
    if not path.is_file():
        raise _problem(path, "file not found")
    if path.suffix.lower() in DB_SUFFIXES:
        return _read_database(path)
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            missing = [c for c in REJECTED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise _problem(path, f"line 1: the TSV lacks column(s) {', '.join(missing)}")
            return [{c: (row.get(c) or "").strip() for c in REJECTED_COLUMNS} for row in reader]
    except UnicodeDecodeError as exc:
        raise _problem(path, f"not UTF-8 text (byte {exc.start})") from None


class RejectedIndex:
    """Rejected triples keyed as predictions are compared: document, relation, normalised texts, site."""

    def __init__(self, rows: list[dict[str, str]], types: RelationRegistry | None = None) -> None:
        types = types or registry()
        self.unordered = {n for n, rt in types.types.items() if not rt.directed}
        self.keys: set[tuple] = set()
        for r in rows:
            subj, obj = normalise_text(r["subject_text"]), normalise_text(r["object_text"])
            label = r["site"]
            site = label if re.fullmatch(r"[A-Z]\d*", label) else (site_key(label) if label else "")  # "S83" / "Y"
            self.keys.add((r["doc_id"], r["relation"], self._pair(r["relation"], subj, obj), site))

    def _pair(self, relation: str, subj: str, obj: str) -> tuple[str, str]:
        return tuple(sorted((subj, obj))) if relation in self.unordered else (subj, obj)  # type: ignore[return-value]

    def __contains__(self, p: object) -> bool:
        """Whether a prediction was rejected (a rejected row without a site matches any site)."""
        if not isinstance(p, PredTriple):
            return False
        subj, obj = normalise_text(p.subject.text) if p.subject else "", normalise_text(p.object.text)
        base = (p.doc_id, p.relation, self._pair(p.relation, subj, obj))
        return base + ("",) in self.keys or (p.site_key is not None and base + (p.site_key,) in self.keys)
