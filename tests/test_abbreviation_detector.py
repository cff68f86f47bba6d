"""The linear abbreviation detector gives scispaCy's detector's output (pipeline/nlp/abbreviation_detector.py)."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
import scispacy.abbreviation  # noqa: F401  (registers scispaCy's abbreviation_detector)
from hypothesis import given, settings, strategies as st

import pipeline.nlp.components  # noqa: F401  (registers biomine_abbreviations_v1)
from pipeline.nlp.build import biomine_tokenizer
from pipeline.nlp.abbreviation_detector import MAX_INSIDE

ROOT = Path(__file__).resolve().parents[1]
PC_TRAIN = ROOT.parent / "shared" / "corpora" / "bionlp-st-2013-pc" / "train"

TEXTS = [
    "Apoptosis signal-regulating kinase 1 (ASK1) activates c-Jun N-terminal kinase (JNK). ASK1 and JNK (see Fig. 1) "
    "bind. JNK (a MAPK) is active.",
    "Tumour necrosis factor alpha (TNF-alpha) and interleukin 1 (IL-1) (refs 2, 3) induce ASK1 (MAP3K5) (Fig. 2A).",
    "(ASK1) at the start; nested (brackets (inside) here) and (empty () ones); unclosed ( here and closed ) there.",
    "Reactive oxygen species (ROS) and reactive nitrogen species (RNS); ROS, RNS and again reactive oxygen species "
    "(ROS) defined twice.",
    "A long parenthetical (one two three four five six seven eight nine ten) is no short form (OTTFFSSENT).",
    "no brackets at all",
    "",
]


def _pair(nlp_name: str):
    import spacy

    nlp = spacy.blank("en")
    nlp.tokenizer = biomine_tokenizer(nlp)
    nlp.add_pipe(nlp_name, config={"make_serializable": True})
    return nlp


@pytest.fixture(scope="module")
def pipelines():
    return _pair("abbreviation_detector"), _pair("biomine_abbreviations_v1")


def _key(doc) -> list[tuple]:
    return sorted(tuple(sorted(item.items())) for item in doc._.abbreviations)


@pytest.mark.parametrize("text", TEXTS)
def test_same_abbreviations_as_scispacy(pipelines, text):
    theirs, ours = pipelines
    assert _key(ours(text)) == _key(theirs(text))


def _texts(folder: Path, pattern: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob(pattern))]


@pytest.mark.parametrize("folder, pattern", [(ROOT / "seeds", "*.txt"), (PC_TRAIN, "*.txt")], ids=["seeds", "pc-train"])
def test_same_abbreviations_on_real_text(pipelines, folder, pattern):
    texts = _texts(folder, pattern)
    if not texts:
        pytest.skip(f"{folder} is not there")
    theirs, ours = pipelines
    found = 0
    for text in texts:
        mine = _key(ours(text))
        assert mine == _key(theirs(text))
        found += len(mine)
    assert found > 0  # the seeds do define abbreviations: the comparison is not vacuous


_WORDS = ["(", ")", "(", ")", "kinase", "protein", "ASK1", "JNK", "signal", "regulating", "Jun", "N", "terminal",
          "TNF", "alpha", ",", "and", "of", "MAPK", "p38"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_same_abbreviations_on_any_bracket_soup(pipelines, words):
    theirs, ours = pipelines
    text = " ".join(words)
    assert _key(ours(text)) == _key(theirs(text))


def test_bracket_pairs_are_the_matchers_in_its_order(pipelines):
    """Every "( ... )" pair the Matcher finds within MAX_INSIDE inner tokens, in the Matcher's order."""
    theirs, ours = pipelines
    rng = random.Random(7)
    detector = ours.get_pipe("biomine_abbreviations_v1")
    matcher = theirs.get_pipe("abbreviation_detector").matcher
    for _ in range(50):
        doc = ours.make_doc(" ".join(rng.choice(["(", ")", "x", "y"]) for _ in range(rng.randint(0, 40))))
        expected = [(0, s + 1, e - 1) for _, s, e in matcher(doc) if (e - 1) - (s + 1) <= MAX_INSIDE]
        assert detector.bracket_pairs(doc.to_array("ORTH")) == expected
