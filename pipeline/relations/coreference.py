"""Pronoun subjects: "It activates JNK" stands for the gene the text is about.

A deliberately small resolver: a pronoun refers to the nearest gene earlier in
its sentence, else to the running topic (the first gene of the last sentence
that did not itself open with a pronoun).
"""
from __future__ import annotations

from pipeline.model import Entity
from pipeline.relations.coordination import GENE_KINDS
from pipeline.relations.elements import PRONOUN_KIND, Element


def resolve_pronoun(elements: list[Element], index: int, topic: Entity | None) -> Entity | None:
    """The entity a pronoun refers to: a gene earlier in the sentence, else the running topic."""
    for el in reversed(elements[:index]):
        if el.entity is not None and el.kind in GENE_KINDS:
            return el.entity
    return topic


def next_topic(elements: list[Element], topic: Entity | None) -> Entity | None:
    """The gene a following "It ..." sentence is about.

    A sentence that itself opens with a pronoun keeps the topic ("ASK1 is a MAP3K.
    It activates JNK. It is involved in cancer." is about ASK1 throughout);
    otherwise the first gene of the sentence becomes the topic.
    """
    for el in elements[:6]:
        if el.kind == PRONOUN_KIND:
            return topic
        if el.entity is not None:
            break
    first_gene = next((el.entity for el in elements if el.kind in GENE_KINDS), None)
    return first_gene or topic
