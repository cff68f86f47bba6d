"""Engine behaviour shared by all rules: coordination, parallel compounds, pronouns, argument types."""
from __future__ import annotations

import pytest

from pipeline.model import Document


def _pairs(processor, text):
    return {(r.relation, r.subject.text if r.subject else None, r.object.text)
            for r in processor.process(Document("x", text)).relations}


def test_parallel_cascades_keep_their_own_targets(processor):
    pairs = _pairs(processor, "ASK1 activates the MKK3/MKK6-p38 and MKK4/MKK7-JNK pathways.")
    assert ("activation", "MKK4", "JNK") in pairs and ("activation", "ASK1", "MKK7") in pairs
    assert ("activation", "MKK4", "p38") not in pairs and ("activation", "MKK7", "p38") not in pairs


@pytest.mark.parametrize("text,expected", [
    ("ASK1 activates JNK, p38 and ERK2.", {"JNK", "p38", "ERK2"}),
    ("ASK1 activates MKK3/MKK6.", {"MKK3", "MKK6"}),
])
def test_coordinated_objects(processor, text, expected):
    objects = {o for rel, s, o in _pairs(processor, text) if rel == "activation" and s == "ASK1"}
    assert objects == expected


def test_same_protein_on_both_sides_is_dropped(processor):
    assert not [p for p in _pairs(processor, "ASK1 activates ASK1.") if p[1] == p[2]]


def test_argument_types_refine_the_relation(processor):
    pairs = _pairs(processor, "H2O2 activates ASK1. Selonsertib inhibits ASK1.")
    assert ("stress_activates_target", "H2O2", "ASK1") in pairs
    assert ("drug_inhibits_target", "Selonsertib", "ASK1") in pairs
