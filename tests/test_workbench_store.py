"""The curation store: decisions outlive re-runs and rebuilt run tables, the older table is migrated and
mirrored, invalid decisions are refused (E704), and per-rule precision is computed from the decisions."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.curation import store
from pipeline.curation.feedback import rule_precision, to_text, to_tsv
from pipeline.errors import CurationError
from pipeline.writers.load import load_output_dir
from pipeline.writers.sqlite import write_sqlite
from test_workbench_support import FIXTURE, make_db, synthetic_docs


@pytest.fixture
def docs():
    return load_output_dir(FIXTURE)


@pytest.fixture
def db(docs, tmp_path):
    return write_sqlite(docs, tmp_path / "b.sqlite")[0]


def _keys(db: Path, where: str = "") -> list[str]:
    with closing(sqlite3.connect(db)) as con:
        return [r[0] for r in con.execute(f"SELECT triple_key FROM relations {where} ORDER BY triple_key")]


def _find(db: Path, relation: str, subject: str, obj: str) -> str:
    with closing(sqlite3.connect(db)) as con:
        row = con.execute("SELECT triple_key FROM relations WHERE relation = ? AND subject_text = ? AND object_text = ?",
                          (relation, subject, obj)).fetchone()
    assert row, (relation, subject, obj)
    return row[0]


def test_record_is_idempotent_logged_and_mirrored(db):
    key = _find(db, "phosphorylation", "Akt", "ASK1")
    with closing(store.open_store(db)) as con:
        row, changed = store.record(con, store.Decision(key, "accept", note="clear case", curator="ann"),
                                    now="2024-01-01T00:00:00+00:00")
        assert changed and row["curator"] == "ann" and row["relation"] == "phosphorylation"
        assert row["subject_text"] == "Akt" and row["pmid"] == "11154276" and "ASK1" in row["sentence"]
        again, changed = store.record(con, store.Decision(key, "accept", note="clear case", curator="bob"))
        assert not changed and again["curator"] == "ann" and again["decided_at"] == "2024-01-01T00:00:00+00:00"
        _, changed = store.record(con, store.Decision(key, "reject", error_type="wrong_direction", curator="bob"))
        assert changed
        assert [(h["decision"], h["error_type"], h["curator"]) for h in store.history(con, key)] == [
            ("accept", None, "ann"), ("reject", "wrong_direction", "bob")]
        legacy = con.execute("SELECT decision, comment, subject_text FROM curation WHERE triple_key = ?", (key,)).fetchone()
        assert legacy == ("reject", None, "Akt")  # the older table follows, for evaluate --negatives
        assert store.clear(con, key, curator="bob") and not store.clear(con, key)
        assert store.current(con, key) is None
        assert con.execute("SELECT COUNT(*) FROM curation").fetchone()[0] == 0
        assert [h["decision"] for h in store.history(con, key)] == ["accept", "reject", None]


def test_decisions_survive_reruns_and_rebuilt_tables(docs, db, tmp_path):
    key = _find(db, "phosphorylation", "Akt", "ASK1")
    gone = _find(db, "activation", "Raf", "c-Jun N-terminal kinase")
    with closing(store.open_store(db)) as con:
        store.record(con, store.Decision(key, "accept", curator="ann"))
        store.record(con, store.Decision(gone, "reject", error_type="negation_hedging_missed", note="'not'"))
        before = store.decisions(con)
        assert store.counts(con)["accept"] == 1 and store.counts(con)["reject"] == 1

    write_sqlite(docs, db)  # a plain re-run
    with sqlite3.connect(db) as con:  # a run that rebuilds its tables from scratch
        for table in ("evidence", "relations", "entities", "sentences", "documents"):
            con.execute(f"DROP TABLE {table}")
        assert con.execute("SELECT COUNT(*) FROM curation_decisions").fetchone()[0] == 2
    write_sqlite(docs, db)
    with closing(store.open_store(db)) as con:
        assert store.decisions(con) == before
        assert con.execute("SELECT name FROM sqlite_master WHERE name = 'wb_relations_relation'").fetchone()
        counts = store.counts(con)
        assert (counts["accept"], counts["reject"], counts["retired"]) == (1, 1, 0)

    # a run without the document of the rejected triple: the decision is kept, the triple is 'retired'
    with closing(store.open_store(db)) as con:
        con.execute("DELETE FROM relations WHERE doc_id = '001_0c3f343b978a272f'")
        con.commit()
        assert store.counts(con)["retired"] == 1 and store.current(con, gone)["error_type"] == "negation_hedging_missed"


def test_older_curation_rows_are_migrated_once(db):
    key = _find(db, "phosphorylation", "Akt", "ASK1")
    with sqlite3.connect(db) as con:  # what biomine wrote before the store existed
        con.execute("INSERT INTO curation (triple_key, decision, comment, doc_id, relation, subject_text, object_text, "
                    "source_file, decided_at) VALUES (?, 'reject', 'old note', 'd', 'phosphorylation', 'Akt', 'ASK1', "
                    "'review.tsv', '2023-05-01T10:00:00+00:00')", (key,))
    with closing(store.open_store(db)) as con:
        row = store.current(con, key)
        assert (row["decision"], row["note"], row["source"], row["decided_at"]) == (
            "reject", "old note", "review.tsv", "2023-05-01T10:00:00+00:00")
        assert len(store.history(con, key)) == 1
        store.clear(con, key)
    with closing(store.open_store(db)) as con:  # opening again does not bring a withdrawn decision back
        assert store.current(con, key) is None
        assert store.ensure_schema(con) == 0


@pytest.mark.parametrize("decision, message", [
    (store.Decision("zz", "accept"), "16 hex characters"),
    (store.Decision("0123456789abcdef", "maybe"), "decision 'maybe' is not one of"),
    (store.Decision("0123456789abcdef", "accept", error_type="wrong_entity"), "goes with a rejection"),
    (store.Decision("0123456789abcdef", "reject", error_type="typo"), "error type 'typo' is not one of"),
    (store.Decision("0123456789abcdef", "reject", note="x" * 2001), "note longer than 2000"),
    (store.Decision("0123456789abcdef", "correct"), "needs a value"),
    (store.Decision("0123456789abcdef", "accept", corrected={"corrected_site": "S1"}), "corrected values given"),
])
def test_invalid_decisions_are_refused(db, decision, message):
    with closing(store.open_store(db)) as con:
        with pytest.raises(CurationError, match=message) as info:
            store.record(con, decision)
        assert info.value.code == "E704"
        assert store.decisions(con) == []


def test_unknown_triples_only_with_a_snapshot(db):
    with closing(store.open_store(db)) as con:
        with pytest.raises(CurationError, match="no such triple"):
            store.record(con, store.Decision("0123456789abcdef", "accept"), require_known=True)
        row, _ = store.record(con, store.Decision("0123456789abcdef", "accept", snapshot={"relation": "binding"}))
        assert row["relation"] == "binding" and store.counts(con)["retired"] == 1


def test_batch_is_all_or_nothing(db):
    keys = _keys(db)[:3]
    with closing(store.open_store(db)) as con:
        with pytest.raises(CurationError):
            with store.batch(con):
                store.record(con, store.Decision(keys[0], "accept"))
                store.record(con, store.Decision(keys[1], "accept"))
                store.record(con, store.Decision(keys[2], "nope"))
        assert store.decisions(con) == []
        with store.batch(con):
            for k in keys:
                store.record(con, store.Decision(k, "accept"))
        assert len(store.decisions(con)) == 3


def test_rule_precision(tmp_path):
    db = make_db(tmp_path / "syn.sqlite", 60)
    with closing(store.open_store(db)) as con:
        by_rule: dict[str, list[str]] = {}
        for key, rule in con.execute("SELECT triple_key, rule FROM evidence ORDER BY triple_key, rule"):
            by_rule.setdefault(rule, []).append(key)
        passive = by_rule["activation.passive"]
        assert len(passive) >= 5
        store.record(con, store.Decision(passive[0], "accept"))
        store.record(con, store.Decision(passive[1], "accept"))
        store.record(con, store.Decision(passive[2], "reject", error_type="wrong_direction"))
        store.record(con, store.Decision(passive[3], "reject"))  # a TSV rejection without a reason
        store.record(con, store.Decision(passive[4], "correct", corrected={"corrected_relation": "inhibition"}))
        rows = {s.rule: s for s in rule_precision(con)}
        p = rows["activation.passive"]
        assert (p.triples, p.accepted, p.rejected, p.corrected, p.undecided) == (len(passive), 2, 2, 1, len(passive) - 5)
        assert p.precision == pytest.approx(2 / 5)
        assert p.reasons == {"wrong_direction": 1, "unspecified": 1}
        assert rows["binding.active"].precision is None
        # a triple found by two rules counts for both
        alt = next(r for r in rows if r.endswith("_alt"))
        shared = by_rule[alt][0]
        base = alt[:-4]
        store.record(con, store.Decision(shared, "reject", error_type="not_in_text"))
        rows = {s.rule: s for s in rule_precision(con)}
        assert rows[alt].reasons == {"not_in_text": 1} and rows[base].reasons.get("not_in_text") == 1
        worst = rule_precision(con, "precision")
        assert worst[0].precision == 0.0 and worst[-1].precision is None

        tsv = to_tsv(rule_precision(con)).splitlines()
        assert tsv[0].split("\t")[:7] == ["rule", "triples", "accepted", "rejected", "corrected", "undecided", "precision"]
        line = next(x.split("\t") for x in tsv if x.startswith("activation.passive\t"))
        header = tsv[0].split("\t")
        assert line[6] == "0.40" and line[header.index("wrong_direction")] == "1"
        text = to_text(rule_precision(con))
        assert "activation.passive" in text and "wrong direction 1" in text and text.splitlines()[-1].startswith("all rules")


def test_curate_rules_command(tmp_path):
    db = make_db(tmp_path / "syn.sqlite", 30)
    with closing(store.open_store(db)) as con:
        key = con.execute("SELECT triple_key FROM evidence WHERE rule = 'activation.passive'").fetchone()[0]
        store.record(con, store.Decision(key, "reject", error_type="wrong_relation"))
    runner = CliRunner()
    result = runner.invoke(app, ["curate", "rules", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "activation.passive" in result.output and "wrong relation 1" in result.output
    result = runner.invoke(app, ["curate", "rules", "--db", str(db), "--format", "tsv", "--sort", "rejected"])
    assert result.exit_code == 0 and result.output.splitlines()[1].startswith("activation.passive\t")
    out = tmp_path / "rules.tsv"
    assert runner.invoke(app, ["curate", "rules", "--db", str(db), "--format", "tsv", "-o", str(out)]).exit_code == 0
    assert out.read_text().startswith("rule\ttriples\t")
    bad = runner.invoke(app, ["curate", "rules", "--db", str(db), "--format", "xml"])
    assert bad.exit_code == 2 and "[E801]" in bad.output
    missing = runner.invoke(app, ["curate", "rules", "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 1 and "[E504]" in missing.output


def test_synthetic_database_has_the_size_asked(tmp_path):
    docs = synthetic_docs(25, per_doc=10)
    assert len(docs) == 3 and sum(len({(r.subject.start, r.object.start) for r in pd.relations}) for pd in docs) == 25
