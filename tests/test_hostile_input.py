"""Hostile and unlucky input (issue 10): run-level tests (items 4-7); the reader tests (items 2-3) join this file."""


# ==== Run-level tests (issue 10 items 4-7): the output folder, names, late errors, types and keys ====
# Owned by the runner/writers developer; self-contained (imports below), so the reader tests above
# can change freely. Runs are rules-only (--model none) on corpora made in tmp_path.
import json as _json  # noqa: E402
from pathlib import Path as _Path  # noqa: E402
import sqlite3 as _sqlite3  # noqa: E402

from run_helpers import cli as _cli, make_corpus as _make_corpus, temporary_files as _temporary_files  # noqa: E402

_SCHEMAS = _Path(__file__).resolve().parents[1] / "pipeline" / "writers" / "schemas"


def _rows(path: _Path) -> list[dict]:
    return [_json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_owns_folder_stale_outputs_of_an_earlier_run_are_replaced(tmp_path):
    corpus = _make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert _cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "brat", "-f", "sqlite", "-f", "html").exit_code == 0
    con = _sqlite3.connect(out / "biomine.sqlite")
    con.execute("INSERT INTO curation(triple_key, decision, decided_at) VALUES ('0123456789abcdef', 'accept', 'now')")
    con.execute("CREATE TABLE curation_decisions_extra (triple_key TEXT, note TEXT)")  # any table a run does not own
    con.execute("INSERT INTO curation_decisions_extra VALUES ('0123456789abcdef', 'kept')")
    con.commit()
    con.close()
    (corpus / "doc001.txt").unlink()
    (corpus / "doc002.txt").unlink()
    result = _cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "brat", "-f", "sqlite")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "brat").glob("*.txt")) == ["doc000.txt"]
    assert not (out / "review.html").exists()  # not built by this run: an old page would describe another run
    assert [r["doc_id"] for r in _rows(out / "documents.jsonl")] == ["doc000"]
    con = _sqlite3.connect(out / "biomine.sqlite")
    try:
        assert [r[0] for r in con.execute("SELECT doc_id FROM documents")] == ["doc000"]
        assert {r[0] for r in con.execute("SELECT DISTINCT doc_id FROM relations")} <= {"doc000"}
        assert con.execute("SELECT COUNT(*) FROM curation").fetchone()[0] == 1
        assert con.execute("SELECT note FROM curation_decisions_extra").fetchone()[0] == "kept"
        assert con.execute("SELECT value FROM run_info WHERE key = 'run_id'").fetchone()[0] == \
            _json.loads((out / "manifest.json").read_text())["run_id"]
    finally:
        con.close()


def test_run_owns_folder_an_empty_input_gives_a_consistent_empty_folder(tmp_path):
    corpus = _make_corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert _cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "all").exit_code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _cli("run", empty, "--out", out, "--model", "none", "-q", "-f", "all")
    assert result.exit_code == 0, result.output
    for name in ("documents.jsonl", "entities.jsonl", "relations.jsonl", "errors.jsonl"):
        assert (out / name).read_text() == ""
    assert (out / "relations.tsv").read_text().startswith("triple_key\tdoc_id\t")
    assert len((out / "relations.tsv").read_text().splitlines()) == 1
    assert not list((out / "brat").glob("*.txt")) and (out / "brat" / "annotation.conf").exists()
    from bioc import biocjson, biocxml

    assert biocxml.loads((out / "bioc" / "collection.xml").read_text()).documents == []
    assert biocjson.loads((out / "bioc" / "collection.json").read_text()).documents == []
    assert _json.loads((out / "indra" / "statements.json").read_text()) == []
    manifest = _json.loads((out / "manifest.json").read_text())
    assert manifest["documents"] == 0 and manifest["complete"] and manifest["shards"] == 0
    con = _sqlite3.connect(out / "biomine.sqlite")
    try:
        assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    finally:
        con.close()
    assert _temporary_files(out) == []


def test_run_owns_folder_a_kill_during_the_export_is_rebuilt_by_the_same_command(tmp_path, monkeypatch):
    import pipeline.writers.folder as folder_module

    corpus = _make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    real_swap = folder_module.OutputFolder.swap

    def killed_half_way(self, keep=()):
        (self.staging / "brat").rename(self.out / "brat")  # one export swapped in, then the process dies
        raise KeyboardInterrupt

    monkeypatch.setattr(folder_module.OutputFolder, "swap", killed_half_way)
    assert _cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "brat", "-f", "html").exit_code != 0
    assert not (out / "manifest.json").exists()  # no manifest: the folder says it is not complete
    monkeypatch.setattr(folder_module.OutputFolder, "swap", real_swap)
    result = _cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "brat", "-f", "html")
    assert result.exit_code == 0 and "(1 reused" in result.output, result.output
    assert (out / "manifest.json").exists() and (out / "review.html").exists()
    assert _temporary_files(out) == []


def test_run_names_never_collide_in_brat_or_sqlite(tmp_path):
    from pipeline.writers.brat import doc_id_from_stem

    corpus = tmp_path / "in"
    for rel in ("d1/x.txt", "d2/x.txt", "a;b.txt", "a b.txt", "a_b.txt", ".hidden.txt", "é.txt"):
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text(f"Akt phosphorylates ASK1 ({rel}).\n", encoding="utf-8")
    out = tmp_path / "out"
    inputs = [corpus / "d1" / "x.txt", corpus / "d2" / "x.txt", corpus / "a;b.txt", corpus / "a b.txt",
              corpus / "a_b.txt", corpus / ".hidden.txt", corpus / "é.txt"]
    result = _cli("run", *inputs, "--out", out, "--model", "none", "-q", "-f", "brat", "-f", "sqlite")
    assert result.exit_code == 0, result.output
    docs = _rows(out / "documents.jsonl")
    ids = [d["doc_id"] for d in docs]
    assert len(ids) == 7 and len(set(ids)) == 7
    texts = {d["doc_id"]: d["text"] for d in docs}
    pairs = sorted((out / "brat").glob("*.txt"))
    assert len(pairs) == 7 and all(p.with_suffix(".ann").exists() for p in pairs)
    assert not any(p.name.startswith(".") for p in pairs)
    for path in pairs:
        assert path.read_text(encoding="utf-8") == texts[doc_id_from_stem(path.stem)]
    con = _sqlite3.connect(out / "biomine.sqlite")
    try:
        assert sorted(r[0] for r in con.execute("SELECT doc_id FROM documents")) == sorted(ids)
    finally:
        con.close()


def test_run_errors_options_are_checked_before_any_input_is_read(tmp_path, monkeypatch):
    import pipeline.runner as runner_module

    def no_reading(*args, **kwargs):
        raise AssertionError("an input was read before the options were checked")

    monkeypatch.setattr(runner_module, "read_items", no_reading)
    corpus = _make_corpus(tmp_path / "in", 1)
    out = tmp_path / "out"
    for args, code in ((["--format", "pdf"], "[E802]"), (["--workers", "-1"], "[E801]"),
                       (["--shard-size", "0"], "[E801]"), (["--input-format", "docx"], "[E801]"),
                       (["--max-bytes", "0"], "[E801]")):
        result = _cli("run", corpus, "--out", out, *args)
        assert result.exit_code == 2 and code in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert not out.exists()


def test_run_errors_malformed_inputs_never_print_a_traceback(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("Akt phosphorylates ASK1.\n")
    (corpus / "bin.txt").write_bytes(b"\x00\x01\x02" * 400)
    (corpus / "bad.txt").write_bytes(b"---\ntitle: [unclosed\n---\nbody\n")
    (corpus / "x.a1").write_text("T1\tProtein 0 x\n")  # not a document; a malformed annotation beside nothing
    result = _cli("run", corpus, "--out", tmp_path / "out", "--model", "none", "-q", "-f", "all", "--given-entities")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "[E" in result.output
    errors = _rows(tmp_path / "out" / "errors.jsonl")
    assert errors and all(e["code"] and e["error"].startswith(f"[{e['code']}]") for e in errors)


def test_run_errors_dollar_labels_do_not_break_the_network_export(tmp_path):
    from pipeline.model import Document, Entity, ProcessedDocument, Relation, Sentence
    from pipeline.writers.network import write_network

    text = "$x_{1 activates $\\frac{a}{b}$."
    sent = Sentence(0, 0, len(text), text)
    subj = Entity(text="$x_{1", type="PROTEIN", start=0, end=5, id="X:1", name="$x_{1")
    obj = Entity(text="$\\frac{a}{b}$", type="PROTEIN", start=16, end=29, id="X:2", name="$\\frac{a}{b}$")
    rel = Relation("d", "activation", subj, obj, sent, "r")
    paths = write_network([ProcessedDocument(Document("d", text), [sent], [subj, obj], [rel])], tmp_path)
    svg = paths[0].read_text(encoding="utf-8")
    assert "$x_{1" in svg and "\\frac{a}{b}" in svg  # drawn as written, not as mathtext


def test_run_errors_a_failing_export_does_not_skip_the_others(tmp_path, monkeypatch):
    import pipeline.writers.indra as indra

    def broken(self, pd):
        raise RuntimeError("disk quota exceeded")

    monkeypatch.setattr(indra.IndraSink, "add", broken)
    corpus = _make_corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    result = _cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "indra", "-f", "brat", "-f", "html")
    assert result.exit_code == 1 and "[E507]" in result.output and "indra export failed" in result.output
    assert (out / "review.html").exists() and len(list((out / "brat").glob("*.ann"))) == 2
    assert not (out / "indra").exists()
    manifest = _json.loads((out / "manifest.json").read_text())
    assert manifest["formats"] == ["brat", "html"] and "[E507]" in manifest["export_errors"][0]
    assert _temporary_files(out) == []


def test_run_types_every_output_row_follows_its_json_schema(tmp_path):
    import jsonschema

    corpus = _make_corpus(tmp_path / "in", 4)
    (corpus / "broken.txt").write_bytes(b"")
    (corpus / "warned.txt").write_bytes(b"Akt phosphorylates ASK1.\x00\n")
    out = tmp_path / "out"
    assert _cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "none").exit_code == 1
    seen = {}
    for name in ("documents", "entities", "relations", "errors"):
        schema = _json.loads((_SCHEMAS / f"{name}.schema.json").read_text())
        assert schema["schema_version"] == "1.0"
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        rows = _rows(out / f"{name}.jsonl")
        for row in rows:
            validator.validate(row)
        seen[name] = len(rows)
    assert all(seen.values()), seen
    schema = _json.loads((_SCHEMAS / "manifest.schema.json").read_text())
    manifest = _json.loads((out / "manifest.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(manifest)
    assert manifest["schema_version"] == schema["schema_version"]


def test_run_types_tsv_integers_and_triple_keys(tmp_path):
    import csv

    from pipeline.model import Relation
    from pipeline.writers.keys import triple_key

    corpus = _make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert _cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "none").exit_code == 0
    rows = _rows(out / "relations.jsonl")
    assert rows and all(r["triple_key"] == triple_key(Relation.from_dict(r)) for r in rows)
    with (out / "relations.tsv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh, delimiter="\t"))
    assert [t["triple_key"] for t in table] == [r["triple_key"] for r in rows]
    positions = [t["position"] for t in table if t["position"]]
    assert positions and all(p.isdigit() for p in positions)  # 83, never 83.0
    for column in ("sentence_index", "object_start", "object_end"):
        assert all(t[column].isdigit() for t in table), column
    assert all(t["subject_start"] == "" or t["subject_start"].isdigit() for t in table)
