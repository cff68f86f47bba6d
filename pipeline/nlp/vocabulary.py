"""The frequent words a long-lived pipeline keeps across memory zones.

A worker runs each shard in a spaCy memory zone so that its memory stays flat
(pipeline/runner/processor.py). Inside a zone spaCy frees every lexeme the shard
made and caches no tokenization at all (``Tokenizer._save_cached`` returns at once
when ``vocab.in_memory_zone``), so each shard tokenized every word afresh: 1.03 ms per
PC abstract against 0.23 ms with a warm cache. The words in the shipped list
(``models/biomine_words_v1.txt``, built by pipeline/training/vocabulary.py from corpora
the bench does not read) are tokenized once, before any zone: their lexemes and cache
entries are then permanent, a bounded amount of memory fixed by the list, not by the
corpus. Outputs cannot change: a lexeme and a cached tokenization are pure functions
of the text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.resources import models_dir

WORDS_FILE = "biomine_words_v1.txt"


def frequent_words_path() -> Path:
    """The shipped list (it may be absent: then nothing is warmed)."""
    return models_dir() / WORDS_FILE


def read_words(path: Path) -> list[str]:
    """The list's words in file order, after its one comment line (a word may start with ``#``);
    an absent file is an empty list (warming is optional)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    if lines and lines[0].startswith("#"):
        lines = lines[1:]
    return [line for line in lines if line]


def warm_tokenizer(nlp: Any, words: list[str]) -> None:
    """Tokenize each word alone, outside any memory zone, so that its lexemes and cache entry stay.

    One word per call: spaCy stops caching for the rest of a text once it meets a special
    case, so a single long text of all the words would leave the chunks after the first
    special case uncached.
    """
    if nlp.vocab.in_memory_zone:
        raise RuntimeError("warm the vocabulary before opening a memory zone: inside one nothing is kept")
    tokenizer = nlp.tokenizer
    for word in words:
        tokenizer(word)
