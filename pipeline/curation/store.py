"""The curation store: curator decisions in tables of their own that a pipeline run never clears.

A run rebuilds ``relations`` and ``evidence`` (pipeline/writers/sqlite.py); decisions must
outlive that, so they live here, keyed by the stable ``triple_key`` (pipeline/writers/keys.py).
A triple that a later run produces again finds its decision again; one that is no longer
produced keeps its decision (with a snapshot of what was judged) and gets it back if it returns.

Tables (created with CREATE TABLE IF NOT EXISTS whenever a store is opened):

- ``curation_decisions``: the current decision per ``triple_key`` -- ``decision``
  (accept / reject / correct), ``error_type`` (for rejections, one of :data:`ERROR_TYPES`),
  ``note``, ``corrected_*`` (for corrections), ``curator``, ``decided_at`` (UTC, ISO 8601),
  ``source`` ('workbench', the TSV file's name, or 'curation' for migrated rows) and a snapshot
  of the judged triple (doc_id, pmid, relation, subject/object text and id, site, rules, sentence).
- ``curation_log``: every change, append-only (a cleared decision is a row with decision NULL),
  so a decision's history stays readable.

The older ``curation`` table (created by the sqlite writer; read by ``evaluate --negatives``)
is migrated on open -- its rows that the store does not have yet are copied in -- and kept as
a mirror of ``curation_decisions`` on every write, so readers of the old table keep working.

The store also adds three indexes to the run's tables for the workbench's filters (named
``wb_*``; re-created on open if a run dropped the tables). Every function takes an open
connection; :func:`open_store` gives one with the schema ensured.
"""
from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager, nullcontext as _nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from pipeline.writers.sqlite import CURATION_TABLE
from pipeline.errors import CurationError

DECISIONS = ("accept", "reject", "correct")
CORRECTED = ("corrected_relation", "corrected_subject_id", "corrected_object_id", "corrected_site")
# The error types a rejection records, in the order of the workbench's keys 1-7.
ERROR_TYPES: dict[str, str] = {
    "wrong_entity": "wrong entity",
    "wrong_grounding": "wrong grounding",
    "wrong_relation": "wrong relation",
    "wrong_direction": "wrong direction",
    "negation_hedging_missed": "negation or hedging missed",
    "not_in_text": "not in text",
    "other": "other",
}
MAX_NOTE = 2000
MAX_CURATOR = 100
KEY = re.compile(r"^[0-9a-f]{16}$")
SNAPSHOT = ("doc_id", "pmid", "relation", "subject_text", "subject_id", "object_text", "object_id", "site",
            "rules", "sentence")

SCHEMA = """
CREATE TABLE IF NOT EXISTS curation_decisions (
    triple_key           TEXT PRIMARY KEY,
    decision             TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'correct')),
    error_type           TEXT,
    note                 TEXT,
    corrected_relation   TEXT,
    corrected_subject_id TEXT,
    corrected_object_id  TEXT,
    corrected_site       TEXT,
    curator              TEXT,
    decided_at           TEXT NOT NULL,
    source               TEXT NOT NULL,
    doc_id               TEXT,
    pmid                 TEXT,
    relation             TEXT,
    subject_text         TEXT,
    subject_id           TEXT,
    object_text          TEXT,
    object_id            TEXT,
    site                 TEXT,
    rules                TEXT,
    sentence             TEXT
);
CREATE INDEX IF NOT EXISTS curation_decisions_decision ON curation_decisions(decision);
CREATE TABLE IF NOT EXISTS curation_log (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    triple_key           TEXT NOT NULL,
    decision             TEXT,
    error_type           TEXT,
    note                 TEXT,
    corrected_relation   TEXT,
    corrected_subject_id TEXT,
    corrected_object_id  TEXT,
    corrected_site       TEXT,
    curator              TEXT,
    decided_at           TEXT NOT NULL,
    source               TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS curation_log_key ON curation_log(triple_key);
""" + CURATION_TABLE  # the older single table, kept as a mirror

# Indexes on the run's tables for the workbench's filters; created only where the table exists.
RUN_INDEXES = {
    "wb_relations_relation": ("relations", "relation, doc_id"),
    "wb_relations_object": ("relations", "object_key"),
    "wb_evidence_rule": ("evidence", "rule, triple_key"),
}

_MIGRATE = """
INSERT OR IGNORE INTO curation_decisions (triple_key, decision, note, corrected_relation, corrected_subject_id,
    corrected_object_id, corrected_site, curator, decided_at, source, doc_id, relation, subject_text, subject_id,
    object_text, object_id, site, sentence)
SELECT triple_key, decision, comment, corrected_relation, corrected_subject_id, corrected_object_id, corrected_site,
    NULL, decided_at, COALESCE(source_file, 'curation'), doc_id, relation, subject_text, subject_id, object_text,
    object_id, site, sentence
FROM curation WHERE triple_key NOT IN (SELECT triple_key FROM curation_decisions)
"""

_SNAPSHOT_SQL = """
SELECT r.doc_id, d.pmid, r.relation, r.subject_text, r.subject_id, r.object_text, r.object_id, r.site,
       (SELECT GROUP_CONCAT(rule, ',') FROM (SELECT rule FROM evidence WHERE triple_key = r.triple_key ORDER BY rule))
           AS rules,
       (SELECT s.text FROM evidence e JOIN sentences s ON s.doc_id = e.doc_id AND s.sentence_index = e.sentence_index
        WHERE e.triple_key = r.triple_key ORDER BY e.rule LIMIT 1) AS sentence
FROM relations r LEFT JOIN documents d ON d.doc_id = r.doc_id
WHERE r.triple_key = ?
"""


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def ensure_schema(con: sqlite3.Connection) -> int:
    """Create the store's tables and indexes, and copy in rows of the older ``curation`` table
    that the store lacks. Returns how many rows were migrated."""
    with con:
        con.executescript(SCHEMA)
        tables = _tables(con)
        for name, (table, cols) in RUN_INDEXES.items():
            if table in tables:
                con.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table}({cols})")
        keys = [r[0] for r in con.execute(
            "SELECT triple_key FROM curation WHERE triple_key NOT IN (SELECT triple_key FROM curation_decisions)")]
        if keys:
            con.execute(_MIGRATE)
            con.execute(
                "INSERT INTO curation_log (triple_key, decision, note, corrected_relation, corrected_subject_id, "
                "corrected_object_id, corrected_site, curator, decided_at, source) "
                "SELECT triple_key, decision, note, corrected_relation, corrected_subject_id, corrected_object_id, "
                "corrected_site, curator, decided_at, source FROM curation_decisions WHERE triple_key IN "
                f"({','.join('?' * len(keys))})", keys)
    return len(keys)


def open_store(db_path: Path | str, *, create: bool = False) -> sqlite3.Connection:
    """Open a biomine database (E504 when missing, unless ``create``) with the store's schema ensured."""
    from pipeline.writers.sqlite import connect

    con = connect(Path(db_path), create=create)
    try:
        con.execute("PRAGMA busy_timeout = 10000")
        ensure_schema(con)
    except sqlite3.Error as exc:
        con.close()
        raise CurationError("E702", path=db_path, detail=str(exc)) from None
    except BaseException:
        con.close()
        raise
    return con


def _invalid(key: str, detail: str) -> CurationError:
    return CurationError("E704", key=key, detail=detail)


def clean_text(value: Any, limit: int) -> str | None:
    """Trimmed one-paragraph text without control characters, or None when empty."""
    if value is None:
        return None
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", str(value)).strip()
    if len(text) > limit:
        raise ValueError(f"longer than {limit} characters")
    return text or None


def snapshot(con: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """What the current run says about ``key`` (None when the run does not produce it)."""
    try:
        row = con.execute(_SNAPSHOT_SQL, (key,)).fetchone()
    except sqlite3.OperationalError:  # no run tables (an empty database)
        return None
    return None if row is None else dict(zip(SNAPSHOT, row))


def current(con: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """The recorded decision for ``key`` as a dict, or None."""
    cur = con.execute("SELECT * FROM curation_decisions WHERE triple_key = ?", (key,))
    row = cur.fetchone()
    return None if row is None else dict(zip([c[0] for c in cur.description], row))


def history(con: sqlite3.Connection, key: str) -> list[dict[str, Any]]:
    """Every recorded change for ``key``, oldest first."""
    cur = con.execute("SELECT * FROM curation_log WHERE triple_key = ? ORDER BY id", (key,))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def _mirror(con: sqlite3.Connection, row: dict[str, Any]) -> None:
    con.execute(
        "INSERT INTO curation (triple_key, decision, corrected_relation, corrected_subject_id, corrected_object_id, "
        "corrected_site, comment, doc_id, relation, subject_text, subject_id, object_text, object_id, site, "
        "sentence, source_file, decided_at) VALUES (:triple_key, :decision, :corrected_relation, "
        ":corrected_subject_id, :corrected_object_id, :corrected_site, :note, :doc_id, :relation, :subject_text, "
        ":subject_id, :object_text, :object_id, :site, :sentence, :source, :decided_at) "
        "ON CONFLICT(triple_key) DO UPDATE SET decision=excluded.decision, "
        "corrected_relation=excluded.corrected_relation, corrected_subject_id=excluded.corrected_subject_id, "
        "corrected_object_id=excluded.corrected_object_id, corrected_site=excluded.corrected_site, "
        "comment=excluded.comment, doc_id=excluded.doc_id, relation=excluded.relation, "
        "subject_text=excluded.subject_text, subject_id=excluded.subject_id, object_text=excluded.object_text, "
        "object_id=excluded.object_id, site=excluded.site, sentence=excluded.sentence, "
        "source_file=excluded.source_file, decided_at=excluded.decided_at", row)


def _log(con: sqlite3.Connection, row: dict[str, Any]) -> None:
    con.execute(
        "INSERT INTO curation_log (triple_key, decision, error_type, note, corrected_relation, corrected_subject_id, "
        "corrected_object_id, corrected_site, curator, decided_at, source) VALUES (:triple_key, :decision, "
        ":error_type, :note, :corrected_relation, :corrected_subject_id, :corrected_object_id, :corrected_site, "
        ":curator, :decided_at, :source)", row)


@dataclass
class Decision:
    """One decision to record; ``validate`` checks it (E704) before anything is written."""

    triple_key: str
    decision: str
    error_type: str | None = None
    note: str | None = None
    corrected: dict[str, str | None] = field(default_factory=dict)
    curator: str | None = None
    source: str = "workbench"
    snapshot: dict[str, Any] | None = None  # used when the run does not (or no longer) produce the triple

    def validate(self) -> "Decision":
        key = self.triple_key
        if not isinstance(key, str) or not KEY.match(key):
            raise _invalid(str(key)[:40], "a triple key is 16 hex characters")
        if self.decision not in DECISIONS:
            raise _invalid(key, f"decision {self.decision!r} is not one of {', '.join(DECISIONS)}")
        if self.error_type is not None:
            if self.decision != "reject":
                raise _invalid(key, f"an error type goes with a rejection, not with {self.decision!r}")
            if self.error_type not in ERROR_TYPES:
                raise _invalid(key, f"error type {self.error_type!r} is not one of {', '.join(ERROR_TYPES)}")
        unknown = set(self.corrected) - set(CORRECTED)
        if unknown:
            raise _invalid(key, f"unknown correction field(s) {', '.join(sorted(unknown))}")
        if self.decision == "correct" and not any(self.corrected.values()):
            raise _invalid(key, f"decision 'correct' needs a value in one of {', '.join(CORRECTED)}")
        if self.decision != "correct" and any(self.corrected.values()):
            raise _invalid(key, f"corrected values given but the decision is {self.decision!r}")
        try:
            self.note = clean_text(self.note, MAX_NOTE)
        except ValueError as exc:
            raise _invalid(key, f"note {exc}") from None
        try:
            self.curator = clean_text(self.curator, MAX_CURATOR)
        except ValueError as exc:
            raise _invalid(key, f"curator name {exc}") from None
        return self


def record(con: sqlite3.Connection, decision: Decision, *, now: str | None = None,
           require_known: bool = False) -> tuple[dict[str, Any], bool]:
    """Record ``decision`` in one transaction (decision, log entry, mirror row).

    Returns the stored row and whether anything changed: recording the same decision,
    error type, note and corrections again is a no-op (the first curator and time stay).
    With ``require_known`` a key that the run does not produce is refused (E704).
    """
    decision.validate()
    key = decision.triple_key
    snap = snapshot(con, key)
    if snap is None:
        if require_known:
            raise _invalid(key, "no such triple in this database")
        snap = {c: (decision.snapshot or {}).get(c) for c in SNAPSHOT}
    row: dict[str, Any] = {
        "triple_key": key, "decision": decision.decision, "error_type": decision.error_type, "note": decision.note,
        **{c: decision.corrected.get(c) or None for c in CORRECTED},
        "curator": decision.curator, "decided_at": now or now_utc(), "source": decision.source, **snap,
    }
    old = current(con, key)
    same = ("decision", "error_type", "note", *CORRECTED)
    if old is not None and all(old[c] == row[c] for c in same):
        return old, False
    cols = list(row)
    with _nullcontext() if con.in_transaction else con:  # inside batch(): its transaction
        con.execute(
            f"INSERT INTO curation_decisions ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)}) "
            f"ON CONFLICT(triple_key) DO UPDATE SET {', '.join(f'{c}=excluded.{c}' for c in cols[1:])}", row)
        _log(con, row)
        _mirror(con, row)
    return row, True


@contextmanager
def batch(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Record several decisions in one transaction: all of them or none."""
    with con:
        con.execute("BEGIN")
        yield con


def clear(con: sqlite3.Connection, key: str, *, curator: str | None = None, source: str = "workbench",
          now: str | None = None) -> bool:
    """Withdraw the decision on ``key`` (logged); False when there was none."""
    if not KEY.match(key or ""):
        raise _invalid(str(key)[:40], "a triple key is 16 hex characters")
    if current(con, key) is None:
        return False
    row = {"triple_key": key, "decision": None, "error_type": None, "note": None,
           **{c: None for c in CORRECTED}, "curator": clean_text(curator, MAX_CURATOR),
           "decided_at": now or now_utc(), "source": source}
    with con:
        con.execute("DELETE FROM curation_decisions WHERE triple_key = ?", (key,))
        con.execute("DELETE FROM curation WHERE triple_key = ?", (key,))
        _log(con, row)
    return True


def decisions(con: sqlite3.Connection, where: str = "", params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Recorded decisions (optionally ``WHERE ...`` on curation_decisions), by doc_id and key."""
    cur = con.execute(f"SELECT * FROM curation_decisions {where} ORDER BY doc_id, triple_key", tuple(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def counts(con: sqlite3.Connection) -> dict[str, int]:
    """Triples of the current run by state (undecided, accept, reject, correct), plus ``total`` and
    ``retired`` (decisions about triples the run no longer produces)."""
    out = {"total": 0, "undecided": 0, **{d: 0 for d in DECISIONS}}
    for state, n in con.execute(
            "SELECT COALESCE(c.decision, 'undecided'), COUNT(*) FROM relations r "
            "LEFT JOIN curation_decisions c ON c.triple_key = r.triple_key GROUP BY 1"):
        out[state] = n
        out["total"] += n
    out["retired"] = con.execute(
        "SELECT COUNT(*) FROM curation_decisions WHERE triple_key NOT IN (SELECT triple_key FROM relations)"
    ).fetchone()[0]
    return out
