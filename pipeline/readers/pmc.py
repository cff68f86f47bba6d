"""PMC nXML / JATS full text (``<article>``, or several under ``<pmc-articleset>``), plain or gzip.

Articles are streamed (:func:`pipeline.readers.xmlstream.iter_records`); ``max_bytes`` applies to
each article's text. One ``Document`` per ``<article>``; its text is a sequence of passages
separated by ``\\n``, each a ``Passage`` with its type and its section path as ``title``:

* ``title``: the article title.
* ``abstract``: each paragraph of each ``<abstract>`` (``infons["abstract_type"]`` for
  graphical, teaser... abstracts). Abstract section titles (Background, Methods) are labels,
  as in PubMed: kept as the passage ``title``, not in the text.
* ``section_title``: a body section heading, *in* the text (results headings often state a
  finding: "Akt phosphorylates ASK1 at Ser83"); ``title`` is the path "Results / Akt ...".
* ``paragraph``: each body ``<p>``, list item and quoted block, with its section path.
* ``fig_caption`` / ``table_caption``: **captions are kept** (caption title and paragraphs,
  joined by ``\\n``; ``title`` is the label, "Figure 2"), because captions state results
  ("Akt phosphorylates ASK1 in vitro") and biomine's outputs let a curator check them. They
  come where the figure or table sits in the XML (floats-group ones at the end).

Left out: table bodies and footers, graphics and media, formulas (display and inline:
their MathML/TeX is not prose), supplementary material, footnotes, and all back matter
(references, acknowledgements, appendices, glossary), ``sub-article`` and ``response``.
Inline citations keep their text ("[12]", "Smith et al.").

doc_id: the PMCID (``PMC`` + digits), else the PMID, else the file name (``name#n`` for the
n-th article of a file holding several). Metadata: ``pmcid``, ``pmid``, ``doi``, ``journal``,
``year``, ``title``, ``keywords``, ``article_type``, ``source_format: pmc``.
An article without any text is E115; larger than ``max_bytes``, E106; malformed XML, E109
after the articles before the fault.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.model import Document, Passage
from pipeline.readers.source import record_too_large
from pipeline.readers.xmlstream import child, children, inner_text, iter_records, local, path

NOT_PROSE = frozenset({
    "table", "graphic", "inline-graphic", "media", "inline-media", "disp-formula", "inline-formula",
    "tex-math", "math", "alternatives", "supplementary-material", "ref-list", "fn", "fn-group",
    "code", "preformat", "chem-struct-wrap", "table-wrap-foot", "object-id", "label", "title",
})
NESTED_BLOCKS = frozenset({"fig", "fig-group", "table-wrap", "table-wrap-group", "list", "disp-quote",
                           "boxed-text", "statement", "def-list", "p", "sec"})
_INLINE_SKIP = NOT_PROSE | NESTED_BLOCKS
_DATE_PREFERENCE = ("epub", "ppub", "epub-ppub", "pub", "collection", "pmc-release")


class _Text:
    """Passages joined by a newline, with their offsets."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.passages: list[Passage] = []
        self.offset = 0

    def add(self, text: str, kind: str, title: str | None = None, infons: dict[str, str] | None = None) -> None:
        if not text:
            return
        if self.pieces:
            self.offset += 1
        self.passages.append(Passage(self.offset, len(text), kind, title=title or None, infons=infons or {}))
        self.pieces.append(text)
        self.offset += len(text)

    @property
    def text(self) -> str:
        return "\n".join(self.pieces)


def _caption(elem: Any, out: _Text, kind: str) -> None:
    label_el = child(elem, "label")
    label = inner_text(label_el) if label_el is not None else None
    cap = child(elem, "caption")
    if cap is None:
        return
    parts = [inner_text(t, NOT_PROSE - {"title"}) for t in children(cap, "title")]
    parts += [inner_text(p, _INLINE_SKIP) for p in children(cap, "p")]
    out.add("\n".join(p for p in parts if p), kind, title=label)


def _blocks(elem: Any, sections: list[str], part: str, out: _Text, infons: dict[str, str]) -> None:
    """Walk the block structure of a body, abstract, section or paragraph, in document order."""
    where = " / ".join(sections) or None
    for node in elem:
        name = local(node.tag)
        if not name or name in NOT_PROSE:
            continue
        if name == "sec":
            title_el = child(node, "title")
            heading = inner_text(title_el, NOT_PROSE - {"title"}) if title_el is not None else ""
            inner = sections + [heading] if heading else sections
            if heading and part == "body":
                out.add(heading, "section_title", title=" / ".join(inner), infons=infons)
            _blocks(node, inner, part, out, infons)
        elif name == "p":
            out.add(inner_text(node, _INLINE_SKIP), "abstract" if part == "abstract" else "paragraph",
                    title=where, infons=infons)
            _blocks(node, sections, part, out, infons)  # figures, lists, quotes inside the paragraph
        elif name == "fig":
            _caption(node, out, "fig_caption")
        elif name == "table-wrap":
            _caption(node, out, "table_caption")
        elif name in ("list-item", "disp-quote", "statement") and not any(local(c.tag) in NESTED_BLOCKS for c in node):
            out.add(inner_text(node, _INLINE_SKIP), "abstract" if part == "abstract" else "paragraph",
                    title=where, infons=infons)  # an item or quote written without <p>
        elif len(node):
            _blocks(node, sections, part, out, infons)  # list, list-item, disp-quote, boxed-text, groups...


def _ids(meta: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for aid in children(meta, "article-id") if meta is not None else []:
        kind, value = (aid.get("pub-id-type") or "").lower(), (aid.text or "").strip()
        if not value:
            continue
        if kind in ("pmc", "pmcid"):
            digits = re.sub(r"^PMC", "", value, flags=re.IGNORECASE)
            found.setdefault("pmcid", f"PMC{digits}")
        elif kind == "pmid":
            found.setdefault("pmid", value)
        elif kind == "doi":
            found.setdefault("doi", value)
    return found


def _year(meta: Any) -> int | None:
    dates = children(meta, "pub-date") if meta is not None else []
    ranked = sorted(dates, key=lambda d: next((i for i, k in enumerate(_DATE_PREFERENCE)
                                               if k in (d.get("pub-type"), d.get("date-type"))), len(_DATE_PREFERENCE)))
    for date in ranked:
        year = (child(date, "year").text or "").strip() if child(date, "year") is not None else ""
        if year.isdigit():
            return int(year)
    return None


def article_document(article: Any, file: Path, max_bytes: int, index: int) -> Document | InputError:
    """One ``<article>`` element as a Document (or its E106/E115)."""
    front = child(article, "front")
    meta = path(front, "article-meta") if front is not None else None
    journal_meta = path(front, "journal-meta") if front is not None else None
    ids = _ids(meta)
    fallback = file.name.split(".")[0] or file.stem
    doc_id = ids.get("pmcid") or ids.get("pmid") or (fallback if index == 1 else f"{fallback}#{index}")

    out = _Text()
    title_el = path(meta, "title-group", "article-title") if meta is not None else None
    title = inner_text(title_el, NOT_PROSE - {"title"}) if title_el is not None else ""
    out.add(title, "title")
    for abstract in children(meta, "abstract") if meta is not None else []:
        kind = abstract.get("abstract-type")
        _blocks(abstract, [], "abstract", out, {"abstract_type": kind} if kind else {})
    body = child(article, "body")
    if body is not None:
        _blocks(body, [], "body", out, {})
    floats = child(article, "floats-group")
    if floats is not None:
        _blocks(floats, [], "body", out, {})
    if not out.pieces:
        return InputError("E115", path=file, doc_id=doc_id, detail="no title, abstract or body text")
    text = out.text
    too_large = record_too_large(text, file, str(doc_id), max_bytes)
    if too_large is not None:
        return too_large

    journal_el = path(journal_meta, "journal-title-group", "journal-title") if journal_meta is not None else None
    if journal_el is None and journal_meta is not None:
        journal_el = child(journal_meta, "journal-title")
    keywords = [inner_text(k) for group in (children(meta, "kwd-group") if meta is not None else [])
                for k in children(group, "kwd")]
    metadata: dict[str, Any] = {
        **ids,
        "journal": inner_text(journal_el) if journal_el is not None else None,
        "year": _year(meta),
        "title": title or None,
        "keywords": [k for k in keywords if k],
        "article_type": article.get("article-type"),
        "source_format": "pmc",
    }
    metadata = {k: v for k, v in metadata.items() if v not in (None, [], "")}
    return Document(doc_id=doc_id, text=text, path=str(file), metadata=metadata, passages=out.passages)


def _outermost(elem: Any) -> bool:
    return not any(local(a.tag) == "article" for a in elem.iterancestors())


def iter_pmc(file: str | Path, max_bytes: int) -> Iterator[Document | InputError]:
    """Documents of one JATS file (one article or a pmc-articleset), streamed; file-level faults raise."""
    file = Path(file)
    index = 0
    for elem in iter_records(file, ("article",), keep=_outermost, unit="articles"):
        index += 1
        yield article_document(elem, file, max_bytes, index)
    if not index:
        raise InputError("E107", path=file, detail="no <article> element", expected="PMC nXML / JATS (<article>)")
