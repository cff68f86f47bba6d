"""Grounding with ambiguity kept visible (issue 8): normalised lookup, candidates, choice in context."""
from __future__ import annotations

import pytest

from pipeline.entities.grounding import lookup_keys
from pipeline.model import Document


@pytest.mark.parametrize("text,key", [
    ("PKCδ", "pkc delta"),
    ("hPlk1", "plk1"),
    ("mSos1", "sos1"),
    ("Hog1p", "hog1"),
    ("the ASK1 protein", None),
    ("ASK1 protein", "ask1"),
    ("IL-2", "il2"),
    ("protein kinase C-delta", "protein kinase c delta"),
])
def test_lookup_keys(text, key):
    keys = lookup_keys(text)
    if key is None:
        assert keys[0] == text.lower()
    else:
        assert key in keys, keys


@pytest.mark.parametrize("text,mention,expected_id", [
    ("Cdc2 kinase phosphorylates histone H1.", "Cdc2", "HGNC:1722"),                      # kinase context: CDK1
    ("The POLD1 gene encodes a polymerase subunit; Cdc2 is one of its names.", "Cdc2", "HGNC:9175"),  # the document
])
def test_ambiguous_names_are_flagged_and_chosen_in_context(processor, text, mention, expected_id):
    entity = next(e for e in processor.process(Document("g", text)).entities if e.text == mention)
    assert entity.ambiguous and entity.id == expected_id
    assert {c["id"] for c in entity.candidates} >= {"HGNC:1722", "HGNC:9175"}
    assert entity.candidates[0]["id"] == expected_id


def test_unambiguous_names_carry_no_candidates(processor):
    entity = next(e for e in processor.process(Document("g", "ASK1 activates JNK.")).entities if e.text == "ASK1")
    assert not entity.ambiguous and entity.candidates == [] and entity.id == "HGNC:6857"


def test_abbreviation_forms_share_one_reading(processor):
    doc = processor.process(Document("g", "Cell division cycle 2 (Cdc2) kinase is active. Cdc2 binds cyclin B."))
    ids = {e.id for e in doc.entities if e.text.lower() in ("cdc2", "cell division cycle 2")}
    assert len(ids) == 1


@pytest.fixture(scope="module")
def dictionary():
    from pipeline.entities.dictionary import load_dictionary
    from pipeline.resources import patterns_dir

    return load_dictionary(patterns_dir() / "dictionaries")


@pytest.mark.parametrize("text,label,expected_id", [
    ("AR", "GENE", "HGNC:644"),      # a two-character symbol: grounds a recognised mention ...
    ("C3", "GENE", "HGNC:1318"),
    ("Epo", "GENE", "HGNC:3415"),    # a gene name in another case, when the exact case finds nothing
    ("PrlR", "GENE", "HGNC:9446"),
    ("PCa", "DISEASE", None),        # not for diseases: "PCa" is not primary cutaneous amyloidosis (PCA)
    # looser spellings, tried only when nothing literal matched
    ("TGF-beta3", "GENE", "HGNC:11769"),             # a spelled-out Greek letter as the symbol's letter
    ("thymidylate synthase", "GENE", "HGNC:12441"),  # HGNC says "synthetase"
    ("FLNBv4", "GENE", "HGNC:3755"),                 # transcript variant 4 of FLNB
    ("OCT4A", "GENE", "HGNC:9221"),                  # isoform A of OCT4 (POU5F1)
    ("Rab5a", "GENE", "HGNC:9783"),                  # ... but a literal match always wins (RAB5A, not RAB5)
])
def test_recognised_mentions_are_grounded_past_the_text_matchers_limits(dictionary, text, label, expected_id):
    from pipeline.entities.mentions import mention_entity

    sentence = f"We studied {text} in these cells."
    start = sentence.index(text)
    entity = mention_entity(dictionary, sentence, start, start + len(text), label)
    assert entity is not None and entity.id == expected_id


def test_two_character_symbols_are_never_matched_in_running_text(dictionary):
    hits = dictionary.find("The AR and C3 genes, in particular cases, were studied.")
    assert not [h for h in hits if len(h[2].term) < 3]
