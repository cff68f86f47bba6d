"""The build: every source table, the cross-file rules, the outputs, the curated.tsv check.

The order matters: the grounding-map override and the stoplist need all gene and
family rows; ``ambiguous`` needs the final rows of every file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cell_lines import build_cell_lines
from .chemicals import build_chemicals
from .curated import curated_supp_labels, resource_labels, verify_curated
from .diseases import build_diseases
from .english import derive_stoplist, load_english_logprob, protect_common_words, write_stoplist
from .families import build_families
from .genes import (Gene, GroundingRow, apply_grounding_map, build_genes, gene_grounding_terms,
                    grounding_rows, kinase_and_phosphatase_ids, load_hgnc)
from .mesh import Mesh, load_mesh
from .sources_doc import write_sources
from .tables import Table, mark_ambiguous, write_table
from .wheel import RES, Wheel


@dataclass
class Sources:
    """The loaded resources and the per-source tables, keyed by output file name."""

    genes: list[Gene]
    gmap: list[GroundingRow]
    mesh: dict[str, Mesh]
    tables: dict[str, Table]
    chebi_labels: dict[str, str]
    doid_labels: dict[str, str]
    cell_note: str


@dataclass
class WordRules:
    """Outcome of the cross-file rules, for stoplist.txt and SOURCES.md."""

    derived: list[str]
    hand: list[str]
    overridden: int  # HGNC alias rows dropped by the grounding map
    protected: int  # gene/family rows dropped to protect common words


def build(wheel: Path, out: Path, lookups_wheel: Path | None, tmp: Path) -> list[str]:
    """Build every file into ``out``; return a list of problems (empty when fine)."""
    w = Wheel(wheel)
    out.mkdir(parents=True, exist_ok=True)
    logprob = load_english_logprob(lookups_wheel, tmp)
    src = load_sources(w)
    rules = apply_word_rules(w, src, logprob)
    stats = write_outputs(out, src, rules)
    problems = check_curated(w, out / "curated.tsv", src)
    print_summary(out, stats, src.cell_note)
    return problems


def load_sources(w: Wheel) -> Sources:
    """Read the resources and build one table per output file."""
    genes = load_hgnc(w)
    kinases, phosphatases = kinase_and_phosphatase_ids(w, genes)
    gmap = grounding_rows(w)
    mesh = load_mesh(w)
    gene_t = build_genes(genes, kinases, phosphatases, gmap)
    fam_t = build_families(w, genes, kinases, phosphatases, gmap)
    chem_t, chebi_labels = build_chemicals(w, mesh)
    dis_t, doid_labels = build_diseases(w, mesh)
    cell_t, cell_note = build_cell_lines(w)
    tables = {"genes.tsv.gz": gene_t, "families.tsv.gz": fam_t, "chemicals.tsv.gz": chem_t,
              "diseases.tsv.gz": dis_t, "cell_lines.tsv.gz": cell_t}
    return Sources(genes, gmap, mesh, tables, chebi_labels, doid_labels, cell_note)


def apply_word_rules(w: Wheel, src: Sources, logprob: dict[str, float]) -> WordRules:
    """Grounding-map override, stoplist derivation, common-word protection, ``ambiguous``."""
    t = src.tables
    gene_t, fam_t = t["genes.tsv.gz"], t["families.tsv.gz"]
    gmap_terms = gene_grounding_terms(src.gmap)
    overridden = apply_grounding_map(gene_t, fam_t, gmap_terms)
    ignore_terms = [l for l in w.lines(RES + "grounding/ignore.csv") if l.strip()]
    derived, hand, protected_words = derive_stoplist(
        src.genes, gene_t, [t["chemicals.tsv.gz"], t["diseases.tsv.gz"], t["cell_lines.tsv.gz"]],
        gmap_terms, logprob, ignore_terms)
    protected = protect_common_words([gene_t, fam_t], protected_words, gmap_terms)
    mark_ambiguous(list(t.values()))
    print(f"grounding-map override dropped {overridden} alias rows; "
          f"{len(protected_words)} common words kept upper-case only ({protected} rows dropped)")
    return WordRules(derived, hand, overridden, protected)


def write_outputs(out: Path, src: Sources, rules: WordRules) -> dict[str, tuple[int, int]]:
    """Write the tables, stoplist.txt and SOURCES.md; return file -> (rows, bytes)."""
    stats: dict[str, tuple[int, int]] = {}
    for fname, t in src.tables.items():
        n = write_table(out / fname, t.sorted_rows())
        stats[fname] = (n, (out / fname).stat().st_size)
    write_stoplist(out / "stoplist.txt", rules.derived, rules.hand)
    stop_counts = f"{len(rules.hand)} hand + {len(rules.derived)} derived terms."
    extra = {"cell_lines.tsv.gz": src.cell_note,
             "genes.tsv.gz": f"{rules.overridden} HGNC alias/previous rows were dropped by the grounding-map rule"}
    write_sources(out / "SOURCES.md", stats, extra, stop_counts, rules.protected)
    return stats


def check_curated(w: Wheel, path: Path, src: Sources) -> list[str]:
    """Verify curated.tsv's ids and xrefs against everything the build loaded."""
    labels = resource_labels(src.genes, src.mesh, src.chebi_labels, src.doid_labels,
                             src.tables.values())
    labels.update(curated_supp_labels(w, path))
    print("curated.tsv ids:")
    return verify_curated(path, labels.get)


def print_summary(out: Path, stats: dict[str, tuple[int, int]], cell_note: str) -> None:
    """Rows and bytes per file, and the folder total (the size budget is 8 MiB)."""
    print(f"\n{'file':22} {'rows':>8} {'bytes':>10}")
    for fname, (n, size) in stats.items():
        print(f"{fname:22} {n:8d} {size:10d}")
    for extra_file in ("stoplist.txt", "curated.tsv", "SOURCES.md"):
        p = out / extra_file
        if p.exists():
            n = sum(1 for l in p.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#"))
            print(f"{extra_file:22} {n:8d} {p.stat().st_size:10d}")
    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"{'total':22} {'':8} {total:10d}")
    print(cell_note)
