"""Coordination: the entities listed with an argument ("JNK and p38", "MKK3/MKK6").

A rule captures one element per role; the extractor widens it to the list it
belongs to, so "ASK1 activates JNK and p38" gives two triples. Parallel hyphen
compounds ("MKK3/MKK6-p38 and MKK4/MKK7-JNK") are two pathways, not one list.
"""
from __future__ import annotations

import functools

from pipeline.model import GENE_TYPES
from pipeline.relations.elements import WORD_KIND, Element, pieces
from pipeline.relations.lexicon import lexicon

GENE_KINDS = GENE_TYPES
MAX_MEMBERS = 64  # a coordination longer than this is a list of names; widening stops there


def coordination(elements: list[Element], index: int) -> list[int]:
    """Indices of the entities coordinated with element ``index`` ("A, B and C", "A/B")."""
    coordinators = lexicon().coordinators  # not "but": "A but not B"
    kind_group = _kind_group(elements[index].kind)
    members = [index]
    for step in (-1, 1):
        i = index
        while len(members) < MAX_MEMBERS:
            j = i + step
            connectors = []
            while 0 <= j < len(elements) and elements[j].kind == WORD_KIND and elements[j].lower in coordinators:
                connectors.append(elements[j].lower)
                j += step
            loose = any(c != "/" for c in connectors)
            if loose and (_hyphen_linked(elements, i) or (0 <= j < len(elements) and _hyphen_linked(elements, j))):
                break  # "MKK3/MKK6-p38 and MKK4/MKK7-JNK": two pathways, not one list
            if connectors and 0 <= j < len(elements) and _kind_group(elements[j].kind) == kind_group:
                members.append(j)
                i = j
            else:
                break
    return sorted(members)


def exemplified(elements: list[Element], members: list[int]) -> list[int]:
    """Entities listed as examples right after the last member ("histone acetylases such as P/CAF or
    NcoA", "genes, including BCL2 and FLIP"), with their own coordination; markers in patterns/lexicon.yml."""
    j = max(members) + 1
    if j < len(elements) and elements[j].text == ",":
        j += 1
    for marker in _example_markers():
        if [el.lower for el in elements[j:j + len(marker)]] == list(marker):
            j += len(marker)
            break
    else:
        return []
    if j < len(elements) and elements[j].text in (",", ":"):
        j += 1
    kind_group = _kind_group(elements[max(members)].kind)
    if j < len(elements) and elements[j].entity is not None and _kind_group(elements[j].kind) == kind_group:
        return coordination(elements, j)
    return []


@functools.lru_cache(maxsize=1)
def _example_markers() -> tuple[tuple[str, ...], ...]:
    """The markers as element sequences ("e.g." is four elements), longest first."""
    markers = {tuple(p.lower() for p in pieces(m)) for m in lexicon().example_markers}
    return tuple(sorted(markers, key=len, reverse=True))


def parallel_compounds(elements: list[Element], members: list[int]) -> list[int]:
    """First members of hyphen compounds coordinated with the one ``members`` start.

    In "activates MKK3/MKK6-p38 and MKK4/MKK7-JNK pathways" the verb reaches
    MKK3/MKK6 and, through the parallel compound, MKK4/MKK7.
    """
    found: list[int] = []
    last = max(members)
    kind_group = _kind_group(elements[last].kind)
    while (last + 4 < len(elements) and elements[last + 1].text == "-" and elements[last + 2].entity is not None
           and elements[last + 3].lower in ("and", ",", "or")):
        nxt = last + 4
        if elements[nxt].entity is None or _kind_group(elements[nxt].kind) != kind_group:
            break
        group = coordination(elements, nxt)
        found.extend(group)
        last = max(group)
    return found


def _hyphen_linked(elements: list[Element], i: int) -> bool:
    """True when element i is joined to another entity by a hyphen ("MKK6-p38")."""
    for step in (-1, 1):
        dash, other = i + step, i + 2 * step
        if 0 <= other < len(elements) and elements[dash].text == "-" and elements[other].entity is not None:
            return True
    return False


def _kind_group(kind: str) -> str:
    return "GENE" if kind in GENE_KINDS else kind
