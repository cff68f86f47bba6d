"""load_output_dir and atomic writes: the ground every exporter stands on."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.writers.atomic import atomic_write_bytes, atomic_write_text
from pipeline.errors import OutputError
from pipeline.writers.load import load_output_dir

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dst = tmp_path / "out"
    shutil.copytree(FIXTURE, dst)
    return dst


def test_fixture_loads_with_linked_entities():
    docs = load_output_dir(FIXTURE)
    assert [pd.document.doc_id for pd in docs] == ["000_ae4789125602f252", "001_0c3f343b978a272f"]
    assert sum(len(pd.entities) for pd in docs) == 28
    assert sum(len(pd.relations) for pd in docs) == 15
    d0 = docs[0]
    assert d0.document.pmid == "11154276"
    assert docs[1].document.pmid is None
    phos = d0.relations[0]
    assert phos.relation == "phosphorylation" and phos.subject.id == "FPLX:AKT"
    # relation arguments are the full entity rows, with xrefs and kinase flag
    assert phos.object.xrefs == {"UP": "Q99683", "EGID": "4217"} and phos.object.kinase
    assert (phos.site.residue, phos.site.position) == ("S", 83)
    assert phos.object is next(e for e in d0.entities if e.start == phos.object.start)
    # sentences are rebuilt from the relations
    assert [s.index for s in d0.sentences] == sorted({r.sentence.index for r in d0.relations})
    for pd in docs:
        for e in pd.entities:
            assert pd.document.text[e.start:e.end] == e.text
    # a resolved pronoun is a relation argument without an entity row; it keeps the relation's copy
    assoc = next(r for r in docs[1].relations if r.relation == "association")
    assert assoc.subject.text == "It" and assoc.subject.id == "HGNC:6857"
    assert assoc.subject not in docs[1].entities


def test_sentences_list_in_documents_rows_is_used(copy: Path):
    rows = [json.loads(line) for line in (copy / "documents.jsonl").read_text().splitlines()]
    text = rows[1]["text"]
    rows[1]["sentences"] = [{"index": 0, "start": 0, "end": 42, "text": text[:42]}]
    (copy / "documents.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    docs = load_output_dir(copy)
    assert docs[1].sentences[0].index == 0 and docs[1].sentences[0].text == text[:42]
    assert len(docs[1].sentences) == 1 + len({r.sentence.index for r in docs[1].relations})


def test_missing_folder(tmp_path: Path):
    with pytest.raises(OutputError, match="output folder not found"):
        load_output_dir(tmp_path / "nope")


def test_missing_file(copy: Path):
    (copy / "relations.jsonl").unlink()
    with pytest.raises(OutputError, match="missing relations.jsonl"):
        load_output_dir(copy)


def test_malformed_json_line_names_file_and_line(copy: Path):
    path = copy / "entities.jsonl"
    lines = path.read_text().splitlines()
    lines[4] = lines[4][:-5]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(OutputError) as err:
        load_output_dir(copy)
    assert f"{path}:5: malformed JSON" in str(err.value)
    assert err.value.code == "E503"


def test_missing_field_and_unknown_doc(copy: Path):
    path = copy / "relations.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    del rows[2]["object"]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(OutputError, match=r"relations.jsonl:3: missing field 'object'"):
        load_output_dir(copy)
    rows[2] = {**rows[1], "doc_id": "ghost"}
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(OutputError, match=r"relations.jsonl:3: .*'ghost' is not in documents.jsonl"):
        load_output_dir(copy)


def test_offsets_must_match_text(copy: Path):
    path = copy / "entities.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows[0]["start"] += 1
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(OutputError, match=r"entities.jsonl:1: .*does not match"):
        load_output_dir(copy)
    assert load_output_dir(copy, strict=False)  # lenient mode still loads


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path):
    target = tmp_path / "sub" / "f.txt"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "two\n")
    assert target.read_text() == "two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["f.txt"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_atomic_write_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    target = tmp_path / "f.bin"
    atomic_write_bytes(target, b"old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]
