"""Dictionary rows and tables: term cleaning, case rules and the TSV writer.

Every output file is one :class:`Table`; the rules here (which terms are kept,
which are case-sensitive, how a file is serialised) are shared by all sources,
so they live in one place.
"""
from __future__ import annotations

import gzip
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

HEADER: tuple[str, ...] = ("term", "id", "name", "type", "flags", "xrefs")
#: Flags are written in this order (not alphabetically), so name-type flags come first.
FLAG_ORDER: tuple[str, ...] = (
    "symbol", "alias", "previous", "fullname", "synonym",
    "kinase", "phosphatase", "casesensitive", "ambiguous", "lookup",
)
#: Terms shorter than MIN_TERM_LEN are dropped (too ambiguous to match); terms
#: longer than MAX_TERM_LEN are dropped (systematic IUPAC names etc. that never
#: occur verbatim in running text and only inflate the files).
MIN_TERM_LEN = 3
MAX_TERM_LEN = 80
#: Two-character approved gene symbols ("AR", "FH", "C3") are kept for grounding a mention the
#: recogniser found, flagged ``lookup``: the text matcher never uses them (too ambiguous in text).
LOOKUP_MIN_TERM_LEN = 2
NUMERIC_RE = re.compile(r"^[\d\s.,]+$")  # "1234", "1.5"; "14-3-3" is a name


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
        """The six TSV columns; flags in FLAG_ORDER, xrefs sorted (stable output)."""
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
        """Add or merge a row; None when the term is not kept (see :func:`clean_term`).

        The name of the first add wins; an xref equal to the row's own id is dropped.
        """
        flags = set(flags)
        cleaned = clean_term(term, LOOKUP_MIN_TERM_LEN if "lookup" in flags else MIN_TERM_LEN)
        if cleaned is None:
            return None
        key = (cleaned, cid)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = Row(cleaned, cid, name, self.type)
        row.flags.update(flags)
        row.xrefs.update(x for x in xrefs if x and x != cid)
        return row

    def __len__(self) -> int:
        return len(self.rows)

    def sorted_rows(self) -> list[Row]:
        """Rows in (term, id) code-point order, the order of the files."""
        return [self.rows[k] for k in sorted(self.rows)]


def clean_term(term: str, min_len: int = MIN_TERM_LEN) -> str | None:
    """Normalise whitespace; return None for terms we never keep."""
    term = " ".join(term.replace("\t", " ").split())
    if len(term) < min_len or len(term) > MAX_TERM_LEN:
        return None
    if NUMERIC_RE.match(term):
        return None
    return term


def fold(term: str) -> str:
    """Whitespace-normalised, case-folded form used to compare names across sources."""
    return " ".join(term.split()).casefold()


def needs_case(term: str) -> bool:
    """Symbol-like terms: <=5 characters or no lower-case letter at all."""
    return len(term) <= 5 or not any(c.islower() for c in term)


def is_acronym(term: str) -> bool:
    """Short all-capitals acronym inside a name vocabulary (e.g. "ALS")."""
    return (len(term) <= 5 and any(c.isalpha() for c in term)
            and not any(c.islower() for c in term))


def mark_ambiguous(tables: list[Table]) -> None:
    """Flag rows whose case-folded term has >= 2 ids across *all* files.

    The matcher keeps one row per id, so it needs to know the term is shared.
    """
    ids: dict[str, set[str]] = defaultdict(set)
    for t in tables:
        for row in t.rows.values():
            ids[row.term.casefold()].add(row.id)
    for t in tables:
        for row in t.rows.values():
            if len(ids[row.term.casefold()]) > 1:
                row.flags.add("ambiguous")


def write_table(path: Path, rows: Iterable[Row]) -> int:
    """Write a gzip TSV (mtime 0, no file name in the header) so rebuilds are byte-identical.

    Returns the number of rows written.
    """
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
