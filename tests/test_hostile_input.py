"""Hostile and unlucky input (issue 10 items 2 and 3): every case is a coded error naming the file,
or a documented clean-up with a warning, and the batch always completes.

Reader tests are named ``test_reader_hostile_*`` and ``test_reader_fuzz_*``; run-level tests
belong in their own clearly named functions.
"""
from __future__ import annotations

import gzip
import os
import stat
import string
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.model import Document
from pipeline.readers import expand_inputs, iter_documents
from pipeline.readers.front_matter import MAX_FRONT_MATTER_CHARS

GOOD = "Akt phosphorylates ASK1 at Ser83.\n"


def _one(path: Path, **kwargs) -> Document | InputError:
    items = list(iter_documents([path], **kwargs))
    assert len(items) == 1, [str(i) for i in items]
    return items[0]


def _error(path: Path, code: str, *fragments: str, **kwargs) -> InputError:
    item = _one(path, **kwargs)
    assert isinstance(item, InputError), f"expected {code}, got a Document"
    assert item.code == code, str(item)
    assert item.path == str(path) and str(path) in str(item)
    for fragment in fragments:
        assert fragment in str(item), str(item)
    return item


# --- front matter -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("yaml_line,key,value", [
    ("1: one", "1", "one"),
    ("null: nothing", "null", "nothing"),
    ("~: tilde", "null", "tilde"),
    ("true: yes-key", "true", "yes-key"),
    ("2020-01-31: dated", "2020-01-31", "dated"),
    ("content: body-like", "content", "body-like"),
    ("handler: handler-like", "handler", "handler-like"),
    ("3.5: float-key", "3.5", "float-key"),
    ("date: 2020-01-31", "date", "2020-01-31"),
    ("nan: .nan", "nan", "nan"),
])
def test_reader_hostile_front_matter_odd_keys_become_strings(tmp_path, yaml_line, key, value):
    path = tmp_path / "doc.txt"
    path.write_text(f"---\ntitle: T\n{yaml_line}\n---\n{GOOD}")
    doc = _one(path)
    assert isinstance(doc, Document), str(doc)
    assert doc.metadata[key] == value and doc.metadata["title"] == "T" and doc.text == GOOD


def test_reader_hostile_front_matter_batch_completes_past_every_bad_file(tmp_path):
    bad = {
        "ints.txt": "---\n1: a\n2: b\n---\nbody\n",
        "broken.txt": "---\ntitle: [unclosed\n---\nbody\n",
        "list.txt": "---\n- a\n- b\n---\nbody\n",
        "keys.txt": "---\ncontent: x\nhandler: y\nnull: z\n---\nbody\n",
    }
    for name, text in bad.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "zz_good.txt").write_text(GOOD)
    items = list(iter_documents(expand_inputs([tmp_path])))
    assert len(items) == 5 and isinstance(items[-1], Document)
    assert {Path(i.path).name: i.code for i in items if isinstance(i, InputError)} == {
        "broken.txt": "E105", "list.txt": "E105"}


ALIAS_BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
body
"""


def test_reader_hostile_front_matter_alias_bomb_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "bomb.md"
    path.write_text(ALIAS_BOMB)
    assert len(ALIAS_BOMB.split("---")[1].encode()) < 500
    tracemalloc.start()
    try:
        _error(path, "E112", "aliases")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_reader_hostile_front_matter_alias_bomb_under_the_alias_limit_stops_at_the_metadata_cap(tmp_path):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdef", "bcdefg"):
        levels.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 8)}]")  # 6 x 8 = 48 aliases, 8**7 items
    path = tmp_path / "bomb.md"
    path.write_text("---\n" + "\n".join(levels) + "\n---\nbody\n")
    tracemalloc.start()
    try:
        _error(path, "E112", "expands beyond")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_reader_hostile_front_matter_recursive_alias(tmp_path):
    path = tmp_path / "loop.md"
    path.write_text("---\na: &a [*a]\n---\nbody\n")
    _error(path, "E112")


def test_reader_hostile_front_matter_deep_nesting(tmp_path):
    path = tmp_path / "deep.md"
    path.write_text("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\nbody\n")
    _error(path, "E112", "nested")


def test_reader_hostile_front_matter_too_large(tmp_path):
    path = tmp_path / "big.md"
    path.write_text("---\nabstract: " + "x" * MAX_FRONT_MATTER_CHARS + "\n---\nbody\n")
    _error(path, "E112", str(MAX_FRONT_MATTER_CHARS))


@pytest.mark.parametrize("block,fragment", [
    ("title: [unclosed", "line 3"),
    ("- a\n- b", "not a mapping"),
    ("just a string", "not a mapping"),
    ("a: !!python/object:os.system 'echo hi'", "line 2"),
    ("n: " + "9" * 5000, "Exceeds the limit"),
])
def test_reader_hostile_front_matter_broken_yaml_is_e105_with_line(tmp_path, block, fragment):
    path = tmp_path / "doc.txt"
    path.write_text(f"---\n{block}\n---\nbody\n")
    _error(path, "E105", fragment)


def test_reader_hostile_front_matter_without_closing_fence_is_body(tmp_path):
    path = tmp_path / "rule.md"
    path.write_text("---\nA horizontal rule, then prose.\n")
    doc = _one(path)
    assert doc.metadata == {} and doc.text.startswith("---")


# --- NUL bytes and encodings --------------------------------------------------------------------------------

def test_reader_hostile_nul_after_8kb_is_replaced_with_a_warning(tmp_path):
    path = tmp_path / "late_nul.txt"
    text = "A" * 9000 + "\0" + GOOD
    path.write_text(text)
    doc = _one(path)
    assert "\0" not in doc.text and doc.text == text.replace("\0", " ")
    assert doc.warnings == [f"[W102] {path}: 1 NUL character(s) replaced by spaces (the first at character 9000)"]


def test_reader_hostile_nul_laden_binary_is_rejected_wherever_the_nuls_are(tmp_path):
    path = tmp_path / "late_binary.txt"
    path.write_bytes(b"A" * 9000 + b"\0\1\2\3" * 500)
    _error(path, "E103", "NUL")
    early = tmp_path / "binary.txt"
    early.write_bytes(b"\x00\x01\x02abc")
    _error(early, "E103")


@pytest.mark.parametrize("codec,label", [
    ("utf-16", "UTF-16-LE"), ("utf-16-be", "UTF-16-BE"), ("utf-32", "UTF-32-LE"), ("utf-8-sig", None),
])
def test_reader_hostile_utf16_and_utf32_with_bom_are_decoded(tmp_path, codec, label):
    path = tmp_path / "wide.txt"
    body = "---\ntitle: β-catenin\n---\nAkt phosphorylates β-catenin.\n"
    data = body.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    doc = _one(path)
    assert isinstance(doc, Document), str(doc)
    assert doc.text == "Akt phosphorylates β-catenin.\n" and doc.metadata == {"title": "β-catenin"}
    assert doc.warnings == ([f"[W102] {path}: decoded as {label} (byte-order mark)"] if label else [])


def test_reader_hostile_utf16_without_bom_is_named(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes(GOOD.encode("utf-16-le"))
    _error(path, "E104", "UTF-16-LE without a byte-order mark")


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_reader_hostile_latin1_and_cp1252_name_the_byte(tmp_path, codec):
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(f"Line one.\nAkt at 5 \u00b5M caf\u00e9 \u2013 done\n".encode(codec, "ignore"))
    _error(path, "E104", "not valid UTF-8 text", "line 2: byte 0xb5 at offset 19")


# --- XML, gzip, empty files, odd paths ----------------------------------------------------------------------

@pytest.mark.parametrize("name,content,fragment", [
    ("pubmed.xml", "<PubmedArticleSet><PubmedArticle><MedlineCitation>\n<PMID>1</PMID></Medline>", "line 2"),
    ("pmc.nxml", "<article><front><article-meta>\n\n<title-group></article>", "line 3"),
    ("bioc.xml", "<collection><document><id>1</id><passage></document></collection>", "line 1"),
    ("amp.xml", "<PubmedArticleSet><PubmedArticle>A & B</PubmedArticle></PubmedArticleSet>", "line 1"),
])
def test_reader_hostile_malformed_xml_is_e109_with_line(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_text(content)
    _error(path, "E109", fragment)


def _article(pmid: int) -> str:
    return (f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>Title {pmid}."
            f"</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n")


def test_reader_hostile_truncated_xml_keeps_the_articles_before_the_fault(tmp_path):
    path = tmp_path / "cut.xml"
    whole = "<PubmedArticleSet>\n" + "".join(_article(i) for i in range(1, 4)) + "</PubmedArticleSet>\n"
    path.write_text(whole[: whole.index("<PMID>3") + 3])
    items = list(iter_documents([path]))
    assert [d.doc_id for d in items[:2]] == ["1", "2"]
    assert items[2].code == "E109" and "2 articles before it were read" in str(items[2]) and len(items) == 3


def test_reader_hostile_truncated_gzip_is_e116(tmp_path):
    data = gzip.compress(("<PubmedArticleSet>\n" + "".join(_article(i) for i in range(1, 200))
                          + "</PubmedArticleSet>\n").encode())
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_documents([path]))
    assert items and all(isinstance(i, Document) for i in items[:-1])
    assert items[-1].code in ("E116", "E109") and items[-1].path == str(path)
    text = tmp_path / "cut.txt.gz"
    text.write_bytes(gzip.compress(GOOD.encode() * 50)[:40])
    _error(text, "E116", "truncated")


def test_reader_hostile_corrupt_gzip_is_e116(tmp_path):
    path = tmp_path / "bad.txt.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage-after-the-magic")
    _error(path, "E116")


@pytest.mark.parametrize("name,content", [
    ("empty.txt", b""), ("empty.xml", b""), ("empty.json", b""), ("blank.md", b"   \n\n"),
    ("only_front_matter.md", b"---\ntitle: T\n---\n"), ("empty.txt.gz", gzip.compress(b"")),
])
def test_reader_hostile_empty_files_are_e102(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    _error(path, "E102")


@pytest.mark.parametrize("input_format", ["pubtator", "standoff", "bioc", "pubmed", "pmc", "text"])
def test_reader_hostile_empty_file_with_a_forced_format_is_reported(tmp_path, input_format):
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    item = _one(path, input_format=input_format)
    assert isinstance(item, InputError) and item.code in ("E102", "E109", "E114") and item.path == str(path)


def test_reader_hostile_directory_named_like_a_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.mkdir()
    _error(path, "E108", "is a directory")


def test_reader_hostile_unreadable_file_simulated(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(GOOD)
    import builtins

    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    _error(path, "E108", "Permission denied")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads mode-000 files")
def test_reader_hostile_unreadable_permissions(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(GOOD)
    path.chmod(0)
    try:
        _error(path, "E108", "Permission denied")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_reader_hostile_unlistable_directory_is_reported(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(GOOD)
    real_scandir = os.scandir

    def guarded(path="."):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    assert expand_inputs([tmp_path]) == [locked]
    _error(locked, "E108", "cannot be listed")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_reader_hostile_fifo_is_reported_not_opened(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert expand_inputs([tmp_path]) == [path]
    _error(path, "E108", "FIFO")


def test_reader_hostile_broken_symlink(tmp_path):
    path = tmp_path / "dangling.txt"
    os.symlink(tmp_path / "gone.txt", path)
    assert expand_inputs([tmp_path]) == [path]
    _error(path, "E108", "broken symbolic link")


def test_reader_hostile_oversized_and_gzip_bomb_stop_at_max_bytes(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("ASK1 " * 1000)
    _error(big, "E106", "5000 bytes exceeds the limit of 100", max_bytes=100)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"A" * 50_000_000, compresslevel=9))
    assert bomb.stat().st_size < 100_000
    tracemalloc.start()
    try:
        _error(bomb, "E106", "50000000 bytes exceeds the limit of 1000000", max_bytes=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_reader_hostile_xml_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    path = tmp_path / "xxe.nxml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                    "<article><front><article-meta><title-group><article-title>Akt &xxe; binds ASK1."
                    "</article-title></title-group></article-meta></front></article>")
    item = _one(path)
    assert "TOP-SECRET" not in (item.text if isinstance(item, Document) else str(item))


def test_reader_hostile_billion_laughs_is_not_expanded(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    path = tmp_path / "laughs.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [{entities}]>\n<PubmedArticleSet>'
                    "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&lol9;</ArticleTitle>"
                    "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
    item = _one(path)
    assert len(item.text if isinstance(item, Document) else str(item)) < 10_000


def test_reader_hostile_bioc_json_deep_nesting_and_bad_documents(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"documents": ' + "[" * 100_000 + "]" * 100_000 + "}")
    _error(deep, "E114")
    mixed = tmp_path / "mixed.json"
    mixed.write_text('{"documents": [{"id": "1", "passages": [{"text": "no offset"}]}, 7,'
                     ' {"id": "3", "passages": [{"offset": 0, "text": "Fine."}]}]}')
    items = list(iter_documents([mixed]))
    assert [getattr(i, "code", None) or i.doc_id for i in items] == ["E114", "E114", "3"]


def test_reader_hostile_standalone_annotation_file(tmp_path):
    path = tmp_path / "orphan.a1"
    path.write_text("T1\tProtein 0 3\tAkt\n")
    _error(path, "E107", "standoff annotation file")


# --- fuzz: iter_documents never raises ------------------------------------------------------------------------

_XML_BITS = st.sampled_from([
    "<PubmedArticleSet>", "</PubmedArticleSet>", "<PubmedArticle>", "</PubmedArticle>", "<MedlineCitation>",
    "</MedlineCitation>", "<PMID>", "</PMID>", "<Article>", "</Article>", "<ArticleTitle>", "</ArticleTitle>",
    "<AbstractText Label='X'>", "</AbstractText>", "<DeleteCitation>", "</DeleteCitation>", "<article>",
    "</article>", "<body>", "</body>", "<sec>", "</sec>", "<title>", "</title>", "<p>", "</p>", "<fig>",
    "</fig>", "<caption>", "</caption>", "<collection>", "</collection>", "<document>", "</document>",
    "<id>", "</id>", "<passage>", "</passage>", "<offset>", "</offset>", "<text>", "</text>",
    "<infon key='type'>", "</infon>", "<sentence>", "</sentence>", "<?xml version='1.0'?>", "<!DOCTYPE x>",
    "&amp;", "&lt;", "&#0;", "&#x1F600;", "&undefined;", "<![CDATA[", "]]>", "12", "-3", "Akt ", "\n", "\x00",
])
_NAMES = st.sampled_from(["a.txt", "a.md", "a.xml", "a.nxml", "a.json", "a.gz", "a.xml.gz", "a.a1", "a",
                          "a.PubTator", "a.csv"])
_SETTINGS = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _check(items: list) -> None:
    for item in items:
        if isinstance(item, InputError):
            assert item.code.startswith("E1") and item.path
        else:
            assert isinstance(item, Document) and item.doc_id and isinstance(item.text, str)
            assert all(0 <= p.offset <= p.end <= len(item.text) for p in item.passages)
            assert all(w.startswith("[W1") for w in item.warnings)


def _run(files: dict[str, bytes], input_format: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            path = Path(folder) / name
            path.write_bytes(gzip.compress(data) if name.endswith(".gz") and data[:1] != b"\x1f" else data)
        items = list(iter_documents(expand_inputs([folder]), max_bytes=200_000, input_format=input_format))
        _check(items)
        assert {Path(i.path).name for i in items} == set(files)  # nothing skipped without a word


@_SETTINGS
@given(name=_NAMES, data=st.binary(max_size=2000))
def test_reader_fuzz_random_bytes(name, data):
    _run({name: data})


@_SETTINGS
@given(name=_NAMES, text=st.text(max_size=1000))
def test_reader_fuzz_random_text(name, text):
    _run({name: text.encode("utf-8", "surrogatepass")})


_YAML_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                          st.dates().map(str))
_YAML_LINES = st.lists(st.one_of(
    st.tuples(_YAML_SCALARS, _YAML_SCALARS).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.text(alphabet=string.printable, max_size=40),
    st.sampled_from(["a: &x [1, 2]", "b: *x", "c: *missing", "- item", "? complex", "<<: *x", "!!binary aGk=",
                     "d: !!python/name:os.system", "e: [[[[", "f: {a: 1", "   bad: indent", "\t", "..."]),
), max_size=12)


@_SETTINGS
@given(lines=_YAML_LINES, body=st.text(max_size=200), input_format=st.sampled_from([None, "text"]))
def test_reader_fuzz_random_front_matter(lines, body, input_format):
    data = ("---\n" + "\n".join(lines) + "\n---\n" + body).encode("utf-8", "surrogatepass")
    _run({"fm.md": data}, input_format)


@_SETTINGS
@given(bits=st.lists(_XML_BITS, max_size=60), name=st.sampled_from(["x.xml", "x.nxml", "x.xml.gz"]),
       input_format=st.sampled_from([None, "pubmed", "pmc", "bioc"]))
def test_reader_fuzz_random_xmlish_bytes(bits, name, input_format):
    _run({name: "".join(bits).encode("utf-8")}, input_format)


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
