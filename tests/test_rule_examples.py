"""Every example sentence of every relation rule is a test.

Positive examples must yield each expected triple from that very rule; negative
examples (``expect: []``) must yield nothing from it. Known misses are marked
``xfail: reason`` in the rule file and stay visible here.
"""
from __future__ import annotations

import pytest

from pipeline.model import Document
from pipeline.nlp.build import PATTERNS_DIR
from pipeline.relations.extractor import RelationExtractor

EXTRACTOR = RelationExtractor.from_directory(PATTERNS_DIR)
CASES = [
    pytest.param(rule, example, id=f"{rule.id}[{i}]",
                 marks=[pytest.mark.xfail(reason=example["xfail"], strict=True)] if example.get("xfail") else [])
    for rule in EXTRACTOR.rules
    for i, example in enumerate(rule.examples)
]


def _matches(rel, expected: dict, relation: str) -> bool:
    subject = expected.get("subject")
    if (rel.subject.text if rel.subject else None) != subject:
        return False
    if rel.object.text != expected["object"]:
        return False
    if expected.get("site") is not None and (rel.site is None or rel.site.text != expected["site"]):
        return False
    if expected.get("relation", relation) != rel.relation:
        return False
    return rel.negated == expected.get("negated", False) and rel.hedged == expected.get("hedged", False)


@pytest.mark.parametrize("rule,example", CASES)
def test_rule_example(processor, rule, example):
    processed = processor.process(Document(doc_id="example", text=example["text"]))
    recognised = [e for e in processed.entities if e.rule != "coref:pronoun"]  # as the relation stage saw them
    found = processor.nlp.get_pipe("biomine_relations_v1").extractor.extract(
        example["text"], processed.sentences, recognised, rules=[rule], dedupe=False)
    expected = example.get("expect") or []
    if not expected:
        assert found == [], f"negative example produced {[(r.relation, r.subject and r.subject.text, r.object.text) for r in found]}"
        return
    for exp in expected:
        assert any(_matches(r, exp, rule.relation) for r in found), (
            f"missing {exp}; rule produced "
            f"{[(r.relation, r.subject and r.subject.text, r.object.text, r.site and r.site.text, r.negated, r.hedged) for r in found]}; "
            f"entities {[(e.text, e.type) for e in processed.entities]}")


def test_every_rule_has_a_positive_example():
    for rule in EXTRACTOR.rules:
        assert any(ex.get("expect") for ex in rule.examples), rule.id

