"""The biomine tokenizer keeps gene, cell-line and mutation names whole (issue 7)."""
import pytest

from pipeline.nlp.build import build_tokenizer_only


@pytest.fixture(scope="module")
def tokenize():
    nlp = build_tokenizer_only()
    return lambda text: [t.text for t in nlp(text)]


@pytest.mark.parametrize("text, tokens", [
    ("PI3K activity", ["PI3K", "activity"]),
    ("p70S6K and 293T cells", ["p70S6K", "and", "293T", "cells"]),
    ("the D398G mutant", ["the", "D398G", "mutant"]),
    ("T98G cells", ["T98G", "cells"]),
    ("MKK3/MKK6-p38", ["MKK3/MKK6-p38"]),
    # real units are still split off a number
    ("3km.", ["3", "km", "."]),
    ("100g of tissue", ["100", "g", "of", "tissue"]),
])
def test_tokens(tokenize, text, tokens):
    assert tokenize(text) == tokens


def _uncached(nlp):
    """The same tokenizer with the affix functions of the plain compiled patterns."""
    from spacy.tokenizer import Tokenizer

    tok = nlp.tokenizer
    return Tokenizer(nlp.vocab, rules=tok.rules, prefix_search=tok.prefix_search.__self__.regex.search,
                     suffix_search=tok.suffix_search.__self__.regex.search,
                     infix_finditer=tok.infix_finditer.__self__.regex.finditer, token_match=tok.token_match)


def test_remembered_affixes_tokenize_as_the_plain_patterns():
    """The affix caches change no token, on the seeds read twice (the second time from the caches)."""
    from pathlib import Path

    nlp = build_tokenizer_only()
    plain = _uncached(nlp)
    texts = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))]
    texts += ["(S)-ketamine, IL-1beta/TNF-alpha-induced p38(MAPK) at Ser(83)... 3km; 100g.", "MKK3/MKK6-p38"]
    for _ in range(2):
        for text in texts:
            assert [(t.text, t.idx) for t in nlp(text)] == [(t.text, t.idx) for t in plain(text)]


def test_affix_patterns_survive_saving_and_pickling():
    """spaCy saves an affix function as ``fn.__self__.pattern``; Dask pickles tokenizers."""
    import pickle
    import warnings

    import spacy

    nlp = build_tokenizer_only()
    again = spacy.blank("en")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # scispaCy's patterns warn when compiled on Python 3.11
        again.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
        copy = pickle.loads(pickle.dumps(nlp.tokenizer))
    assert again.tokenizer.suffix_search.__self__.pattern == nlp.tokenizer.suffix_search.__self__.pattern
    text = "IL-1beta-induced p38 activation (Fig. 2)."
    assert [t.text for t in copy(text)] == [t.text for t in nlp(text)]
