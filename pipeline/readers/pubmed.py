"""PubMed/MEDLINE XML (``PubmedArticleSet``, older ``MedlineCitationSet``), plain or gzip.

Baseline and update files hold up to ~30,000 articles; they are streamed with lxml
``iterparse`` and each article element is cleared once read (:func:`pipeline.readers.xmlstream.iter_records`),
so memory stays bounded by one article whatever the file size. ``max_bytes`` applies to
each article's text, not to the file.

One ``Document`` per ``PubmedArticle`` (or ``PubmedBookArticle``):

* text: the title, ``\\n``, then each ``AbstractText`` section, separated by ``\\n``. That is
  PubTator's layout (abstract offsets start at ``len(title) + 1``) for unstructured abstracts.
  Inline markup (``<i>``, ``<sup>``) keeps its text; MathML is left out; whitespace runs
  become one space. Section labels (``BACKGROUND``) are *not* in the text: each section is a
  ``Passage`` of type ``abstract`` whose ``title`` is the label (``infons`` keep the
  ``NlmCategory``). The title is a passage of type ``title``. ``OtherAbstract`` elements
  (translations, plain-language summaries) are left out.
* doc_id: the PMID; metadata: ``pmid``, ``doi``, ``pmcid``, ``journal``, ``year``, ``title``,
  ``mesh`` (descriptor names), ``mesh_ids`` (descriptor UIs), ``publication_types``,
  ``language`` and ``source_format: pubmed``; ``pmid_version`` when it is not 1.

Problems, each one entry for the run's errors.jsonl, the file going on:

* ``DeleteCitation``: one E113 per deleted PMID ("remove it from earlier outputs"), so an
  update file's deletions are never dropped without a word.
* an article with neither title nor abstract: E115; larger than ``max_bytes``: E106.
* malformed XML or a truncated gzip: the articles before the fault are yielded, then one
  E109/E116 for the rest of the file.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.model import Document, Passage
from pipeline.readers.source import record_too_large
from pipeline.readers.xmlstream import child, children, inner_text, iter_records, local, path, squash

RECORDS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation", "MedlineCitation")
ROOTS = ("PubmedArticleSet", "MedlineCitationSet")
_SKIP = frozenset({"math", "MathML"})
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d|21\d\d)\b")


def _first(*elems: Any) -> Any:
    """The first element that is not None (lxml elements are falsy when childless: never use ``or``)."""
    return next((e for e in elems if e is not None), None)


def _top_level(elem: Any) -> bool:
    """A record directly under the root (not the MedlineCitation inside a PubmedArticle)."""
    parent = elem.getparent()
    return parent is None or parent.getparent() is None


def _year(*dates: Any) -> int | None:
    for date in dates:
        if date is None:
            continue
        text = (date.findtext("Year") or date.findtext("MedlineDate") or "").strip()
        m = _YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def _doi(article: Any, data: Any) -> str | None:
    for loc in children(article, "ELocationID") if article is not None else []:
        if loc.get("EIdType") == "doi" and (loc.text or "").strip():
            return loc.text.strip()
    return _article_id(data, "doi")


def _article_id(data: Any, kind: str) -> str | None:
    ids = path(data, "ArticleIdList") if data is not None else None
    for aid in ids if ids is not None else []:
        if aid.get("IdType") == kind and (aid.text or "").strip():
            return aid.text.strip()
    return None


def article_document(elem: Any, file: Path, max_bytes: int) -> Document | InputError:
    """One PubmedArticle / PubmedBookArticle / MedlineCitation element as a Document (or its error)."""
    tag = local(elem.tag)
    citation = elem if tag == "MedlineCitation" else _first(child(elem, "MedlineCitation"), child(elem, "BookDocument"))
    data = _first(child(elem, "PubmedData"), child(elem, "PubmedBookData"))
    if citation is None:
        return InputError("E115", path=file, doc_id="?", detail=f"<{tag}> without MedlineCitation or BookDocument")
    pmid_el = child(citation, "PMID")
    pmid = squash(pmid_el.text or "") if pmid_el is not None else ""
    article = child(citation, "Article")
    holder = article if article is not None else citation  # BookDocument keeps title and abstract itself
    title = inner_text(child(holder, "ArticleTitle"), _SKIP) if child(holder, "ArticleTitle") is not None else ""
    if not title:
        alt = child(holder, "VernacularTitle")
        if alt is None and child(holder, "Book") is not None:
            alt = child(child(holder, "Book"), "BookTitle")
        title = inner_text(alt, _SKIP) if alt is not None else ""
    sections = []
    abstract = child(holder, "Abstract")
    for part in children(abstract, "AbstractText") if abstract is not None else []:
        text = inner_text(part, _SKIP)
        if text:
            sections.append((text, part.get("Label"), part.get("NlmCategory")))
    if not title and not sections:
        return InputError("E115", path=file, doc_id=pmid or "?", detail="neither title nor abstract")

    pieces: list[str] = []
    passages: list[Passage] = []
    offset = 0
    for text, kind, label, category in [(title, "title", None, None)] + [(t, "abstract", lb, c) for t, lb, c in sections]:
        if not text:
            continue
        if pieces:
            offset += 1  # the "\n" between passages
        infons = {"nlm_category": category} if category else {}
        passages.append(Passage(offset, len(text), kind, title=label, infons=infons))
        pieces.append(text)
        offset += len(text)
    body = "\n".join(pieces)
    too_large = record_too_large(body, file, f"PMID {pmid}", max_bytes)
    if too_large is not None:
        return too_large

    journal = (article.findtext("Journal/Title") or article.findtext("Journal/ISOAbbreviation")) if article is not None else None
    issue_date = article.find("Journal/JournalIssue/PubDate") if article is not None else None
    book_date = path(citation, "Book", "PubDate")
    article_date = article.find("ArticleDate") if article is not None else None
    mesh = citation.findall("MeshHeadingList/MeshHeading/DescriptorName")
    metadata: dict[str, Any] = {
        "pmid": pmid or None,
        "doi": _doi(article, data),
        "pmcid": _article_id(data, "pmc"),
        "journal": squash(journal) if journal else None,
        "year": _year(issue_date, book_date, article_date, citation.find("DateCompleted")),
        "title": title,
        "mesh": [squash(m.text or "") for m in mesh],
        "mesh_ids": [m.get("UI") for m in mesh if m.get("UI")],
        "publication_types": [squash(p.text or "") for p in (article if article is not None else citation)
                              .findall("PublicationTypeList/PublicationType")],
        "language": (holder.findtext("Language") or "").strip() or None,
        "source_format": "pubmed",
    }
    if pmid_el is not None and pmid_el.get("Version") not in (None, "1"):
        metadata["pmid_version"] = pmid_el.get("Version")
    metadata = {k: v for k, v in metadata.items() if v not in (None, [], "")}
    return Document(doc_id=pmid, text=body, path=str(file), metadata=metadata, passages=passages)


def _deleted(elem: Any, file: Path) -> Iterator[InputError]:
    for pmid_el in children(elem, "PMID"):
        pmid = squash(pmid_el.text or "")
        yield InputError("E113", path=file, doc_id=pmid, pmid=pmid,
                         detail=f"PMID {pmid} is deleted by a MEDLINE DeleteCitation; remove it from earlier outputs")


def iter_pubmed(file: str | Path, max_bytes: int) -> Iterator[Document | InputError]:
    """Documents and per-article errors of one PubMed XML file, streamed; file-level faults raise."""
    file = Path(file)
    seen = 0
    root_checked = False
    for elem in iter_records(file, RECORDS, keep=_top_level, unit="articles"):
        if not root_checked:
            root = elem.getroottree().getroot()
            if local(root.tag) not in ROOTS and root is not elem:
                raise InputError("E107", path=file, detail=f"XML root <{local(root.tag)}>",
                                 expected="PubMed XML (<PubmedArticleSet> or <MedlineCitationSet>)")
            root_checked = True
        seen += 1
        if local(elem.tag) == "DeleteCitation":
            yield from _deleted(elem, file)
        else:
            yield article_document(elem, file, max_bytes)
    if not seen:
        raise InputError("E107", path=file, detail="no PubmedArticle or DeleteCitation element",
                         expected="PubMed XML (<PubmedArticleSet> or <MedlineCitationSet>)")
