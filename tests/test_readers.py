"""Readers, one table per concern: each format's documents, detection by content, ids, inputs, memory.

The snippets are small, invented, realistic examples of each format, written for these tests.
"""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.errors import InputError, OptionError
from pipeline.model import Document
from pipeline.readers import (
    DocIds, digest, doc_id_to_filename, expand_inputs, filename_to_doc_id, iter_documents, read_document,
)
from pipeline.readers.detect import sniff

ROOT = Path(__file__).resolve().parents[1]

PUBMED = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">
<PubmedArticleSet>
  <PubmedArticle>
    <MedlineCitation Status="MEDLINE" Owner="NLM">
      <PMID Version="1">10000001</PMID>
      <Article PubModel="Print">
        <Journal>
          <JournalIssue CitedMedium="Print"><Volume>12</Volume><PubDate><Year>2001</Year><Month>Mar</Month></PubDate></JournalIssue>
          <Title>Journal of Invented Signalling</Title>
        </Journal>
        <ArticleTitle>Akt phosphorylates <i>ASK1</i> at Ser83.</ArticleTitle>
        <Abstract>
          <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Apoptosis signal-regulating
            kinase 1 (ASK1) is a MAPKKK.</AbstractText>
          <AbstractText Label="RESULTS" NlmCategory="RESULTS">Akt phosphorylated ASK1 at Ser83 in vitro.</AbstractText>
        </Abstract>
        <ELocationID EIdType="doi" ValidYN="Y">10.1000/jis.2001.12</ELocationID>
        <Language>eng</Language>
        <PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
      </Article>
      <MeshHeadingList>
        <MeshHeading><DescriptorName UI="D000818" MajorTopicYN="N">Animals</DescriptorName></MeshHeading>
        <MeshHeading><DescriptorName UI="D051550" MajorTopicYN="Y">Proto-Oncogene Proteins c-akt</DescriptorName>
          <QualifierName UI="Q000378" MajorTopicYN="N">metabolism</QualifierName></MeshHeading>
      </MeshHeadingList>
    </MedlineCitation>
    <PubmedData><ArticleIdList>
      <ArticleId IdType="pubmed">10000001</ArticleId><ArticleId IdType="pmc">PMC900001</ArticleId>
    </ArticleIdList></PubmedData>
  </PubmedArticle>
  <PubmedArticle>
    <MedlineCitation Status="PubMed-not-MEDLINE"><PMID Version="2">10000002</PMID>
      <Article><Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>
        <Title>Invented Letters</Title></Journal>
        <ArticleTitle>MEK1 activates ERK2 without a stimulus.</ArticleTitle>
        <Abstract><AbstractText>ERK2 is phosphorylated by MEK1 on Thr185.</AbstractText></Abstract>
      </Article>
    </MedlineCitation>
    <PubmedData><ArticleIdList><ArticleId IdType="doi">10.1000/il.98</ArticleId></ArticleIdList></PubmedData>
  </PubmedArticle>
  <DeleteCitation><PMID Version="1">9999991</PMID><PMID Version="1">9999992</PMID></DeleteCitation>
</PubmedArticleSet>
"""

MEDLINE_SET = """<?xml version="1.0"?>
<MedlineCitationSet>
  <MedlineCitation Owner="NLM" Status="MEDLINE"><PMID>11111111</PMID>
    <Article><Journal><Title>Old Format Journal</Title><JournalIssue><PubDate><Year>1995</Year></PubDate></JournalIssue></Journal>
      <ArticleTitle>PKC phosphorylates Raf-1.</ArticleTitle></Article>
  </MedlineCitation>
</MedlineCitationSet>
"""

PMC = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.2 20190208//EN" "JATS-archivearticle1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:mml="http://www.w3.org/1998/Math/MathML" article-type="research-article">
  <front>
    <journal-meta><journal-title-group><journal-title>Invented Cell Signalling</journal-title></journal-title-group></journal-meta>
    <article-meta>
      <article-id pub-id-type="pmid">20000001</article-id>
      <article-id pub-id-type="pmc">7000001</article-id>
      <article-id pub-id-type="doi">10.1000/ics.7</article-id>
      <title-group><article-title>ASK1 is a substrate of <italic>Akt</italic></article-title></title-group>
      <pub-date pub-type="ppub"><year>2012</year></pub-date>
      <pub-date pub-type="epub"><day>3</day><month>4</month><year>2011</year></pub-date>
      <abstract>
        <sec><title>Background</title><p>ASK1 activates p38.</p></sec>
        <sec><title>Results</title><p>Akt phosphorylates ASK1 at Ser83.</p></sec>
      </abstract>
      <kwd-group><kwd>Akt</kwd><kwd>ASK1</kwd></kwd-group>
    </article-meta>
  </front>
  <body>
    <sec><title>Introduction</title>
      <p>Stress kinases <xref ref-type="bibr" rid="r1">[1]</xref> respond to
         oxidants<inline-formula><mml:math><mml:mi>H</mml:mi></mml:math></inline-formula>.</p>
      <sec><title>Akt phosphorylates ASK1 at Ser83</title>
        <p>We show it in vitro.<fig id="f1"><label>Figure 1</label><caption><title>Akt phosphorylates ASK1.</title>
          <p>Kinase assay.</p></caption><graphic xlink:href="f1.jpg"/></fig></p>
        <table-wrap id="t1"><label>Table 1</label><caption><p>Kinetic constants.</p></caption>
          <table><tr><td>Km</td><td>3 uM</td></tr></table></table-wrap>
        <disp-formula><mml:math><mml:mi>x</mml:mi></mml:math></disp-formula>
        <list><list-item><p>First point.</p></list-item><list-item><p>Second point.</p></list-item></list>
      </sec>
    </sec>
  </body>
  <back><ref-list><ref id="r1"><mixed-citation>Someone 1999. A reference title.</mixed-citation></ref></ref-list>
    <ack><p>We thank nobody.</p></ack></back>
</article>
"""

PMC_SET = """<pmc-articleset>
<article><front><article-meta><title-group><article-title>First of two.</article-title></title-group></article-meta></front></article>
<article><front><article-meta><article-id pub-id-type="pmid">20000003</article-id>
  <title-group><article-title>Second of two.</article-title></title-group></article-meta></front>
  <body><p>A body paragraph with no section.</p></body></article>
</pmc-articleset>
"""

BIOC_XML = """<?xml version='1.0' encoding='utf-8' standalone='yes'?>
<!DOCTYPE collection SYSTEM 'BioC.dtd'>
<collection><source>PubTator</source><date>2024-01-01</date><key>BioC.key</key>
<document><id>30000001</id><infon key="journal">Invented Journal</infon>
<passage><infon key="type">title</infon><offset>0</offset><text>MEK1 activates ERK2.</text></passage>
<passage><infon key="type">abstract</infon><offset>21</offset><text>ERK2 is phosphorylated by MEK1 on Thr185.</text>
<annotation id="1"><infon key="type">Gene</infon><location offset="21" length="4"/><text>ERK2</text></annotation></passage>
</document>
<document><id>30000002</id>
<passage><infon key="type">abstract</infon><offset>100</offset><text>Second doc, listed first.</text></passage>
<passage><infon key="type">title</infon><offset>0</offset><text>Out of order.</text></passage>
</document>
<document><id>30000003</id>
<passage><infon key="type">abstract</infon><offset>5</offset>
<sentence><offset>5</offset><text>Raf-1 binds MEK1.</text></sentence>
<sentence><offset>24</offset><text>It activates it.</text></sentence></passage>
</document>
</collection>
"""

BIOC_JSON = json.dumps({
    "source": "BioC-PMC", "date": "20240101", "key": "pmc.key", "infons": {},
    "documents": [
        {"id": "8000001", "infons": {"license": "CC BY"}, "relations": [],
         "passages": [
             {"offset": 0, "infons": {"type": "front", "article-id_pmid": "20000009", "article-id_pmc": "8000001",
                                      "year": "2020"},
              "text": "Akt binds ASK1.", "sentences": [], "annotations": [], "relations": []},
             {"offset": 16, "infons": {"type": "paragraph", "section_type": "INTRO"},
              "text": "ASK1 is inhibited by Akt.", "sentences": [], "annotations": [], "relations": []}]},
        {"id": "8000002", "passages": [{"offset": "zero", "text": "Bad offset."}]},
        {"id": "8000003", "passages": [{"offset": 0, "text": "Sparse keys are fine."}]},
    ],
})

PUBTATOR = (
    "40000001|t|Akt phosphorylates ASK1.\n"
    "40000001|a|ASK1 is inhibited by Akt.\n"
    "40000001\t0\t3\tAkt\tGeneOrGeneProduct\t207\n"
    "\n"
    "40000002|t|MEK1 activates ERK2.\n"
    "40000002|a|\n"
)


def _write(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    paths = []
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".gz"):
            path.write_bytes(gzip.compress(content.encode() if isinstance(content, str) else content))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        paths.append(path)
    return paths


def _read(tmp_path: Path, files: dict, input_format: str | None = None) -> list[Document | InputError]:
    _write(tmp_path, files)
    return list(iter_documents(expand_inputs([tmp_path]), input_format=input_format))


# --- every format: documents, ids, metadata, passages ---------------------------------------------------

FORMAT_CASES = [
    pytest.param(
        {"baseline.xml": PUBMED}, None,
        [("10000001", "Akt phosphorylates ASK1 at Ser83.\nApoptosis signal-regulating kinase 1 (ASK1) is a MAPKKK.\n"
                      "Akt phosphorylated ASK1 at Ser83 in vitro.",
          {"pmid": "10000001", "doi": "10.1000/jis.2001.12", "pmcid": "PMC900001", "year": 2001,
           "journal": "Journal of Invented Signalling", "mesh": ["Animals", "Proto-Oncogene Proteins c-akt"],
           "mesh_ids": ["D000818", "D051550"], "source_format": "pubmed"},
          [("title", None), ("abstract", "BACKGROUND"), ("abstract", "RESULTS")]),
         ("10000002", "MEK1 activates ERK2 without a stimulus.\nERK2 is phosphorylated by MEK1 on Thr185.",
          {"year": 1998, "doi": "10.1000/il.98", "pmid_version": "2"}, [("title", None), ("abstract", None)]),
         "E113", "E113"],
        id="pubmed"),
    pytest.param({"update.xml.gz": PUBMED}, None, ["10000001", "10000002", "E113", "E113"], id="pubmed-gzip"),
    pytest.param({"medline.xml": MEDLINE_SET}, None,
                 [("11111111", "PKC phosphorylates Raf-1.", {"journal": "Old Format Journal", "year": 1995},
                   [("title", None)])], id="medline-citation-set"),
    pytest.param(
        {"PMC7000001.nxml": PMC}, None,
        [("PMC7000001",
          "ASK1 is a substrate of Akt\nASK1 activates p38.\nAkt phosphorylates ASK1 at Ser83.\nIntroduction\n"
          "Stress kinases [1] respond to oxidants.\nAkt phosphorylates ASK1 at Ser83\nWe show it in vitro.\n"
          "Akt phosphorylates ASK1.\nKinase assay.\nKinetic constants.\nFirst point.\nSecond point.",
          {"pmcid": "PMC7000001", "pmid": "20000001", "doi": "10.1000/ics.7", "year": 2011,
           "journal": "Invented Cell Signalling", "keywords": ["Akt", "ASK1"], "source_format": "pmc"},
          [("title", None), ("abstract", "Background"), ("abstract", "Results"), ("section_title", "Introduction"),
           ("paragraph", "Introduction"), ("section_title", "Introduction / Akt phosphorylates ASK1 at Ser83"),
           ("paragraph", "Introduction / Akt phosphorylates ASK1 at Ser83"), ("fig_caption", "Figure 1"),
           ("table_caption", "Table 1"), ("paragraph", "Introduction / Akt phosphorylates ASK1 at Ser83"),
           ("paragraph", "Introduction / Akt phosphorylates ASK1 at Ser83")])],
        id="pmc"),
    pytest.param({"set.xml": PMC_SET}, None,
                 [("set", "First of two.", {}, [("title", None)]),
                  ("20000003", "Second of two.\nA body paragraph with no section.", {"pmid": "20000003"},
                   [("title", None), ("paragraph", None)])], id="pmc-articleset"),
    pytest.param(
        {"collection.xml": BIOC_XML}, None,
        [("30000001", "MEK1 activates ERK2.\nERK2 is phosphorylated by MEK1 on Thr185.",
          {"bioc_offsets": "kept", "journal": "Invented Journal", "collection_source": "PubTator"},
          [("title", None), ("abstract", None)]),
         ("30000002", "Second doc, listed first.\nOut of order.", {"bioc_offsets": "remapped"},
          [("abstract", None), ("title", None)]),
         ("30000003", "\n" * 5 + "Raf-1 binds MEK1.  It activates it.", {"bioc_offsets": "kept"},
          [("abstract", None)])],
        id="bioc-xml"),
    pytest.param(
        {"pmc.json": BIOC_JSON}, None,
        [("8000001", "Akt binds ASK1.\nASK1 is inhibited by Akt.",
          {"pmid": "20000009", "pmcid": "PMC8000001", "year": "2020", "license": "CC BY", "bioc_offsets": "kept"},
          [("front", None), ("paragraph", None)]),
         "E114",
         ("8000003", "Sparse keys are fine.", {"source_format": "bioc"}, [("", None)])],
        id="bioc-json"),
    pytest.param(
        {"corpus.txt": PUBTATOR}, None,
        [("40000001", "Akt phosphorylates ASK1.\nASK1 is inhibited by Akt.", {"pmid": "40000001", "source_format": "pubtator"},
          [("title", None), ("abstract", None)]),
         ("40000002", "MEK1 activates ERK2.\n", {}, [("title", None)])],
        id="pubtator-by-content"),
    pytest.param(
        {"PMID-1.txt": "Akt phosphorylates ASK1.\r\nIt binds it.\r\n", "PMID-1.a1": "T1\tProtein 0 3\tAkt\n"}, None,
        [("PMID-1", "Akt phosphorylates ASK1.\r\nIt binds it.\r\n",
          {"source_format": "standoff", "annotations": ["PMID-1.a1"]}, [])],
        id="standoff-keeps-crlf"),
    pytest.param(
        {"note.md": "---\ntitle: A note\npmid: 123\n---\nAkt phosphorylates ASK1.\r\n"}, None,
        [("note", "Akt phosphorylates ASK1.\n", {"title": "A note", "pmid": 123}, [])],
        id="text-front-matter"),
    pytest.param({"table.csv": "gene,partner\nAkt,ASK1\n"}, "text",
                 [("table", "gene,partner\nAkt,ASK1\n", {}, [])], id="forced-text"),
]


@pytest.mark.parametrize("files,input_format,expected", FORMAT_CASES)
def test_reader_formats(tmp_path, files, input_format, expected):
    items = _read(tmp_path, files, input_format)
    assert len(items) == len(expected), [str(i) for i in items]
    for item, want in zip(items, expected):
        if isinstance(want, str) and want.startswith("E"):
            assert isinstance(item, InputError) and item.code == want and item.path, item
            continue
        assert isinstance(item, Document), str(item)
        if isinstance(want, str):
            assert item.doc_id == want
            continue
        doc_id, text, metadata, passages = want
        assert (item.doc_id, item.text) == (doc_id, text)
        assert {k: item.metadata.get(k) for k in metadata} == metadata
        assert [(p.type, p.title) for p in item.passages] == passages
        for p in item.passages:  # passages tile the text: in range, not overlapping, never blank
            assert 0 <= p.offset <= p.end <= len(item.text) and item.text[p.offset:p.end].strip()
        json.dumps(item.to_dict())  # every metadata value is JSON-ready


def test_reader_pubmed_delete_citation_names_each_pmid(tmp_path):
    items = _read(tmp_path, {"update.xml": PUBMED})
    deleted = [i for i in items if isinstance(i, InputError)]
    assert [e.fields["pmid"] for e in deleted] == ["9999991", "9999992"]
    assert all(e.path == str(tmp_path / "update.xml") and "DeleteCitation" in str(e) for e in deleted)


def test_reader_bioc_offsets_line_up_with_the_source(tmp_path):
    items = _read(tmp_path, {"collection.xml": BIOC_XML, "pmc.json": BIOC_JSON})
    docs = {d.doc_id: d for d in items if isinstance(d, Document)}
    kept = docs["30000001"]
    assert kept.text[21:25] == "ERK2"  # the BioC annotation at offset 21, length 4
    remapped = docs["30000002"]
    abstract = remapped.passages[0]
    assert abstract.source_offset == 100 and remapped.text[abstract.offset:abstract.end] == "Second doc, listed first."
    assert remapped.to_dict()["passages"][1] == {"offset": 26, "length": 13, "type": "title",
                                                  "infons": {"type": "title"}, "source_offset": 0}
    assert "passages" not in Document("x", "text").to_dict()


# --- detection by content ---------------------------------------------------------------------------------

DETECT_CASES = [
    ("a.xml", PUBMED, "pubmed"),
    ("a.txt", PUBMED, "pubmed"),
    ("a.xml.gz", PUBMED, "pubmed"),
    ("noext", MEDLINE_SET, "pubmed"),
    ("a.nxml", PMC, "pmc"),
    ("a.xml", PMC_SET, "pmc"),
    ("a.xml", BIOC_XML, "bioc"),
    ("a.json", BIOC_JSON, "bioc"),
    ("a.bioc", '[{"id": "1", "passages": []}]', "bioc"),
    ("a.PubTator", PUBTATOR, "pubtator"),
    ("a.txt", "\n\n" + PUBTATOR, "pubtator"),
    ("a.txt", "Akt phosphorylates ASK1.", "text"),
    ("a.md", "<!-- a comment --> then prose", "text"),
    ("a.txt", "[Article in Chinese] prose", "text"),
    ("README", "Plain words.", "text"),
    ("a.txt.gz", "Akt phosphorylates ASK1.", "text"),
    ("a.xml", "<html><body>x</body></html>", "E107"),
    ("a.json", '{"name": "not bioc"}', "E107"),
    ("a.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3", "E107"),
    ("a.docx", b"PK\x03\x04\x14\x00", "E107"),
    ("a.csv", "gene,partner\nAkt,ASK1\n", "E107"),
    ("a.xml", "", "E102"),
    ("a.json", b"\xef\xbb\xbf" + BIOC_JSON.encode(), "bioc"),
    ("a.xml", "\ufeff".encode("utf-16-le") + BIOC_XML.replace("utf-8", "utf-16").encode("utf-16-le"), "bioc"),
]


@pytest.mark.parametrize("name,content,expected", DETECT_CASES)
def test_reader_detects_format_from_content(tmp_path, name, content, expected):
    (path,) = _write(tmp_path, {name: content})
    if expected.startswith("E"):
        with pytest.raises(InputError) as info:
            sniff(path)
        assert info.value.code == expected and name in str(info.value)
    else:
        assert sniff(path) == expected


def test_reader_standoff_detected_by_its_annotation_file(tmp_path):
    _write(tmp_path, {"doc.txt": "Akt binds ASK1.", "doc.a1": "T1\tProtein 0 3\tAkt\n"})
    assert sniff(tmp_path / "doc.txt") == "standoff"
    assert expand_inputs([tmp_path]) == [tmp_path / "doc.txt"]


def test_reader_input_format_override_and_unknown_name(tmp_path):
    _write(tmp_path, {"a.xml": PUBMED})
    (doc,) = iter_documents([tmp_path / "a.xml"], input_format="text")
    assert doc.text.startswith("<?xml")
    with pytest.raises(OptionError, match="E801"):
        iter_documents([tmp_path / "a.xml"], input_format="docx")
    (err,) = iter_documents([tmp_path / "a.xml"], input_format="bioc")
    assert err.code == "E107" and "collection" in str(err)


# --- ids ----------------------------------------------------------------------------------------------------

FILENAME_CASES = [
    ("10000001", "10000001"),
    ("PMC7000001", "PMC7000001"),
    ("a;b", "a%3Bb"),
    ("a b", "a%20b"),
    ("a_b", "a_b"),
    ("a%20b", "a%2520b"),
    ("x~2", "x~2"),
    ("a/b\\c", "a%2Fb%5Cc"),
    (".hidden", "%2Ehidden"),
    ("..", "%2E%2E"),
    ("ends.", "ends%2E"),
    ("CON", "%43ON"),
    ("nul.txt", "%6Eul.txt"),
    ("β-catenin", "%CE%B2-catenin"),
    ("10.1000/jis:2001", "10.1000%2Fjis%3A2001"),
]


@pytest.mark.parametrize("doc_id,name", FILENAME_CASES)
def test_reader_doc_id_file_names_are_reversible(doc_id, name):
    assert doc_id_to_filename(doc_id) == name
    assert filename_to_doc_id(name) == doc_id


def test_reader_file_names_never_collide_and_long_ids_are_hashed():
    ids = ["a;b", "a b", "a_b", "a:b", "a%3Bb", "A_b", "a\u00a0b", "x" * 300, "x" * 299 + "y", "é" * 100]
    names = [doc_id_to_filename(i) for i in ids]
    assert len(set(names)) == len(names)
    assert all(len(n.encode()) <= 200 and "/" not in n for n in names)
    assert filename_to_doc_id(doc_id_to_filename("x" * 300)) is None


def test_reader_duplicate_ids_get_suffixes_stable_across_runs(tmp_path):
    files = {"a/x.txt": "one", "b/x.txt": "two", "c/x.txt": "three", "d.xml": PUBMED, "e.xml": PUBMED}
    _write(tmp_path, files)
    paths = expand_inputs([tmp_path])
    first = [d for d in iter_documents(paths) if isinstance(d, Document)]
    assert [d.doc_id for d in first] == ["x", "x~2", "x~3", "10000001", "10000002", "10000001~2", "10000002~2"]
    assert first[1].metadata["original_id"] == "x" and first[1].warnings[0].startswith("[W103]")
    assert str(tmp_path / "a" / "x.txt") in first[1].warnings[0]
    again = [d.doc_id for d in iter_documents(paths) if isinstance(d, Document)]
    assert again == [d.doc_id for d in first]


def test_reader_shared_registry_keeps_ids_across_shards_and_resumes(tmp_path):
    _write(tmp_path, {"a/x.txt": "one", "b/x.txt": "two"})
    a, b = tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt"
    ids = DocIds()
    assert [d.doc_id for d in iter_documents([a], ids=ids)] == ["x"]
    saved = json.loads(json.dumps(ids.to_dict()))
    resumed = DocIds.from_dict(saved)
    assert [d.doc_id for d in iter_documents([b], ids=resumed)] == ["x~2"]
    assert [d.doc_id for d in iter_documents([b, a], ids=resumed)] == ["x~2", "x"]


def test_reader_unprintable_or_missing_ids_are_replaced_with_w104(tmp_path):
    doc = {"documents": [{"id": "bad\nid\t1", "passages": [{"offset": 0, "text": "Akt."}]},
                         {"passages": [{"offset": 0, "text": "No id."}]}]}
    items = _read(tmp_path, {"c.json": json.dumps(doc)})
    assert [d.doc_id for d in items] == ["bad id 1", "c#2"]
    assert items[0].warnings[0].startswith("[W104]") and items[0].metadata["original_id"] == "bad\nid\t1"


# --- inputs: directories, globs, companions, digest -------------------------------------------------------------

def test_reader_expand_inputs_every_file_with_documented_skips(tmp_path):
    _write(tmp_path, {"a.txt": "x", "b.md": "y", "c.json": "{}", "d.xml.gz": PUBMED, ".hidden.txt": "h",
                      ".git/config": "c", "out/documents.jsonl": "", "out/relations.jsonl": "",
                      "out/brat/x.txt": "z", "sub/e.txt": "e", "st.txt": "s", "st.a1": "", "st.a2": "",
                      "lonely.ann": ""})
    names = [p.relative_to(tmp_path).as_posix() for p in expand_inputs([tmp_path])]
    assert names == ["a.txt", "b.md", "c.json", "d.xml.gz", "lonely.ann", "st.txt", "sub/e.txt"]
    assert [p.name for p in expand_inputs([str(tmp_path / "*.md"), tmp_path / "b.md"])] == ["b.md"]
    assert [p.name for p in expand_inputs([str(tmp_path / "su*")])] == ["e.txt"]  # a glob matching a folder
    with pytest.raises(InputError, match="E101"):
        expand_inputs([tmp_path / "nothing*.txt"])


def test_reader_unknown_and_companion_files_are_reported_not_dropped(tmp_path):
    _write(tmp_path, {"c.json": '{"x": 1}', "lonely.ann": "T1\tProtein 0 3\tAkt\n", "lonely.txt": "Akt."})
    items = list(iter_documents([tmp_path / "c.json", tmp_path / "lonely.ann"]))
    assert [(i.code, Path(i.path).name) for i in items] == [("E107", "c.json"), ("E107", "lonely.ann")]


def test_reader_symlink_loops_are_walked_once(tmp_path):
    _write(tmp_path, {"d/a.txt": "a"})
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    assert [p.name for p in expand_inputs([tmp_path])] == ["a.txt"]


def test_reader_digest_is_stable_and_covers_standoff_annotations(tmp_path):
    _write(tmp_path, {"doc.txt": "Akt binds ASK1.", "doc.a1": "T1\tProtein 0 3\tAkt\n", "p.xml.gz": PUBMED})
    before = digest(tmp_path / "doc.txt")
    assert before == digest(tmp_path / "doc.txt") and before.startswith("sha256:")
    (tmp_path / "doc.a1").write_text("T1\tProtein 10 14\tASK1\n")
    assert digest(tmp_path / "doc.txt") != before
    assert digest(tmp_path / "p.xml.gz").startswith("sha256:")
    with pytest.raises(InputError, match="E101"):
        digest(tmp_path / "missing.txt")


def test_reader_read_document_still_reads_single_text_files(tmp_path):
    _write(tmp_path, {"doc.txt": "---\nreference_id: PMID:1\n---\nAkt phosphorylates ASK1.\n", "x.xml": PUBMED})
    doc = read_document(tmp_path / "doc.txt")
    assert (doc.doc_id, doc.pmid, doc.text) == ("doc", "1", "Akt phosphorylates ASK1.\n")
    with pytest.raises(InputError, match="E107"):
        read_document(tmp_path / "x.xml")


# --- memory: the PubMed reader streams ------------------------------------------------------------------------------

_MEMORY_PROBE = textwrap.dedent("""
    import gzip, sys, tracemalloc
    from pathlib import Path
    n, path = int(sys.argv[1]), Path(sys.argv[2])
    article = ('<PubmedArticle><MedlineCitation><PMID Version="1">{i}</PMID><Article><ArticleTitle>Akt '
               'phosphorylates ASK1 in article {i}.</ArticleTitle><Abstract><AbstractText Label="RESULTS">'
               + 'MEK1 activates ERK2 and Akt phosphorylates ASK1 at Ser83. ' * 25
               + '</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>\\n')
    with gzip.open(path, "wt") as fh:
        fh.write("<PubmedArticleSet>\\n")
        for i in range(1, n + 1):
            fh.write(article.format(i=i))
        fh.write("</PubmedArticleSet>\\n")
    from pipeline.readers.pubmed import iter_pubmed
    import lxml.etree
    def hwm():
        return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
    base = hwm()
    tracemalloc.start()
    count = chars = 0
    for doc in iter_pubmed(path, 10**9):
        count += 1
        chars += len(doc.text)
    print(count, chars, hwm() - base, tracemalloc.get_traced_memory()[1])
""")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_reader_pubmed_streams_in_bounded_memory(tmp_path):
    """Ten times the articles, about the same peak: libxml2's tree (RSS) and Python objects (tracemalloc)."""
    results = {}
    for n in (400, 4000):
        done = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(n), str(tmp_path / f"{n}.xml.gz")],
                              cwd=ROOT, capture_output=True, text=True, check=True)
        count, chars, rss_kb, traced = map(int, done.stdout.split())
        assert count == n
        results[n] = (chars, rss_kb, traced)
    small, large = results[400], results[4000]
    assert large[0] > 5_000_000  # the large file's text: over 5 MB
    assert large[1] < small[1] + 2048  # peak RSS grows by less than 2 MB
    assert large[2] < 2 * small[2] + 200_000  # peak Python allocations stay flat
