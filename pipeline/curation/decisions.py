"""Curation round trip: export triples to a TSV, record curator decisions in SQLite, reuse them.

Decisions are keyed by ``triple_key`` (pipeline.writers.keys) and kept by the curation
store (pipeline/curation/store.py: table ``curation_decisions``, which a run never clears),
the same store the review workbench (``biomine review``) writes, so they survive re-runs.
Each decision also stores a snapshot of the triple it judged (doc, relation,
subject, object, site, sentence), so rejected triples stay usable as negatives
even after the pipeline stops producing them.

TSV columns: triple_key, doc_id, pmid, relation, subject, subject_id, object, object_id,
site, negated, hedged, rule, sentence, decision, corrected_relation, corrected_subject_id,
corrected_object_id, corrected_site, comment, error_type, curator.
``decision`` is one of accept / reject / correct (or empty = not reviewed yet);
``correct`` needs at least one ``corrected_*`` value (the other fields keep the original);
``error_type`` (optional, rejections only) is one of the store's ERROR_TYPES;
``comment`` is the decision's note; ``curator`` who decided (optional).
"""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, Iterable

from pipeline.curation import store
from pipeline.writers.atomic import atomic_write_text
from pipeline.writers.keys import site_label, triple_key
from pipeline.errors import CurationError
from pipeline.model import ProcessedDocument
from pipeline.relations.types import registry

DECISIONS = store.DECISIONS
CORRECTED = store.CORRECTED
COLUMNS = (
    "triple_key", "doc_id", "pmid", "relation", "subject", "subject_id", "object", "object_id", "site",
    "negated", "hedged", "rule", "sentence", "decision", *CORRECTED, "comment", "error_type", "curator",
)
REQUIRED = ("triple_key", "decision")
_ERROR_LABELS = {label: code for code, label in store.ERROR_TYPES.items()}
_CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*:\S+$")
_SITE = re.compile(r"^[A-Z]\d*$|^[A-Z][a-z]{2}\d*$")


def _problem(path: Path, line: int | None, detail: str) -> CurationError:
    """A curation file (E703) or one of its rows (E701, with the line) that cannot be recorded."""
    if line is None:
        return CurationError("E703", path=path, detail=detail)
    return CurationError("E701", path=path, line=line, detail=detail)


def _clean(value: Any) -> str:
    """One-line cell text: TSV viewers break on embedded newlines and tabs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split())


def _rows_from_docs(docs: Iterable[ProcessedDocument]) -> list[dict[str, Any]]:
    rows = []
    for pd in docs:
        for rel in pd.relations:
            rows.append({
                "triple_key": triple_key(rel), "doc_id": rel.doc_id, "pmid": pd.document.pmid,
                "relation": rel.relation,
                "subject": rel.subject.text if rel.subject else "", "subject_id": rel.subject.id if rel.subject else "",
                "object": rel.object.text, "object_id": rel.object.id,
                "site": site_label(rel.site), "negated": rel.negated, "hedged": rel.hedged,
                "rule": rel.rule, "sentence": rel.sentence.text,
            })
    return rows


_DB_ROWS = """
SELECT r.triple_key, r.doc_id, d.pmid, r.relation, r.subject_text AS subject, r.subject_id,
       r.object_text AS object, r.object_id, r.site,
       MAX(e.negated) AS negated, MAX(e.hedged) AS hedged, GROUP_CONCAT(e.rule, ',') AS rule,
       s.text AS sentence,
       c.decision, c.corrected_relation, c.corrected_subject_id, c.corrected_object_id,
       c.corrected_site, c.note AS comment, c.error_type, c.curator
FROM relations r
JOIN evidence e ON e.triple_key = r.triple_key
JOIN documents d ON d.doc_id = r.doc_id
LEFT JOIN sentences s ON s.doc_id = r.doc_id AND s.sentence_index = e.sentence_index
LEFT JOIN curation_decisions c ON c.triple_key = r.triple_key
GROUP BY r.triple_key
ORDER BY r.doc_id, MIN(e.sentence_index), r.subject_start, r.object_start
"""


def _rows_from_db(db_path: Path) -> list[dict[str, Any]]:
    with closing(store.open_store(db_path)) as con:
        con.row_factory = sqlite3.Row
        rows = [dict(r) for r in con.execute(_DB_ROWS)]
    for r in rows:
        r["negated"], r["hedged"] = bool(r["negated"]), bool(r["hedged"])
    return rows


def curate_export(source: list[ProcessedDocument] | Path | str, out_tsv: Path | str) -> Path:
    """Write the review TSV, one row per mention-level triple.

    ``source`` is a list of documents (decision columns empty) or a SQLite path
    (decisions already recorded there are filled in, so a curator can continue).
    """
    rows = _rows_from_docs(source) if isinstance(source, list) else _rows_from_db(Path(source))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _clean(row.get(c)) for c in COLUMNS})
    return atomic_write_text(Path(out_tsv), buf.getvalue())


def _read_decisions(tsv: Path) -> list[dict[str, Any]]:
    """Validate the whole file first; raise CurationError naming file and line on the first problem."""
    if not tsv.is_file():
        raise _problem(tsv, None, "curation file not found")
    try:
        text = tsv.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _problem(tsv, tsv.read_bytes()[:exc.start].count(b"\n") + 1, f"not UTF-8 text ({exc.reason})") from None
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    try:
        header = next(reader)
    except StopIteration:
        raise _problem(tsv, None, "empty file, expected a header row") from None
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise _problem(tsv, 1, f"header lacks column(s) {', '.join(missing)} (is this a biomine curation TSV?)")
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise _problem(tsv, line, f"{len(cells)} cells but the header has {len(header)} columns (stray tab?)")
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        decision = row["decision"].lower()
        if not decision:
            continue
        if decision not in DECISIONS:
            raise _problem(tsv, line, f"invalid decision {row['decision']!r}; use one of {', '.join(DECISIONS)} or leave empty")
        key = row["triple_key"]
        if not re.fullmatch(r"[0-9a-f]{16}", key):
            raise _problem(tsv, line, f"invalid triple_key {key!r} (16 hex characters expected)")
        if key in seen:
            raise _problem(tsv, line, f"triple_key {key} already decided on line {seen[key]}")
        seen[key] = line
        corrected = {c: row.get(c, "") or None for c in CORRECTED}
        if decision == "correct":
            if not any(corrected.values()):
                raise _problem(tsv, line, f"decision 'correct' needs a value in one of {', '.join(CORRECTED)}")
            rel = corrected["corrected_relation"]
            if rel and rel not in registry():
                raise _problem(tsv, line, f"corrected_relation {rel!r} is not one of {', '.join(registry().names)}")
            for col in ("corrected_subject_id", "corrected_object_id"):
                if corrected[col] and not _CURIE.match(corrected[col]):
                    raise _problem(tsv, line, f"{col} {corrected[col]!r} is not a CURIE like HGNC:6857")
            if corrected["corrected_site"] and not _SITE.match(corrected["corrected_site"]):
                raise _problem(tsv, line, f"corrected_site {corrected['corrected_site']!r} should look like S83 or Ser83")
        elif any(corrected.values()):
            raise _problem(tsv, line, f"corrected_* values given but decision is {decision!r} (use 'correct')")
        error_type = (row.get("error_type") or "").strip().lower() or None
        error_type = _ERROR_LABELS.get(error_type, error_type)  # "wrong direction" -> wrong_direction
        if error_type and decision != "reject":
            raise _problem(tsv, line, f"error_type {row['error_type']!r} given but decision is {decision!r} "
                                      "(an error type goes with 'reject')")
        if error_type and error_type not in store.ERROR_TYPES:
            raise _problem(tsv, line, f"invalid error_type {row['error_type']!r}; use one of "
                                      f"{', '.join(store.ERROR_TYPES)} or leave empty")
        comment = row.get("comment") or None
        if comment and len(comment) > store.MAX_NOTE:
            raise _problem(tsv, line, f"comment longer than {store.MAX_NOTE} characters")
        curator = row.get("curator") or None
        if curator and len(curator) > store.MAX_CURATOR:
            raise _problem(tsv, line, f"curator longer than {store.MAX_CURATOR} characters")
        out.append({"triple_key": key, "decision": decision, **corrected, "comment": comment,
                    "error_type": error_type, "curator": curator, "has_error_type": "error_type" in header,
                    **{c: row.get(c) or None for c in ("doc_id", "pmid", "relation", "subject", "subject_id",
                                                        "object", "object_id", "site", "rule", "sentence")}})
    return out


def curate_import(tsv: Path | str, db_path: Path | str, *, curator: str | None = None) -> dict[str, int]:
    """Record the TSV's decisions in the curation store; all rows or none. Returns counts per decision
    plus ``unmatched`` (keys not among the database's current relations: stored all the same).

    A row's ``curator`` column names who decided; ``curator`` is used where it is empty. A TSV
    without an ``error_type`` column keeps the error type already recorded for a rejection.
    Rows whose decision, error type, comment and corrections are already recorded change nothing.
    """
    tsv, db_path = Path(tsv), Path(db_path)
    rows = _read_decisions(tsv)
    counts = {d: 0 for d in DECISIONS} | {"unmatched": 0}
    now = store.now_utc()
    con = store.open_store(db_path)
    with closing(con):
        with store.batch(con):
            for row in rows:
                key = row["triple_key"]
                known = con.execute("SELECT 1 FROM relations WHERE triple_key = ?", (key,)).fetchone()
                counts["unmatched"] += known is None
                error_type = row["error_type"]
                if not row["has_error_type"] and row["decision"] == "reject":
                    old = store.current(con, key)
                    error_type = old["error_type"] if old and old["decision"] == "reject" else None
                snap = {"doc_id": row["doc_id"], "pmid": row["pmid"], "relation": row["relation"],
                        "subject_text": row["subject"], "subject_id": row["subject_id"], "object_text": row["object"],
                        "object_id": row["object_id"], "site": row["site"], "rules": row["rule"],
                        "sentence": row["sentence"]}
                decision = store.Decision(key, row["decision"], error_type=error_type, note=row["comment"],
                                          corrected={c: row[c] for c in CORRECTED},
                                          curator=row["curator"] or curator, source=tsv.name, snapshot=snap)
                try:
                    store.record(con, decision, now=now)
                except CurationError as exc:  # checked above already; kept as a line-less E701 for safety
                    raise _problem(tsv, None, str(exc)) from None
                counts[row["decision"]] += 1
    return counts


def curated_export(db_path: Path | str, out: Path | str) -> Path:
    """Write accepted and corrected triples to JSONL (corrections applied; ``original`` keeps the
    values the pipeline produced), one object per decision: the curated positive set."""
    with closing(store.open_store(Path(db_path))) as con:
        rows = store.decisions(con, "WHERE decision IN ('accept', 'correct')")
    lines = []
    for r in rows:
        original = {k: r[k] for k in ("relation", "subject_id", "object_id", "site")}
        item = {
            "triple_key": r["triple_key"], "decision": r["decision"], "doc_id": r["doc_id"],
            "relation": r["corrected_relation"] or r["relation"],
            "subject_text": r["subject_text"], "subject_id": r["corrected_subject_id"] or r["subject_id"],
            "object_text": r["object_text"], "object_id": r["corrected_object_id"] or r["object_id"],
            "site": r["corrected_site"] or r["site"], "sentence": r["sentence"], "comment": r["note"],
            "curator": r["curator"], "decided_at": r["decided_at"],
        }
        if r["decision"] == "correct":
            item["original"] = original
        lines.append(json.dumps(item, ensure_ascii=False) + "\n")
    return atomic_write_text(Path(out), "".join(lines))


def rejected_triples(db_path: Path | str) -> list[dict[str, Any]]:
    """Rejected triples as evaluation negatives: doc_id, relation, subject_text, object_text, site
    (plus triple_key, subject_id, object_id, error_type and note)."""
    with closing(store.open_store(Path(db_path))) as con:
        cols = ("triple_key", "doc_id", "relation", "subject_text", "subject_id", "object_text", "object_id", "site",
                "error_type", "note")
        return [{c: (r[c] or "") if c == "site" else r[c] for c in cols}
                for r in store.decisions(con, "WHERE decision = 'reject'")]
