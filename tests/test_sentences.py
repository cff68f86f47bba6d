"""Sentence rules: split at stops, blank lines and markdown lines, never at a plain line wrap."""
from __future__ import annotations

import pytest

from pipeline.nlp.build import build_tokenizer_only
from pipeline.nlp.sentences import sentence_spans, sentence_starts

NLP = build_tokenizer_only()


def _sentences(text: str) -> list[str]:
    doc = NLP(text)
    return [s.text for s in sentence_spans(doc, sentence_starts(doc))]


@pytest.mark.parametrize("text,expected", [
    ("Akt binds ASK1. It inhibits JNK.", ["Akt binds ASK1.", "It inhibits JNK."]),
    ("Akt decreased ASK1 activity \nby phosphorylating serine 83.", ["Akt decreased ASK1 activity \nby phosphorylating serine 83."]),
    ("Heading without stop\n\nBody text here.", ["Heading without stop", "Body text here."]),
    ("# Title\n**Authors:** Kim AH\nText starts.", ["# Title", "**Authors:** Kim AH", "Text starts."]),
    ("Values rose 2.5 fold. Then fell.", ["Values rose 2.5 fold.", "Then fell."]),
    ("cells (Fig. 1). Next.", ["cells (Fig. 1).", "Next."]),
    ("as shown before (ref. 2). Next one.", ["as shown before (ref. 2).", "Next one."]),
    ("A title without a stop\nThe abstract is one long line of text that goes on and on well beyond the width at "
     "which anyone would wrap a paragraph by hand, so this line is a paragraph of its own.",
     ["A title without a stop", "The abstract is one long line of text that goes on and on well beyond the width at "
      "which anyone would wrap a paragraph by hand, so this line is a paragraph of its own."]),
])
def test_sentence_boundaries(text, expected):
    assert _sentences(text) == expected


def test_offsets_slice_the_text():
    text = "  First one.\n\n Second one.  "
    doc = NLP(text)
    for s in sentence_spans(doc, sentence_starts(doc)):
        assert text[s.start:s.end] == s.text and s.text == s.text.strip()
