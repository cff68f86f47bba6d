"""Curation round trip: TSV out, decisions in (all or nothing), decisions survive re-runs.

Decisions live in the curation store (pipeline/curation/store.py, table curation_decisions), shared
with the review workbench; the older ``curation`` table is kept as a mirror for its readers."""
from __future__ import annotations

import csv
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.curation import store
from pipeline.curation.decisions import COLUMNS, curate_export, curate_import, curated_export, rejected_triples
from pipeline.errors import CurationError, OutputError
from pipeline.writers.keys import triple_key
from pipeline.writers.load import load_output_dir
from pipeline.writers.sqlite import write_sqlite

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"


@pytest.fixture
def docs():
    return load_output_dir(FIXTURE)


@pytest.fixture
def db(docs, tmp_path):
    return write_sqlite(docs, tmp_path / "b.sqlite")[0]


def _read(tsv: Path) -> list[dict[str, str]]:
    with tsv.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _write(tsv: Path, rows: list[dict[str, str]]) -> None:
    with tsv.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _find(rows, relation, subject, obj):
    hits = [r for r in rows if (r["relation"], r["subject"], r["object"]) == (relation, subject, obj)]
    assert hits, (relation, subject, obj)
    return hits[0]


def _curation(db: Path) -> list[tuple]:
    """The older table (a mirror of the store) and the store's own table."""
    with sqlite3.connect(db) as con:
        legacy = con.execute("SELECT * FROM curation ORDER BY triple_key").fetchall()
        ours = con.execute("SELECT * FROM curation_decisions ORDER BY triple_key").fetchall()
    assert [(r[0], r[1]) for r in legacy] == [(r[0], r[1]) for r in ours]
    return legacy + ours


def test_export_from_docs_and_db_agree(docs, db, tmp_path):
    a = _read(curate_export(docs, tmp_path / "a.tsv"))
    b = _read(curate_export(db, tmp_path / "b.tsv"))
    assert len(a) == len(b) == 15
    assert list(a[0]) == list(COLUMNS)
    key = lambda r: r["triple_key"]  # noqa: E731
    strip = lambda r: {k: v for k, v in r.items() if k != "rule"}  # noqa: E731
    assert [strip(r) for r in sorted(a, key=key)] == [strip(r) for r in sorted(b, key=key)]
    assert {r["triple_key"] for r in a} == {triple_key(r) for pd in docs for r in pd.relations}
    phos = _find(a, "phosphorylation", "Akt", "ASK1")
    assert (phos["subject_id"], phos["object_id"], phos["site"], phos["pmid"]) == ("FPLX:AKT", "HGNC:6857", "S83", "11154276")
    assert all("\n" not in r["sentence"] and r["decision"] == "" for r in a)
    assert _find(a, "activation", "Raf", "c-Jun N-terminal kinase")["negated"] == "true"


def test_import_decisions_survive_rerun(docs, db, tmp_path):
    rows = _read(curate_export(db, tmp_path / "review.tsv"))
    _find(rows, "phosphorylation", "Akt", "ASK1")["decision"] = "accept"
    _find(rows, "activation", "Raf", "c-Jun N-terminal kinase")["decision"] = "Reject"
    fix = _find(rows, "activation", "TNF-α", "ASK1")
    fix.update(decision="correct", corrected_relation="stress_activates_target", comment="TNF as a stressor")
    assoc = _find(rows, "association", "It", "cancer")
    assoc.update(decision="correct", corrected_subject_id="HGNC:6857", corrected_object_id="DOID:1612")
    _write(tmp_path / "review.tsv", rows)

    counts = curate_import(tmp_path / "review.tsv", db)
    assert counts == {"accept": 1, "reject": 1, "correct": 2, "unmatched": 0}
    recorded = _curation(db)
    assert curate_import(tmp_path / "review.tsv", db) == counts
    assert _curation(db) == recorded  # re-import changes nothing, not even decided_at

    write_sqlite(docs, db)  # pipeline re-run
    assert _curation(db) == recorded
    again = _read(curate_export(db, tmp_path / "again.tsv"))
    assert _find(again, "phosphorylation", "Akt", "ASK1")["decision"] == "accept"
    assert _find(again, "activation", "TNF-α", "ASK1")["corrected_relation"] == "stress_activates_target"

    neg = rejected_triples(db)
    assert [(r["doc_id"], r["relation"], r["subject_text"], r["object_text"], r["site"]) for r in neg] == [
        ("001_0c3f343b978a272f", "activation", "Raf", "c-Jun N-terminal kinase", "")]
    with closing(store.open_store(db)) as con:
        rows = {r["subject_text"]: r for r in store.decisions(con)}
    assert rows["TNF-α"]["note"] == "TNF as a stressor" and rows["TNF-α"]["source"] == "review.tsv"
    assert rows["Akt"]["rules"] == "phos_by_ing_site" and rows["Akt"]["pmid"] == "11154276"

    out = curated_export(db, tmp_path / "curated.jsonl")
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(i["decision"] for i in items) == ["accept", "correct", "correct"]
    tnf = next(i for i in items if i["subject_text"] == "TNF-α")
    assert tnf["relation"] == "stress_activates_target" and tnf["original"]["relation"] == "activation"
    cancer = next(i for i in items if i["object_text"] == "cancer")
    assert cancer["object_id"] == "DOID:1612" and cancer["original"]["object_id"] == "DOID:162"
    phos = next(i for i in items if i["decision"] == "accept")
    assert (phos["relation"], phos["site"], "original" in phos) == ("phosphorylation", "S83", False)


@pytest.mark.parametrize("change, message", [
    ({"decision": "maybe"}, r"review.tsv:3: invalid decision 'maybe'"),
    ({"decision": "correct"}, r"review.tsv:3: decision 'correct' needs a value"),
    ({"decision": "correct", "corrected_relation": "phosphorylates"}, r":3: corrected_relation 'phosphorylates' is not one of"),
    ({"decision": "correct", "corrected_object_id": "6857"}, r":3: corrected_object_id '6857' is not a CURIE"),
    ({"decision": "correct", "corrected_site": "serine-83"}, r":3: corrected_site 'serine-83'"),
    ({"decision": "accept", "corrected_site": "S84"}, r":3: corrected_\* values given but decision is 'accept'"),
    ({"decision": "accept", "triple_key": "zz"}, r":3: invalid triple_key 'zz'"),
])
def test_bad_rows_change_nothing(db, tmp_path, change, message):
    tsv = tmp_path / "review.tsv"
    rows = _read(curate_export(db, tsv))
    rows[0]["decision"] = "accept"  # a valid row before the bad one must not be stored either
    rows[1].update(change)
    _write(tsv, rows)
    with pytest.raises(CurationError, match=message):
        curate_import(tsv, db)
    assert _curation(db) == []


def test_malformed_files(db, tmp_path):
    tsv = tmp_path / "bad.tsv"
    tsv.write_text("foo\tbar\n1\t2\n")
    with pytest.raises(CurationError, match=r"bad.tsv:1: header lacks column\(s\) triple_key, decision"):
        curate_import(tsv, db)
    tsv.write_text("")
    with pytest.raises(CurationError, match="empty file"):
        curate_import(tsv, db)
    rows = _read(curate_export(db, tmp_path / "r.tsv"))
    rows[0]["decision"] = "accept"
    _write(tsv, rows + [rows[0]])
    with pytest.raises(CurationError, match=r"bad.tsv:17: triple_key .* already decided on line 2"):
        curate_import(tsv, db)
    text = (tmp_path / "r.tsv").read_text().splitlines()
    text[1] = text[1] + "\textra"
    tsv.write_text("\n".join(text) + "\n")
    with pytest.raises(CurationError, match=r"bad.tsv:2: .*stray tab"):
        curate_import(tsv, db)
    with pytest.raises(OutputError, match="database not found"):
        curate_import(tmp_path / "r.tsv", tmp_path / "missing.sqlite")
    assert not (tmp_path / "missing.sqlite").exists()
    assert _curation(db) == []


def test_commands(db, tmp_path):
    runner = CliRunner()

    def cli(*args: object):
        return runner.invoke(app, [str(a) for a in args])

    assert cli("curate", "export", db, "--out", tmp_path / "c.tsv").exit_code == 0
    assert cli("curate", "export", FIXTURE, "--out", tmp_path / "d.tsv").exit_code == 0
    rows = _read(tmp_path / "c.tsv")
    rows[0]["decision"] = "reject"
    _write(tmp_path / "c.tsv", rows)
    result = cli("curate", "import", tmp_path / "c.tsv", "--db", db)
    assert result.exit_code == 0 and "reject: 1" in result.output
    rows[0]["decision"] = "nope"
    _write(tmp_path / "c.tsv", rows)
    result = cli("curate", "import", tmp_path / "c.tsv", "--db", db)
    assert result.exit_code == 1 and "[E701]" in result.output and "invalid decision 'nope'" in result.output
    assert "Traceback" not in result.output
    result = cli("curate", "export", tmp_path / "missing", "--out", tmp_path / "e.tsv")
    assert result.exit_code == 1 and "[E502]" in result.output
    assert not (tmp_path / "e.tsv").exists()


def test_workbench_decisions_round_trip_through_the_tsv(db, tmp_path):
    """A decision made in the workbench (error type, note, curator) is exported, and re-importing the
    file changes nothing; a TSV's error types and curators are recorded."""
    tsv = tmp_path / "review.tsv"
    rows = _read(curate_export(db, tsv))
    raf = _find(rows, "activation", "Raf", "c-Jun N-terminal kinase")["triple_key"]
    with closing(store.open_store(db)) as con:
        store.record(con, store.Decision(raf, "reject", error_type="negation_hedging_missed", note="'not'",
                                         curator="ann"))
        before = store.decisions(con)
    rows = _read(curate_export(db, tsv))
    exported = _find(rows, "activation", "Raf", "c-Jun N-terminal kinase")
    assert (exported["decision"], exported["error_type"], exported["comment"], exported["curator"]) == (
        "reject", "negation_hedging_missed", "'not'", "ann")
    assert curate_import(tsv, db) == {"accept": 0, "reject": 1, "correct": 0, "unmatched": 0}
    with closing(store.open_store(db)) as con:
        assert store.decisions(con) == before  # unchanged: same curator, same time

    akt = _find(rows, "phosphorylation", "Akt", "ASK1")
    akt.update(decision="reject", error_type="wrong direction")  # the label's spelling is accepted too
    it = _find(rows, "association", "It", "cancer")
    it.update(decision="accept")
    _write(tsv, rows)
    counts = curate_import(tsv, db, curator="bob")
    assert counts == {"accept": 1, "reject": 2, "correct": 0, "unmatched": 0}
    with closing(store.open_store(db)) as con:
        got = {r["subject_text"]: (r["decision"], r["error_type"], r["curator"]) for r in store.decisions(con)}
    assert got == {"Raf": ("reject", "negation_hedging_missed", "ann"), "Akt": ("reject", "wrong_direction", "bob"),
                   "It": ("accept", None, "bob")}

    # a TSV without the error_type column keeps the recorded error type
    plain = [{k: v for k, v in r.items() if k not in ("error_type", "curator")} for r in rows]
    with tsv.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[c for c in COLUMNS if c not in ("error_type", "curator")], delimiter="\t",
                           lineterminator="\n")
        w.writeheader()
        w.writerows(plain)
    curate_import(tsv, db)
    with closing(store.open_store(db)) as con:
        assert store.current(con, akt["triple_key"])["error_type"] == "wrong_direction"


@pytest.mark.parametrize("change, message", [
    ({"decision": "reject", "error_type": "typo"}, r":3: invalid error_type 'typo'"),
    ({"decision": "accept", "error_type": "other"}, r":3: error_type 'other' given but decision is 'accept'"),
    ({"decision": "accept", "comment": "x" * 2001}, r":3: comment longer than 2000"),
])
def test_bad_error_types_change_nothing(db, tmp_path, change, message):
    tsv = tmp_path / "review.tsv"
    rows = _read(curate_export(db, tsv))
    rows[0]["decision"] = "accept"
    rows[1].update(change)
    _write(tsv, rows)
    with pytest.raises(CurationError, match=message):
        curate_import(tsv, db)
    assert _curation(db) == []
