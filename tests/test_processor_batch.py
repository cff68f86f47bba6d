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
    original = processor._make_doc

    def broken(document, given):
        if document.doc_id == "d2":
            raise RuntimeError("broken document")
        return original(document, given)

    monkeypatch.setattr(processor, "_make_doc", broken)
    results = processor.process_batch([(d, None) for d in docs])
    assert isinstance(results[2], RuntimeError)
    assert [isinstance(r, Exception) for r in results] == [False, False, True, False]
    assert _triples(results[0]) and _triples(results[3])
