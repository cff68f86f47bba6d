"""Building the spaCy pipeline: tokenizer, sentences, abbreviations, entities, relations.

Works on ``spacy.blank("en")`` with scispaCy's rule tokenizer; when a user has a
statistical model installed, ``model=NAME`` loads it instead (its tagger and
parser come along; our rules do not depend on them).
"""
from __future__ import annotations

from pathlib import Path

from pipeline.errors import ModelError
from pipeline.nlp.tokenizer import biomine_tokenizer

from pipeline.resources import patterns_dir

PATTERNS_DIR = patterns_dir()


def build_nlp(patterns_dir: Path = PATTERNS_DIR, model: str | None = None, relations: bool = True):
    """The full biomine pipeline as a spaCy Language object."""
    import spacy
    import scispacy.abbreviation  # noqa: F401  (registers abbreviation_detector)

    import pipeline.nlp.components  # noqa: F401  (registers the biomine factories)

    if model:
        try:
            nlp = spacy.load(model, exclude=["ner"])
        except OSError as exc:
            raise ModelError("E401", model=model, detail=str(exc).splitlines()[0]) from exc
    else:
        nlp = spacy.blank("en")
    nlp.tokenizer = biomine_tokenizer(nlp)
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("biomine_sentences_v1")
    nlp.add_pipe("abbreviation_detector", config={"make_serializable": True})
    quiet_known_warnings()
    nlp.add_pipe("biomine_entities_v1", config={"patterns_dir": str(patterns_dir)})
    if relations:
        nlp.add_pipe("biomine_relations_v1", config={"patterns_dir": str(patterns_dir)})
    return nlp


def build_tokenizer_only():
    """The bare scispaCy tokenizer, the baseline of ``biomine bench``."""
    import spacy

    nlp = spacy.blank("en")
    nlp.tokenizer = biomine_tokenizer(nlp)
    return nlp


def quiet_known_warnings() -> None:
    """Silence the one warning we know and accept, at its source, so that new ones stay visible.

    scispaCy's abbreviation detector keeps a global Matcher that has no patterns
    unless a user adds some; spaCy then warns W036 on every document.
    """
    import warnings

    warnings.filterwarnings("ignore", message=r"\[W036\] The component 'matcher' does not have any patterns",
                            category=UserWarning)
