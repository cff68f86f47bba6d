"""Run-time side of the mention recogniser: load it, get character spans, and its tokenizer.

Import-light on purpose (spaCy only, and only when called) so the runtime can copy
or call ``mentions`` without pulling in the training code.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any


def register() -> None:
    """Register ``biomine.SplitTokenizer.v1`` (defined with the runtime tokenizer) for training configs."""
    from pipeline.nlp.tokenizer import register_split

    register_split()


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
