"""Rule-based sentence boundaries for text without a parser.

spaCy's sentencizer splits on punctuation only; biomedical inputs also carry
headings, markdown lines and reference lists without final stops, and PubMed
abstracts wrapped at 80 columns. So: split after sentence-final punctuation when
the next word starts a sentence, at blank lines, and before markdown-looking
lines, but never at a plain line wrap.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc

FINAL = {".", "!", "?"}
CLOSERS = {")", "]", '"', "'", "”", "’"}
_MARKUP_LINE = re.compile(r"^(#|\*\*|[-*] |\d+\. |[A-Z][A-Za-z ]{1,30}:\s)")


def set_sentence_starts(doc: Doc) -> Doc:
    """Mark ``is_sent_start`` on every token (True/False) from the rules above."""
    if not len(doc):
        return doc
    text = doc.text
    starts = [False] * len(doc)
    starts[0] = True
    after_final = False
    for i, tok in enumerate(doc):
        if i == 0:
            after_final = tok.text in FINAL
            continue
        prev = doc[i - 1]
        gap = text[prev.idx + len(prev.text):tok.idx] + (tok.text if tok.is_space else "")
        if tok.is_space:
            starts[i] = False
            if "\n\n" in gap.replace(" ", "").replace("\t", ""):
                after_final = True
            continue
        line_start = "\n" in gap or (prev.is_space and "\n" in prev.text)
        if after_final and (tok.text[:1].isupper() or tok.text[:1].isdigit() or tok.text[:1] in "([#*"):
            starts[i] = True
        elif line_start and _MARKUP_LINE.match(text, tok.idx):
            starts[i] = True
        if tok.text in FINAL or (tok.text.endswith(".") and len(tok.text) > 1 and tok.text[-2].isdigit()):
            after_final = True
        elif tok.text in CLOSERS and after_final:
            pass
        else:
            after_final = False
    # One array write instead of a property call per token (which re-checks annotations each time).
    values = numpy.array([[1 if start else -1] for start in starts], dtype="uint64")
    values = values.astype("int64").astype("uint64")
    return doc.from_array([SENT_START], values)
