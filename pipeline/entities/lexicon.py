"""The word lists behind entity recognition and grounding (``patterns/entities/lexicon.yml``).

Like the relation lexicon (``pipeline.relations.lexicon``): one data file with a closed key
set, validated on load (lowercase words; regular expressions that compile), read once on
first use and compiled here into the sets and patterns the entity stages test against.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from pipeline.resources import lowercase_words, regular_expressions

FILE_NAME = "entities/lexicon.yml"


class EntityLexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    generic_words: list[str]
    generic_heads: list[str]
    grounding_heads: list[str]
    product_head_endings: list[str]
    gene_product_word_endings: list[str]
    organism_words: list[str]
    kinase_context_patterns: list[str]
    species_patterns: list[str]

    _words = field_validator("generic_words", "generic_heads", "grounding_heads", "organism_words")(lowercase_words)
    _regexes = field_validator("product_head_endings", "gene_product_word_endings", "kinase_context_patterns",
                               "species_patterns")(regular_expressions)


@dataclass(frozen=True)
class EntityLexicon:
    generic_words: frozenset[str]
    generic_heads: frozenset[str]
    grounding_heads: frozenset[str]
    product_head: re.Pattern  # search() at the end of a mention
    gene_product_word: re.Pattern  # search() at the end of a word
    organism: re.Pattern  # search() at the end of a long form
    kinase_context: re.Pattern  # search() in a sentence
    species: re.Pattern  # search() in a document


def _ending(alternatives: list[str]) -> re.Pattern:
    return re.compile(rf"(?:{'|'.join(alternatives)})$", re.IGNORECASE)


def _word(alternatives: list[str]) -> re.Pattern:
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b", re.IGNORECASE)


def read_entity_lexicon(path: Path) -> EntityLexicon:
    from pipeline.resources import load_validated

    data = load_validated(EntityLexiconFile, path)
    return EntityLexicon(
        generic_words=frozenset(data.generic_words), generic_heads=frozenset(data.generic_heads),
        grounding_heads=frozenset(data.grounding_heads),
        product_head=_ending(data.product_head_endings),
        gene_product_word=_ending(data.gene_product_word_endings),
        organism=re.compile(rf"\b(?:{'|'.join(map(re.escape, data.organism_words))})$", re.IGNORECASE),
        kinase_context=_word(data.kinase_context_patterns),
        species=_word(data.species_patterns),
    )


@functools.lru_cache(maxsize=1)
def entity_lexicon() -> EntityLexicon:
    """The shipped lexicon (``patterns/entities/lexicon.yml``)."""
    from pipeline.resources import patterns_dir

    return read_entity_lexicon(patterns_dir() / FILE_NAME)
