"""Run-time side of the mention recogniser: load it, get character spans, and its tokenizer.

Import-light on purpose (spaCy only, and only when called) so the runtime can copy
or call ``mentions`` without pulling in the training code.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# Between two letters/digits, a hyphen or slash starts a new token: "ASK1-mediated" -> ASK1 - mediated.
HYPHEN_SLASH_INFIX = r"(?<=[^\W_])[-/](?=[^\W_])"


def split_tokenizer(nlp):
    """biomine's tokenizer that also splits at hyphens and slashes between letters or digits.

    Built from explicit patterns (no custom callables), so a pipeline saved with it
    reloads with plain ``spacy.load``: the patterns travel in its ``tokenizer`` file.
    """
    from spacy.tokenizer import Tokenizer

    from pipeline.nlp.tokenizer import biomine_tokenizer

    base = biomine_tokenizer(nlp)
    infix = re.compile(base.infix_finditer.__self__.pattern + "|" + HYPHEN_SLASH_INFIX)
    return Tokenizer(nlp.vocab, rules=base.rules, prefix_search=base.prefix_search, suffix_search=base.suffix_search,
                     infix_finditer=infix.finditer, token_match=base.token_match)


def register() -> None:
    """Register ``biomine.SplitTokenizer.v1`` for training configs."""
    from spacy.util import registry

    if "biomine.SplitTokenizer.v1" in registry.tokenizers:
        return

    @registry.tokenizers("biomine.SplitTokenizer.v1")
    def create_tokenizer():
        return split_tokenizer


def load(path: str | Path):
    """Load a trained recogniser directory (``build/ner/model-best`` or its shipped copy)."""
    import warnings

    import spacy

    import pipeline.nlp.tokenizer  # noqa: F401  (registers biomine.Tokenizer.v1)

    register()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # scispaCy's saved regexes warn on Python 3.11
        return spacy.load(path)


def mentions(nlp_or_model: Any, text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) character spans of GENE, CHEMICAL and DISEASE mentions in ``text``.

    ``nlp_or_model`` is a loaded spaCy Language or a path to one (loaded each call:
    pass the Language when calling more than once).
    """
    nlp = load(nlp_or_model) if isinstance(nlp_or_model, (str, Path)) else nlp_or_model
    doc = nlp(text)
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]
