"""FAMILY rows (``families.tsv.gz``) from FamPlex.

FamPlex ids ("JNK", "PI3K") and the grounding-map synonyms of families are the
names biologists actually write for protein groups; a family is flagged kinase
or phosphatase when any gene it contains (transitively) is one.
"""
from __future__ import annotations

from collections import defaultdict

from .genes import Gene, GroundingRow, groundings
from .tables import Table, needs_case
from .wheel import RES, Wheel

#: FamPlex equivalence namespaces kept as xrefs.
EQUIVALENCE_NAMESPACES = ("MESH", "GO", "IP", "PF", "NCIT", "HGNC_GROUP")


def _member_symbols(genes: list[Gene]) -> dict[str, str]:
    """Symbol -> HGNC id; relations.csv may still use a previous symbol."""
    sym_to_id = {g.symbol: g.hgnc for g in genes}
    for g in genes:
        for p in g.previous:
            sym_to_id.setdefault(p, g.hgnc)
    return sym_to_id


def _children(w: Wheel) -> dict[str, set[tuple[str, str]]]:
    """FamPlex id -> its direct (namespace, id) members via isa/partof."""
    children: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in w.csv(RES + "famplex/relations.csv"):
        if len(r) == 5 and r[2] in ("isa", "partof") and r[3] == "FPLX":
            children[r[4]].add((r[0], r[1]))
    return children


def _equivalence_xrefs(w: Wheel) -> dict[str, set[str]]:
    """FamPlex id -> CURIEs of equivalent MeSH/GO/InterPro/Pfam/NCIT/HGNC-group entries."""
    xrefs: dict[str, set[str]] = defaultdict(set)
    for r in w.csv(RES + "famplex/equivalences.csv"):
        if len(r) == 3 and r[0] in EQUIVALENCE_NAMESPACES and " " not in r[1]:
            xrefs[r[2]].add(r[1] if r[1].startswith(f"{r[0]}:") else f"{r[0]}:{r[1]}")
    return xrefs


def _enzyme_flags(entities: list[str], children: dict[str, set[tuple[str, str]]],
                  sym_to_id: dict[str, str], kinases: set[str],
                  phosphatases: set[str]) -> dict[str, set[str]]:
    """FamPlex id -> {"kinase", "phosphatase"} from its transitive HGNC members."""
    def members(fid: str, seen: set[str]) -> set[str]:
        out: set[str] = set()
        for ns, local in children.get(fid, ()):
            if ns == "HGNC" and local in sym_to_id:
                out.add(sym_to_id[local])
            elif ns == "FPLX" and local not in seen:
                seen.add(local)
                out |= members(local, seen)
        return out

    def fam_flags(fid: str) -> set[str]:
        m = members(fid, {fid})
        f = set()
        if m & kinases:
            f.add("kinase")
        if m & phosphatases:
            f.add("phosphatase")
        return f

    return {e: fam_flags(e) for e in entities}


def build_families(w: Wheel, genes: list[Gene], kinases: set[str], phosphatases: set[str],
                   gmap: list[GroundingRow]) -> Table:
    """FamPlex ids (flag ``symbol``) and grounding-map rows that ground to FPLX."""
    t = Table("FAMILY")
    entities = [r[0] for r in w.csv(RES + "famplex/entities.csv") if r]
    xrefs = _equivalence_xrefs(w)
    cache = _enzyme_flags(entities, _children(w), _member_symbols(genes), kinases, phosphatases)
    for e in entities:
        if "_" in e:
            continue  # ids such as "AMPK_A1B1G1" are not surface text
        flags = cache[e] | {"symbol"}
        if needs_case(e):
            flags.add("casesensitive")
        t.add(e, f"FPLX:{e}", e, flags, xrefs[e])
    for r in gmap:
        fids = [local for ns, local in groundings(r) if ns == "FPLX"]
        if not fids or fids[0] not in cache:
            continue
        fid = fids[0]
        flags = cache[fid] | {"synonym"}
        if needs_case(r[0]):
            flags.add("casesensitive")
        t.add(r[0], f"FPLX:{fid}", fid, flags, xrefs[fid])
    return t
