"""Count the frequent words of biomedical text: the vocabulary a worker keeps across memory zones.

    python -m pipeline.training.vocabulary --corpora ../shared/corpora --out models/biomine_words_v1.txt

A worker processes each shard inside a spaCy memory zone (pipeline/runner/processor.py),
so every word a shard adds to the vocabulary is dropped when the shard ends and made
again, with all its lexical attributes, by the next shard. Made once before the first
zone, the frequent words stay: tokenizing a shard of PC train went from 1.03 to 0.53 ms
per abstract. The list changes no output (lexemes and the tokenizer's cache are pure
functions of the text); it only decides what is remembered.

The words are whitespace-separated chunks, the tokenizer's cache unit, counted over the
raw texts of GE (train, devel), BioRED (Train, Dev) and the GENIA Treebank. PC train is
left out on purpose: ``biomine bench`` reads it, and a list counted on it would flatter the
bench. GENETAG is left out because its sentences come pre-tokenized (their chunks are
not the chunks of running text).
"""
from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pipeline.training.converters import genia_treebank, pubtator, standoff

MIN_COUNT = 3  # a chunk seen fewer times is as likely to be one text's accident as a word
HEADER = "# biomine frequent words v1: whitespace chunks of GE, BioRED and GENIA Treebank texts, count >= {min_count}\n"


def corpus_texts(corpora: Path) -> Iterator[str]:
    """The running texts of the counted corpora, in a fixed order."""
    for split in ("train", "devel"):
        for item in standoff.read_standoff_dir(corpora / "bionlp-st-2013-ge" / split):
            yield item.text
    for name in ("Train", "Dev"):
        for item in pubtator.read_pubtator(corpora / "biored" / f"{name}.PubTator"):
            yield item.text
    for path in genia_treebank.corpus_files(corpora / "genia-treebank"):
        for sentence in genia_treebank.read_document(path):
            yield "".join(w + (" " if s else "") for w, s in zip(sentence.words, sentence.spaces))


def frequent_words(texts: Iterator[str], min_count: int = MIN_COUNT) -> list[str]:
    """Chunks seen at least ``min_count`` times, most frequent first (ties in code-point order)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(text.split())
    return [w for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= min_count]


def write_words(words: list[str], out: Path, min_count: int = MIN_COUNT) -> None:
    """One chunk a line after a comment header (chunks never contain whitespace)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(HEADER.format(min_count=min_count) + "".join(w + "\n" for w in words), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--min-count", type=int, default=MIN_COUNT)
    args = parser.parse_args(argv)
    words = frequent_words(corpus_texts(args.corpora), args.min_count)
    write_words(words, args.out, args.min_count)
    print(f"{len(words)} words -> {args.out}")


if __name__ == "__main__":
    main()
