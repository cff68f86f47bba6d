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
