"""SQLite export: schema, idempotency, per-document replacement, the triples view and the documented queries."""
from __future__ import annotations

import copy
import re
import sqlite3
from pathlib import Path

import pytest

from pipeline.errors import OutputError
from pipeline.writers.load import load_output_dir
from pipeline.writers.sqlite import write_sqlite

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "sample_output"
DOC = ROOT / "docs" / "sqlite.md"


@pytest.fixture
def docs():
    return load_output_dir(FIXTURE)


@pytest.fixture
def db(docs, tmp_path):
    (path,) = write_sqlite(docs, tmp_path)
    assert path == tmp_path / "biomine.sqlite"
    return path


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as con:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("documents", "sentences", "entities", "relations", "evidence", "curation")}


def _dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_rows(db, docs):
    assert _counts(db) == {
        "documents": 2, "sentences": sum(len(pd.sentences) for pd in docs), "entities": 28,
        "relations": 15, "evidence": 15, "curation": 0,
    }
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 1
        row = con.execute("SELECT subject_id, object_id, site, site_residue, site_position FROM relations "
                          "WHERE relation='phosphorylation' AND subject_id IS NOT NULL").fetchone()
        assert row == ("FPLX:AKT", "HGNC:6857", "S83", "S", 83)
        neg = con.execute("SELECT e.negated, e.trigger_text FROM evidence e JOIN relations r USING (triple_key) "
                          "WHERE r.subject_id='FPLX:RAF'").fetchone()
        assert neg == (1, "independent")


def test_rerun_is_idempotent(db, docs):
    before = _dump(db)
    write_sqlite(docs, db)  # a path ending in .sqlite is the database itself
    write_sqlite(load_output_dir(FIXTURE), db.parent)
    assert _dump(db) == before


def test_reprocessed_document_replaces_its_rows(db, docs):
    changed = copy.deepcopy(docs[1])
    changed.relations = changed.relations[:2]
    write_sqlite([changed], db)
    counts = _counts(db)
    assert counts["documents"] == 2 and counts["relations"] == 7 + 2 and counts["evidence"] == 9
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO curation(triple_key, decision, decided_at) VALUES ('0123456789abcdef', 'reject', 'now')")
    write_sqlite(docs, db)
    assert _counts(db) == {**counts, "relations": 15, "evidence": 15, "curation": 1}  # curation survives


def test_triples_view(db):
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        rows = {(r["subject"], r["relation"], r["object"], r["site"]): dict(r) for r in con.execute("SELECT * FROM triples")}
    assert len(rows) == 12
    jnk = rows[("MAP3K5", "activation", "JNK", "")]
    assert (jnk["n_evidence"], jnk["n_documents"]) == (2, 2)
    assert set(jnk["doc_ids"].split(",")) == {"000_ae4789125602f252", "001_0c3f343b978a272f"}
    assert rows[("RAF", "activation", "JNK", "")]["n_negated"] == 1
    assert rows[("TNF", "activation", "MAP3K5", "")]["n_hedged"] == 1
    assert rows[(None, "phosphorylation", "MAP3K5", "S83")]["subject_key"] is None
    assert rows[("AKT", "inhibition", "MAP3K5", "")]["rules"] in ("inh_decrease_activity,inh_verb", "inh_verb,inh_decrease_activity")


def _doc_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_documented_queries(db):
    queries = _doc_queries()
    assert len(queries) == 5
    with sqlite3.connect(db) as con:
        results = [con.execute(q).fetchall() for q in queries]
    top, regulators, evidence, drugs, unreviewed = results
    assert top[0][:6] == ("MAP3K5", "activation", "JNK", "", 2, 2) and len(top) == 10
    assert {r[0] for r in regulators} == {"AKT", "Oxidative Stress", None, "NQDI-1", "TNF", "selonsertib"}
    assert [r[2] for r in evidence] == ["phos_by_ing_site", "phos_of_site_nominal"]
    assert all(r[0] == "11154276" and "serine 83" in r[5] for r in evidence)
    assert drugs == [("NQDI-1", "CHEMBL:CHEMBL1345690", "MAP3K5", 1), ("selonsertib", "CHEMBL:CHEMBL3916717", "MAP3K5", 1)]
    assert len(unreviewed) == 15


def test_failed_write_changes_nothing(db, docs):
    before = _dump(db)
    broken = copy.deepcopy(docs)
    broken[1].relations[0].sentence = None  # blows up half way through the second document
    with pytest.raises(AttributeError):
        write_sqlite(broken, db)
    assert _dump(db) == before


def test_refuses_other_schema_version(tmp_path, docs):
    path = tmp_path / "x.db"
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA user_version = 99")
    with pytest.raises(OutputError, match="E504.*schema version 99"):
        write_sqlite(docs, path)


def test_a_missing_schema_object_is_made_again_and_a_complete_database_is_left_alone(tmp_path, monkeypatch):
    from pipeline.writers.sqlite import SCHEMA_OBJECTS, connect

    path = tmp_path / "b.sqlite"
    connect(path).close()
    con = sqlite3.connect(path)
    con.execute("DROP INDEX relations_doc")
    con.commit()
    con.close()
    con = connect(path)
    assert SCHEMA_OBJECTS <= {n for (n,) in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    statements: list[str] = []
    original = sqlite3.connect

    def traced(*args, **kwargs):
        c = original(*args, **kwargs)
        c.set_trace_callback(statements.append)
        return c

    monkeypatch.setattr(sqlite3, "connect", traced)
    connect(path).close()
    assert statements and not any("CREATE" in s for s in statements)


def test_a_scratch_database_keeps_no_journal(tmp_path):
    from pipeline.writers.sqlite import connect

    con = connect(tmp_path / "stage.sqlite", scratch=True)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "off"
    con.close()
