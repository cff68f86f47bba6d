"""Curator-rejected triples as negatives, from a review TSV or straight from the SQLite curation table.

The database is read with sqlite3 alone: the evaluation must not import pipeline.curation or
pipeline.writers (checked in a fresh interpreter).
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from pipeline.errors import GoldError
from pipeline.evaluation.negatives import read_rejected
from pipeline.evaluation.scoring import evaluate
from standoff_helpers import _nth, write_standoff

TEXT = "RAF1 activates MEK1. JNK1 binds c-Jun. MEKK1 phosphorylates IkBa at Ser-32."
A1 = [("T1", "Protein", "RAF1"), ("T2", "Protein", "MEK1"), ("T3", "Protein", "JNK1"), ("T4", "Protein", "c-Jun"),
      ("T5", "Protein", "MEKK1"), ("T6", "Protein", "IkBa")]
A2 = [("T7", "Positive_regulation", "activates"), ("T8", "Binding", "binds"), ("T9", "Phosphorylation", "phosphorylates"),
      ("T10", "Entity", "Ser-32"), "E1\tPositive_regulation:T7 Theme:T2 Cause:T1", "E2\tBinding:T8 Theme:T3 Theme2:T4",
      "E3\tPhosphorylation:T9 Theme:T6 Cause:T5 Site:T10"]
REJECTED = [  # doc_id, relation, subject_text, object_text, site
    ("d1", "activation", "MEK1", "RAF1", ""),  # matches the wrong-direction prediction (rule A2)
    ("d1", "binding", "c-Jun", "JNK1", ""),  # binding is unordered: matches JNK1/c-Jun (rule B1)
    ("d1", "phosphorylation", "MEKK1", "IkBa", "S36"),  # another site: no match
    ("d1", "phosphorylation", "MEKK1", "IkBa", "S32"),  # site label as curate writes it (rule P1)
]
EXPECTED = {"rows": 4, "hits": 3, "by_rule": {"A2": 1, "B1": 1, "P1": 1}}


def _ent(surface: str) -> dict:
    start = _nth(TEXT, surface)
    return {"text": surface, "type": "PROTEIN", "start": start, "end": start + len(surface)}


@pytest.fixture()
def case(tmp_path: Path) -> tuple[Path, Path]:
    gold = write_standoff(tmp_path / "gold", "d1", TEXT, A1, A2).parent
    site = {**_ent("Ser-32"), "type": "SITE", "residue": "S", "position": 32}
    rows = [("activation", "RAF1", "MEK1", None, "A1"), ("activation", "MEK1", "RAF1", None, "A2"),
            ("binding", "JNK1", "c-Jun", None, "B1"), ("phosphorylation", "MEKK1", "IkBa", site, "P1")]
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "relations.jsonl").write_text("".join(json.dumps({
        "doc_id": "d1", "relation": r, "subject": _ent(s), "object": _ent(o), "site": st, "negated": False,
        "hedged": False, "rule": rule, "sentence": {"text": ""}}) + "\n" for r, s, o, st, rule in rows), encoding="utf-8")
    return gold, pred


def _write_tsv(path: Path) -> Path:
    lines = ["doc_id\trelation\tsubject_text\tobject_text\tsite\tcomment"] + ["\t".join(r) + "\tx" for r in REJECTED]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _write_db(path: Path) -> Path:
    """A biomine database made by the real writer schema, with curator decisions inserted as curate would."""
    from pipeline.writers.sqlite import connect  # the test process may import writers; the evaluation may not

    with closing(connect(path)) as con:
        for n, (doc, rel, subj, obj, site) in enumerate(REJECTED):
            con.execute("INSERT INTO curation(triple_key, decision, doc_id, relation, subject_text, object_text, site, decided_at) "
                        "VALUES (?, 'reject', ?, ?, ?, ?, ?, '2024-01-01')", (f"k{n}", doc, rel, subj, obj, site or None))
        con.execute("INSERT INTO curation(triple_key, decision, doc_id, relation, subject_text, object_text, decided_at) "
                    "VALUES ('ok', 'accept', 'd1', 'activation', 'RAF1', 'MEK1', '2024-01-01')")  # accepted: not a negative
        con.commit()
    return path


@pytest.mark.parametrize("kind", ["tsv", "sqlite", "db"])
def test_negatives_from_tsv_or_database(case: tuple[Path, Path], tmp_path: Path, kind: str) -> None:
    source = _write_tsv(tmp_path / "rejected.tsv") if kind == "tsv" else _write_db(tmp_path / f"biomine.{kind}")
    assert len(read_rejected(source)) == 4
    report = evaluate(*case, negatives=source)
    assert {k: report.rejected[k] for k in EXPECTED} == EXPECTED
    assert {r.rule: r.rejected_hits for r in report.rules if r.mode == "overlap" and r.task == "activation"} == {"A1": 0, "A2": 1}


def test_database_negatives_without_importing_curation_or_writers(case: tuple[Path, Path], tmp_path: Path) -> None:
    db = _write_db(tmp_path / "biomine.sqlite")
    code = (
        "import json, sys\n"
        "from pipeline.evaluation.command import evaluate_command\n"
        f"code = evaluate_command({str(case[0])!r}, {str(case[1])!r}, as_json=True, negatives={str(db)!r})\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('pipeline.curation', 'pipeline.writers')))\n"
        "print(json.dumps({'code': code, 'loaded': loaded}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    *report_lines, last = done.stdout.strip().splitlines()
    assert json.loads(last) == {"code": 0, "loaded": []}
    assert {k: json.loads("\n".join(report_lines))["rejected"][k] for k in EXPECTED} == EXPECTED


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("missing.tsv", None, "file not found"),
        ("bad.tsv", "doc_id\trelation\tsubject\n", "line 1: the TSV lacks column(s) subject_text, object_text, site"),
        ("latin.tsv", "doc_id\tcaf\u00e9\n", "not UTF-8"),
        ("other.sqlite", "sqlite:other", "no such table: curation"),
        ("garbage.db", "not a database at all, just text", "not a biomine database"),
    ],
)
def test_unreadable_negatives_are_coded(tmp_path: Path, name: str, content: str | None, fragment: str) -> None:
    path = tmp_path / name
    if content == "sqlite:other":
        with closing(sqlite3.connect(path)) as con:
            con.execute("CREATE TABLE other(x)")
    elif content is not None:
        path.write_bytes(content.encode("latin-1" if name.startswith("latin") else "utf-8"))
    with pytest.raises(GoldError, match=r"\[E606\] ") as info:
        read_rejected(path)
    assert fragment in str(info.value) and name in str(info.value)
    if content == "sqlite:other":  # opened read-only: no curation table created as a side effect
        with closing(sqlite3.connect(path)) as con:
            assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["other"]
