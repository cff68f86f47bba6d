"""Scoring tasks and the gold -> triple mapping come from patterns/relation_types.yml, not from code.

A fake registry with new relation types must get its tasks, its standoff and BioRED mappings
and its scores without any change to pipeline/evaluation.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pipeline.evaluation.corpus import load_gold
from pipeline.evaluation.events import corpus_relations
from pipeline.evaluation.scoring import evaluate, gold_counts
from pipeline.evaluation.tasks import build_tasks, tasks_for
from pipeline.relations.types import RelationRegistry, RelationTypesFile, load_raw, registry
from standoff_helpers import _nth, write_standoff

# name, gold relations, use_subject, use_site, symmetric, base: today's list, quoted by README and docs
EXPECTED = [
    ("phosphorylation", ("phosphorylation", "autophosphorylation"), False, False, False, True),
    ("phosphorylation+kinase", ("phosphorylation", "autophosphorylation"), True, False, False, False),
    ("phosphorylation+kinase+site", ("phosphorylation", "autophosphorylation"), True, True, False, False),
    ("autophosphorylation", ("autophosphorylation",), False, False, False, True),
    ("dephosphorylation", ("dephosphorylation",), False, False, False, True),
    ("dephosphorylation+phosphatase", ("dephosphorylation",), True, False, False, False),
    ("dephosphorylation+phosphatase+site", ("dephosphorylation",), True, True, False, False),
    ("activation", ("activation",), True, False, False, True),
    ("inhibition", ("inhibition",), True, False, False, True),
    ("binding", ("binding",), True, False, True, True),
    ("association", ("association",), True, False, True, True),
    ("drug_inhibits_target", ("drug_inhibits_target",), True, False, False, True),
]


def test_registry_gives_todays_tasks() -> None:
    got = [(t.name, t.gold_relations, t.use_subject, t.use_site, t.symmetric, t.base) for t in build_tasks()]
    assert got == EXPECTED
    assert all(t.gold_relations == t.pred_relations for t in build_tasks())
    phos = next(t for t in build_tasks() if t.name == "phosphorylation+kinase")
    assert phos.fill_subject == ("autophosphorylation",)  # kinase = substrate for a subject-less autophosphorylation


@pytest.mark.parametrize(
    ("fmt", "relations"),
    [
        ("standoff", ("phosphorylation", "autophosphorylation", "dephosphorylation", "activation", "inhibition", "binding")),
        ("pubtator", ("binding", "association", "drug_inhibits_target")),
    ],
)
def test_corpus_relations_from_gold_mappings(fmt: str, relations: tuple) -> None:
    assert corpus_relations(fmt) == relations
    assert {t.name for t in tasks_for(relations)} >= set(relations)


NEW_TYPES = {
    "acetylation": {  # subject optional with a site: three tasks, a modification mapping
        "description": "An acetyltransferase acetylates a substrate.", "subject": ["GENE"], "object": ["GENE"],
        "subject_role": "acetyltransferase", "object_role": "substrate", "subject_optional": True, "site": True,
        "brat": {"event": "Acetylation", "subject": "Cause", "object": "Theme"},
        "gold": {"standoff": {"kind": "modification", "events": ["Acetylation"], "regulation_causes": ["Positive_regulation"]}},
    },
    "autoacetylation": {  # counts as acetylation; reflexive (same roles)
        "description": "A protein acetylates itself.", "subject": ["GENE"], "object": ["GENE"],
        "subject_role": "acetyltransferase", "object_role": "acetyltransferase", "subject_optional": True, "site": True,
        "counts_as": "acetylation", "brat": {"event": "Autoacetylation", "subject": "Cause", "object": "Theme"},
        "gold": {"standoff": {"kind": "modification", "events": ["Acetylation"], "trigger_prefix": "autoacetyl"}},
    },
    "transcription_control": {  # a control mapping on a new event type
        "description": "A transcription factor controls a gene.", "subject": ["GENE"], "object": ["GENE"],
        "brat": {"event": "Transcription_control", "subject": "Cause", "object": "Theme"},
        "gold": {"standoff": {"kind": "control", "events": ["Transcription"]}},
    },
    "drug_activates_target": {  # a BioRED mapping, undirected scoring
        "description": "A drug activates a protein.", "subject": ["DRUG"], "object": ["GENE"], "directed": False,
        "brat": {"event": "Drug_activates_target", "subject": "Cause", "object": "Theme"},
        "gold": {"pubtator": [{"type": "Positive_Correlation", "subject": "ChemicalEntity", "object": "GeneOrGeneProduct"}]},
    },
    "no_gold": {  # no gold mapping: no task
        "description": "Not in any gold corpus.", "subject": ["GENE"], "object": ["GENE"],
        "brat": {"event": "No_gold", "subject": "Cause", "object": "Theme"},
    },
}


@pytest.fixture(scope="module")
def fake() -> RelationRegistry:
    raw = copy.deepcopy(load_raw())
    raw["relations"].update(copy.deepcopy(NEW_TYPES))
    return RelationRegistry(RelationTypesFile.model_validate(raw), registry().classes, Path("fake_relation_types.yml"))


@pytest.mark.parametrize(
    ("name", "gold_relations", "use_subject", "use_site", "symmetric"),
    [
        ("acetylation", ("acetylation", "autoacetylation"), False, False, False),
        ("acetylation+acetyltransferase", ("acetylation", "autoacetylation"), True, False, False),
        ("acetylation+acetyltransferase+site", ("acetylation", "autoacetylation"), True, True, False),
        ("autoacetylation", ("autoacetylation",), False, False, False),
        ("transcription_control", ("transcription_control",), True, False, False),
        ("drug_activates_target", ("drug_activates_target",), True, False, True),
    ],
)
def test_new_relation_types_get_tasks(fake: RelationRegistry, name: str, gold_relations: tuple, use_subject: bool,
                                      use_site: bool, symmetric: bool) -> None:
    task = next(t for t in build_tasks(fake) if t.name == name)
    assert (task.gold_relations, task.use_subject, task.use_site, task.symmetric) == (gold_relations, use_subject, use_site, symmetric)
    assert not any(t.name.startswith(("no_gold", "autoacetylation+")) for t in build_tasks(fake))
    assert [t.name for t in build_tasks(fake)][:len(EXPECTED)] == [e[0] for e in EXPECTED]  # old tasks unchanged, first


TEXT = "p300 acetylates p53 at Lys-382. CBP is autoacetylated. STAT3 drives transcription of MYC."
A1 = [("T1", "Protein", "p300"), ("T2", "Protein", "p53"), ("T3", "Protein", "CBP"), ("T4", "Protein", "STAT3"),
      ("T5", "Protein", "MYC")]
A2 = [("T6", "Acetylation", "acetylates"), ("T7", "Entity", "Lys-382"), ("T8", "Acetylation", "autoacetylated"),
      ("T9", "Transcription", "transcription"),
      "E1\tAcetylation:T6 Theme:T2 Site:T7 Cause:T1", "E2\tAcetylation:T8 Theme:T3", "E3\tTranscription:T9 Theme:T5 Cause:T4"]


def test_new_relation_types_get_standoff_gold_and_scores(fake: RelationRegistry, tmp_path: Path) -> None:
    gold = write_standoff(tmp_path / "gold", "d1", TEXT, A1, A2).parent
    corpus = load_gold(gold, fake)
    triples = {(t.relation, t.subject.text if t.subject else None, t.object.text, t.site_key) for t in corpus.triples()}
    assert triples == {
        ("acetylation", None, "p53", "K382"), ("acetylation", "p300", "p53", "K382"),
        ("autoacetylation", "CBP", "CBP", None),  # reflexive: subject = object
        ("transcription_control", "STAT3", "MYC", None),
    }
    assert load_gold(gold).triples() == []  # biomine's own registry knows none of these events
    counts = gold_counts(corpus, fake)
    assert counts["acetylation"]["mention"] == 2 and counts["acetylation+acetyltransferase"]["mention"] == 2

    def ent(surface: str) -> dict:
        start = _nth(TEXT, surface)
        return {"text": surface, "type": "PROTEIN", "start": start, "end": start + len(surface)}

    def row(relation: str, subj: str | None, obj: str) -> dict:
        return {"doc_id": "d1", "relation": relation, "subject": ent(subj) if subj else None, "object": ent(obj),
                "site": None, "negated": False, "hedged": False, "rule": "R", "sentence": {"text": ""}}

    pred = tmp_path / "pred"
    pred.mkdir()
    rows = [row("acetylation", "p300", "p53"), row("autoacetylation", None, "CBP"), row("transcription_control", "STAT3", "MYC")]
    (pred / "relations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    scores = {t: (s.tp, s.fp, s.fn) for t, s in evaluate(gold, pred, types=fake).relations["overlap"].items()}
    assert scores["acetylation"] == (2, 0, 0)  # p53 and CBP (an autoacetylation counts as an acetylation)
    assert scores["acetylation+acetyltransferase"] == (2, 0, 0)  # CBP -> CBP filled in from the object
    assert scores["acetylation+acetyltransferase+site"] == (0, 0, 1)  # no site predicted: skipped, gold missed
    assert scores["autoacetylation"] == (1, 0, 0) and scores["transcription_control"] == (1, 0, 0)
    assert "phosphorylation" in scores and "drug_activates_target" not in scores  # a BioRED-only relation


def test_new_relation_type_gets_biored_gold(fake: RelationRegistry, tmp_path: Path) -> None:
    path = tmp_path / "gold.PubTator"
    path.write_text("1|t|Forskolin activates PKA.\n1|a|Done.\n"
                    "1\t0\t9\tForskolin\tChemicalEntity\tD005576\n1\t20\t23\tPKA\tGeneOrGeneProduct\t5566\n"
                    "1\tPositive_Correlation\t5566\tD005576\tNovel\n", encoding="utf-8")
    corpus = load_gold(path, fake)
    assert "drug_activates_target" in corpus.relations
    assert [(t.relation, t.subject.key, t.object.key) for t in corpus.triples()] == [
        ("drug_activates_target", "MESH:D005576", "NCBIGENE:5566")]  # the chemical is the subject, whatever the order
    assert load_gold(path).triples() == []
