"""Table tests for the site normaliser shared by the gold readers and the entity recogniser."""
from __future__ import annotations

import pytest

from pipeline.entities.sites import format_site, last_residue, normalise_site, residue_letter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the forms named in the spec
        ("Ser-32", ("S", 32)),
        ("serine 32", ("S", 32)),
        ("S32", ("S", 32)),
        ("Ser(32)", ("S", 32)),
        ("pSer32", ("S", 32)),
        ("phosphoserine-32", ("S", 32)),
        ("Thr-308", ("T", 308)),
        ("threonine 210", ("T", 210)),
        ("Tyr1068", ("Y", 1068)),
        ("tyrosine", ("Y", None)),
        ("tyrosine residues", ("Y", None)),
        # variants seen in BioNLP GE/PC Site arguments
        ("Ser 65", ("S", 65)),
        ("Thr(641)", ("T", 641)),
        ("(Ser473", ("S", 473)),
        ("serines 32", ("S", 32)),
        ("serine residues 32", ("S", 32)),
        ("tyrosines 340", ("Y", 340)),
        ("serine-15", ("S", 15)),
        ("threonine-180", ("T", 180)),
        ("lysine 9", ("K", 9)),
        ("Lys36", ("K", 36)),
        ("K56", ("K", 56)),
        ("Tyrosine", ("Y", None)),
        ("serine residue", ("S", None)),
        ("36", (None, 36)),
        # phospho prefixes, case, dashes, brackets
        ("p-Ser32", ("S", 32)),
        ("phospho-Ser32", ("S", 32)),
        ("phospho-serine 32", ("S", 32)),
        ("pS32", ("S", 32)),
        ("pY1068", ("Y", 1068)),
        ("pT", ("T", None)),
        ("phosphotyrosine", ("Y", None)),
        ("pTyr", ("Y", None)),
        ("SER32", ("S", 32)),
        ("ser-32", ("S", 32)),
        ("Ser\u201032", ("S", 32)),  # Unicode hyphen
        ("Ser\u201332", ("S", 32)),  # en dash
        ("Ser(P)-32", ("S", 32)),
        ("[Ser32]", ("S", 32)),
        ("Ser32,", ("S", 32)),
        ("serine residue at position 32", ("S", 32)),
        ("S-32", ("S", 32)),
        ("aspartic acid 12", ("D", 12)),
        ("histidine 847", ("H", 847)),
        ("Tyr", ("Y", None)),
        # lists: the first site
        ("Thr202/Tyr204", ("T", 202)),
        ("Ser32 and Ser36", ("S", 32)),
        ("S15/S20", ("S", 15)),
        # not a site
        ("S209A", (None, None)),  # mutation
        ("Ser32Ala", (None, None)),
        ("Ser/Thr", (None, None)),
        ("S6", (None, None)),  # ribosomal protein S6
        ("H3", (None, None)),  # histone
        ("T4", (None, None)),
        ("K9", (None, None)),  # one-letter codes need two digits
        ("P53", (None, None)),
        ("p53", (None, None)),
        ("His", (None, None)),  # English "his"
        ("met", (None, None)),
        ("residues", (None, None)),
        ("promoter", (None, None)),
        ("Rel homology domain", (None, None)),
        ("-333", (None, None)),
        ("Ser0", (None, None)),
        ("", (None, None)),
        ("   ", (None, None)),
    ],
)
def test_normalise_site(text: str, expected: tuple[str | None, int | None]) -> None:
    assert normalise_site(text) == expected


@pytest.mark.parametrize(
    ("word", "letter"),
    [("Serine", "S"), ("serines", "S"), ("tyr", "Y"), ("Lys", "K"), ("his", "H"), ("glutamic acid", "E"), ("kinase", None)],
)
def test_residue_letter(word: str, letter: str | None) -> None:
    assert residue_letter(word) == letter


@pytest.mark.parametrize(
    ("text", "letter"),
    [("phosphorylated on serines 32 and ", "S"), ("at Thr-308 and Ser-", "S"), ("of IkBa at ", None), ("His-tagged Tyr ", "Y")],
)
def test_last_residue(text: str, letter: str | None) -> None:
    assert last_residue(text) == letter


@pytest.mark.parametrize(
    ("residue", "position", "key"),
    [("S", 32, "S32"), ("Y", None, "Y"), (None, 36, "?36"), (None, None, None)],
)
def test_format_site(residue: str | None, position: int | None, key: str | None) -> None:
    assert format_site(residue, position) == key
