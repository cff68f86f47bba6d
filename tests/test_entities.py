"""Entity recognition: tokens that hide entities, case rules, stoplist, abbreviations, sites."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.entities.dictionary import case_matches
from pipeline.model import Document


def _entities(processor, text):
    return [(e.text, e.type, e.id) for e in processor.process(Document("t", text)).entities]


@pytest.mark.parametrize("text,expected", [
    ("ASK1 can activate MKK3/MKK6-p38 signalling.", ["MKK3", "MKK6", "p38"]),
    ("JNK1/2-mediated apoptosis", ["JNK1/2"]),  # FamPlex names the pair itself
    ("ASK1-mediated activation", ["ASK1"]),
    ("MKK-4 and MKK7 were active.", ["MKK-4", "MKK7"]),
])
def test_entities_inside_tokens(processor, text, expected):
    found = [t for t, _, _ in _entities(processor, text)]
    for name in expected:
        assert name in found, found


@pytest.mark.parametrize("text,absent", [
    ("We can set the cells in a map.", {"can", "set", "cells", "map"}),
    ("Mol Cell Biol. 2001 Feb;21(3):893-901.", {"Mol", "Feb"}),
    ("Ca2+ influx rose.", {"Ca2"}),
])
def test_english_words_are_not_genes(processor, text, absent):
    found = {t for t, _, _ in _entities(processor, text)}
    assert not (found & absent), found


@pytest.mark.parametrize("surface,term,ok", [
    ("ASK1", "ASK1", True), ("Ask1", "ASK1", True), ("P38", "p38", True), ("MKK-4", "MKK4", True),
    ("can", "CAN", False), ("Set", "SET", False), ("SET", "SET", True), ("akt", "AKT", False),
])
def test_case_rules(surface, term, ok):
    assert case_matches(surface, term) is ok


def test_abbreviation_links_both_forms(processor):
    text = ("Apoptosis signal-regulating kinase 1 (ASK1) is a MAP3K. Later, apoptosis signal-regulating "
            "kinase 1 and ASK1 were both studied.")
    found = _entities(processor, text)
    long_forms = [f for f in found if f[0].lower().startswith("apoptosis signal-regulating")]
    assert len(long_forms) == 2 and all(f[2] == "HGNC:6857" for f in long_forms)


def _abbreviated(long_text: str, short_text: str, long_type: str, short_rule: str = "dictionary:genes"):
    """Entities for "<long> (<short>) ... <short>", with scispaCy's two abbreviation pairs."""
    from pipeline.model import Entity

    text = f"{long_text} ({short_text}) was studied; {short_text} rose."
    s1 = text.index(f"({short_text})") + 1
    s2 = text.rindex(short_text)
    long_e = Entity(text=long_text, type=long_type, start=0, end=len(long_text), id=f"X:{long_type}",
                    name=long_text, rule="dictionary:x")
    shorts = [Entity(text=short_text, type="PROTEIN", start=s, end=s + len(short_text), id="HGNC:1",
                     name="GENE1", rule=short_rule) for s in (s1, s2)]
    pairs = [((s, s + len(short_text)), (0, len(long_text))) for s in (s1, s2)]
    return text, [long_e, *shorts], pairs


@pytest.mark.parametrize("long_text,short_text,long_type,short_rule,gene_name,expected", [
    # the text defines the abbreviation: every occurrence takes the long form's type and id
    ("hepatocellular carcinoma", "HCC", "DISEASE", "dictionary:genes", False, ("DISEASE", "X:DISEASE")),
    ("streptozotocin", "STZ", "DRUG", "ner+dictionary:genes", False, ("DRUG", "X:DRUG")),
    # a long form that is also a gene's name (a protein hormone is a MeSH chemical too) changes nothing
    ("endothelin-1", "ET-1", "DRUG", "dictionary:genes", True, ("PROTEIN", "HGNC:1")),
    # given entities (the shared-task setting) are never retyped
    ("hepatocellular carcinoma", "HCC", "DISEASE", "given", False, ("PROTEIN", "HGNC:1")),
])
def test_an_abbreviation_defined_in_the_text_types_its_short_form(long_text, short_text, long_type, short_rule,
                                                                  gene_name, expected):
    from pipeline.entities.recognizer import link_abbreviations

    text, entities, pairs = _abbreviated(long_text, short_text, long_type, short_rule)
    out = link_abbreviations(text, entities, pairs, lambda name: gene_name)
    shorts = [(e.type, e.id) for e in out if e.text == short_text]
    assert shorts == [expected, expected]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0), (2, 0, 1)])
def test_abbreviation_links_do_not_depend_on_the_order_of_the_pairs(order):
    """An ungrounded long form takes the id of its grounded short form before any copy is made, so
    the unrecognised occurrence "btk" is grounded whichever pair comes first."""
    from pipeline.entities.recognizer import link_abbreviations
    from pipeline.model import Entity

    text = "Bruton's tyrosine kinase (Btk) is needed; btk and Btk mutants fail."
    long_e = Entity(text="Bruton's tyrosine kinase", type="PROTEIN", start=0, end=24, rule="ner")
    s1, s2, s3 = text.index("Btk"), text.index("btk"), text.rindex("Btk")
    shorts = [Entity(text="Btk", type="PROTEIN", start=s, end=s + 3, id="HGNC:1133", name="BTK",
                     rule="dictionary:genes") for s in (s1, s3)]
    pairs = [((s, s + 3), (0, 24)) for s in (s1, s2, s3)]
    out = link_abbreviations(text, [long_e, *shorts], [pairs[i] for i in order])
    assert [(e.start, e.id, e.rule) for e in out] == [
        (0, "HGNC:1133", "ner"), (s1, "HGNC:1133", "dictionary:genes"), (s2, "HGNC:1133", "abbreviation:short"),
        (s3, "HGNC:1133", "dictionary:genes")]


@pytest.mark.parametrize("text,site,residue,position", [
    ("Akt phosphorylated ASK1 at Ser83.", "Ser83", "S", 83),
    ("phosphorylation at S83 of ASK1", "S83", "S", 83),
    ("Akt phosphorylates Thr(308) of Akt1", "Thr(308)", "T", 308),
    ("pSer473 levels", "pSer473", "S", 473),
    ("phosphorylated on tyrosine residues", "tyrosine residues", "Y", None),
])
def test_sites(processor, text, site, residue, position):
    sites = [e for e in processor.process(Document("t", text)).entities if e.type == "SITE"]
    assert [(s.text, s.residue, s.position) for s in sites] == [(site, residue, position)]


def test_figure_panels_are_not_sites(processor):
    assert not [e for e in processor.process(Document("t", "See Figure S1 and T4 cells.")).entities
                if e.type == "SITE"]


def test_elliptic_coordination(processor):
    found = _entities(processor, "involved in cardiovascular and neurodegenerative diseases")
    assert ("cardiovascular", "DISEASE", "MESH:D002318") in found


def test_amino_acid_names_are_not_drugs(processor):
    found = _entities(processor, "The Akt family of serine/threonine-directed kinases")
    assert not [f for f in found if f[1] == "DRUG"], found


@pytest.mark.parametrize("text,short,expected", [
    # a long form naming no gene product: the dictionary's gene alias is dropped at every occurrence
    ("trabecular bone mineral density (BMD) in children. BMD was low.", "BMD", []),
    ("it suppresses epithelial-mesenchymal transition (EMT), as shown", "EMT", []),
    # a long form whose head is a disease: the short form becomes that disease (no id borrowed from the head)
    ("Contrast-induced nephropathy (CIN) raises risk. CIN is common.", "CIN", [("DISEASE", None)] * 2),
    # a chemical defined inside one token ("(STZ)-induced"), found by the character-level finder
    ("testosterone on streptozotocin (STZ)-induced memory loss. STZ was given.", "STZ", [("DRUG", "HMS-LINCS:10629")] * 2),
    # a long form that can name a gene product keeps the gene reading
    ("apoptosis signal-regulating kinase 1 (ASK1) binds. ASK1 is active.", "ASK1", [("PROTEIN", "HGNC:6857")] * 2),
    ("Bicaudal D2 (BICD2) joins dynein. BICD2 binds.", "BICD2", [("PROTEIN", "HGNC:17208")] * 2),
])
def test_the_definition_in_the_text_decides_a_short_forms_type(processor, text, short, expected):
    found = [(e.type, e.id) for e in processor.process(Document("t", text)).entities if e.text == short]
    assert found == expected


@pytest.mark.parametrize("short,candidate,long_form", [
    ("STZ", "effects of testosterone on streptozotocin", "streptozotocin"),
    ("NTG", "at the onset of nitroglycerin", "nitroglycerin"),
    ("HCC", "patients with hepatocellular carcinoma", "hepatocellular carcinoma"),
    ("ABC", "nothing matches here", None),
])
def test_schwartz_hearst_long_form(short, candidate, long_form):
    from pipeline.nlp.abbreviations import best_long_form

    start = best_long_form(short, candidate)
    assert (candidate[start:] if start is not None else None) == long_form


def test_glued_definitions_pair_every_later_occurrence():
    from pipeline.nlp.abbreviations import glued_definitions

    text = "rats given bleomycin (BLM)-induced fibrosis; BLM-treated mice and BLM alone; xBLMx"
    pairs = glued_definitions(text, set())
    assert [text[s:e] for (s, e), _ in pairs] == ["BLM", "BLM", "BLM"]
    assert {text[s:e] for _, (s, e) in pairs} == {"bleomycin"}
    assert glued_definitions(text, {"BLM"}) == []  # scispaCy already paired it


def test_glued_definitions_are_bounded_per_text():
    from pipeline.nlp.abbreviations import MAX_DEFINITIONS, glued_definitions

    text = " ".join(f"alpha beta{i} (AB{i})-treated" for i in range(3 * MAX_DEFINITIONS))
    pairs = glued_definitions(text, set())
    assert 0 < len({long for _short, long in pairs}) <= MAX_DEFINITIONS


@pytest.mark.parametrize("text,term", [
    ("Body weight fell in treated mice.", "Body weight"),
    ("Birth weight was recorded.", "Birth weight"),
    ("Recurrence was lower after surgery.", "Recurrence"),
    ("Disease progression was slower.", "Disease progression"),
])
def test_measurements_filed_next_to_diseases_are_no_diseases(processor, text, term):
    """MeSH files these under signs and symptoms; they name no disease (pipeline/build/dictionaries/english.py)."""
    assert term not in [e.text for e in processor.process(Document("t", text)).entities]


def test_a_virus_defined_in_the_text_is_no_disease(processor):
    text = "Immune escape variants of the hepatitis B virus (HBV) emerge. HBV replication was measured."
    assert "HBV" not in [e.text for e in processor.process(Document("t", text)).entities]


def _overlaps_by_definition(candidates, preferred):
    """resolve_overlaps as its docstring defines it: longest first, each against every mention taken."""
    chosen = list(preferred)
    taken = [(e.start, e.end) for e in chosen]
    for ent in sorted(candidates, key=lambda e: (-(e.end - e.start), e.type == "SITE", e.start)):
        if not any(ent.start < e and s < ent.end for s, e in taken):
            chosen.append(ent)
            taken.append((ent.start, ent.end))
    return sorted(chosen, key=lambda e: (e.start, e.end))


_SPANS = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6), st.sampled_from(["PROTEIN", "SITE"])), max_size=12)


@settings(max_examples=400, deadline=None)
@given(candidates=_SPANS, preferred=_SPANS.map(lambda spans: spans[:3]))
def test_resolve_overlaps_keeps_what_the_definition_keeps(candidates, preferred):
    from pipeline.entities.recognizer import resolve_overlaps
    from pipeline.model import Entity

    def entities(spans):
        return [Entity(text="x", type=kind, start=a, end=a + n) for a, n, kind in spans]

    cands, pref = entities(candidates), entities(preferred)
    assert [id(e) for e in resolve_overlaps(cands, pref)] == [id(e) for e in _overlaps_by_definition(cands, pref)]
