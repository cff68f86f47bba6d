"""Rule-based sentence boundaries for text without a parser.

spaCy's sentencizer splits on punctuation only; biomedical inputs also carry
headings, markdown lines and reference lists without final stops, and PubMed
abstracts wrapped at 80 columns. So: split after sentence-final punctuation when
the next word starts a sentence, at blank lines, and before markdown-looking
lines, but never at a plain line wrap. Whether a single line break is a wrap or
a paragraph break is decided per document: texts whose lines are long (one
paragraph per line, like BioNLP and PubTator texts) break at every newline.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.tokens import Doc

from pipeline.model import Sentence

FINAL = {".", "!", "?"}
CLOSERS = {")", "]", '"', "'", "”", "’"}
# Abbreviations whose final stop does not end a sentence ("see ref. 2", "Fig. 3").
NON_FINAL_ABBREVIATIONS = {"ref", "refs", "fig", "figs", "no", "nos", "vol", "approx", "ca", "cf", "vs", "al", "eq", "eqs",
                           "e.g", "i.e", "resp", "suppl", "dr", "st"}
WRAP_WIDTH = 120  # a text whose median line is shorter than this is hard-wrapped
_MARKUP_LINE = re.compile(r"(#|\*\*|[-*] |\d+\. |[A-Z][A-Za-z ]{1,30}:\s)")


def sentence_starts(doc: Doc) -> list[bool]:
    """For every token, whether it starts a sentence, from the rules above."""
    return _starts(doc.text, _token_tuples(doc))


def _token_tuples(doc: Doc, text: str | None = None) -> list[tuple[str, int, bool]]:
    """(text, offset, is_space) of every token, read from the Doc's arrays (no Token objects)."""
    text = doc.text if text is None else text
    rows = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist()
    return [(text[idx:idx + length], idx, bool(space)) for idx, length, space in rows]


def _starts(text: str, tokens: list[tuple[str, int, bool]]) -> list[bool]:
    starts = [False] * len(tokens)
    if not tokens:
        return starts
    starts[0] = True
    after_final = tokens[0][0] in FINAL
    markup_line = bool(_MARKUP_LINE.match(text, tokens[0][1]))  # a heading or field line is a unit of its own
    lines_are_paragraphs = not is_hard_wrapped(text)
    for i in range(1, len(tokens)):
        word, idx, is_space = tokens[i]
        prev_word, prev_idx, prev_space = tokens[i - 1]
        gap = text[prev_idx + len(prev_word):idx]
        if is_space:
            if "\n\n" in (gap + word).replace(" ", "").replace("\t", ""):
                after_final = True
            continue
        line_start = "\n" in gap or (prev_space and "\n" in prev_word)
        if after_final and (word[:1].isupper() or word[:1].isdigit() or word[:1] in "([#*"):
            starts[i] = True
        elif line_start and (markup_line or _MARKUP_LINE.match(text, idx)
                             or (lines_are_paragraphs and not word[:1].islower())):
            starts[i] = True
        if line_start:
            markup_line = bool(_MARKUP_LINE.match(text, idx))
        if word in FINAL and not (word == "." and prev_word.lower() in NON_FINAL_ABBREVIATIONS):
            after_final = True
        elif word.endswith(".") and len(word) > 1 and word[-2].isdigit():
            after_final = True
        elif word in CLOSERS and after_final:
            pass
        else:
            after_final = False
    return starts


def is_hard_wrapped(text: str) -> bool:
    """True for texts broken into short lines inside paragraphs (PubMed's 80-column abstracts)."""
    lengths = sorted(len(line) for line in text.split("\n") if line.strip())
    return bool(lengths) and lengths[len(lengths) // 2] < WRAP_WIDTH


def sentence_spans(doc: Doc, starts: list[bool]) -> list[Sentence]:
    """Sentences as character spans without surrounding whitespace; whitespace-only ones dropped."""
    return _spans(doc.text, _token_tuples(doc), starts)


def _spans(text: str, tokens: list[tuple[str, int, bool]], starts: list[bool]) -> list[Sentence]:
    sentences: list[Sentence] = []
    begin = end = None
    for (word, idx, is_space), start in zip(tokens, starts):
        if start and begin is not None:
            sentences.append(Sentence(len(sentences), begin, end, text[begin:end]))
            begin = end = None
        if is_space:
            continue
        if begin is None:
            begin = idx
        end = idx + len(word)
    if begin is not None:
        sentences.append(Sentence(len(sentences), begin, end, text[begin:end]))
    return sentences


def set_sentence_starts(doc: Doc, text: str | None = None) -> tuple[Doc, list[Sentence]]:
    """Write the boundaries into the Doc (so ``doc.sents`` works) and return the sentences.

    ``doc.text`` re-joins every token on each access, so callers pass the text they have.
    """
    text = doc.text if text is None else text
    tokens = _token_tuples(doc, text)
    starts = _starts(text, tokens)
    if starts:
        # One array write instead of a property call per token (which re-checks annotations each time).
        values = numpy.fromiter((1 if s else -1 for s in starts), dtype="int64", count=len(starts))
        doc = doc.from_array([SENT_START], values.astype("uint64").reshape(-1, 1))
    return doc, _spans(text, tokens, starts)
