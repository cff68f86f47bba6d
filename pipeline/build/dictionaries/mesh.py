"""NLM MeSH descriptors and supplementary concepts, shared by chemicals, diseases and curated.tsv."""
from __future__ import annotations

from dataclasses import dataclass

from .wheel import RES, Wheel

MESH_C_PREFIX = "C"  # MeSH tree C: Diseases
MESH_DRUG_CLASS_PREFIXES = ("D27.505",)  # Chemical Actions and Uses > Pharmacologic Actions


@dataclass
class Mesh:
    """One MeSH record (supplementary concepts have no tree numbers)."""

    id: str
    label: str
    synonyms: list[str]
    trees: list[str]


def load_mesh(w: Wheel) -> dict[str, Mesh]:
    """All MeSH descriptors by id (D...)."""
    out = {}
    for r in w.tsv(RES + "mesh_id_label_mappings.tsv"):
        out[r[0]] = Mesh(r[0], r[1], [s for s in r[2].split("|") if s] if len(r) > 2 else [],
                         [s for s in r[3].split("|") if s] if len(r) > 3 else [])
    return out


def load_mesh_supp(w: Wheel, wanted: set[str]) -> dict[str, Mesh]:
    """The ``wanted`` supplementary concepts (C...) only: the full file is large."""
    out = {}
    for line in w.lines(RES + "mesh_supp_id_label_mappings.tsv"):
        mid, _, rest = line.partition("\t")
        if mid in wanted:
            r = rest.split("\t")
            out[mid] = Mesh(mid, r[0], [s for s in r[1].split("|") if s] if len(r) > 1 else [], [])
    return out


def mesh_entry_terms(m: Mesh) -> list[str]:
    """MeSH entry terms minus the permuted ``Word, Other`` forms."""
    return [s for s in m.synonyms if ", " not in s]
