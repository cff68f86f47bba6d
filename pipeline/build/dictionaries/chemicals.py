"""DRUG rows (``chemicals.tsv.gz``): drug and tool-compound names from ChEBI, ChEMBL,
DrugBank, HMS LINCS, the LSP index and MeSH.

Only drug/tool-compound sources are taken, to keep the file small. The build runs
in named steps: every source *emits* (term, id) candidates with a label rank;
records of one compound under weaker ids are then merged by name
(:func:`_reconcile_by_name`), each id gets one label, rows get a MeSH xref, and the
candidates become table rows (:func:`_fill_table`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

from .chemical_ids import ChemicalIds, chebi_int, load_chemical_ids
from .mesh import MESH_DRUG_CLASS_PREFIXES, Mesh, load_mesh_supp, mesh_entry_terms
from .tables import Table, fold, is_acronym
from .wheel import RES, Wheel

# Label ranks (lower wins when choosing the display name of a non-CHEBI id).
RANK_PRIMARY = 0  # ChEBI name, MeSH drug-class label
RANK_DRUGBANK = 1
RANK_LINCS = 2
RANK_MESH_LABEL = 5
RANK_CAPS = 8  # LSP / ChEMBL names, written in capitals
RANK_SYNONYM = 9


class Candidate(NamedTuple):
    """A term for an id, before merging; ``allcaps_source``: LSP/ChEMBL upper-case name."""

    term: str
    cid: str
    flag: str
    xrefs: set[str]
    allcaps_source: bool


@dataclass
class Collector:
    """Candidates in emission order, and label candidates (rank, term) per id."""

    names: defaultdict[str, list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list))
    pending: list[Candidate] = field(default_factory=list)

    def emit(self, term: str, cid: str | None, flag: str, rank: int, xrefs: Iterable[str] = (),
             allcaps_source: bool = False) -> None:
        if not cid:
            return
        self.names[cid].append((rank, term))
        self.pending.append(Candidate(term, cid, flag, set(xrefs), allcaps_source))


def build_chemicals(w: Wheel, mesh: dict[str, Mesh]) -> tuple[Table, dict[str, str]]:
    """Drugs/inhibitors; returns the table plus the ChEBI labels (for curated.tsv)."""
    ids = load_chemical_ids(w)
    col = Collector()
    _emit_drugbank(ids, col)
    _emit_lincs(w, ids, col)
    lspci_mesh = _emit_lspci(ids, col)
    _emit_chembl(ids, col)
    _emit_chebi(ids, col)
    supp = _emit_mesh_records(w, mesh, ids, col, lspci_mesh)
    _emit_drug_classes(mesh, col)

    _reconcile_by_name(col)
    label = _choose_labels(col, ids)
    _add_mesh_xrefs(col, ids, mesh, supp, label)
    t = _fill_table(col, label)
    return t, {cid: e["name"] for cid, e in ids.chebi.items()}


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------
def _emit_drugbank(ids: ChemicalIds, col: Collector) -> None:
    """DrugBank vocabulary (names of approved/experimental drugs)."""
    for dbid, maps in sorted(ids.drugbank.items()):
        cid = ids.pick(chebis=[f"CHEBI:{c}" for c in maps.get("CHEBI", ())],
                       chembls=maps.get("CHEMBL", ()), dbs=[dbid])
        xr = {f"DRUGBANK:{dbid}"} | {f"CHEMBL:{c}" for c in maps.get("CHEMBL", ())}
        for n in sorted(maps.get("NAME", ())):
            col.emit(n, cid, "fullname", RANK_DRUGBANK, xr)


def _emit_lincs(w: Wheel, ids: ChemicalIds, col: Collector) -> None:
    """HMS LINCS small molecules (kinase inhibitors and other tool compounds)."""
    lincs: dict[str, dict[str, str]] = w.json(RES + "lincs_small_molecules.json")  # type: ignore[assignment]
    for key in sorted(lincs):
        e = lincs[key]
        hmsl = key.split("-")[0]
        mem = ids.hmsl_members.get(hmsl, {})
        chebis = ([f"CHEBI:{e['ChEBI ID']}"] if e.get("ChEBI ID") else []) + sorted(mem.get("CHEBI", ()))
        chembls = ([f"CHEMBL{e['ChEMBL ID']}"] if e.get("ChEMBL ID") else []) + sorted(mem.get("CHEMBL", ()))
        cid = ids.pick(chebis=chebis, chembls=chembls, dbs=mem.get("DRUGBANK", ()),
                       meshes=mem.get("MESH", ()), hmsls=[hmsl])
        xr = {f"HMS-LINCS:{hmsl}"} | {f"CHEMBL:{c}" for c in chembls}
        col.emit(e["Name"], cid, "fullname", RANK_LINCS, xr)
        for alt in (e.get("Alternative Names") or "").split(";"):
            col.emit(alt.strip(), cid, "synonym", RANK_SYNONYM, xr)
    for r in w.tsv(RES + "hms_lincs_extra.tsv")[1:]:
        if len(r) >= 2:
            mem = ids.hmsl_members.get(r[0], {})
            chembls = ([r[2]] if len(r) > 2 and r[2] else []) + sorted(mem.get("CHEMBL", ()))
            cid = ids.pick(chebis=mem.get("CHEBI", ()), chembls=chembls,
                           dbs=mem.get("DRUGBANK", ()), meshes=mem.get("MESH", ()), hmsls=[r[0]])
            col.emit(r[1], cid, "fullname", RANK_LINCS, {f"HMS-LINCS:{r[0]}"})


def _emit_lspci(ids: ChemicalIds, col: Collector) -> dict[str, str]:
    """LSP compound index (compounds with target-affinity data in ChEMBL).

    Returns MeSH id -> compound id for the MeSH members (the last compound wins).
    """
    lspci_mesh: dict[str, str] = {}
    for name, mem in ids.lspci:
        cid = ids.pick(chebis=mem.get("CHEBI", ()), chembls=mem.get("CHEMBL", ()),
                       dbs=mem.get("DRUGBANK", ()), meshes=mem.get("MESH", ()),
                       hmsls=mem.get("HMS-LINCS", ()))
        if not cid:
            continue
        for m in mem.get("MESH", ()):
            lspci_mesh[m] = cid
        xr = {f"MESH:{m}" for m in mem.get("MESH", ())} | {f"DRUGBANK:{d}" for d in mem.get("DRUGBANK", ())}
        col.emit(name, cid, "fullname", RANK_CAPS, xr, allcaps_source=True)
    return lspci_mesh


def _emit_chembl(ids: ChemicalIds, col: Collector) -> None:
    """ChEMBL preferred names of compounds with target-affinity data."""
    for ch, n in sorted(ids.chembl_names.items()):
        col.emit(n, ids.pick(chembls=[ch]), "fullname", RANK_CAPS, {f"CHEMBL:{ch}"},
                 allcaps_source=True)


def _emit_chebi(ids: ChemicalIds, col: Collector) -> None:
    """ChEBI names: entries referenced by a drug source above, or with a role
    (e.g. "EC 2.7.11.24 inhibitor") and a ChEMBL record."""
    referenced = {cid for cid in col.names if cid.startswith("CHEBI:")}
    for cid, e in sorted(ids.chebi.items(), key=lambda kv: chebi_int(kv[0])):
        has_role = bool(e.get("relations", {}).get("has_role"))
        if cid in referenced or (has_role and cid in ids.chebi_to_chembl):
            col.emit(e["name"], cid, "fullname", RANK_PRIMARY,
                     {f"CHEMBL:{c}" for c in ids.chebi_to_chembl.get(cid, ())})


def _emit_mesh_records(w: Wheel, mesh: dict[str, Mesh], ids: ChemicalIds, col: Collector,
                       lspci_mesh: dict[str, str]) -> dict[str, Mesh]:
    """MeSH descriptors and supplementary concepts linked to a compound collected so far.

    Returns the supplementary concepts read (their labels feed the MeSH xref step).
    """
    chem_ids = set(col.names)
    linked = set(ids.mesh_to_chebi) | set(lspci_mesh)
    supp = load_mesh_supp(w, {m for m in linked if m.startswith("C")})
    for mid in sorted(linked):
        rec = mesh.get(mid) or supp.get(mid)
        if rec is None:
            continue
        cid = ids.pick(meshes=[mid]) if mid in ids.mesh_to_chebi else lspci_mesh[mid]
        if cid not in chem_ids:
            continue
        col.emit(rec.label, cid, "synonym", RANK_MESH_LABEL, {f"MESH:{mid}"})
        for s in mesh_entry_terms(rec):
            col.emit(s, cid, "synonym", RANK_SYNONYM, {f"MESH:{mid}"})
    return supp


def _emit_drug_classes(mesh: dict[str, Mesh], col: Collector) -> None:
    """MeSH pharmacologic-action classes ("Protein Kinase Inhibitors", ...)."""
    for mid, rec in sorted(mesh.items()):
        if any(tn.startswith(MESH_DRUG_CLASS_PREFIXES) for tn in rec.trees):
            col.emit(rec.label, f"MESH:{mid}", "fullname", RANK_PRIMARY)
            for s in mesh_entry_terms(rec):
                col.emit(s, f"MESH:{mid}", "synonym", RANK_SYNONYM)


# --------------------------------------------------------------------------
# Merging
# --------------------------------------------------------------------------
def _strength(cid: str) -> int:
    return {"CHEBI": 0, "CHEMBL": 1, "DRUGBANK": 3, "HMS-LINCS": 4}.get(cid.split(":")[0], 9)


def _reconcile_by_name(col: Collector) -> None:
    """Merge records of one compound that lack a cross-link.

    A DrugBank/HMS-LINCS/ChEMBL-only record whose preferred name is
    (case-insensitively) the preferred name of exactly one record with a
    stronger id (CHEBI > CHEMBL > DRUGBANK > HMS-LINCS) is the same compound;
    it takes that id (old id -> xref).
    """
    name_ids: defaultdict[str, set[str]] = defaultdict(set)
    own_names: defaultdict[str, set[str]] = defaultdict(set)
    for c in col.pending:
        if c.flag == "fullname" and not c.cid.startswith("MESH:"):
            name_ids[fold(c.term)].add(c.cid)
            own_names[c.cid].add(fold(c.term))
    remap: dict[str, str] = {}
    for cid in sorted(own_names):
        if _strength(cid) == 0:
            continue
        stronger = {x for n in own_names[cid] for x in name_ids[n] if _strength(x) < _strength(cid)}
        if len(stronger) == 1:
            remap[cid] = stronger.pop()

    def final(cid: str) -> str:
        seen = set()
        while cid in remap and cid not in seen:
            seen.add(cid)
            cid = remap[cid]
        return cid

    col.pending = [c._replace(cid=final(c.cid),
                              xrefs=c.xrefs | ({c.cid} if final(c.cid) != c.cid else set()))
                   for c in col.pending]
    merged: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
    for cid, cands in col.names.items():
        merged[final(cid)].extend(cands)
    col.names = merged


def _choose_labels(col: Collector, ids: ChemicalIds) -> dict[str, str]:
    """One display name per id: the ChEBI name, else the best-ranked mixed-case candidate."""
    label: dict[str, str] = {}
    for cid, cands in col.names.items():
        if cid.startswith("CHEBI:"):
            label[cid] = ids.chebi[cid]["name"]
        else:
            label[cid] = sorted(cands, key=lambda rc: (rc[0], rc[1].isupper(), rc[1]))[0][1]
    return label


def _add_mesh_xrefs(col: Collector, ids: ChemicalIds, mesh: dict[str, Mesh],
                    supp: dict[str, Mesh], label: dict[str, str]) -> None:
    """Give every candidate without a MESH xref the compound's MeSH id (at most one).

    Known ids: mesh_mappings / PubChem (:class:`ChemicalIds`), or MESH xrefs on
    any row of the compound; failing that, :func:`_match_mesh_by_name`. Several
    candidates: the one whose label is the row's term or the compound's label, else none.
    """
    id_mesh: defaultdict[str, set[str]] = defaultdict(set)
    for cid, mids in ids.chebi_mesh.items():
        id_mesh[cid] = set(mids)
    for c in col.pending:
        id_mesh[c.cid] |= {x.split(":", 1)[1] for x in c.xrefs if x.startswith("MESH:")}
    _match_mesh_by_name(col, id_mesh, mesh, label)
    mesh_label = {m: fold(r.label) for m, r in mesh.items()} | {m: fold(r.label) for m, r in supp.items()}

    def mesh_xref(term: str, cid: str) -> set[str]:
        cands = sorted(id_mesh.get(cid, ()))
        if len(cands) > 1:
            cands = [m for m in cands if mesh_label.get(m) in (fold(term), fold(label[cid]))][:1]
        return {f"MESH:{m}" for m in cands if f"MESH:{m}" != cid}

    col.pending = [c if any(x.startswith("MESH:") for x in c.xrefs)
                   else c._replace(xrefs=c.xrefs | mesh_xref(c.term, c.cid))
                   for c in col.pending]


def _match_mesh_by_name(col: Collector, id_mesh: defaultdict[str, set[str]],
                        mesh: dict[str, Mesh], label: dict[str, str]) -> None:
    """For compounds with no MeSH id yet: the chemical (tree D, not a drug class)
    descriptor whose label is the compound's label or a full name of it, when that
    name belongs to this compound only (or is the label of only this one)."""
    name_cids: defaultdict[str, set[str]] = defaultdict(set)
    for c in col.pending:
        if c.flag == "fullname" and not c.cid.startswith("MESH:"):
            name_cids[fold(c.term)].add(c.cid)
    for cid, lab in label.items():
        if not cid.startswith("MESH:"):
            name_cids[fold(lab)].add(cid)
    mesh_by_label: defaultdict[str, set[str]] = defaultdict(set)
    for mid, rec in mesh.items():
        mesh_by_label[fold(rec.label)].add(mid)
    for n, mids in sorted(mesh_by_label.items()):
        cids = name_cids.get(n, set())
        if len(cids) > 1:  # prefer the one compound whose own label it is
            cids = {c for c in cids if fold(label[c]) == n}
        if len(mids) == 1 and len(cids) == 1:
            (mid,) = mids
            (cid,) = cids
            if not id_mesh.get(cid) and any(tn.startswith("D") and not tn.startswith(MESH_DRUG_CLASS_PREFIXES)
                                            for tn in mesh[mid].trees):
                id_mesh[cid].add(mid)


def _fill_table(col: Collector, label: dict[str, str]) -> Table:
    """Candidates -> rows.

    LSP/ChEMBL write every name in capitals: keep such a name only when no other
    source spells the same name for the same compound, and never treat it as a
    case-sensitive acronym.
    """
    t = Table("DRUG")
    other_spellings = {(fold(c.term), c.cid) for c in col.pending if not c.allcaps_source}
    for c in col.pending:
        flags = {c.flag}
        if c.allcaps_source and c.term.isupper():
            if (fold(c.term), c.cid) in other_spellings:
                continue
        elif is_acronym(c.term):
            flags.add("casesensitive")
        t.add(c.term, c.cid, label[c.cid], flags, c.xrefs)
    return t
