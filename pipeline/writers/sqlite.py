"""SQLite store of documents, sentences, entities, relations and evidence, for querying and curation.

Schema (also in docs/sqlite.md, with example queries):

- ``documents(doc_id PK, path, pmid, title, text, metadata JSON)``
- ``sentences(doc_id, sentence_index, char_start, char_end, text)``, PK (doc_id, sentence_index)
- ``entities(doc_id, char_start, char_end, type, text, id, name, sentence_index, rule, kinase,
  residue, position, xrefs JSON)``, PK (doc_id, char_start, char_end, type)
- ``relations(triple_key PK, doc_id, relation, subject_* / object_* (text, type, char_start,
  char_end, id, name, key), site_text, site_start, site_end, site_residue, site_position, site)``:
  one row per mention-level triple; ``*_key`` is the grounded id or ``text:<lowercased text>``,
  ``site`` a label like ``S83`` ('' when there is none)
- ``evidence(triple_key, rule, doc_id, pmid, sentence_index, negated, hedged, trigger_start,
  trigger_end, trigger_text)``, PK (triple_key, rule): which rule found it, where, and how it was said
- ``curation(triple_key PK, decision, corrected_*, comment, snapshot of the triple, source_file,
  decided_at)``: curator decisions (see pipeline/curation/); never touched by ``write_sqlite``,
  nor is any other table the curation store creates (only :data:`RUN_TABLES` are written)
- ``run_info(key, value)``: which run wrote the run tables (``run_id``, ``schema_version``)
- view ``triples``: identical (subject_key, relation, object_key, site) across documents with
  ``n_evidence``, ``n_documents``, ``n_negated``, ``n_hedged``, ``doc_ids``, ``rules``

Idempotent: writing a document deletes its previous rows first (in one transaction
with the inserts), so re-running on the same documents leaves the database unchanged
and a re-processed document replaces its old rows; other documents are kept. ``biomine
run`` writes with ``replace=True``: the run tables then hold exactly that run.
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from pipeline.writers.jsonlines import dump_text
from pipeline.writers.keys import entity_key, site_label, triple_key
from pipeline.errors import OutputError
from pipeline.model import ProcessedDocument

SCHEMA_VERSION = 1
DB_NAME = "biomine.sqlite"
DB_SUFFIXES = (".db", ".sqlite", ".sqlite3")

# The curation table: a curator's decisions keyed by triple_key. A run never clears it; the curation store
# (pipeline/curation/store.py) creates it too, from this one definition.
CURATION_TABLE = """
CREATE TABLE IF NOT EXISTS curation (
    triple_key           TEXT PRIMARY KEY,
    decision             TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'correct')),
    corrected_relation   TEXT,
    corrected_subject_id TEXT,
    corrected_object_id  TEXT,
    corrected_site       TEXT,
    comment              TEXT,
    doc_id               TEXT,
    relation             TEXT,
    subject_text         TEXT,
    subject_id           TEXT,
    object_text          TEXT,
    object_id            TEXT,
    site                 TEXT,
    sentence             TEXT,
    source_file          TEXT,
    decided_at           TEXT NOT NULL
);
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id   TEXT PRIMARY KEY,
    path     TEXT,
    pmid     TEXT,
    title    TEXT,
    text     TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id),
    sentence_index INTEGER NOT NULL,
    char_start     INTEGER NOT NULL,
    char_end       INTEGER NOT NULL,
    text           TEXT NOT NULL,
    PRIMARY KEY (doc_id, sentence_index)
);
CREATE TABLE IF NOT EXISTS entities (
    doc_id         TEXT NOT NULL REFERENCES documents(doc_id),
    char_start     INTEGER NOT NULL,
    char_end       INTEGER NOT NULL,
    type           TEXT NOT NULL,
    text           TEXT NOT NULL,
    id             TEXT,
    name           TEXT,
    sentence_index INTEGER,
    rule           TEXT,
    kinase         INTEGER,
    residue        TEXT,
    position       INTEGER,
    xrefs          TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (doc_id, char_start, char_end, type)
);
CREATE TABLE IF NOT EXISTS relations (
    triple_key    TEXT PRIMARY KEY,
    doc_id        TEXT NOT NULL REFERENCES documents(doc_id),
    relation      TEXT NOT NULL,
    subject_text  TEXT, subject_type TEXT, subject_start INTEGER, subject_end INTEGER,
    subject_id    TEXT, subject_name TEXT, subject_key TEXT,
    object_text   TEXT NOT NULL, object_type TEXT, object_start INTEGER, object_end INTEGER,
    object_id     TEXT, object_name TEXT, object_key TEXT NOT NULL,
    site_text     TEXT, site_start INTEGER, site_end INTEGER, site_residue TEXT, site_position INTEGER,
    site          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS relations_doc ON relations(doc_id);
CREATE INDEX IF NOT EXISTS relations_triple ON relations(subject_key, relation, object_key, site);
CREATE TABLE IF NOT EXISTS evidence (
    triple_key     TEXT NOT NULL REFERENCES relations(triple_key),
    rule           TEXT NOT NULL,
    doc_id         TEXT NOT NULL,
    pmid           TEXT,
    sentence_index INTEGER NOT NULL,
    negated        INTEGER NOT NULL DEFAULT 0,
    hedged         INTEGER NOT NULL DEFAULT 0,
    trigger_start  INTEGER,
    trigger_end    INTEGER,
    trigger_text   TEXT,
    PRIMARY KEY (triple_key, rule)
);
CREATE INDEX IF NOT EXISTS evidence_doc ON evidence(doc_id);
CREATE VIEW IF NOT EXISTS triples AS
SELECT r.subject_key,
       MIN(COALESCE(r.subject_name, r.subject_text)) AS subject,
       MIN(r.subject_id)                             AS subject_id,
       r.relation,
       r.object_key,
       MIN(COALESCE(r.object_name, r.object_text))   AS object,
       MIN(r.object_id)                              AS object_id,
       r.site,
       COUNT(*)                                      AS n_evidence,
       COUNT(DISTINCT r.doc_id)                      AS n_documents,
       SUM(e.negated)                                AS n_negated,
       SUM(e.hedged)                                 AS n_hedged,
       GROUP_CONCAT(DISTINCT r.doc_id)               AS doc_ids,
       GROUP_CONCAT(DISTINCT e.rule)                 AS rules
FROM relations r JOIN evidence e ON e.triple_key = r.triple_key
GROUP BY r.subject_key, r.relation, r.object_key, r.site;
""" + CURATION_TABLE


def resolve_db_path(out: Path | str) -> Path:
    """``out`` is the database itself when it ends in .db/.sqlite/.sqlite3, else a folder for biomine.sqlite."""
    out = Path(out)
    return out if out.suffix.lower() in DB_SUFFIXES else out / DB_NAME


SCHEMA_OBJECTS = frozenset(re.findall(r"CREATE (?:TABLE|INDEX|VIEW) IF NOT EXISTS (\w+)", SCHEMA))


def connect(db_path: Path | str, *, create: bool = True, scratch: bool = False) -> sqlite3.Connection:
    """Open (and if needed create) the database with the current schema.

    A database at this schema version that holds every object of :data:`SCHEMA` is left as it
    is (running the script commits, which syncs the file: about 5 ms a time, several times a
    run). ``scratch`` (a temporary staging database) switches journal and sync off first.
    """
    db_path = Path(db_path)
    if not create and not db_path.is_file():
        raise OutputError("E504", path=db_path, detail="database not found (write it first with the sqlite exporter)")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(db_path)
    try:
        if scratch:
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise OutputError("E504", path=db_path, detail=f"schema version {version}, this biomine writes {SCHEMA_VERSION}")
        present = {name for (name,) in con.execute("SELECT name FROM sqlite_master")}
        if version != SCHEMA_VERSION or not SCHEMA_OBJECTS <= present:
            con.executescript(SCHEMA)
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            con.commit()
    except BaseException:
        con.close()
        raise
    return con


def _doc_rows(con: sqlite3.Connection, pd: ProcessedDocument, fresh: bool = False) -> None:
    doc = pd.document
    d = doc.doc_id
    if not fresh:  # tables cleared for this run already: nothing of this document to delete
        for table in ("evidence", "relations", "entities", "sentences"):
            con.execute(f"DELETE FROM {table} WHERE doc_id = ?", (d,))
    title = doc.metadata.get("title")
    con.execute(
        "INSERT INTO documents(doc_id, path, pmid, title, text, metadata) VALUES (?,?,?,?,?,?) "
        "ON CONFLICT(doc_id) DO UPDATE SET path=excluded.path, pmid=excluded.pmid, title=excluded.title, "
        "text=excluded.text, metadata=excluded.metadata",
        (d, doc.path, doc.pmid, None if title is None else str(title), doc.text,
         dump_text(doc.metadata, sort_keys=True, default=str)),
    )
    con.executemany(
        "INSERT OR IGNORE INTO sentences VALUES (?,?,?,?,?)",
        [(d, s.index, s.start, s.end, s.text) for s in pd.sentences],
    )
    con.executemany(
        "INSERT OR IGNORE INTO entities VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(d, e.start, e.end, e.type, e.text, e.id, e.name, e.sentence, e.rule, int(e.kinase), e.residue,
          e.position, dump_text(e.xrefs, sort_keys=True)) for e in pd.entities],
    )
    relations, evidence = [], []
    for rel in pd.relations:
        key = triple_key(rel)
        s, o, site = rel.subject, rel.object, rel.site
        relations.append(
            (key, d, rel.relation,
             s and s.text, s and s.type, s and s.start, s and s.end, s and s.id, s and s.name,
             entity_key(s) if s else None,
             o.text, o.type, o.start, o.end, o.id, o.name, entity_key(o),
             site and site.text, site and site.start, site and site.end, site and site.residue,
             site and site.position, site_label(site)))
        trig = rel.trigger
        evidence.append(
            (key, rel.rule, d, doc.pmid, rel.sentence.index, int(rel.negated), int(rel.hedged),
             trig and trig[0], trig and trig[1], trig and doc.text[trig[0]:trig[1]]))
    # one call per table and document (rows in the same order as one call per row)
    con.executemany("INSERT OR IGNORE INTO relations VALUES (?,?,?, ?,?,?,?,?,?,?, ?,?,?,?,?,?,?, ?,?,?,?,?,?)",
                    relations)
    con.executemany("INSERT OR REPLACE INTO evidence VALUES (?,?,?,?,?,?,?,?,?,?)", evidence)


RUN_TABLES = ("evidence", "relations", "entities", "sentences", "documents")  # what a run owns; nothing else is cleared


class SqliteSink:
    """Writes documents into the database in one transaction, committed by :meth:`close`.

    With ``replace=True`` (what ``biomine run`` uses: a run owns its database's run tables)
    the rows of :data:`RUN_TABLES` are deleted first, in the same transaction, so the
    database describes exactly this run; every other table (the curation tables of
    pipeline/curation/store.py, anything a user added) is left as it is. Without it,
    each document replaces only its own rows (upsert). ``run_info`` records which run
    wrote the rows (``run_id``, ``schema_version``); it may be set until :meth:`close`.

    With ``stage`` (a path for a temporary database) rows are written there first and
    copied into the database by :meth:`close` in one short transaction (``INSERT ...
    SELECT``, at C speed), so a long run does not hold the database's write lock while
    it processes: the curation workbench can record decisions meanwhile.
    """

    def __init__(self, out_dir: Path, *, db_path: Path | None = None, replace: bool = False,
                 run_info: dict[str, str] | None = None, stage: Path | None = None, **opts: object) -> None:
        self.path = Path(db_path) if db_path is not None else resolve_db_path(out_dir)
        self.replace = replace
        self.run_info = run_info
        self.stage = Path(stage) if stage is not None else None
        if self.stage is not None:
            connect(self.path).close()  # the target is checked (schema version) and created before any work
            self.stage.unlink(missing_ok=True)
            self.con = connect(self.stage, scratch=True)
            self.con.execute("BEGIN")
        else:
            self.con = connect(self.path)
            self.con.execute("PRAGMA busy_timeout = 30000")
            self.con.execute("BEGIN IMMEDIATE")
            if replace:
                for table in RUN_TABLES:
                    self.con.execute(f"DELETE FROM {table}")

    def add(self, pd: ProcessedDocument) -> None:
        _doc_rows(self.con, pd, fresh=self.replace or self.stage is not None)

    def close(self) -> list[Path]:
        if self.stage is None:
            try:
                _write_run_info(self.con, self.run_info)
                self.con.commit()
            finally:
                self.con.close()
            return [self.path]
        self.con.commit()
        self.con.close()
        try:
            self._merge()
        finally:
            self.stage.unlink(missing_ok=True)
        return [self.path]

    def _merge(self) -> None:
        con = connect(self.path)
        try:
            con.execute("PRAGMA busy_timeout = 30000")
            con.execute("ATTACH DATABASE ? AS stage", (str(self.stage),))
            con.execute("BEGIN IMMEDIATE")
            try:
                if self.replace:
                    for table in RUN_TABLES:
                        con.execute(f"DELETE FROM main.{table}")
                else:
                    for table in RUN_TABLES:
                        con.execute(f"DELETE FROM main.{table} WHERE doc_id IN (SELECT doc_id FROM stage.documents)")
                for table in reversed(RUN_TABLES):  # documents first
                    con.execute(f"INSERT OR REPLACE INTO main.{table} SELECT * FROM stage.{table}")
                _write_run_info(con, self.run_info)
                con.commit()
            except BaseException:
                con.rollback()
                raise
            con.execute("DETACH DATABASE stage")
        finally:
            con.close()

    def abort(self) -> None:
        try:
            self.con.rollback()
        finally:
            self.con.close()
            if self.stage is not None:
                self.stage.unlink(missing_ok=True)


def _write_run_info(con: sqlite3.Connection, run_info: dict[str, str] | None) -> None:
    if run_info:
        con.execute("CREATE TABLE IF NOT EXISTS run_info (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("DELETE FROM run_info")
        con.executemany("INSERT INTO run_info VALUES (?, ?)", sorted(run_info.items()))


def write_sqlite(docs: Iterable[ProcessedDocument], out_dir: Path, *, db_path: Path | None = None,
                 **opts: object) -> list[Path]:
    """Upsert ``docs`` into ``db_path`` (default ``out_dir/biomine.sqlite``) in one transaction.

    ``out_dir`` may itself be a database path (``*.db``/``*.sqlite``). Curation rows are kept.
    """
    from pipeline.writers import drive

    return drive(SqliteSink(out_dir, db_path=db_path, **opts), docs)
