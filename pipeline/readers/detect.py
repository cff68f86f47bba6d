"""Which reader a file needs, from its content (the first 64 KB, decompressed if gzip).

In this order:

1. ``standoff``: a ``.txt`` with an ``.a1``, ``.a2`` or ``.ann`` file of the same name beside it.
   (The only rule that looks beyond the content: the content of a standoff ``.txt`` is plain text.)
2. XML (first non-blank character ``<``): the root element, after any declaration, comments
   and DOCTYPE: ``PubmedArticleSet``/``MedlineCitationSet``/``PubmedArticle`` -> ``pubmed``,
   ``article``/``pmc-articleset`` -> ``pmc``, ``collection`` -> ``bioc``; another root is E107.
3. JSON (first non-blank character ``{`` or ``[``) with a ``"documents"``, ``"PubTator3"`` or
   ``"passages"`` key -> ``bioc``; other JSON is E107.
4. ``pubtator``: the first non-blank line is ``PMID|t|title`` (or ``|a|``).
5. ``text``: a name ending ``.txt``, ``.md``, ``.markdown``, ``.text`` (before any ``.gz``), or no
   suffix at all. Anything else (``.pdf``, ``.docx``, ``.csv``, ``.html``...) is E107 naming the
   file type; ``--input-format text`` reads such a file as text anyway.

Byte-order marks (UTF-8/16/32) are looked through. ``input_format`` other than ``auto``
skips detection. :data:`FORMATS` lists the accepted names.
"""
from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import InputError
from pipeline.readers.pubtator import TEXT_LINE
from pipeline.readers.source import _BOMS, read_head
from pipeline.readers.standoff import ANNOTATION_SUFFIXES
from pipeline.readers.text import TEXT_SUFFIXES

FORMATS = ("auto", "text", "pubmed", "pmc", "bioc", "pubtator", "standoff")
XML_ROOTS = {
    "PubmedArticleSet": "pubmed", "MedlineCitationSet": "pubmed", "PubmedArticle": "pubmed",
    "article": "pmc", "pmc-articleset": "pmc",
    "collection": "bioc",
}
_MAGIC = {b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
          b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
          b"\xd0\xcf\x11\xe0": "an old Microsoft Office document", b"{\\rtf": "an RTF document"}
_PROLOGUE = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S)
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_JSON_KEY = re.compile(r'"(documents|PubTator3|passages)"\s*:')


def _head_text(head: bytes) -> str:
    for mark, codec, _ in _BOMS:
        if head.startswith(mark):
            return head[len(mark):].decode(codec, "replace")
    return head.decode("utf-8", "replace")


def base_name(path: Path) -> str:
    """The file name without a trailing ``.gz``."""
    name = path.name
    return name[:-3] if name.lower().endswith(".gz") else name


def is_annotation_file(path: Path) -> bool:
    """An ``.a1``/``.a2``/``.ann`` with the ``.txt`` it annotates beside it."""
    return path.suffix.lower() in ANNOTATION_SUFFIXES and path.with_suffix(".txt").is_file()


def has_standoff_annotations(path: Path) -> bool:
    return path.suffix.lower() == ".txt" and any(path.with_suffix(s).is_file() for s in ANNOTATION_SUFFIXES)


def xml_root(text: str) -> str | None:
    """The local name of the root element of an XML prefix, or None."""
    pos = 0
    while (m := _PROLOGUE.match(text, pos)) and m.end() > pos:
        pos = m.end()
    m = _ROOT.match(text[pos:].lstrip())
    return m.group(2) if m else None


def sniff(path: Path) -> str:
    """The format name of ``path`` (see the module docstring); E107 for an unknown one, E1xx if unreadable."""
    if has_standoff_annotations(path):
        return "standoff"
    head = read_head(path)
    text = _head_text(head)
    stripped = text.lstrip()
    suffix = Path(base_name(path)).suffix.lower()
    texty = suffix in TEXT_SUFFIXES or suffix == ""
    if not stripped:
        if not head:
            raise InputError("E102", path=path)
        return "text"  # blank text: the text reader says E102, or E103 for NUL bytes
    if stripped.startswith("<"):
        root = xml_root(text)
        if root in XML_ROOTS:
            return XML_ROOTS[root]
        if not texty:
            raise InputError("E107", path=path, detail=f"XML with root element <{root or '?'}>",
                             expected="PubMed (<PubmedArticleSet>), PMC/JATS (<article>) or BioC (<collection>) XML")
    elif stripped[:1] in ("{", "["):
        if _JSON_KEY.search(stripped):
            return "bioc"
        if not texty:
            raise InputError("E107", path=path, detail="JSON without a 'documents' list",
                             expected="BioC JSON (a collection with 'documents')")
    first = next((line for line in stripped.splitlines() if line.strip()), "")
    if TEXT_LINE.match(first.rstrip("\r")):
        return "pubtator"
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputError("E107", path=path, detail=what,
                             expected="text, PubMed/PMC/BioC XML, BioC JSON or PubTator")
    if texty:
        return "text"
    raise InputError("E107", path=path, detail=f"file type {suffix!r}, content not recognised",
                     expected="text (.txt/.md), PubMed/PMC/BioC XML, BioC JSON or PubTator; "
                              "--input-format text reads any file as text")
