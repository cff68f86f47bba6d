"""The word lists behind the relation rules (``patterns/lexicon.yml``), validated on load.

Rule files name triggers and paths; what counts as a gene-naming head noun, a coordinator,
a pronoun or a causative verb is shared by all of them and lives in one data file with a
closed key set, like every other file in patterns/. Loaded once, on first use.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from pipeline.resources import lowercase_words

FILE_NAME = "lexicon.yml"


class LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    gene_heads: list[str]
    part_nouns: list[str]
    causal_suffixes: list[str]
    class_words: list[str]
    relative_pronouns: list[str]
    copulas: list[str]
    object_control: list[str]
    pronouns: list[str]
    coordinators: list[str]
    example_markers: list[str]
    derived_verb_prefixes: list[str]
    derivable_stems: list[str]

    _words = field_validator("*")(lambda value: lowercase_words(value) if isinstance(value, list) else value)


@dataclass(frozen=True)
class Lexicon:
    gene_heads: frozenset[str]
    part_nouns: frozenset[str]
    causal_suffixes: tuple[str, ...]  # for str.endswith
    class_words: frozenset[str]
    relative_pronouns: frozenset[str]
    copulas: frozenset[str]
    object_control: frozenset[str]
    pronouns: frozenset[str]
    coordinators: frozenset[str]
    example_markers: tuple[str, ...]
    derived_verb_prefixes: tuple[str, ...]  # tried in this order
    derivable_stems: tuple[str, ...]  # for str.startswith


def read_lexicon(path: Path) -> Lexicon:
    from pipeline.resources import load_validated

    data = load_validated(LexiconFile, path)
    return Lexicon(
        gene_heads=frozenset(data.gene_heads), part_nouns=frozenset(data.part_nouns),
        causal_suffixes=tuple(data.causal_suffixes), class_words=frozenset(data.class_words),
        relative_pronouns=frozenset(data.relative_pronouns), copulas=frozenset(data.copulas),
        object_control=frozenset(data.object_control), pronouns=frozenset(data.pronouns),
        coordinators=frozenset(data.coordinators), example_markers=tuple(data.example_markers), derived_verb_prefixes=tuple(data.derived_verb_prefixes),
        derivable_stems=tuple(data.derivable_stems),
    )


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon (``patterns/lexicon.yml``)."""
    from pipeline.resources import patterns_dir

    return read_lexicon(patterns_dir() / FILE_NAME)
