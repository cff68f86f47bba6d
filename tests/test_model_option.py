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
    assert nlp.pipe_names[-3:] == ["biomine_entities_v1", "biomine_syntax_v1", "biomine_relations_v1"]
    assert nlp.meta["biomine_model"]["name"] == spacy.blank("en").meta["name"]
    assert nlp.get_pipe("biomine_syntax_v1").trained is None  # no parser in it: surface rules only
    doc = nlp("ASK1 activates JNK.")
    assert [(r.relation, r.subject.text, r.object.text) for r in doc._.biomine_relations] == [
        ("activation", "ASK1", "JNK")]


def test_the_shipped_models_are_the_default():
    nlp = build_nlp()
    assert nlp.meta["biomine_model"]["name"] == "biomine_genia_sm"
    assert nlp.get_pipe("biomine_syntax_v1").trained is not None
    assert "biomine_mentions_v1" in nlp.pipe_names


def test_rules_only_mode_runs_without_any_model():
    nlp = build_nlp(model="none")
    assert nlp.meta["biomine_model"] is None and "biomine_mentions_v1" not in nlp.pipe_names
    doc = nlp("Akt phosphorylates ASK1 at Ser83.")
    assert [(r.subject.text, r.object.text, r.site.text) for r in doc._.biomine_relations] == [
        ("Akt", "ASK1", "Ser83")]


def test_missing_model_is_a_clear_error():
    with pytest.raises(ModelError, match=r"E401.*cannot be loaded"):
        build_nlp(model="en_no_such_model_xyz")


def test_pronoun_arguments_are_listed_as_entities(processor):
    processed = processor.process(Document("d", "ASK1 is a MAP3K. It activates JNK."))
    pronouns = [e for e in processed.entities if e.rule == "coref:pronoun"]
    assert [(e.text, e.id) for e in pronouns] == [("It", "HGNC:6857")]


def test_the_models_run_on_numpys_blas_with_one_thread(processor):
    """prefer_openblas: thinc's blis gemm measured 3x slower here; workers are processes, BLAS one thread."""
    from thinc.api import get_current_ops
    from threadpoolctl import threadpool_info

    if processor.nlp.get_pipe("biomine_syntax_v1").trained is None:
        pytest.skip("no shipped model")
    assert getattr(get_current_ops(), "use_blis", None) is False
    assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")
