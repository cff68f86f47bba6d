"""Running a rule's examples: the same check for ``tests/test_rule_examples.py`` and ``biomine rules check``.

A positive example must yield each expected triple from that very rule; a
negative one (``expect: []``) must yield nothing from it. The rule sees the
entities the relation stage would see (resolved pronouns excluded).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.model import Document, Relation
from pipeline.relations.loader import Rule


@dataclass
class ExampleResult:
    rule: str
    text: str
    passed: bool
    message: str
    xfail: str | None = None

    @property
    def status(self) -> str:
        if self.xfail:
            return "xpass" if self.passed else "xfail"
        return "ok" if self.passed else "FAIL"


def _describe(found: list[Relation]) -> list[tuple]:
    return [(r.relation, r.subject and r.subject.text, r.object.text, r.site and r.site.text, r.negated, r.hedged)
            for r in found]


def matches(rel: Relation, expected: dict[str, Any], relation: str) -> bool:
    """Whether a produced triple is the expected one (argument texts, site, relation, flags)."""
    if (rel.subject.text if rel.subject else None) != expected.get("subject"):
        return False
    if rel.object.text != expected["object"]:
        return False
    if expected.get("site") is not None and (rel.site is None or rel.site.text != expected["site"]):
        return False
    if expected.get("relation", relation) != rel.relation:
        return False
    return rel.negated == expected.get("negated", False) and rel.hedged == expected.get("hedged", False)


def rule_triples(processor: Any, rule: Rule, text: str) -> tuple[list[Relation], list]:
    """The triples ``rule`` alone produces in ``text``, and the entities it saw."""
    processed = processor.process(Document(doc_id="example", text=text), keep_doc=True)
    recognised = [e for e in processed.entities if e.rule != "coref:pronoun"]
    extractor = processor.nlp.get_pipe("biomine_relations_v1").extractor
    found = extractor.extract(text, processed.sentences, recognised, rules=[rule], dedupe=False,
                              doc=processed.spacy_doc)
    return found, processed.entities


def run_example(processor: Any, rule: Rule, example: dict[str, Any]) -> ExampleResult:
    found, entities = rule_triples(processor, rule, example["text"])
    expected = example.get("expect") or []
    xfail = example.get("xfail")
    xfail = str(xfail) if xfail else None
    if not expected:
        ok = not found
        msg = "" if ok else f"negative example produced {_describe(found)}"
        return ExampleResult(rule.id, example["text"], ok, msg, xfail)
    for exp in expected:
        if not any(matches(r, exp, rule.relation) for r in found):
            msg = (f"missing {exp}; rule produced {_describe(found)}; "
                   f"entities {[(e.text, e.type) for e in entities]}")
            return ExampleResult(rule.id, example["text"], False, msg, xfail)
    return ExampleResult(rule.id, example["text"], True, "", xfail)
