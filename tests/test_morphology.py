"""biomine_morphology_v1 sets what the attribute_ruler + rule lemmatizer pair it replaced would set.

The reference pair is rebuilt here from the same sources: the attribute_ruler patterns of
``pipeline.training.tag_map`` and spaCy's Lemmatizer over the lemma tables shipped inside the
model. Both read the same tags and parses, token by token.
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "biomine_genia_sm"
SEEDS = ROOT / "seeds"

SENTENCES = [
    "ASK1 is phosphorylated by Akt at Ser83 and this was not seen in cells that had been treated.",
    "The kinase has been shown to bind TRAF2, and it does so when cells are exposed to H2O2.",
    "We got similar results; JNK gets activated and p38 got inhibited, as reported to date.",
    "Neither MKK4 nor MKK7 is required, but both are phosphorylating c-Jun in 293T cells.",
    "Studies were done with doses up to 10 mM; the effects had disappeared, having peaked earlier.",
    "It's the receptor's ligands that are being studied, and they're said to be increasing.",
]


@pytest.fixture(scope="module")
def pipelines():
    import spacy
    from spacy.lookups import Lookups

    import pipeline.nlp.components  # noqa: F401  (biomine_morphology_v1)
    import pipeline.nlp.tokenizer  # noqa: F401  (biomine.Tokenizer.v1)
    from pipeline.training.tag_map import attribute_ruler_patterns

    nlp = spacy.load(MODEL)
    morphology = nlp.get_pipe("morphology")
    reference = spacy.blank("en", vocab=nlp.vocab)
    reference.add_pipe("attribute_ruler").add_patterns(attribute_ruler_patterns())
    lemmatizer = reference.add_pipe("lemmatizer", config={"mode": "rule", "overwrite": False})
    tables = Lookups()
    for name in ("lemma_rules", "lemma_exc", "lemma_index"):
        tables.set_table(name, morphology.lookups.get_table(name))
    lemmatizer.initialize(lookups=tables)
    return nlp, reference


def _texts() -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*")) if p.is_file()]
    return SENTENCES + seeds


def test_same_pos_morphology_and_lemmas_as_ruler_and_lemmatizer(pipelines) -> None:
    nlp, reference = pipelines
    checked = 0
    with nlp.select_pipes(disable=["morphology"]):
        parsed = list(nlp.pipe(_texts()))
    for doc in parsed:
        ours = nlp.get_pipe("morphology")(doc.copy())
        theirs = reference.get_pipe("lemmatizer")(reference.get_pipe("attribute_ruler")(doc.copy()))
        for a, b in zip(ours, theirs):
            assert (a.pos_, str(a.morph), a.lemma_) == (b.pos_, str(b.morph), b.lemma_), a.text
            checked += 1
    assert checked > 500


@pytest.mark.parametrize("text,word,pos,lemma", [
    ("ASK1 was phosphorylated by Akt.", "was", "AUX", "be"),
    ("ASK1 has been phosphorylated.", "has", "AUX", "have"),
    ("ASK1 has two sites.", "has", "VERB", "have"),
    ("It binds to TRAF2.", "to", "ADP", "to"),
    ("Akt phosphorylates ASK1.", "phosphorylates", "VERB", "phosphorylate"),
    ("The kinases were inhibited.", "kinases", "NOUN", "kinase"),
])
def test_auxiliaries_prepositions_and_lemmas(pipelines, text, word, pos, lemma) -> None:
    nlp, _reference = pipelines
    token = next(t for t in nlp(text) if t.text == word)
    assert (token.pos_, token.lemma_) == (pos, lemma)


def test_repeated_forms_are_decided_once_and_stay_consistent(pipelines) -> None:
    """The cache is keyed by (form, tag, label): the same word under another label is decided anew."""
    nlp, _reference = pipelines
    first = [(t.text, t.pos_, t.lemma_) for t in nlp("ASK1 has been phosphorylated. ASK1 has two sites.")]
    again = [(t.text, t.pos_, t.lemma_) for t in nlp("ASK1 has been phosphorylated. ASK1 has two sites.")]
    assert first == again
    has = [pos for text, pos, _l in first if text == "has"]
    assert has == ["AUX", "VERB"]


def test_remembered_lemmas_outlive_the_memory_zone_that_made_them(pipelines) -> None:
    """``run`` frees each shard's strings (a spaCy memory zone): a lemma remembered from an earlier
    shard must still be readable, so the cache keeps the lemma's text, not its hash."""
    nlp, _reference = pipelines
    text = "Zqxvase dephosphorylates Wqrtin, and Wqrtins were zqxvylated."
    seen = []
    for _ in range(2):
        with nlp.memory_zone():
            seen.append([(t.text, t.pos_, t.lemma_) for t in nlp(text)])
    assert seen[0] == seen[1]
    assert "zqxvylate" in [lemma for _t, _p, lemma in seen[0]]


def test_assembly_rebuilds_the_shipped_component(pipelines, tmp_path) -> None:
    """``make model``'s assembly step (``assemble.add_rules``) on the shipped weights gives the
    shipped component: the same tables, and after a save and reload the same annotations."""
    import spacy

    from pipeline.training.assemble import add_rules

    nlp, _reference = pipelines
    shipped = nlp.get_pipe("morphology")
    rebuilt = spacy.load(MODEL, exclude=["morphology"])
    add_rules(rebuilt, lemma_lookups=shipped.lookups)
    assert rebuilt.pipe_names == nlp.pipe_names
    tables = rebuilt.get_pipe("morphology").lookups
    assert sorted(tables.tables) == sorted(shipped.lookups.tables)
    assert all(dict(tables.get_table(t)) == dict(shipped.lookups.get_table(t)) for t in tables.tables)
    rebuilt.to_disk(tmp_path / "model")
    reloaded = spacy.load(tmp_path / "model")
    for text in SENTENCES:
        assert ([(t.pos_, str(t.morph), t.lemma_) for t in reloaded(text)]
                == [(t.pos_, str(t.morph), t.lemma_) for t in nlp(text)])
