"""--model loads an installed spaCy pipeline instead of the blank one; a missing one is a clear error."""
from __future__ import annotations

import pytest
import spacy

from pipeline.errors import ModelError
from pipeline.model import Document
from pipeline.nlp.build import build_nlp


def test_model_directory_is_used(tmp_path):
    spacy.blank("en").to_disk(tmp_path / "tiny_model")
    nlp = build_nlp(model=str(tmp_path / "tiny_model"))
    assert nlp.pipe_names[-2:] == ["biomine_entities_v1", "biomine_relations_v1"]
    doc = nlp("ASK1 activates JNK.")
    assert [(r.relation, r.subject.text, r.object.text) for r in doc._.biomine_relations] == [
        ("activation", "ASK1", "JNK")]


def test_missing_model_is_a_clear_error():
    with pytest.raises(ModelError, match=r"E401.*cannot be loaded"):
        build_nlp(model="en_no_such_model_xyz")


def test_pronoun_arguments_are_listed_as_entities(processor):
    processed = processor.process(Document("d", "ASK1 is a MAP3K. It activates JNK."))
    pronouns = [e for e in processed.entities if e.rule == "coref:pronoun"]
    assert [(e.text, e.id) for e in pronouns] == [("It", "HGNC:6857")]
