"""A sentence as a sequence of elements: entities and words.

Relation rules match over this sequence rather than over spaCy tokens, because
an entity may be part of a token (``ASK1-mediated``) or span several tokens.
Each element is encoded as ``<kind>|<text>|<index> `` after a leading space, so a compiled
rule is one regular expression over the encoded sentence (C-speed matching, no parser).
"""
from __future__ import annotations

import functools
import re

from pipeline.model import Entity, Sentence
from pipeline.relations.lexicon import lexicon

WORD_KIND = "w"
PRONOUN_KIND = "PRONOUN"
_PIECE = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")


def pieces(text: str) -> list[str]:
    """The word and punctuation pieces a text becomes as elements ("e.g." is e . g .)."""
    return _PIECE.findall(text)


class Element:
    """One entity or word of a sentence (a plain slotted class: tens of them per sentence)."""

    __slots__ = ("kind", "text", "start", "end", "entity", "lower")

    def __init__(self, kind: str, text: str, start: int, end: int, entity: Entity | None = None) -> None:
        self.kind = kind  # entity type, WORD_KIND or PRONOUN_KIND
        self.text = text
        self.start = start
        self.end = end
        self.entity = entity
        self.lower = text.lower()  # read several times per element by the rules: lower-cased once

    def __repr__(self) -> str:
        return f"Element({self.kind!r}, {self.text!r}, {self.start}, {self.end})"


def build_elements(text: str, sentence: Sentence, entities: list[Entity]) -> list[Element]:
    """Split a sentence into entity elements and word/punctuation pieces between them."""
    elements: list[Element] = []
    pos = sentence.start
    for ent in sorted(entities, key=lambda e: e.start):
        if ent.start < pos or ent.end > sentence.end:
            continue
        elements.extend(_pieces(text, pos, ent.start))
        elements.append(Element(ent.type, ent.text, ent.start, ent.end, ent))
        pos = ent.end
    elements.extend(_pieces(text, pos, sentence.end))
    return _mark_pronouns(_drop_asides(elements))


def _pieces(text: str, start: int, end: int) -> list[Element]:
    return [Element(WORD_KIND, m.group(), m.start(), m.end()) for m in _PIECE.finditer(text, start, end)]


def _drop_asides(elements: list[Element]) -> list[Element]:
    """Remove short parentheticals that only rename or annotate the preceding word.

    "c-Jun N-terminal kinase (JNK) and p38" should read as a plain coordination;
    "(Fig. 2)" and "(1)" are noise. A parenthetical holding other entities stays.
    """
    out: list[Element] = []
    i = 0
    while i < len(elements):
        el = elements[i]
        if el.kind == WORD_KIND and el.text in "([":
            close = ")" if el.text == "(" else "]"
            j = i + 1
            while j < len(elements) and j - i <= 7 and elements[j].text != close:
                j += 1
            if j < len(elements) and elements[j].text == close and j - i <= 7:
                inner = elements[i + 1:j]
                inner_entities = [e for e in inner if e.entity is not None]
                prev = out[-1] if out else None
                renames_prev = (
                    prev is not None and prev.entity is not None and len(inner_entities) == 1
                    and len(inner) <= 3 and (inner_entities[0].kind == prev.kind
                                              or inner_entities[0].entity.id == prev.entity.id)
                )
                if not inner_entities or renames_prev:
                    i = j + 1
                    continue
        out.append(el)
        i += 1
    return out


def _mark_pronouns(elements: list[Element]) -> list[Element]:
    pronouns = lexicon().pronouns
    firsts = _pair_firsts(pronouns)
    out: list[Element] = []
    i = 0
    while i < len(elements):
        el = elements[i]
        if el.kind == WORD_KIND:
            pair = f"{el.lower} {elements[i + 1].lower}" if el.lower in firsts and i + 1 < len(elements) else ""
            named_next = i + 2 < len(elements) and elements[i + 2].entity is not None
            if pair in pronouns and not named_next:  # "the kinase GLK" names its gene
                nxt = elements[i + 1]
                out.append(Element(PRONOUN_KIND, f"{el.text} {nxt.text}", el.start, nxt.end))
                i += 2
                continue
            if el.lower in pronouns:
                out.append(Element(PRONOUN_KIND, el.text, el.start, el.end))
                i += 1
                continue
        out.append(el)
        i += 1
    return out


@functools.lru_cache(maxsize=4)
def _pair_firsts(pronouns: frozenset[str]) -> frozenset[str]:
    """The first words of the two-word pronouns ("this protein"): only these start a pair."""
    return frozenset(p.split(" ", 1)[0] for p in pronouns if " " in p)


def encode(elements: list[Element]) -> str:
    """The encoded sentence; ``element_at`` maps a position in it back to an element.

    The encoding starts with a space, so every code follows one: compiled rules begin with that
    space (``language.ELEMENT_START``) and are searched from element to element.
    """
    codes = [" "]
    for i, el in enumerate(elements):
        text = el.lower.replace("|", "¦").replace(" ", "_") if el.kind == WORD_KIND else el.kind.lower()
        codes.append(f"{el.kind}|{text}|{i} ")
    return "".join(codes)


def element_at(encoded: str, char_pos: int) -> int:
    """Index of the element whose code holds ``char_pos`` (its closing space included)."""
    end = encoded.index(" ", char_pos)
    return int(encoded[encoded.rindex("|", 0, end) + 1:end])
