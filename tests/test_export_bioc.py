"""BioC XML/JSON export, read back with the bioc package."""
from __future__ import annotations

from pathlib import Path

import pytest
from bioc import biocjson, biocxml
from hypothesis import given, settings, strategies as st

from pipeline.writers.bioc import write_bioc
from pipeline.writers.keys import triple_key
from pipeline.writers.load import load_output_dir

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"


@pytest.fixture(scope="module")
def docs():
    return load_output_dir(FIXTURE)


@pytest.fixture(scope="module")
def paths(docs, tmp_path_factory):
    return write_bioc(docs, tmp_path_factory.mktemp("bioc"))


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_round_trip(docs, paths, fmt):
    path = next(p for p in paths if p.suffix == f".{fmt}")
    reader = biocxml if fmt == "xml" else biocjson
    coll = reader.loads(path.read_text(encoding="utf-8"))
    assert coll.source == "biomine"
    assert [d.id for d in coll.documents] == [pd.document.doc_id for pd in docs]
    for bdoc, pd in zip(coll.documents, docs):
        assert bdoc.infons.get("pmid") == pd.document.pmid
        (passage,) = bdoc.passages
        assert passage.offset == 0 and passage.text == pd.document.text
        anns = {a.id: a for a in passage.annotations}
        ents = set()
        for a in anns.values():
            (loc,) = a.locations
            assert passage.text[loc.offset:loc.offset + loc.length] == a.text
            if a.infons["type"] != "TRIGGER":
                ents.add((loc.offset, loc.end, a.infons["type"], a.infons.get("identifier")))
        args = [x for r in pd.relations for x in (r.subject, r.object, r.site) if x is not None]
        assert ents == {(e.start, e.end, e.type, e.id) for e in [*pd.entities, *args]}

        def span(refid):
            loc = anns[refid].locations[0]
            return loc.offset, loc.end

        got = set()
        for r in passage.relations:
            roles = {n.role: span(n.refid) for n in r.nodes}
            got.add((r.infons["relation"], roles.get("subject"), roles["object"], roles.get("site"),
                     roles.get("trigger"), r.infons["negated"] == "true", r.infons["hedged"] == "true",
                     r.infons["rule"], r.infons["triple_key"]))
        want = {(r.relation, (r.subject.start, r.subject.end) if r.subject else None, (r.object.start, r.object.end),
                 (r.site.start, r.site.end) if r.site else None, r.trigger, r.negated, r.hedged, r.rule,
                 triple_key(r)) for r in pd.relations}
        assert got == want


def test_entity_infons(paths):
    coll = biocxml.loads(paths[0].read_text(encoding="utf-8"))
    anns = coll.documents[0].passages[0].annotations
    ask1 = next(a for a in anns if a.text == "ASK1")
    assert ask1.infons["identifier"] == "HGNC:6857" and ask1.infons["name"] == "MAP3K5"
    assert ask1.infons["xref:UP"] == "Q99683"
    site = next(a for a in anns if a.infons["type"] == "SITE")
    assert (site.infons["residue"], site.infons["position"]) == ("S", "83")


# ---- the direct encoder writes what the bioc package would (pipeline/writers/bioc.py) ----

def _package_bytes(docs, date: str) -> tuple[bytes, bytes]:
    """collection.xml and .json as the bioc package's own writers produce them."""
    import io
    import json

    from pipeline.writers.bioc import new_collection, to_bioc_document

    xml = io.BytesIO()
    writer = biocxml.BioCXMLDocumentWriter(xml)
    writer.write_collection_info(new_collection(date))
    parts = []
    for pd in docs:
        doc = to_bioc_document(pd)
        writer.write_document(doc)
        parts.append(json.dumps(biocjson.toJSON(doc), ensure_ascii=False))
    writer.close()
    head = biocjson.dumps(new_collection(date), indent=1, ensure_ascii=False)[: -len("[]\n}")]
    body = ("[\n  " + ",\n  ".join(parts) + "\n ]\n}\n") if parts else "[]\n}\n"
    return xml.getvalue(), (head + body).encode("utf-8")


def _hostile(pd):
    """The same document with markup, quotes and controls in its text and metadata (one for one,
    so every offset still holds)."""
    import dataclasses

    swap = str.maketrans({"e": "&", "a": "<", "o": ">", "i": '"', "u": "\r", "n": "\t", "s": "\x01", "t": "é"})
    document = dataclasses.replace(pd.document, text=pd.document.text.translate(swap),
                                   metadata={'ke"y<&>\n\t\r': 'v"a<l>&\r\n', "list": ["a&b", 3], "flag": True})
    return dataclasses.replace(pd, document=document)


@pytest.mark.parametrize("hostile", [False, True], ids=["fixture", "markup-and-controls"])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_direct_encoder_writes_the_packages_bytes(docs, tmp_path, hostile, count):
    chosen = [(_hostile(pd) if hostile else pd) for pd in docs[:count]]
    write_bioc(chosen, tmp_path, date="2026-01-02")
    xml, json_bytes = _package_bytes(chosen, "2026-01-02")
    assert (tmp_path / "bioc" / "collection.xml").read_bytes() == xml
    assert (tmp_path / "bioc" / "collection.json").read_bytes() == json_bytes
    if hostile and count:
        assert b"&amp;" in xml and b"&#13;" in xml and b"&#10;" in xml and b"\x01" not in xml



_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(value=_XML_TEXT)
def test_escapes_are_libxml2s(value):
    """Any text XML allows is escaped as lxml escapes it, in element text and in attribute values."""
    from lxml import etree

    from pipeline.writers.bioc import _attr, _text

    elem = etree.Element("infon", {"key": value})
    elem.text = value
    assert etree.tostring(elem, encoding="unicode") == f'<infon key="{_attr(value)}">{_text(value)}</infon>'


_ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_INFONS = st.dictionaries(_ANY_TEXT, _ANY_TEXT, max_size=3)


@settings(max_examples=200, deadline=None)
@given(text=_ANY_TEXT, doc_infons=_INFONS, ann_infons=_INFONS, ident=_ANY_TEXT, annotations=st.integers(0, 2),
       relations=st.integers(0, 2))
def test_the_direct_json_is_the_standard_librarys(text, doc_infons, ann_infons, ident, annotations, relations):
    """content_json_text writes json.dumps(content_json(...)) whatever the strings hold."""
    import json

    from pipeline.writers.bioc import Annotation, Content, Link, content_json, content_json_text

    content = Content(ident, doc_infons, text,
                      [Annotation(f"T{i}{ident}", ann_infons, text, i, len(text)) for i in range(annotations)],
                      [Link(f"R{i}", ann_infons, [(f"T{j}", "subject") for j in range(i + 1)]) for i in range(relations)])
    assert content_json_text(content) == json.dumps(content_json(content), ensure_ascii=False)


def test_infons_that_are_not_strings_are_written_as_json_writes_them():
    import json

    from pipeline.writers.bioc import Content, content_json, content_json_text

    content = Content("d", {"year": 2020, "ok": True}, "x", [], [])  # type: ignore[dict-item]
    assert content_json_text(content) == json.dumps(content_json(content), ensure_ascii=False)
