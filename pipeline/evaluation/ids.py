"""Keys that make a predicted and a gold entity comparable: namespaced ids, normalised text, site labels.

Why one module: gold and predictions spell the same thing differently ("EGID 1956" vs
"NCBIGene:1956", "Ser-32" vs "S32", "TGF-beta," vs "tgf-beta"); every comparison in the
scorer goes through these functions so both sides are reduced the same way. The gold
type mapping and id namespacing are shared with the run-time given-entity mode and
defined in :mod:`pipeline.entities.given` (re-exported here).
"""
from __future__ import annotations

import functools
import re

from pipeline.entities.given import GOLD_TYPE_MAP, canon, gold_ids, map_gold_type
from pipeline.entities.sites import format_site, last_residue, normalise_site
from pipeline.readers.pubtator import split_ids

__all__ = ["GOLD_TYPE_MAP", "canonical_ids", "gold_ids", "known_gene_ids", "map_gold_type", "normalise_text", "site_key"]

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def canonical_ids(entity_id: str | None, xrefs: dict[str, str] | None = None) -> frozenset[str]:
    """Namespaced ids ("NCBIGENE:4217", "MESH:D000001", "CELLOSAURUS:CVCL_0030") of a predicted entity."""
    out: set[str] = set()
    values = [(None, entity_id)] if entity_id else []
    values += [(k, v) for k, v in (xrefs or {}).items() if v]
    for key, raw in values:
        for value in split_ids(str(raw)):
            if value.upper().startswith("CVCL_"):
                out.add(canon("CELLOSAURUS", value))
            elif ":" in value:
                ns, local = value.split(":", 1)
                out.add(canon(ns, local))
            elif key:
                out.add(canon(key, value))
            else:
                out.add(value.upper())
    return frozenset(out)


def normalise_text(text: str) -> str:
    """Lower-cased mention text with whitespace collapsed and edge punctuation removed ("TGF-beta," -> "tgf-beta")."""
    text = text.translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip(" .,;:()[]{}'\"").lower()


def site_key(text: str, doc_text: str = "", start: int = 0) -> str:
    """Document-level site key ("S32"); a bare number borrows the residue word just before it in the text."""
    residue, position = normalise_site(text)
    if residue is None and position is not None:
        residue = last_residue(doc_text[max(0, start - 40):start])
    return format_site(residue, position) or normalise_text(text)


@functools.lru_cache(maxsize=1)
def known_gene_ids() -> frozenset[str]:
    """NCBIGENE ids of the genes the shipped gene dictionary holds (human, HGNC): the genes biomine can
    ground at all offline. Grounding accuracy on them separates our errors from ids we cannot know."""
    import gzip

    from pipeline.resources import patterns_dir

    out: set[str] = set()
    path = patterns_dir() / "dictionaries" / "genes.tsv.gz"
    if not path.is_file():
        return frozenset()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        next(fh, None)
        for line in fh:
            for xref in line.rstrip("\n").rsplit("\t", 1)[-1].split(";"):
                if xref.startswith("EGID:"):
                    out.add("NCBIGENE:" + xref[5:])
    return frozenset(out)
