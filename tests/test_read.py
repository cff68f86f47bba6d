"""Reading inputs: front matter anywhere, offsets on the body, clear errors for bad files.

Formats, detection, ids and hostile input have their own files: tests/test_readers.py and
tests/test_hostile_input.py.
"""
from __future__ import annotations

import json

import pytest

from pipeline.errors import InputError
from pipeline.readers.text import expand_inputs, iter_documents, read_document
from pipeline.runner import run


def test_front_matter_in_txt_is_metadata_and_not_body(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text('---\nreference_id: "PMID:1"\ntitle: T\nyear: 2001\n---\nAkt phosphorylates ASK1.\n')
    doc = read_document(path)
    assert doc.doc_id == "doc"
    assert doc.metadata["reference_id"] == "PMID:1" and doc.metadata["year"] == 2001
    assert doc.pmid == "1"
    assert doc.text.startswith("Akt phosphorylates")


@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"   \n\n", "empty"),
    ("binary.txt", b"\x00\x01\x02abc", "binary"),
    ("late_binary.txt", b"A" * 9000 + b"\x00\x01" * 200, "binary"),
    ("latin1.txt", "caf\xe9 kinase".encode("latin-1"), "UTF-8"),
    ("nobom16.txt", "Akt kinase".encode("utf-16-le"), "UTF-16-LE without a byte-order mark"),
    ("aliases.md", b"---\na: &a [x]\n" + b"".join(b"k%d: *a\n" % i for i in range(100)) + b"---\nbody\n",
     "aliases"),
    ("broken.txt", b"---\ntitle: [unclosed\n---\nbody\n", "front matter"),
    ("data.pdf", b"%PDF-1.4", "unsupported"),
])
def test_bad_files_raise_errors_naming_the_file(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert name in str(info.value) and message in str(info.value)


def test_huge_file_is_refused_with_its_size(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("ASK1 " * 1000)
    with pytest.raises(InputError, match="huge.txt.*exceeds"):
        read_document(path, max_bytes=100)


def test_expand_inputs_dirs_globs_and_missing(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.md").write_text("y")
    (tmp_path / "c.json").write_text("{}")
    (tmp_path / ".hidden.txt").write_text("h")
    assert [p.name for p in expand_inputs([tmp_path])] == ["a.txt", "b.md", "c.json"]  # every file: none dropped unseen
    assert [p.name for p in expand_inputs([str(tmp_path / "*.md"), tmp_path / "b.md"])] == ["b.md"]
    with pytest.raises(InputError):
        expand_inputs([tmp_path / "nothing*.txt"])


def test_batch_completes_and_reports_bad_files(tmp_path):
    (tmp_path / "good.txt").write_text("Akt phosphorylates ASK1 at Ser83.")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 garbage")  # Latin-1, not UTF-8
    out = tmp_path / "out"
    summary, _ = run([tmp_path], out, progress=False)
    assert summary.documents == 1 and len(summary.failed) == 1
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert errors[0]["path"].endswith("bad.txt")
    relations = [json.loads(line) for line in (out / "relations.jsonl").read_text().splitlines()]
    assert relations and relations[0]["doc_id"] == "good"


def test_failed_run_leaves_previous_outputs_intact(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Akt phosphorylates ASK1.")
    out = tmp_path / "out"
    run([tmp_path / "in"], out, progress=False)
    before = (out / "relations.jsonl").read_text()
    import pipeline.writers.outputs as write

    def explode(self, processed):
        raise RuntimeError("disk full")

    monkeypatch.setattr(write.OutputWriter, "add", explode)
    with pytest.raises(RuntimeError):
        run([tmp_path / "in"], out, progress=False)
    assert (out / "relations.jsonl").read_text() == before
    assert not list(out.glob(".*.tmp"))


def test_iter_documents_yields_errors_instead_of_raising(tmp_path):
    (tmp_path / "ok.txt").write_text("text")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04")
    items = list(iter_documents(sorted(tmp_path.iterdir())))
    assert isinstance(items[0], InputError) and items[0].path.endswith("empty.txt")
    assert items[1].doc_id == "ok"
    assert items[2].code == "E107" and items[2].path.endswith("slides.pptx")


def test_front_matter_keys_python_frontmatter_choked_on(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("---\n1: one\nnull: none\ntrue: yes\n2020-01-31: dated\ncontent: c\nhandler: h\n---\nAkt.\n")
    doc = read_document(path)
    assert doc.metadata == {"1": "one", "null": "none", "true": True, "2020-01-31": "dated", "content": "c",
                            "handler": "h"}
