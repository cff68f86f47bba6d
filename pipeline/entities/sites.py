"""Normalise amino-acid site mentions ("Ser-32", "phosphoserine 32", "pS32") to residue + position.

Both the gold readers (BioNLP ``Site`` arguments) and the entity recogniser need the same answer for the
same text, otherwise a correct site would be scored as wrong, so the rules live here as pure functions.

Decisions (table-tested in tests/test_sites.py):

* full names (any case, singular or plural: "serine", "tyrosines") and three-letter codes (any case) for
  all 20 amino acids are accepted when followed by a position; an optional "residue(s)", "at position",
  hyphen, space or parentheses may sit in between: "Ser-32", "serine 32", "Ser(32)", "serine residue 32";
* a phospho prefix is dropped: "pSer32", "p-Ser32", "phospho-Ser32", "phosphoserine-32", "pS32";
* one-letter codes only for S, T, Y, K and R, upper case, with a position of at least two digits
  ("S32", "Y1068", "K56"), because "S6", "T4" or "H3" are far more often protein or histone names;
* a residue without a position ("tyrosine", "tyrosine residues", "phosphotyrosine", "Tyr", "pY") gives
  ``(letter, None)``; a bare number ("36" in "serines 32 and 36") gives ``(None, 36)``;
* mutations ("S32A", "Ser32Ala") and lists like "Ser/Thr" give ``(None, None)``; for "Ser32/Ser36" or
  "Thr202/Tyr204" the first site is returned.
"""
from __future__ import annotations

import re

AMINO_ACIDS: dict[str, tuple[str, str]] = {
    # letter: (three-letter code, full name)
    "A": ("ala", "alanine"),
    "R": ("arg", "arginine"),
    "N": ("asn", "asparagine"),
    "D": ("asp", "aspartate"),
    "C": ("cys", "cysteine"),
    "Q": ("gln", "glutamine"),
    "E": ("glu", "glutamate"),
    "G": ("gly", "glycine"),
    "H": ("his", "histidine"),
    "I": ("ile", "isoleucine"),
    "L": ("leu", "leucine"),
    "K": ("lys", "lysine"),
    "M": ("met", "methionine"),
    "F": ("phe", "phenylalanine"),
    "P": ("pro", "proline"),
    "S": ("ser", "serine"),
    "T": ("thr", "threonine"),
    "W": ("trp", "tryptophan"),
    "Y": ("tyr", "tyrosine"),
    "V": ("val", "valine"),
}
_EXTRA_NAMES = {"aspartic acid": "D", "glutamic acid": "E"}
ONE_LETTER_SITES = "STYKR"  # one-letter codes accepted with a position
_BARE_CODES = {"ser", "thr", "tyr", "lys", "arg", "cys"}  # three-letter codes accepted without a position
MAX_POSITION = 40000  # longer than titin

_NAME_TO_LETTER: dict[str, str] = {}
for _letter, (_code, _name) in AMINO_ACIDS.items():
    _NAME_TO_LETTER[_code] = _letter
    _NAME_TO_LETTER[_name] = _letter
_NAME_TO_LETTER.update(_EXTRA_NAMES)

_FULL = "|".join(sorted([n for n in _NAME_TO_LETTER if len(n) > 3], key=len, reverse=True))
_CODE = "|".join(sorted(c for c, _ in AMINO_ACIDS.values()))
_PHOSPHO = r"(?:phospho-?|p-?)?"
_MIDDLE = r"(?:[\s\-]*(?:residues?|at|position|no\.?))*[\s\-]*"
_TAIL = r"(?:\s*(?:/|,|;|and\b|or\b|&).*)?"

_WORD_SITE = re.compile(
    rf"{_PHOSPHO}(?P<res>{_FULL}|{_CODE})s?{_MIDDLE}(?P<pos>\d{{1,5}})(?![\dA-Za-z]){_TAIL}", re.IGNORECASE
)
_LETTER_SITE = re.compile(rf"(?:[pP]-?|phospho-?)?(?P<res>[{ONE_LETTER_SITES}])-?(?P<pos>\d{{2,5}})(?![\dA-Za-z]){_TAIL}")
_BARE_RESIDUE = re.compile(rf"{_PHOSPHO}(?P<res>{_FULL}|{_CODE})s?(?:\s+residues?)?", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"(?:residues?\s*)?(?P<pos>\d{1,5})", re.IGNORECASE)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\u00ad"), "-")
_RESIDUE_WORD = re.compile(rf"\b(?:phospho-?|p-?)?({_FULL}|{_CODE})s?\b", re.IGNORECASE)


def _clean(text: str) -> str:
    s = text.translate(_DASHES).replace("\u00a0", " ")
    s = re.sub(r"\((?:P|p)\)", "", s)  # Ser(P)-32
    s = re.sub(r"[()\[\]{}]", " ", s)  # Ser(32), (Ser473
    s = re.sub(r"\s+", " ", s)
    return s.strip(" .,;:'\"")


def _position(raw: str) -> int | None:
    value = int(raw)
    return value if 0 < value <= MAX_POSITION else None


def residue_letter(word: str) -> str | None:
    """One-letter code for an amino-acid name or three-letter code ("Serine", "tyr"), else None."""
    return _NAME_TO_LETTER.get(word.strip().lower().removesuffix("s")) or _NAME_TO_LETTER.get(word.strip().lower())


def normalise_site(text: str) -> tuple[str | None, int | None]:
    """Return ``(residue letter, position)`` for a site mention; ``(None, None)`` if it is not one."""
    s = _clean(text or "")
    if not s:
        return None, None
    m = _WORD_SITE.fullmatch(s)
    if m:
        pos = _position(m.group("pos"))
        return (residue_letter(m.group("res")), pos) if pos else (None, None)
    m = _LETTER_SITE.fullmatch(s)
    if m:
        pos = _position(m.group("pos"))
        return (m.group("res"), pos) if pos else (None, None)
    if re.fullmatch(r"p-?[STY]", s):  # "pY" antibodies, "pS/pT" motifs
        return s[-1], None
    m = _BARE_RESIDUE.fullmatch(s)
    if m:
        res = m.group("res").lower()
        if len(res) > 3 or res in _BARE_CODES:
            return residue_letter(res), None
        return None, None
    m = _BARE_NUMBER.fullmatch(s)
    if m:
        return None, _position(m.group("pos"))
    return None, None


def last_residue(text: str) -> str | None:
    """Letter of the last amino-acid word in ``text`` (fills in "36" in "serines 32 and 36")."""
    found = None
    for m in _RESIDUE_WORD.finditer(text.translate(_DASHES)):
        word = m.group(1)
        if len(word) > 3 or word.lower() in _BARE_CODES or word[0].isupper():
            found = residue_letter(word)
    return found


def format_site(residue: str | None, position: int | None) -> str | None:
    """Compact key such as "S32", "Y" (residue only) or "?36" (position only); None if neither."""
    if residue is None and position is None:
        return None
    return f"{residue or '?'}{position if position is not None else ''}"
