"""DISEASE rows (``diseases.tsv.gz``): MeSH tree C plus the Human Disease Ontology.

MeSH gives the canonical ids; DOID adds names MeSH lacks. A DOID term that is
already a MeSH term of the same disease is not repeated, so the matcher does not
see one disease under two ids for the same text.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from .mesh import MESH_C_PREFIX, Mesh, mesh_entry_terms
from .tables import Table, fold, is_acronym
from .wheel import RES, Wheel

DOID_ROOT = "DOID:4"  # "disease": matches every mention of the word


def _doid_mesh(w: Wheel, doid: list[dict[str, Any]]) -> defaultdict[str, set[str]]:
    """DOID id -> MeSH ids, from doid.json xrefs and mesh_mappings.tsv."""
    doid_mesh: defaultdict[str, set[str]] = defaultdict(set)
    for e in doid:
        for x in e.get("xrefs", []):
            if x["namespace"] == "MESH":
                doid_mesh[e["id"]].add(x["id"])
    for r in w.tsv(RES + "mesh_mappings.tsv"):
        if r[0] == "MESH" and r[3] == "DOID":
            doid_mesh[r[4]].add(r[1])
    return doid_mesh


def _add_mesh_diseases(t: Table, mesh: dict[str, Mesh],
                       doid_mesh: dict[str, set[str]]) -> dict[str, set[str]]:
    """MeSH tree-C labels and entry terms; returns folded term -> MeSH ids added."""
    mesh_doid: defaultdict[str, set[str]] = defaultdict(set)
    for d, mids in doid_mesh.items():
        for mid in mids:
            mesh_doid[mid].add(d)
    disease_mesh = {mid: m for mid, m in mesh.items() if any(tn.startswith(MESH_C_PREFIX) for tn in m.trees)}
    seen: defaultdict[str, set[str]] = defaultdict(set)
    for mid, m in sorted(disease_mesh.items()):
        xr = set(mesh_doid.get(mid, ()))
        for term, flag in [(m.label, "fullname")] + [(s, "synonym") for s in mesh_entry_terms(m)]:
            flags = {flag} | ({"casesensitive"} if is_acronym(term) else set())
            if t.add(term, f"MESH:{mid}", m.label, flags, xr):
                seen[fold(term)].add(mid)
    return seen


def build_diseases(w: Wheel, mesh: dict[str, Mesh]) -> tuple[Table, dict[str, str]]:
    """MeSH diseases, then DOID names/synonyms; returns the table and DOID labels."""
    t = Table("DISEASE")
    doid: list[dict[str, Any]] = w.json(RES + "doid.json")  # type: ignore[assignment]
    doid_mesh = _doid_mesh(w, doid)
    seen = _add_mesh_diseases(t, mesh, doid_mesh)
    labels = {}
    for e in doid:
        did, name = e["id"], e["name"]
        labels[did] = name
        if name.startswith("obsolete ") or did == DOID_ROOT:
            continue
        meshes = doid_mesh.get(did, set())
        xr = {f"MESH:{m}" for m in meshes}
        for term, flag in [(name, "fullname")] + [(s, "synonym") for s in e.get("synonyms", [])]:
            if meshes & seen.get(fold(term), set()):
                continue  # already there as the MeSH label/entry term of the same disease
            flags = {flag} | ({"casesensitive"} if is_acronym(term) else set())
            t.add(term, did, name, flags, xr)
    return t, labels
