"""Every example sentence of every relation rule is a test.

Positive examples must yield each expected triple from that very rule; negative
examples (``expect: []``) must yield nothing from it. Known misses are marked
``xfail: reason`` in the rule file and stay visible here (strict: a fixed miss
must lose its mark).
"""
from __future__ import annotations

import pytest

from pipeline.relations.examples import run_example
from pipeline.relations.extractor import RelationExtractor
from pipeline.resources import patterns_dir

EXTRACTOR = RelationExtractor.from_directory(patterns_dir())
CASES = [
    pytest.param(rule, example, id=f"{rule.id}[{i}]",
                 marks=[pytest.mark.xfail(reason=str(example["xfail"]), strict=True)] if example.get("xfail") else [])
    for rule in EXTRACTOR.rules
    for i, example in enumerate(rule.examples)
]


@pytest.mark.parametrize("rule,example", CASES)
def test_rule_example(processor, rule, example):
    if rule.syntax is not None and processor.nlp.get_pipe("biomine_syntax_v1").trained is None:
        pytest.skip("a syntactic rule needs the trained parser (models/biomine_genia_sm)")
    result = run_example(processor, rule, example)
    assert result.passed, result.message


def test_every_rule_has_a_positive_example():
    for rule in EXTRACTOR.rules:
        assert any(ex.get("expect") for ex in rule.examples), rule.id
