"""Statistical mentions combined with dictionary matches (issue 8), on hand-made mention spans."""
from __future__ import annotations

import pytest

from pipeline.entities.dictionary import load_dictionary
from pipeline.entities.mentions import combine
from pipeline.entities.recognizer import EntityRecognizer
from pipeline.resources import patterns_dir


@pytest.fixture(scope="module")
def recognizer():
    return EntityRecognizer(patterns_dir())


def _spans(text: str, *items: tuple[str, str]) -> list[tuple[int, int, str]]:
    out = []
    for surface, label in items:
        start = text.index(surface)
        out.append((start, start + len(surface), label))
    return out


def _entities(recognizer, text, mentions, given=None):
    from pipeline.model import Sentence

    return recognizer.recognise(text, [Sentence(0, 0, len(text), text)], (), given, mentions)


@pytest.mark.parametrize("text,mentions,expect", [
    # a name the dictionaries do not know becomes an ungrounded entity that relations can use
    ("Hog1 phosphorylates Sic1.", [("Hog1", "GENE"), ("Sic1", "GENE")],
     [("Hog1", "PROTEIN", None, "ner:gene"), ("Sic1", "PROTEIN", None, "ner:gene")]),
    # a species prefix is normalised away for grounding
    ("hPlk1 binds it.", [("hPlk1", "GENE")], [("hPlk1", "PROTEIN", "HGNC:9077", "ner:gene")]),
    # a longer mention that grounds replaces the family inside it
    ("The protein kinase C-delta isoform.", [("protein kinase C-delta", "GENE")],
     [("protein kinase C-delta", "PROTEIN", "HGNC:9399", "ner:gene")]),
    # the same span confirms the dictionary match
    ("ASK1 activates JNK.", [("ASK1", "GENE")], [("ASK1", "PROTEIN", "HGNC:6857", "ner+dictionary:genes")]),
    # a gene alias acronym that the recogniser reads as a chemical or disease takes the reading in context
    ("Rats given STZ lost weight.", [("STZ", "CHEMICAL")], [("STZ", "DRUG", None, "ner:chemical")]),
    # a spelled-out gene name keeps the dictionary's type whatever the recogniser says
    ("Serum insulin rose.", [("insulin", "CHEMICAL")], [("insulin", "PROTEIN", "HGNC:6081", "ner+dictionary:genes")]),
    # a protein the chemical dictionaries list as a drug, read as a gene in context, is the gene
    ("Plasma ghrelin rose.", [("ghrelin", "GENE")], [("ghrelin", "PROTEIN", "HGNC:18129", "ner:gene")]),
    # a chemical name the recogniser calls a gene but no gene dictionary knows stays the chemical
    ("Aspirin was given.", [("Aspirin", "GENE")], [("Aspirin", "DRUG", None, None)]),
    # a gene product named after its chemical ligand is the gene product, not the chemical inside it
    ("The glucocorticoid receptor binds DNA.", [("glucocorticoid receptor", "GENE")],
     [("glucocorticoid receptor", "PROTEIN", None, "ner:gene")]),
    ("Nitric oxide synthase was induced.", [("Nitric oxide synthase", "GENE")],
     [("Nitric oxide synthase", "PROTEIN", None, "ner:gene")]),
    # ... but a longer mention that only adds a non-product word leaves the chemical alone
    ("Serotonin levels rose.", [("Serotonin levels", "GENE")], [("Serotonin", "DRUG", None, None)]),
    # a stress keeps its own source
    ("H2O2 activates ASK1.", [("H2O2", "CHEMICAL")], [("H2O2", "STRESS", None, None)]),
])
def test_combination(recognizer, text, mentions, expect):
    found = _entities(recognizer, text, _spans(text, *mentions))
    for surface, etype, eid, rule in expect:
        ent = next((e for e in found if e.text == surface), None)
        assert ent is not None, [(e.text, e.type, e.rule) for e in found]
        assert ent.type == etype
        if eid is not None or rule is not None:
            assert (ent.id, ent.rule) == (eid, rule) if rule else ent.id == eid


def test_dictionary_matches_without_a_mention_are_kept(recognizer):
    found = _entities(recognizer, "ASK1 activates JNK.", [])
    assert {e.text for e in found} == {"ASK1", "JNK"}


def test_given_entities_mode_ignores_gene_mentions(recognizer):
    from pipeline.model import Entity

    text = "Hog1 phosphorylates Sic1."
    given = [Entity("Sic1", "PROTEIN", 20, 24, rule="given")]
    found = _entities(recognizer, text, _spans(text, ("Hog1", "GENE")), given=given)
    assert [e.text for e in found if e.type == "PROTEIN"] == ["Sic1"]


def test_combine_never_loses_a_site(recognizer):
    dictionary = load_dictionary((patterns_dir() / "dictionaries").resolve())
    text = "ASK1 Ser83"
    sites = recognizer.find_sites(text)
    merged = combine(dictionary, text, sites, [(0, 10, "GENE")])
    assert any(e.type == "SITE" for e in merged)


@pytest.mark.parametrize("text,surface", [
    ("RSK1 is a serine/threonine kinase.", "serine/threonine kinase"),
    ("It is a protein kinase.", "protein kinase"),
])
def test_a_class_name_is_no_mention(recognizer, text, surface):
    found = _entities(recognizer, text, _spans(text, (surface, "GENE")))
    assert surface not in [e.text for e in found]
