"""Converters for the mention recogniser, on snippets in the corpora's real formats (no corpora needed)."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.training.converters import genetag, pubtator, standoff
from pipeline.training.ner_eval import score_alternatives, score_exact

# Real GENETAG train lines (TAGGED_GENE_CORPUS, Gold.format, Correct.Data).
TAGGED = """\
@@19306602252 Insulin-like/NEWGENE growth/NEWGENE factor/NEWGENE 1/NEWGENE (/( IGF-1/NEWGENE )/SYM in/IN burn/NN patients/NNS ./.
@@13393732909 Structure/NNS and/CC expression/NN of/IN a/DT gene/NN from/IN Arabidopsis/NN thaliana/NN encoding/VBG a/DT protein/NN related/VBN to/IN SNF1/NEWGENE protein/NEWGENE1 kinase/NEWGENE1 ./.
@@93828864107 Direct/JJ proof/NN that/IN the/DT heightened/JJ renal/JJ cellular/JJ apoptosis/NN in/IN PKD/DT is/VBZ not/RB occurring/VBG through/RB p53/NEWGENE was/VBD obtained/VBN by/IN successive/JJ matings/NNS between/IN SBM/DT and/CC p53/NEWGENE (/NEWGENE -/NEWGENE //NEWGENE -/NEWGENE )/NEWGENE mice/NNS ./.
"""
GOLD = """\
@@19306602252|5 5|IGF-1
@@19306602252|0 3|Insulin-like growth factor 1
@@13393732909|14 14|SNF1
@@13393732909|15 16|protein kinase
@@93828864107|23 28|p53 ( - / - )
@@93828864107|14 14|p53
"""
CORRECT = """\
@@19306602252|0 6|Insulin-like growth factor 1 ( IGF-1 )
@@13393732909|14 16|SNF1 protein kinase
@@93828864107|23 23|p53
"""


@pytest.fixture()
def genetag_dir(tmp_path: Path) -> Path:
    (tmp_path / "TAGGED_GENE_CORPUS").write_text(TAGGED)
    (tmp_path / "Gold.format").write_text(GOLD)
    (tmp_path / "Correct.Data").write_text(CORRECT)
    return tmp_path


@pytest.mark.parametrize("words, text", [
    ("Insulin-like growth factor 1 ( IGF-1 ) in burn patients .", "Insulin-like growth factor 1 (IGF-1) in burn patients."),
    ("between SBM and p53 ( - / - ) mice .", "between SBM and p53 (-/-) mice."),
    ("gE : gI Fc receptor complex .", "gE: gI Fc receptor complex."),
    ("at 20 ng / ml ( 196 + / - 43 IU )", "at 20 ng/ml (196 +/- 43 IU)"),
    ("was 3 . 2 % ; p53 , Rb", "was 3.2%; p53, Rb"),
    ("hTAF ( II ) 100 , [ 35S ] methionine", "hTAF (II) 100, [35S] methionine"),
])
def test_rebuild_text(words: str, text: str) -> None:
    rebuilt, offsets = genetag.rebuild_text(words.split())
    assert rebuilt == text
    assert [rebuilt[s:e] for s, e in offsets] == words.split()


@pytest.mark.parametrize("sid, names", [
    ("@@19306602252", ["Insulin-like growth factor 1", "IGF-1"]),
    ("@@13393732909", ["SNF1", "protein kinase"]),  # NEWGENE + NEWGENE1: two touching names
    ("@@93828864107", ["p53", "p53 (-/-)"]),
])
def test_genetag_gold_spans(genetag_dir: Path, sid: str, names: list[str]) -> None:
    items = {i.id: i for i in genetag.read_split(genetag_dir)}
    item = items[sid]
    assert [item.text[s:e] for s, e, _ in item.spans] == names
    assert {label for *_, label in item.spans} == {"GENE"}


@pytest.mark.parametrize("sid, gold, alternatives", [
    ("@@19306602252", "Insulin-like growth factor 1", ["Insulin-like growth factor 1 (IGF-1)"]),
    ("@@19306602252", "IGF-1", ["Insulin-like growth factor 1 (IGF-1)"]),
    ("@@13393732909", "protein kinase", ["SNF1 protein kinase"]),
    ("@@13393732909", "SNF1", ["SNF1 protein kinase"]),
    ("@@93828864107", "p53 (-/-)", ["p53"]),
])
def test_genetag_alternatives(genetag_dir: Path, sid: str, gold: str, alternatives: list[str]) -> None:
    item = {i.id: i for i in genetag.read_split(genetag_dir)}[sid]
    key = next((s, e) for s, e, _ in item.spans if item.text[s:e] == gold)
    assert [item.text[s:e] for s, e in item.alternatives[key]] == alternatives


@pytest.mark.parametrize("tags, ranges", [
    (["NN", "NEWGENE", "NEWGENE1", "NEWGENE1", "."], [(1, 1), (2, 3)]),
    (["NEWGENE", "NEWGENE", "IN", "NEWGENE"], [(0, 1), (3, 3)]),
    (["NEWGENE1", "NEWGENE", "NEWGENE1"], [(0, 0), (1, 1), (2, 2)]),
    (["DT", "NN"], []),
])
def test_mentions_from_tags(tags: list[str], ranges: list[tuple[int, int]]) -> None:
    assert genetag.mentions_from_tags(tags) == ranges


@pytest.mark.parametrize("words, first, last, name, expected", [
    (["SNF1", "protein", "kinase"], 1, 2, "protein kinase", (1, 2)),  # token indices (this release)
    (["SNF1", "protein", "kinase"], 4, 16, "protein kinase", (1, 2)),  # characters without spaces (BioCreative II)
    (["a", "CREB", "/", "ATF", "proteins"], 1, 1, "CREB / ATF proteins", (1, 4)),  # slip in the file: found by text
    (["a", "b"], 0, 0, "zzz", None),
])
def test_resolve_positions(words, first, last, name, expected) -> None:
    assert genetag.resolve(words, first, last, name) == expected


def test_fused_position_lines(tmp_path: Path) -> None:
    """Correct.Data has lines glued without a newline; both halves are kept."""
    path = tmp_path / "Correct.Data"
    path.write_text("@@1|9 15|human factor RUNX1 / AML1@@1|13 15|RUNX1 / AML1\n@@2|11 11OCT-1\n")
    assert genetag.read_positions(path) == {"@@1": [(9, 15, "human factor RUNX1 / AML1"), (13, 15, "RUNX1 / AML1")],
                                            "@@2": [(11, 11, "OCT-1")]}


# A real BioRED Train record (shortened abstract), with a composite-id mention (MODY) and dropped types.
PUBTATOR = (
    "10491763|t|Hepatocyte nuclear factor-6: associations between genetic variability and type II diabetes and "
    "between genetic variability and estimates of insulin secretion.\n"
    "10491763|a|The transcription factor hepatocyte nuclear factor (HNF)-6 is an upstream regulator of several genes "
    "involved in the pathogenesis of maturity-onset diabetes of the young. We then examined them on genomic DNA in six "
    "MODY probands with glucose.\n"
    "10491763\t0\t27\tHepatocyte nuclear factor-6\tGeneOrGeneProduct\t3175\n"
    "10491763\t74\t90\ttype II diabetes\tDiseaseOrPhenotypicFeature\tD003924\n"
    "10491763\t140\t147\tinsulin\tGeneOrGeneProduct\t3630\n"
    "10491763\t184\t217\thepatocyte nuclear factor (HNF)-6\tGeneOrGeneProduct\t3175\n"
    "10491763\t292\t315\tmaturity-onset diabetes\tDiseaseOrPhenotypicFeature\tD003924\n"
    "10491763\t374\t378\tMODY\tGeneOrGeneProduct\t3172,3651,6927\n"
    "10491763\t393\t400\tglucose\tChemicalEntity\tD005947\n"
    "10491763\t379\t387\tprobands\tOrganismTaxon\t9606\n"
    "10491763\tAssociation\t3175\tD003924\tNovel\n"
)


def test_pubtator_record() -> None:
    docs = list(pubtator.parse_pubtator(PUBTATOR.splitlines(True)))
    assert len(docs) == 1
    mody = next(m for m in docs[0].mentions if m[2] == "MODY")
    assert mody[4] == ["3172", "3651", "6927"]  # composite id kept whole as a list
    item = pubtator.to_annotated(docs[0])
    got = [(item.text[s:e], label) for s, e, label in item.spans]
    assert got == [("Hepatocyte nuclear factor-6", "GENE"), ("type II diabetes", "DISEASE"), ("insulin", "GENE"),
                   ("hepatocyte nuclear factor (HNF)-6", "GENE"), ("maturity-onset diabetes", "DISEASE"),
                   ("MODY", "GENE"), ("glucose", "CHEMICAL")]  # OrganismTaxon dropped


def test_pubtator_offsets_checked() -> None:
    bad = PUBTATOR.replace("\t0\t27\t", "\t1\t28\t")
    with pytest.raises(ValueError):
        pubtator.to_annotated(next(pubtator.parse_pubtator(bad.splitlines(True))))


@pytest.mark.parametrize("line, spans", [
    ("T1\tProtein 19 49\tinterferon regulatory factor 4", [(19, 49, "GENE")]),
    ("T2\tEntity 5 9\tsite", []),
    ("T3\tProtein 10 13;20 24\tIL- 2R", [(10, 13, "GENE"), (20, 24, "GENE")]),
    ("E1\tBinding:T9 Theme:T2", []),
])
def test_a1_lines(line: str, spans) -> None:
    assert standoff.parse_t_line(line, {"Protein": "GENE"}) == spans


def test_standoff_doc_marks_inner_mentions_missing(tmp_path: Path) -> None:
    """A protein inside a token (bcr in bcr-abl) is left unknown, not taught as a whole-token GENE."""
    import spacy

    from pipeline.nlp.tokenizer import biomine_tokenizer

    (tmp_path / "PMC-1-00-TIAB.txt").write_text("the bcr-abl fusion and IRF-4 rise")
    (tmp_path / "PMC-1-00-TIAB.a1").write_text("T1\tProtein 4 7\tbcr\nT2\tProtein 8 11\tabl\nT3\tProtein 23 28\tIRF-4\n")
    item = next(standoff.read_standoff_dir(tmp_path))
    nlp = spacy.blank("en")
    nlp.tokenizer = biomine_tokenizer(nlp)
    stats = standoff.DocStats()
    doc = standoff.to_doc(nlp, item, stats=stats)
    assert [(t.text, t.ent_iob_) for t in doc] == [("the", "O"), ("bcr-abl", ""), ("fusion", "O"), ("and", "O"),
                                                   ("IRF-4", "B"), ("rise", "O")]
    assert (stats.aligned, stats.misaligned) == (1, 2)


def test_scoring_with_alternatives() -> None:
    item = standoff.Annotated("s", "SNF1 protein kinase and p53", [(0, 4, "GENE"), (5, 19, "GENE"), (24, 27, "GENE")],
                              ("GENE",), {(0, 4): [(0, 19)], (5, 19): [(0, 19)], (24, 27): []})
    # "SNF1 protein kinase" is an alternative of both names but matches only one; "and" is wrong
    pred = [[(0, 19, "GENE"), (20, 23, "GENE"), (24, 27, "GENE")]]
    prf = score_alternatives([item], pred)
    assert (prf.tp, prf.fp, prf.fn) == (2, 1, 1)
    exact = score_exact([item], pred)
    assert (exact.total.tp, exact.total.fp, exact.total.fn) == (1, 2, 2)
