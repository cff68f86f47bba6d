"""Id cross-references between the chemical vocabularies, and the preferred-id rule.

A compound is named by DrugBank, HMS LINCS, the LSP index, ChEMBL, ChEBI and
MeSH under different ids; :meth:`ChemicalIds.pick` maps every name to one id
(CHEBI > CHEMBL > MESH > DRUGBANK > HMS-LINCS) so the same compound is one entity.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from .wheel import RES, Wheel

Members = dict[str, set[str]]  # namespace -> local ids of one LSP compound


def chebi_int(cid: str) -> int:
    """Numeric part of "CHEBI:123" (ids compare by number, not as strings)."""
    return int(cid.split(":")[1])


def chembl_int(cid: str) -> int:
    """Numeric part of "CHEMBL123"."""
    return int(cid.split("CHEMBL")[-1])


def _sets() -> defaultdict[str, set[str]]:
    return defaultdict(set)


@dataclass
class ChemicalIds:
    """Everything read from the wheel that links one chemical id to another."""

    chebi: dict[str, dict[str, Any]]  # primary CHEBI id -> chebi.json entry
    chebi_alt: dict[str, str]  # secondary CHEBI id -> primary
    chembl_to_chebi: defaultdict[str, set[str]] = field(default_factory=_sets)
    chebi_to_chembl: defaultdict[str, set[str]] = field(default_factory=_sets)
    chembl_names: dict[str, str] = field(default_factory=dict)  # chembl_tas.csv pref_name
    #: DrugBank id -> {"NAME" | "CHEBI" | "CHEMBL" | ...: values}
    drugbank: defaultdict[str, defaultdict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(_sets))
    mesh_to_chebi: defaultdict[str, set[str]] = field(default_factory=_sets)
    #: CHEBI id -> MeSH ids (mesh_mappings.tsv, and PubChem CIDs mapped to MeSH)
    chebi_mesh: defaultdict[str, set[str]] = field(default_factory=_sets)
    lspci: list[tuple[str, Members]] = field(default_factory=list)  # (name, members), file order
    hmsl_members: dict[str, Members] = field(default_factory=dict)  # HMS-LINCS id -> LSP members

    def primary_chebi(self, cid: str) -> str | None:
        """The primary id of a (possibly secondary) CHEBI id; None when unknown."""
        cid = self.chebi_alt.get(cid, cid)
        return cid if cid in self.chebi else None

    def pick(self, chebis: Iterable[str] = (), chembls: Iterable[str] = (),
             dbs: Iterable[str] = (), meshes: Iterable[str] = (),
             hmsls: Iterable[str] = ()) -> str | None:
        """Preferred id: CHEBI > CHEMBL > MESH > DRUGBANK > HMS-LINCS.

        CHEBI ids reachable through the ChEMBL and MeSH links count as CHEBI;
        within a namespace the smallest number (descriptor D before C for MeSH) wins.
        """
        cs = {p for c in chebis if (p := self.primary_chebi(c))}
        for ch in chembls:
            cs |= self.chembl_to_chebi.get(ch, set())
        for m in meshes:
            cs |= self.mesh_to_chebi.get(m, set())
        if cs:
            return min(cs, key=chebi_int)
        chembls = sorted(set(chembls), key=chembl_int)
        if chembls:
            return f"CHEMBL:{chembls[0]}"
        meshes = sorted(set(meshes), key=lambda m: (m[0] != "D", m))
        if meshes:
            return f"MESH:{meshes[0]}"
        dbs = sorted(set(dbs))
        if dbs:
            return f"DRUGBANK:{dbs[0]}"
        hmsls = sorted(set(hmsls))
        if hmsls:
            return f"HMS-LINCS:{hmsls[0]}"
        return None


def load_chemical_ids(w: Wheel) -> ChemicalIds:
    """Read chebi.json and every mapping file between the chemical vocabularies."""
    chebi_list: list[dict[str, Any]] = w.json(RES + "chebi.json")  # type: ignore[assignment]
    ids = ChemicalIds(chebi={e["id"]: e for e in chebi_list},
                      chebi_alt={a: e["id"] for e in chebi_list for a in e.get("alt_ids", [])})
    _link_chembl(w, ids)
    for r in w.tsv(RES + "drugbank_mappings.tsv")[1:]:
        ids.drugbank[r[0]][r[1]].add(r[2])
    _link_mesh(w, ids)
    _load_lspci(w, ids)
    return ids


def _link_chembl(w: Wheel, ids: ChemicalIds) -> None:
    """CHEBI <-> CHEMBL from chebi_to_chembl.tsv and chembl_tas.csv (plus ChEMBL names)."""
    def link(chebi_number: str, chembl: str) -> None:
        c = ids.primary_chebi(f"CHEBI:{chebi_number}")
        if c:
            ids.chembl_to_chebi[chembl].add(c)
            ids.chebi_to_chembl[c].add(chembl)

    for r in w.tsv(RES + "chebi_to_chembl.tsv")[1:]:
        link(r[0], r[1])
    for r in w.csv(RES + "chembl_tas.csv")[1:]:
        if len(r) >= 3:
            ids.chembl_names[r[0]] = r[1]
            if r[2]:
                link(r[2], r[0])


def _link_mesh(w: Wheel, ids: ChemicalIds) -> None:
    """MESH -> CHEBI (mesh_mappings.tsv) and CHEBI -> MESH (that, plus PubChem CIDs
    (chebi_to_pubchem.tsv) that pubchem_mesh_map.tsv maps to a MeSH id)."""
    for r in w.tsv(RES + "mesh_mappings.tsv"):
        if r[0] == "MESH" and r[3] == "CHEBI":
            c = ids.primary_chebi(r[4])
            if c:
                ids.mesh_to_chebi[r[1]].add(c)
    for m, cs in ids.mesh_to_chebi.items():
        for c in cs:
            ids.chebi_mesh[c].add(m)
    pubchem_mesh = {r[0]: r[1] for r in w.tsv(RES + "pubchem_mesh_map.tsv") if len(r) >= 2}
    for r in w.tsv(RES + "chebi_to_pubchem.tsv")[1:]:
        c = ids.primary_chebi(f"CHEBI:{r[0]}")
        if c and len(r) >= 2 and r[1] in pubchem_mesh:
            ids.chebi_mesh[c].add(pubchem_mesh[r[1]])


def _load_lspci(w: Wheel, ids: ChemicalIds) -> None:
    """LSP compound index: name and member ids ("CHEBI:CHEBI:1", "CHEMBL:CHEMBL2", ...)."""
    for r in w.tsv(RES + "lspci.tsv")[1:]:
        members: Members = defaultdict(set)
        for m in r[2].split("|") if len(r) > 2 else []:
            ns, _, local = m.partition(":")
            members[ns].add(local)
        ids.lspci.append((r[1], members))
    for _, members in ids.lspci:
        for h in members.get("HMS-LINCS", ()):
            ids.hmsl_members[h] = members
