"""Documents processed in batches (the trained components share their batches) give what one by one gives."""
from __future__ import annotations

from pipeline.model import Document

TEXTS = [
    "ASK1 phosphorylates MKK4 at Ser257. TRAF2 binds ASK1.",
    "",
    "Selonsertib inhibits ASK1 in HepG2 cells. H2O2 activates ASK1, which binds TRAF2.",
    "Raf-1 is phosphorylated by PAK3 and by PKA on Ser338.",
]


def _triples(pd):
    return [(r.relation, r.subject and r.subject.text, r.object.text, r.rule) for r in pd.relations]


def test_a_batch_gives_what_one_by_one_gives(processor):
    docs = [Document(f"d{i}", t) for i, t in enumerate(TEXTS)]
    batched = processor.process_batch([(d, None) for d in docs])
    for doc, result in zip(docs, batched):
        alone = processor.process(doc)
        assert _triples(result) == _triples(alone)
        assert [(e.start, e.end, e.type, e.id) for e in result.entities] == \
               [(e.start, e.end, e.type, e.id) for e in alone.entities]


def test_one_failing_document_fails_alone(processor, monkeypatch):
    docs = [Document(f"d{i}", t) for i, t in enumerate(TEXTS)]
    original = processor.make_doc

    def broken(document, given):
        if document.doc_id == "d2":
            raise RuntimeError("broken document")
        return original(document, given)

    monkeypatch.setattr(processor, "make_doc", broken)
    results = processor.process_batch([(d, None) for d in docs])
    assert isinstance(results[2], RuntimeError)
    assert [isinstance(r, Exception) for r in results] == [False, False, True, False]
    assert _triples(results[0]) and _triples(results[3])


def test_a_long_document_in_a_batch_is_processed_in_sections(processor):
    from pipeline.runner.processor import LONG_DOCUMENT

    filler = "The cells were grown in medium. " * (LONG_DOCUMENT // 32 + 10)
    long_text = "Akt phosphorylates ASK1 at Ser83.\n\n" + filler + "\n\nTRAF2 binds ASK1."
    docs = [Document("short", TEXTS[0]), Document("long", long_text)]
    short, long = processor.process_batch([(d, None) for d in docs])
    assert _triples(short) == _triples(processor.process(docs[0]))
    assert {t[:3] for t in _triples(long)} == {("phosphorylation", "Akt", "ASK1"), ("binding", "TRAF2", "ASK1")}
    assert max(r.sentence.end for r in long.relations) == len(long_text)


def test_given_entities_travel_with_their_document(processor):
    from pipeline.model import Entity

    text = "Hog1 phosphorylates Sic1."
    given = [Entity("Hog1", "PROTEIN", 0, 4, rule="given"), Entity("Sic1", "PROTEIN", 20, 24, rule="given")]
    plain, with_given = processor.process_batch([(Document("a", text), None), (Document("b", text), given)])
    assert ("phosphorylation", "Hog1", "Sic1") in {t[:3] for t in _triples(with_given)}
    assert {e.rule for e in with_given.entities if e.type == "PROTEIN"} == {"given"}
    assert "given" not in {e.rule for e in plain.entities}


def test_a_shard_leaves_the_vocabularies_as_it_found_them(processor):
    """Words never seen before (one abstract of PubMed brings dozens) are freed with their shard, in the
    pipeline's vocabulary and in the recogniser's, so a worker's memory does not grow with the corpus;
    and a second shard over the same words, after the first one's strings are gone, gives the same results."""
    from pipeline.runner.work import Item, Settings, process_items, _PROCESSORS

    words = [f"Zq{n}xv" for n in range(40)]
    texts = [f"ASK1 phosphorylates {' and '.join(words[i::4])} at Ser{83 + i}. {words[i]} binds TRAF2." for i in range(4)]
    items = [Item(key=str(i), document=Document(f"v{i}", t), source=f"v{i}") for i, t in enumerate(texts)]
    settings = Settings(model="test-shared-processor")
    _PROCESSORS[settings] = processor
    try:
        processor.warm_vocabulary(everything=True)  # the frequent-word list is made permanent between shards: finish it first
        vocabularies = [processor.nlp.vocab] + [c.recogniser.vocab for _n, c in processor.nlp.pipeline
                                                if getattr(c, "recogniser", None) is not None]
        before = [len(v.strings) for v in vocabularies]
        first, _ = process_items(settings, items)
        assert [len(v.strings) for v in vocabularies] == before
        assert all(w not in processor.nlp.vocab.strings for w in words)
        second, _ = process_items(settings, items)
        assert first == second and any(r["relations"] for r in first)
    finally:
        del _PROCESSORS[settings]
