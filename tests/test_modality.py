"""Negation and hedging flags on whole sentences: flagged triples are kept, never dropped."""
from __future__ import annotations

import pytest

from pipeline.model import Document


@pytest.mark.parametrize("text,subject,obj,negated,hedged", [
    ("Akt did not phosphorylate ASK1.", "Akt", "ASK1", True, False),
    ("TRAF2 failed to activate ASK1.", "TRAF2", "ASK1", True, False),
    ("Akt phosphorylates ASK1.", "Akt", "ASK1", False, False),
    ("Our data suggest that Akt phosphorylates ASK1.", "Akt", "ASK1", False, True),
    ("Akt may phosphorylate ASK1.", "Akt", "ASK1", False, True),
    ("Not only Akt but also PDK1 phosphorylates ASK1.", "PDK1", "ASK1", False, False),
    ("RhoA, but not Rac1, activates PLD1.", "RhoA", "PLD1", False, False),
    ("None of the variants in TRAF2 were implicated in asthma.", "TRAF2", "asthma", True, False),
])
def test_flags(processor, text, subject, obj, negated, hedged):
    relations = processor.process(Document("m", text)).relations
    match = [r for r in relations if r.subject and r.subject.text == subject and r.object.text == obj]
    assert match, [(r.relation, r.subject and r.subject.text, r.object.text) for r in relations]
    assert (match[0].negated, match[0].hedged) == (negated, hedged)


def test_but_not_excludes_the_second_member(processor):
    relations = processor.process(Document("m", "RhoA, but not Rac1, activates PLD1.")).relations
    assert not [r for r in relations if r.subject and r.subject.text == "Rac1" and not r.negated]
