"""Gold readers (standoff / brat / PubTator: parsing, coded errors, format by content), the event -> triple mapping, given entities."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.entities.given import given_entities, given_entities_for, given_entities_pubtator
from pipeline.errors import GoldError, InputError
from pipeline.evaluation.corpus import load_gold
from pipeline.evaluation.ids import canonical_ids
from pipeline.readers.pubtator import is_pubtator, read_pubtator, read_pubtator_documents
from pipeline.readers.standoff import read_ann, read_standoff, read_standoff_dir
from pipeline.model import Document
from standoff_helpers import _nth, write_standoff  # noqa: F401

CORPORA = Path(__file__).parents[1].parent / "shared" / "corpora"


TEXT = (
    "MEKK1 phosphorylates IkBa at Ser-32. IKK2 induces phosphorylation of p65. JNK1 binds c-Jun and ATF2. "
    "RAF1 activates MEK1. PTEN does not activate AKT1. Src is autophosphorylated. NF-kappaB (p50) binds DNA. "
    "Akt may phosphorylate GSK3 on serines 9 and 21."
)
A1 = [
    ("T1", "Protein", "MEKK1"), ("T2", "Protein", "IkBa"), ("T4", "Protein", "IKK2"), ("T5", "Protein", "p65"),
    ("T6", "Protein", "JNK1"), ("T7", "Protein", "c-Jun"), ("T8", "Protein", "ATF2"), ("T9", "Protein", "RAF1"),
    ("T14", "Protein", "MEK1"), ("T16", "Protein", "PTEN"), ("T17", "Protein", "AKT1"), ("T19", "Protein", "Src"),
    ("T21", "Protein", "NF-kappaB"), ("T22", "Protein", "p50"), ("T25", "Protein", "Akt"), ("T26", "Protein", "GSK3"),
]
A2 = [
    ("T3", "Entity", "Ser-32"), ("T10", "Phosphorylation", "phosphorylates"), ("T11", "Phosphorylation", "phosphorylation"),
    ("T12", "Positive_regulation", "induces"), ("T13", "Binding", "binds"), ("T15", "Positive_regulation", "activates"),
    ("T18", "Positive_regulation", "activate"), ("T20", "Phosphorylation", "autophosphorylated"), ("T23", "Binding", "binds", 1),
    ("T24", "Entity", "DNA"), ("T27", "Phosphorylation", "phosphorylate"), ("T28", "Entity", "serines 9"), ("T29", "Entity", "21"),
    "E1\tPhosphorylation:T10 Theme:T2 Site:T3 Cause:T1",
    "E2\tPhosphorylation:T11 Theme:T5",
    "E3\tPositive_regulation:T12 Theme:E2 Cause:T4",
    "E4\tBinding:T13 Theme:T6 Theme2:T7 Theme3:T8",
    "E5\tPositive_regulation:T15 Theme:T14 Cause:T9",
    "E6\tPositive_regulation:T18 Theme:T17 Cause:T16",
    "M1\tNegation E6",
    "E7\tPhosphorylation:T20 Theme:T19",
    "E8\tBinding:T23 Theme:T21 Theme2:T24",
    "E9\tBinding:T23 Theme:T22 Theme2:T24",
    "*\tEquiv T21 T22",
    "E10\tPhosphorylation:T27 Theme:T26 Site:T28 Cause:T25",
    "E11\tPhosphorylation:T27 Theme:T26 Site:T29 Cause:T25",
    "M2\tSpeculation E10",
    "M3\tSpeculation E11",
    "E12\tPositive_regulation:T12 Theme:E2",
    "N1\tReference T1 UniProt:Q13233\tMEKK1",
    "R1\tCoreference Subject:T21 Object:T22",
    "#1\tAnnotatorNotes T1\ta note",
]


def _triples(doc) -> set[tuple]:
    return {
        (t.relation, t.subject.text if t.subject else None, t.object.text, t.site_key, t.negated, t.hedged)
        for t in doc.triples
    }


def test_read_standoff_parses_every_line_type(tmp_path: Path) -> None:
    txt = write_standoff(tmp_path, "doc1", TEXT, A1, A2 + ["X1\tSomething T1"])
    doc = read_standoff(txt)
    assert doc.doc_id == "doc1"
    assert doc.textbounds["T3"].text == "Ser-32" and not doc.textbounds["T3"].given and doc.textbounds["T1"].given
    assert doc.events["E4"].role("Theme") == ["T6", "T7", "T8"]
    assert doc.events["E1"].role("Site") == ["T3"]
    assert doc.flagged("E6", "Negation") and doc.flagged("E10", "Speculation") and not doc.flagged("E5", "Negation")
    assert doc.equivs == [("T21", "T22")]
    assert doc.normalizations[0].ref == "UniProt:Q13233"
    assert doc.relations[0].type == "Coreference"
    assert any("X1" in w for w in doc.warnings)  # unknown line type: ignored with a warning


def test_discontinuous_span_and_brat_ann(tmp_path: Path) -> None:
    text = "protein kinase C and D activate it"
    txt = write_standoff(
        tmp_path, "brat", text,
        ["T1\tProtein 0 14;21 22\tprotein kinase D", ("T2", "Protein", "protein kinase C")], ann=True,
    )
    doc = read_ann(txt.with_suffix(".ann"))
    assert doc.textbounds["T1"].spans == ((0, 14), (21, 22))
    assert (doc.textbounds["T1"].start, doc.textbounds["T1"].end) == (0, 22)
    assert not doc.warnings
    assert [d.doc_id for d in read_standoff_dir(tmp_path)] == ["brat"]


def test_event_to_triple_mapping(tmp_path: Path) -> None:
    corpus = load_gold(write_standoff(tmp_path, "doc1", TEXT, A1, A2).parent)
    doc = corpus.documents["doc1"]
    assert _triples(doc) == {
        # PC style: direct Cause is the kinase; the kinase-less triple is always there too
        ("phosphorylation", None, "IkBa", "S32", False, False),
        ("phosphorylation", "MEKK1", "IkBa", "S32", False, False),
        # GE style: Cause of the Positive_regulation whose Theme is the Phosphorylation (E12 has no Cause)
        ("phosphorylation", None, "p65", None, False, False),
        ("phosphorylation", "IKK2", "p65", None, False, False),
        # Binding with three Themes: all unordered pairs
        ("binding", "JNK1", "c-Jun", None, False, False),
        ("binding", "JNK1", "ATF2", None, False, False),
        ("binding", "c-Jun", "ATF2", None, False, False),
        ("activation", "RAF1", "MEK1", None, False, False),
        ("activation", "PTEN", "AKT1", None, True, False),  # M Negation
        ("autophosphorylation", "Src", "Src", None, False, False),
        # speculated; the bare "21" borrows the residue of "serines 9"
        ("phosphorylation", None, "GSK3", "S9", False, True),
        ("phosphorylation", "Akt", "GSK3", "S9", False, True),
        ("phosphorylation", None, "GSK3", "S21", False, True),
        ("phosphorylation", "Akt", "GSK3", "S21", False, True),
    }  # DNA is not protein-like, so E8/E9 give no binding
    kinase = next(t for t in doc.triples if t.subject and t.subject.text == "IKK2")
    assert kinase.source == "E3>E2" and kinase.trigger == (_nth(TEXT, "phosphorylation"), _nth(TEXT, "phosphorylation") + 15)
    assert corpus.format == "standoff" and "phosphorylation" in corpus.relations
    assert {e.type for e in doc.entities} == {"PROTEIN"} and len(doc.entities) == len(A1)


def test_equiv_mentions_share_class_and_key(tmp_path: Path) -> None:
    text = "NF-kappaB (p65) binds IkBa."
    a1 = [("T1", "Protein", "NF-kappaB"), ("T2", "Protein", "p65"), ("T3", "Protein", "IkBa")]
    a2 = [("T4", "Binding", "binds"), "E1\tBinding:T4 Theme:T1 Theme2:T3", "E2\tBinding:T4 Theme:T2 Theme2:T3", "*\tEquiv T1 T2"]
    doc = load_gold(write_standoff(tmp_path, "d", text, a1, a2)).documents["d"]
    first, second = doc.triples
    assert first.subject.cls == second.subject.cls
    assert set(first.subject.alternatives) == {(0, 9), (11, 14)}
    assert first.subject.key == second.subject.key == "nf-kappab"  # smallest text of the Equiv set
    assert doc.entity_keys("p65") == {"nf-kappab"}
    assert doc.mention_key(11, 14) == doc.mention_key(0, 9)


def test_pc_types_are_protein_like_and_chemical_sites(tmp_path: Path) -> None:
    text = "The mTORC1 complex phosphorylates S6K1 at Thr-389 after LPS."
    a1 = [("T1", "Complex", "mTORC1"), ("T2", "Gene_or_gene_product", "S6K1"), ("T3", "Simple_chemical", "Thr-389"),
          ("T4", "Simple_chemical", "LPS")]
    a2 = [("T5", "Phosphorylation", "phosphorylates"), "E1\tPhosphorylation:T5 Theme:T2 Cause:T1 Site:T3"]
    doc = load_gold(write_standoff(tmp_path, "pc", text, a1, a2)).documents["pc"]
    assert ("phosphorylation", "mTORC1", "S6K1", "T389", False, False) in _triples(doc)
    assert sorted((e.text, e.type) for e in doc.entities) == [
        ("LPS", "DRUG"), ("S6K1", "PROTEIN"), ("Thr-389", "SITE"), ("mTORC1", "FAMILY")]


def test_event_theme_is_not_an_activation(tmp_path: Path) -> None:
    text = "TNF induces IL6 expression."
    a1 = [("T1", "Protein", "TNF"), ("T2", "Protein", "IL6")]
    a2 = [("T3", "Positive_regulation", "induces"), ("T4", "Gene_expression", "expression"),
          "E1\tGene_expression:T4 Theme:T2", "E2\tPositive_regulation:T3 Theme:E1 Cause:T1"]
    assert load_gold(write_standoff(tmp_path, "x", text, a1, a2)).documents["x"].triples == []


@pytest.mark.parametrize(
    ("a1", "a2", "bad_file", "line", "fragment"),
    [
        (["T1\tProtein 0 x\tIkBa"], [], ".a1", 1, "bad offsets"),
        (["T1\tProtein 0 4\tIkBa", "T2 Protein 5 8 p65"], [], ".a1", 2, "expected a tab"),
        (["T1\tProtein 5 2\tIkBa"], [], ".a1", 1, "start 5 > end 2"),
        (["T1\tProtein 0 400\tIkBa"], [], ".a1", 1, "beyond the end"),
        (["T1\tProtein 0 4"], [], ".a1", 1, "T line needs"),
        (["T1\tProtein 0 4\tIkBa"], ["T2\tPhosphorylation 5 8\tis ", "E1\tPhosphorylation:T2 Theme:T9"], ".a2", 2, "Theme:T9 is not defined"),
        (["T1\tProtein 0 4\tIkBa"], ["E1\tPhosphorylation Theme:T1"], ".a2", 1, "E line needs"),
        (["T1\tProtein 0 4\tIkBa"], ["T2\tPhosphorylation 5 8\tis ", "E1\tPhosphorylation:T2 Theme"], ".a2", 2, "bad argument"),
        (["T1\tProtein 0 4\tIkBa"], ["T1\tEntity 5 8\tis "], ".a2", 1, "duplicate id T1"),
        (["T1\tProtein 0 4\tIkBa"], ["", "# note", "M1\tNegation"], ".a2", 3, "M line needs"),
        (["T1\tProtein 0 4\tIkBa"], ["M1\tNegation E7"], ".a2", 1, "undefined annotation E7"),
        (["T1\tProtein 0 4\tIkBa"], ["", "*\tEquiv T1 T7"], ".a2", 2, "Equiv T1 T7 refers to undefined"),
        (["T1\tProtein 0 4\tIkBa"], ["*\tEquiv T1"], ".a2", 1, "Equiv needs at least two ids"),
        (["T1\tProtein 0 4\tIkBa"], ["N1\tReference T1"], ".a2", 1, "N line needs"),
    ],
)
def test_malformed_standoff_raises_with_file_and_line(tmp_path: Path, a1: list, a2: list, bad_file: str, line: int, fragment: str) -> None:
    txt = write_standoff(tmp_path, "bad", "IkBa is phosphorylated.", a1, a2)
    with pytest.raises(InputError) as info:
        load_gold(txt.parent)
    message = str(info.value)
    assert message.startswith("[E111] ") and f"bad{bad_file}:{line}: malformed standoff annotation" in message
    assert fragment in message
    assert info.value.code == "E111" and info.value.fields["line"] == line
    assert info.value.path.endswith(f"bad{bad_file}")


@pytest.mark.parametrize("bad_file", [".a1", ".a2", ".ann", ".txt"])
def test_latin1_standoff_file_is_a_coded_error_naming_it(tmp_path: Path, bad_file: str) -> None:
    text = "IkBa is phosphorylated in caf\u00e9 cells."
    txt = write_standoff(tmp_path, "latin", text, [("T1", "Protein", "IkBa")],
                         [("T2", "Phosphorylation", "phosphorylated"), "E1\tPhosphorylation:T2 Theme:T1"],
                         ann=bad_file == ".ann")
    bad = txt.with_suffix(bad_file)
    content = bad.read_text(encoding="utf-8")
    if bad_file != ".txt":  # an annotation line with a Latin-1 note on line 2
        content = content.replace("\n", "\n#1\tAnnotatorNotes T1\tcaf\u00e9\n", 1)
    bad.write_bytes(content.encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_standoff(txt)
    assert info.value.code == "E104" and info.value.path == str(bad)
    assert f"{bad}: not valid UTF-8 text" in str(info.value)
    assert "line 2" in str(info.value) or bad_file == ".txt"


def test_missing_standoff_parts_are_coded(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\[E101\] .*nothing\.txt"):
        read_standoff(tmp_path / "nothing.txt")
    (tmp_path / "alone.txt").write_text("No annotations.", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E107\] .*alone\.txt"):
        read_standoff(tmp_path / "alone.txt")


PUBTATOR = """\
111|t|EGFR binds GRB2 in HeLa cells treated with gefitinib.
111|a|Lung cancer cells depend on EGFR and KRAS; cisplatin causes nephrotoxicity.
111\t0\t4\tEGFR\tGeneOrGeneProduct\t1956
111\t11\t15\tGRB2\tGeneOrGeneProduct\t2885
111\t19\t23\tHeLa\tCellLine\t CVCL_0030
111\t43\t52\tgefitinib\tChemicalEntity\tD000077156
111\t54\t65\tLung cancer\tDiseaseOrPhenotypicFeature\tD008175
111\t82\t86\tEGFR\tGeneOrGeneProduct\t1956
111\t91\t95\tKRAS\tGeneOrGeneProduct\t3845,3846
111\t97\t106\tcisplatin\tChemicalEntity\tD002945
111\t114\t128\tnephrotoxicity\tDiseaseOrPhenotypicFeature\t-
111\t0\t4\tEGFR\tOrganismTaxon\t9606
111\tBind\t2885\t1956\tNovel
111\tNegative_Correlation\t1956\tD000077156\tNovel
111\tAssociation\t1956\tD008175\tNo
111\tPositive_Correlation\tD002945\tD008175\tNo
111\tAssociation\t1956\t3845\tNo

222|t|Second title.
222|a|Nothing here.
"""


def test_read_pubtator_offsets_and_documents(tmp_path: Path) -> None:
    path = tmp_path / "gold.PubTator"
    path.write_text(PUBTATOR, encoding="utf-8")
    docs = read_pubtator(path)
    assert [d.doc_id for d in docs] == ["111", "222"]
    first = docs[0]
    assert all(first.text[m.start:m.end] == m.text for m in first.mentions) and not first.warnings
    assert first.text.startswith("EGFR binds") and "\nLung cancer" in first.text
    kras = next(m for m in first.mentions if m.text == "KRAS")
    assert kras.ids == ("3845", "3846")
    assert next(m for m in first.mentions if m.text == "nephrotoxicity").ids == ()
    assert len(first.relations) == 5 and first.relations[0].novelty == "Novel"
    documents = read_pubtator_documents(path)
    assert documents[0].pmid == "111" and documents[0].text == first.text
    assert documents[0].metadata["source_format"] == "pubtator"


def test_biored_relation_mapping(tmp_path: Path) -> None:
    path = tmp_path / "gold.PubTator"
    path.write_text(PUBTATOR, encoding="utf-8")
    corpus = load_gold(path)
    doc = corpus.documents["111"]
    assert corpus.format == "pubtator"
    assert {(t.relation, t.subject.key, t.object.key) for t in doc.triples} == {
        ("binding", "NCBIGENE:2885", "NCBIGENE:1956"),
        ("drug_inhibits_target", "MESH:D000077156", "NCBIGENE:1956"),  # chemical first whatever the order
        ("association", "NCBIGENE:1956", "MESH:D008175"),
    }  # chemical-disease and gene-gene association are not mapped
    egfr = next(t.object for t in doc.triples if t.relation == "binding")
    assert egfr.alternatives == ((0, 4), (82, 86))
    assert doc.entity_keys("gefitinib") == {"MESH:D000077156"}
    assert doc.entity_keys("EGFR", {"HGNC:3236", "NCBIGENE:1956"}) == {"NCBIGENE:1956"}
    assert doc.entity_keys("EGFR", {"HGNC:3236"}) == {"HGNC:3236"}  # grounded elsewhere: no text fallback
    assert sorted((e.text, e.type) for e in doc.entities if e.type != "PROTEIN") == [
        ("HeLa", "CELL_LINE"), ("Lung cancer", "DISEASE"), ("cisplatin", "DRUG"), ("gefitinib", "DRUG"), ("nephrotoxicity", "DISEASE")]
    assert next(e for e in doc.entities if e.text == "HeLa").ids == {"CELLOSAURUS:CVCL_0030"}


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("1|t|T\n1|a|A\n1\t0\t9\tTxxxxxxxx\tGene\t1\n", 3, "outside the text"),
        ("1|t|T\n1|a|A\n2\t0\t1\tT\tGene\t1\n", 3, "outside its document block"),
        ("1|a|A\n", 1, "without its title"),
        ("1|t|T\n1|a|A\n1\t0\tT\n", 3, "neither a mention"),
        ("1|t|T\n1|a|A\n\n1|t|T\n", 4, "appears twice"),
    ],
)
def test_malformed_pubtator(tmp_path: Path, content: str, line: int, fragment: str) -> None:
    path = tmp_path / "bad.PubTator"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=rf"^\[E110\] .*bad\.PubTator:{line}: malformed PubTator \(.*{fragment}") as info:
        read_pubtator(path)
    assert info.value.fields["line"] == line


def test_latin1_pubtator_is_a_coded_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.PubTator"
    path.write_bytes("1|t|Title\n1|a|Caf\u00e9 abstract\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"\[E104\] .*latin\.PubTator: not valid UTF-8 text \(line 2"):
        read_pubtator(path)


@pytest.mark.parametrize("name", ["gold.PubTator", "Dev.BioC.txt", "abstracts", "biored.tsv", "x.a2", "relations.jsonl"])
def test_pubtator_recognised_by_content_under_any_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("\n\n" + PUBTATOR, encoding="utf-8")  # leading blank lines are allowed
    assert is_pubtator(path)
    corpus = load_gold(path)
    assert corpus.format == "pubtator" and sorted(corpus.documents) == ["111", "222"]
    assert given_entities(path, "111")[0].rule == "given:pubtator"


@pytest.mark.parametrize(
    "content",
    ["T1\tProtein 0 4\tIkBa\n", "PMID\tt\ttitle\n", "111|x|not a text line\n", "", "\n\n", "title only\n111|t|T\n"],
)
def test_not_pubtator_by_content(tmp_path: Path, content: str) -> None:
    path = tmp_path / "gold.PubTator"
    path.write_text(content, encoding="utf-8")
    assert not is_pubtator(path)
    assert not is_pubtator(tmp_path)  # a folder is never a PubTator file


def test_standoff_txt_beside_annotations_is_not_pubtator(tmp_path: Path) -> None:
    text = "111|t|looks like PubTator but has an .a1"
    txt = write_standoff(tmp_path, "odd", text, [("T1", "Protein", "PubTator")])
    assert load_gold(txt).format == "standoff"


def test_load_gold_rejects_unknown_files(tmp_path: Path) -> None:
    other = tmp_path / "notes.tsv"
    other.write_text("a\tb\n")
    with pytest.raises(GoldError, match=r"\[E604\] .*notes\.tsv: not a standoff"):
        load_gold(other)
    with pytest.raises(GoldError, match=r"\[E601\] .*missing: gold path not found"):
        load_gold(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(GoldError, match=r"\[E604\] .*no \.txt files"):
        load_gold(tmp_path / "empty")


def test_given_entities_from_a1(tmp_path: Path) -> None:
    text = "mTORC1 phosphorylates S6K1 at Thr-389 after LPS in the nucleus."
    a1 = [("T1", "Complex", "mTORC1"), ("T2", "Gene_or_gene_product", "S6K1"), ("T3", "Simple_chemical", "Thr-389"),
          ("T4", "Simple_chemical", "LPS"), ("T5", "Cellular_component", "nucleus")]
    txt = write_standoff(tmp_path, "pc", text, a1, ["T6\tPhosphorylation 7 21\tphosphorylates"])
    got = [(e.text, e.type, e.rule, e.residue, e.position) for e in given_entities(txt)]
    assert got == [
        ("mTORC1", "FAMILY", "given:a1", None, None),
        ("S6K1", "PROTEIN", "given:a1", None, None),
        ("Thr-389", "SITE", "given:a1", "T", 389),
        ("LPS", "DRUG", "given:a1", None, None),
    ]  # the .a2 trigger and the Cellular_component are not given entities


def test_given_entities_from_pubtator(tmp_path: Path) -> None:
    path = tmp_path / "gold.PubTator"
    path.write_text(PUBTATOR, encoding="utf-8")
    ents = given_entities(path, "111")
    egfr = ents[0]
    assert (egfr.text, egfr.type, egfr.id, egfr.xrefs, egfr.rule) == ("EGFR", "PROTEIN", "NCBIGene:1956", {"EGID": "1956"}, "given:pubtator")
    kras = next(e for e in ents if e.text == "KRAS")
    assert kras.xrefs == {"EGID": "3845,3846"}
    assert canonical_ids(kras.id, kras.xrefs) == {"NCBIGENE:3845", "NCBIGENE:3846"}
    assert next(e for e in ents if e.text == "gefitinib").id == "MESH:D000077156"
    assert next(e for e in ents if e.text == "HeLa").id == "CVCL_0030"
    assert next(e for e in ents if e.text == "nephrotoxicity").id is None
    assert len(ents) == 9  # OrganismTaxon skipped
    docs = read_pubtator_documents(path)
    assert [e.text for e in given_entities_for(docs[0])] == [e.text for e in ents]
    lookup = given_entities_pubtator([path])
    assert [e.text for e in lookup(docs[0])] == [e.text for e in ents]
    assert lookup(docs[1]) == [] and lookup(Document("999", "")) is None


@pytest.mark.parametrize(
    ("entity_id", "xrefs", "expected"),
    [
        ("HGNC:3236", {"EGID": "1956", "UP": "P00533"}, {"HGNC:3236", "NCBIGENE:1956", "UNIPROT:P00533"}),
        ("MESH:D000077156", {}, {"MESH:D000077156"}),
        (None, {"MESH": "MESH:d000077156"}, {"MESH:D000077156"}),
        ("NCBIGene:1956", None, {"NCBIGENE:1956"}),
        ("CVCL:0030", {}, {"CELLOSAURUS:CVCL_0030"}),
        ("CVCL_0030", {}, {"CELLOSAURUS:CVCL_0030"}),
        (None, {}, set()),
    ],
)
def test_canonical_ids(entity_id: str | None, xrefs: dict | None, expected: set) -> None:
    assert canonical_ids(entity_id, xrefs) == expected


# -------------------------------------------------------------------------------- real corpora (smoke tests)

@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "n_docs", "min_phospho"),
    [
        ("bionlp-st-2013-ge/train", 222, 100),
        ("bionlp-st-2013-ge/devel", 249, 150),
        ("bionlp-st-2013-pc/train", 260, 300),
        ("biored/Dev.PubTator", 100, 0),
        ("biored/Train.PubTator", 400, 0),
    ],
)
def test_read_real_corpora(name: str, n_docs: int, min_phospho: int) -> None:
    if not (CORPORA / name).exists():
        pytest.skip(f"{CORPORA / name} is absent")
    corpus = load_gold(CORPORA / name)
    assert len(corpus.documents) == n_docs
    counts: dict[str, int] = {}
    for t in corpus.triples():
        if not t.negated:
            counts[t.relation] = counts.get(t.relation, 0) + 1
    print(f"\n{name}: positive gold triples (mention level, before de-duplication): {dict(sorted(counts.items()))}")
    substrates = sum(1 for t in corpus.triples() if t.relation == "phosphorylation" and t.subject is None)
    assert substrates >= min_phospho
    if corpus.format == "pubtator":
        assert counts.get("association", 0) > 200 and counts.get("binding", 0) > 10
        assert all(m.text == d.raw.text[m.start:m.end] for d in corpus.documents.values() for m in d.raw.mentions)
    else:
        assert counts.get("binding", 0) > 50 and counts.get("activation", 0) > 20
        # every gold T text is what the offsets point at (BioNLP text read without newline translation)
        assert not [w for w in corpus.warnings if "!=" in w]
