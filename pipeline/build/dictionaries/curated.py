"""Verification of the hand-written ``curated.tsv`` against the resources.

curated.tsv is not generated; the build only checks that every id and xref in
it names a concept the resources know (and prints the label for review), so a
typo cannot ground text to a non-existent id.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Callable, Iterable

from .genes import Gene
from .mesh import Mesh, load_mesh_supp
from .tables import HEADER, Table
from .wheel import Wheel


def resource_labels(genes: list[Gene], mesh: dict[str, Mesh], chebi_labels: dict[str, str],
                    doid_labels: dict[str, str], tables: Iterable[Table]) -> dict[str, str]:
    """Every id (and gene/drug xref) the build knows -> its label."""
    labels: dict[str, str] = {}
    for g in genes:
        labels[g.hgnc] = g.symbol
        for x in g.xrefs:
            labels.setdefault(x, g.symbol)
    labels.update({f"MESH:{k}": v.label for k, v in mesh.items()})
    labels.update(chebi_labels)
    labels.update(doid_labels)
    for t in tables:
        for r in t.rows.values():
            labels.setdefault(r.id, r.name)
            for x in r.xrefs:
                if x.startswith(("DRUGBANK:", "CHEMBL:", "HMS-LINCS:")):
                    labels.setdefault(x, r.name)
    return labels


def curated_supp_labels(w: Wheel, path: Path) -> dict[str, str]:
    """Labels of the MeSH supplementary concepts (MESH:C...) curated.tsv mentions.

    Read on demand: the build otherwise loads only those linked to a compound.
    """
    if not path.exists():
        return {}
    wanted = {x[5:] for line in path.read_text(encoding="utf-8").splitlines()[1:]
              for x in re.split(r"[\t;]", line) if x.startswith("MESH:C")}
    return {f"MESH:{k}": v.label for k, v in load_mesh_supp(w, wanted).items()}


def verify_curated(path: Path, resolve: Callable[[str], str | None]) -> list[str]:
    """Print every curated id with its label; return problems."""
    problems = []
    if not path.exists():
        print(f"WARNING: {path} missing (hand-written file; nothing to verify)", file=sys.stderr)
        return []
    with open(path, encoding="utf-8") as fh:
        lines = [l.rstrip("\n") for l in fh if l.strip() and not l.startswith("#")]
    if tuple(lines[0].split("\t")) != HEADER:
        problems.append("curated.tsv: bad header")
    for line in lines[1:]:
        f = line.split("\t")
        if len(f) != len(HEADER):
            problems.append(f"curated.tsv: wrong column count: {line!r}")
            continue
        if not f[1]:
            print(f"  curated {f[0]!r:40} (no id) {f[3]}")
            continue
        lab = resolve(f[1])
        xlabs = [f"{x}={resolve(x)!r}" for x in f[5].split(";") if x]
        print(f"  curated {f[0]!r:34} {f[1]:22} -> {lab!r} {' '.join(xlabs)}")
        if lab is None:
            problems.append(f"curated.tsv: id not found in resources: {f[1]} ({f[0]})")
        for x in f[5].split(";"):
            if x and resolve(x) is None:
                problems.append(f"curated.tsv: xref not found in resources: {x} ({f[0]})")
    return problems
