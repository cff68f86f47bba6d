"""The frequent-word list: how it is counted, that warming keeps its words across memory zones,
that warm or cold the pipeline gives the same results, and that the shipped list is rebuildable."""
from __future__ import annotations

import pytest

from pipeline.model import Document
from pipeline.nlp.vocabulary import WORDS_FILE, frequent_words_path, read_words, warm_tokenizer
from pipeline.training.vocabulary import corpus_texts, frequent_words, write_words

from conftest import SHARED


@pytest.mark.parametrize("texts, min_count, expected", [
    (["a b a", "c a b"], 2, ["a", "b"]),  # most frequent first
    (["b a", "a b"], 2, ["a", "b"]),  # ties in code-point order, whatever the text order
    (["x y", "y x"], 3, []),
    (["kinase, kinase,  cells.\nkinase,"], 1, ["kinase,", "cells."]),  # whitespace chunks, punctuation kept
])
def test_frequent_words_are_counted_chunks(texts, min_count, expected):
    assert frequent_words(iter(texts), min_count) == expected


def test_the_list_round_trips_and_an_absent_list_is_empty(tmp_path):
    path = tmp_path / "words.txt"
    write_words(["ASK1", "#tag", "cells."], path)
    assert read_words(path) == ["ASK1", "#tag", "cells."]  # only the header line is a comment
    assert read_words(tmp_path / "missing.txt") == []


def _blank():
    import spacy

    from pipeline.nlp.tokenizer import biomine_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = biomine_tokenizer(nlp)
    return nlp


def test_warmed_words_survive_a_memory_zone_and_others_do_not():
    nlp = _blank()
    warm_tokenizer(nlp, ["phosphorylates", "(ASK1)"])
    with nlp.memory_zone():
        nlp("ASK1 phosphorylates MKK4 (ASK1)")
    strings = nlp.vocab.strings
    assert "phosphorylates" in strings and "ASK1" in strings
    assert "MKK4" not in strings


def test_warming_inside_a_zone_is_refused():
    nlp = _blank()
    with nlp.memory_zone(), pytest.raises(RuntimeError, match="before opening a memory zone"):
        warm_tokenizer(nlp, ["kinase"])


def test_warm_and_cold_pipelines_give_the_same_results(processor, monkeypatch):
    """A lexeme or a cached tokenization is a function of the text alone: warming changes nothing
    but speed. The same shard through a cold pipeline and a fully warm one."""
    import pipeline.nlp.vocabulary as vocabulary
    from pipeline.runner import Processor

    monkeypatch.setattr(vocabulary, "frequent_words_path", lambda: frequent_words_path().with_name("absent.txt"))
    cold = Processor(model="none")
    assert cold._unwarmed == []
    warm = Processor(model="none")
    warm._unwarmed = read_words(frequent_words_path())
    assert warm.warm_vocabulary(everything=True) == 0
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*"))]
    texts += ["ASK1 (apoptosis signal-regulating kinase 1) phosphorylates MKK4 at Ser257; H2O2 activates ASK1."]
    docs = [(Document(f"d{i}", t), None) for i, t in enumerate(texts)]
    with cold.memory_zone():
        a = [_record(r) for r in cold.process_batch(docs)]
    with warm.memory_zone():
        b = [_record(r) for r in warm.process_batch(docs)]
    assert a == b and any(relations for _s, _e, relations in a)


def _record(pd) -> tuple:
    doc_id = pd.document.doc_id
    return ([s.to_dict() for s in pd.sentences], [e.to_dict(doc_id) for e in pd.entities],
            [r.to_dict() for r in pd.relations])


def test_a_processor_warms_a_slice_at_load_and_after_each_zone(monkeypatch, tmp_path):
    import pipeline.nlp.vocabulary as vocabulary
    import pipeline.runner.processor as processor_module
    from pipeline.runner import Processor

    path = tmp_path / "words.txt"
    write_words([f"w{n}" for n in range(5)], path)
    monkeypatch.setattr(vocabulary, "frequent_words_path", lambda: path)
    monkeypatch.setattr(processor_module, "WARM_SLICE", 2)
    p = Processor(model="none")
    assert len(p._unwarmed) == 3 and "w1" in p.nlp.vocab.strings and "w2" not in p.nlp.vocab.strings
    with p.memory_zone():
        pass
    assert len(p._unwarmed) == 1 and "w3" in p.nlp.vocab.strings


def test_the_shipped_list_is_the_one_the_corpora_give(tmp_path):
    corpora = SHARED / "corpora"
    if not (corpora / "genia-treebank").is_dir():
        pytest.skip("the shared corpora are not beside this checkout")
    out = tmp_path / WORDS_FILE
    write_words(frequent_words(corpus_texts(corpora)), out)
    assert out.read_bytes() == frequent_words_path().read_bytes(), \
        "rebuild it: python -m pipeline.training.vocabulary --corpora ../shared/corpora --out models/" + WORDS_FILE
