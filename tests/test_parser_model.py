"""The shipped biomine_genia_sm pipeline: loads offline, parses what the relation rules read, holds its accuracy."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "biomine_genia_sm"
TREEBANK = ROOT.parent / "shared" / "corpora" / "genia-treebank"


@pytest.fixture(scope="module")
def nlp():
    import spacy

    import pipeline.nlp.components  # noqa: F401  (biomine_morphology_v1)
    import pipeline.nlp.tokenizer  # noqa: F401  (biomine.Tokenizer.v1)

    return spacy.load(MODEL)


def arcs(doc) -> set[str]:
    return {f"{t.dep_}({t.head.text}, {t.text})" for t in doc}


def test_meta_and_components(nlp) -> None:
    assert nlp.meta["name"] == "biomine_genia_sm" and nlp.meta["version"] == "1.2.0"
    assert "Corpus annotations (c) GENIA Project" in json.dumps(nlp.meta["sources"])
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "morphology"]
    assert (MODEL / "ATTRIBUTION").exists() and (MODEL / "splits.json").exists()


@pytest.mark.parametrize("text,expected", [
    ("Akt phosphorylates ASK1 at Ser83.",
     ["nsubj(phosphorylates, Akt)", "dobj(phosphorylates, ASK1)", "prep(phosphorylates, at)", "pobj(at, Ser83)"]),
    ("ASK1 is phosphorylated by Akt.",
     ["nsubjpass(phosphorylated, ASK1)", "auxpass(phosphorylated, is)", "agent(phosphorylated, by)", "pobj(by, Akt)"]),
    ("TNF induces the expression of IL-8 in HeLa cells.",
     ["nsubj(induces, TNF)", "dobj(induces, expression)", "prep(expression, of)", "pobj(of, IL-8)"]),
    ("PI3K activates Akt, which phosphorylates GSK3.",
     ["dobj(activates, Akt)", "relcl(Akt, phosphorylates)", "nsubj(phosphorylates, which)", "dobj(phosphorylates, GSK3)"]),
    ("Akt inhibits ASK1 by phosphorylating Ser83.",
     ["nsubj(inhibits, Akt)", "prep(inhibits, by)", "pcomp(by, phosphorylating)", "dobj(phosphorylating, Ser83)"]),
])
def test_relation_relevant_parses(nlp, text: str, expected: list[str]) -> None:
    got = arcs(nlp(text))
    assert not [a for a in expected if a not in got], sorted(got)


def test_tags_pos_and_lemmas(nlp) -> None:
    doc = nlp("Activated kinases were phosphorylating the receptors.")
    by_text = {t.text: t for t in doc}
    assert by_text["kinases"].tag_ == "NNS" and by_text["kinases"].pos_ == "NOUN" and by_text["kinases"].lemma_ == "kinase"
    assert by_text["were"].pos_ == "AUX" and by_text["were"].lemma_ == "be"
    assert by_text["phosphorylating"].pos_ == "VERB" and by_text["phosphorylating"].lemma_ == "phosphorylate"
    assert by_text["receptors"].lemma_ == "receptor"


def test_keeps_biomine_tokenization(nlp) -> None:
    assert [t.text for t in nlp("PI3K and p70S6K in 293T cells")][:3] == ["PI3K", "and", "p70S6K"]


@pytest.mark.corpus
@pytest.mark.skipif(not TREEBANK.exists(), reason="needs ../shared/corpora/genia-treebank")
def test_held_out_accuracy(nlp) -> None:
    """Re-parse the raw text of the test-split abstracts shipped in splits.json (about 30 s on one core)."""
    from pipeline.training.converters import genia_treebank
    from pipeline.training.parser import examples_from_raw

    pmids = json.loads((MODEL / "splits.json").read_text())["test"]
    docs = [genia_treebank.read_document(TREEBANK / "original-data" / f"{pmid}.xml") for pmid in pmids]
    scores = nlp.evaluate(examples_from_raw(nlp, docs), batch_size=64)
    assert scores["tag_acc"] >= 0.98, scores["tag_acc"]
    assert scores["dep_uas"] >= 0.89, scores["dep_uas"]
    assert scores["dep_las"] >= 0.87, scores["dep_las"]
