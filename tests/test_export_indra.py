"""INDRA statements: mapping, stable ids, and validation against INDRA's own JSON schema."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.writers.indra import to_statements, write_indra
from pipeline.writers.load import load_output_dir

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"
SCHEMA = Path(__file__).resolve().parents[1].parent / "shared" / "schemas" / "indra_statements_schema.json"


@pytest.fixture(scope="module")
def docs():
    return load_output_dir(FIXTURE)


@pytest.fixture(scope="module")
def stmts(docs, tmp_path_factory):
    path, _priors = write_indra(docs, tmp_path_factory.mktemp("indra"))
    assert path.name == "statements.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_validates_against_indra_schema(stmts):
    if not SCHEMA.is_file():
        pytest.skip(f"INDRA schema not found at {SCHEMA}")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    validator.check_schema(schema)
    errors = list(validator.iter_errors(stmts))
    assert not errors, errors[0].message
    for stmt in stmts:  # each statement on its own, so a bad one is named
        assert not list(validator.iter_errors([stmt])), stmt


def _find(stmts, stype, **names):
    hits = []
    for s in stmts:
        if s["type"] != stype:
            continue
        if all((s.get(role) or {}).get("name") == name for role, name in names.items()):
            hits.append(s)
    assert len(hits) == 1, (stype, names, hits)
    return hits[0]


def test_mapping(stmts):
    phos = _find(stmts, "Phosphorylation", enz="AKT", sub="MAP3K5")
    assert (phos["residue"], phos["position"]) == ("S", "83")
    assert phos["sub"]["db_refs"] == {"HGNC": "6857", "UP": "Q99683", "EGID": "4217", "TEXT": "ASK1"}
    assert phos["enz"]["db_refs"] == {"FPLX": "AKT", "TEXT": "Akt"}
    ev = phos["evidence"][0]
    assert ev["source_api"] == "biomine" and ev["pmid"] == "11154276"
    assert ev["annotations"]["found_by"] == "phos_by_ing_site"
    assert ev["epistemics"] == {"negated": False, "hypothesis": False, "direct": True}
    assert "serine 83 of ASK1" in ev["text"] and "\n" not in ev["text"]
    assert "matches_hash" not in phos

    inh = _find(stmts, "Inhibition", subj="AKT", obj="MAP3K5")
    assert inh["obj_activity"] == "activity" and len(inh["evidence"]) == 2
    _find(stmts, "Activation", subj="MAP3K5", obj="JNK")
    _find(stmts, "Activation", subj="MAP3K5", obj="p38")
    drug = _find(stmts, "Inhibition", subj="selonsertib", obj="MAP3K5")
    assert drug["subj"]["db_refs"]["CHEMBL"] == "CHEMBL3916717"
    stress = _find(stmts, "Activation", subj="Oxidative Stress", obj="MAP3K5")
    assert stress["subj"]["db_refs"]["MESH"] == "D018384" and len(stress["evidence"]) == 2
    cplx = [s for s in stmts if s["type"] == "Complex"]
    assert len(cplx) == 1 and {m["name"] for m in cplx[0]["members"]} == {"AKT", "MAP3K5"}
    no_kinase = [s for s in stmts if s["type"] == "Phosphorylation" and "enz" not in s]
    assert len(no_kinase) == 1

    neg = _find(stmts, "Activation", subj="RAF", obj="JNK")
    assert neg["evidence"][0]["epistemics"]["negated"] is True
    hedged = _find(stmts, "Activation", subj="TNF", obj="MAP3K5")
    assert hedged["evidence"][0]["epistemics"]["hypothesis"] is True
    assert "pmid" not in hedged["evidence"][0]  # doc without PMID


def test_association_is_skipped_and_ids_are_stable(docs, stmts):
    again, skipped = to_statements(docs)
    assert skipped == 1  # the protein-disease association
    assert not any(s["type"] == "Association" for s in stmts)
    assert [s["id"] for s in again] == [s["id"] for s in stmts]
    assert len({s["id"] for s in stmts}) == len(stmts)
    # the id depends on the triple, not on the document order
    assert {s["id"] for s in to_statements(list(reversed(docs)))[0]} == {s["id"] for s in stmts}


def test_belief_priors_are_shipped_in_indra_format(tmp_path):
    """INDRA's BeliefEngine refuses a source it has no prior for: the export ships biomine's."""
    import json

    from pipeline.writers.indra import BELIEF_PRIORS, SOURCE_API, belief, write_indra
    from pipeline.writers.load import load_output_dir

    paths = write_indra(load_output_dir(FIXTURE), tmp_path)
    priors = json.loads((tmp_path / "indra" / "belief_priors.json").read_text())
    assert priors == BELIEF_PRIORS and set(priors) == {"rand", "syst"}
    stmts = json.loads((tmp_path / "indra" / "statements.json").read_text())
    assert {ev["source_api"] for s in stmts for ev in s["evidence"]} == {SOURCE_API}
    for stmt in stmts:
        assert stmt["belief"] == belief(len(stmt["evidence"])) and 0 < stmt["belief"] < 1
    assert belief(2) > belief(1)
    assert [p.name for p in paths] == ["statements.json", "belief_priors.json"]
