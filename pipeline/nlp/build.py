"""Building the spaCy pipeline: tokenizer, sentences, abbreviations, entities, syntax, relations.

The trained pipeline that ships in ``models/`` (tagger, parser, lemmatizer; see
docs/dependencies.md) is loaded by default; ``model=PATH`` names another one and
``model="none"`` runs on rules alone. The trained components never run over the
whole document: ``biomine_syntax_v1`` hands them only the sentences that can hold
a relation, which is what keeps the parser affordable.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.errors import ModelError
from pipeline.nlp.tokenizer import biomine_tokenizer

from pipeline.resources import default_model_path, models_dir, patterns_dir

NER_MODEL = "biomine_ner_sm"

PATTERNS_DIR = patterns_dir()


RULES_ONLY = "none"


def prefer_openblas() -> None:
    """Run the trained models' matrix products through numpy's OpenBLAS, on one thread.

    thinc's default gemm (blis) measured about 3x slower than numpy's OpenBLAS on these
    models' small matrices (3000x288 by 288x288: 14.3 vs 5.0 ms); a whole run with the
    models went from 29 to 40 abstracts/s per core, with identical outputs on PC train.
    Processes, not threads, are biomine's unit of parallelism (one per Dask worker), so
    BLAS keeps to one thread. Called before a model is loaded: layers take their ops then.
    """
    from thinc.api import NumpyOps, get_current_ops, set_current_ops
    from threadpoolctl import threadpool_limits

    ops = get_current_ops()
    if isinstance(ops, NumpyOps) and getattr(ops, "use_blis", False):
        set_current_ops(NumpyOps(use_blis=False))
    threadpool_limits(limits=1, user_api="blas")


def load_trained(model: str | None):
    """The trained spaCy pipeline to use: the shipped default for None, nothing for "none"."""
    import spacy

    if model == RULES_ONLY:
        return None
    target = model or default_model_path()
    if target is None:
        return None
    prefer_openblas()
    try:
        return spacy.load(target, exclude=["ner"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError("E401", model=str(target), detail=str(exc).splitlines()[0]) from exc


def load_recogniser(model: str | None, trained):
    """The trained mention recogniser: a ``ner`` in the chosen pipeline, else the shipped
    ``biomine_ner_sm`` next to the default model; none in rules-only mode or for a foreign model."""
    import spacy

    if model == RULES_ONLY:
        return None
    if model is None:
        path = models_dir() / NER_MODEL
        if (path / "meta.json").is_file():
            from pipeline.nlp.tokenizer import register_split

            register_split()
            prefer_openblas()
            try:
                return spacy.load(path)
            except (OSError, ValueError, KeyError) as exc:
                raise ModelError("E401", model=str(path), detail=str(exc).splitlines()[0]) from exc
    return None


def build_nlp(patterns_dir: Path = PATTERNS_DIR, model: str | None = None, relations: bool = True):
    """The full biomine pipeline as a spaCy Language object."""
    import spacy

    import pipeline.nlp.components  # noqa: F401  (registers the biomine factories)

    trained = load_trained(model)
    nlp = spacy.blank("en", vocab=trained.vocab) if trained is not None else spacy.blank("en")
    nlp.tokenizer = biomine_tokenizer(nlp)
    nlp.add_pipe("biomine_sentences_v1")
    nlp.add_pipe("biomine_abbreviations_v1")  # scispaCy's detector, linear (pipeline/nlp/abbreviation_detector.py)
    recogniser = load_recogniser(model, trained)
    if recogniser is not None:
        nlp.add_pipe("biomine_mentions_v1").use(recogniser)
    nlp.add_pipe("biomine_entities_v1", config={"patterns_dir": str(patterns_dir)})
    if relations:
        syntax = nlp.add_pipe("biomine_syntax_v1", config={"patterns_dir": str(patterns_dir)})
        if trained is not None and "parser" in trained.pipe_names:
            syntax.use(trained)
        nlp.add_pipe("biomine_relations_v1", config={"patterns_dir": str(patterns_dir)})
    nlp.meta["biomine_model"] = dict(trained.meta) if trained is not None else None
    return nlp


def build_tokenizer_only():
    """The bare scispaCy tokenizer, the baseline of ``biomine bench``."""
    import spacy

    nlp = spacy.blank("en")
    nlp.tokenizer = biomine_tokenizer(nlp)
    return nlp
