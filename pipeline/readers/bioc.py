"""BioC XML and BioC JSON collections, read through the ``bioc`` package.

BioC XML is streamed: each ``<document>`` is cut out of the file with lxml ``iterparse``
(cleared afterwards, so memory holds one document) and decoded by ``bioc.biocxml``.
BioC JSON is read whole (bounded by ``max_bytes``); each document is decoded on its own by
``bioc.biocjson.fromJSON``, so one broken document is one error, not a lost file. Accepted
JSON shapes: a collection ``{"documents": [...]}``, PubTator3's ``{"PubTator3": [...]}``,
a list of documents, or one document.

**Offsets.** A BioC passage carries its own ``offset``; annotations count from it. The
document text is built so those offsets stay valid wherever possible:

* *kept* (``metadata["bioc_offsets"] == "kept"``): passages in order, not overlapping, each
  gap before a passage at most :data:`MAX_GAP` characters. Each passage's text sits at its
  own offset and gaps are filled with ``\\n``: an offset in the outputs *is* the BioC offset.
* *remapped* (``"remapped"``): otherwise (overlaps, passages out of order, huge gaps). The
  passages are joined by ``\\n`` and each ``Passage.source_offset`` keeps its BioC offset, so
  position ``i`` of passage ``p`` is ``p.source_offset + i - p.offset`` in the source.

A passage without ``text`` but with sentences is rebuilt from the sentences at their offsets
(gaps filled with spaces). ``Passage.type`` is the passage's ``type`` infon; ``infons`` keeps
all of them. Annotations and relations in the input are not read (the pipeline recognises
its own entities). Metadata: the document's infons (trimmed with a W102 warning beyond
:data:`~pipeline.readers.front_matter.MAX_METADATA_CHARS` characters: machine-made infons
are not worth losing the text for), ``pmid``/``pmcid``/``doi``/``journal``/``year`` from
BioC-PMC ``article-id_*`` passage infons when present, ``collection_source`` and
``source_format: bioc``. doc_id: the BioC ``<id>``, else ``<file name>#<n>``.

Errors: malformed XML E109, malformed JSON or a JSON document that breaks the BioC shape
E114 (with the document's number), a document without text E115, over ``max_bytes`` E106.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, message
from pipeline.model import Document, Passage
from pipeline.readers.front_matter import MAX_METADATA_CHARS
from pipeline.readers.source import decode, read_limited, record_too_large
from pipeline.readers.xmlstream import iter_records, local

MAX_GAP = 1000
_PMC_INFONS = {"article-id_pmid": "pmid", "article-id_pmc": "pmcid", "article-id_doi": "doi",
               "journal": "journal", "year": "year"}


class _Shape(ValueError):
    """A BioC document that does not have the BioC shape."""


def _from_sentences(passage: Any) -> str:
    out = ""
    for sentence in passage.sentences:
        start = sentence.offset - passage.offset
        text = sentence.text or ""
        if start < len(out) or start - len(out) > MAX_GAP:
            out += (" " if out else "") + text
        else:
            out += " " * (start - len(out)) + text
    return out


def _bounded(infons: dict[str, Any]) -> tuple[dict[str, str], bool]:
    kept: dict[str, str] = {}
    budget = MAX_METADATA_CHARS
    for key, value in infons.items():
        key, value = str(key), "" if value is None else str(value)
        budget -= len(key) + len(value)
        if budget < 0:
            return kept, True
        kept[key] = value
    return kept, False


def bioc_document(doc: Any, file: Path, index: int, max_bytes: int, source: str | None) -> Document | InputError:
    """A ``bioc.BioCDocument`` as a Document, by the offset rules of the module docstring."""
    fallback = f"{file.name.split('.')[0] or file.stem}#{index}"
    doc_id = str(doc.id).strip() if doc.id is not None and str(doc.id).strip() else fallback
    warnings: list[str] = []
    items: list[tuple[int, str, dict[str, str]]] = []
    for passage in doc.passages:
        text = passage.text or (_from_sentences(passage) if passage.sentences else "")
        if "\0" in text:
            warnings.append(message("W102", path=file, detail=f"document {doc_id}: {text.count(chr(0))} "
                                                               f"NUL character(s) replaced by spaces"))
            text = text.replace("\0", " ")
        if text:
            items.append((int(passage.offset), text, {str(k): str(v) for k, v in passage.infons.items()}))
    if not items:
        return InputError("E115", path=file, doc_id=doc_id, detail="no passage has text")

    kept, pos = True, 0
    for offset, text, _ in items:
        if offset < pos or offset - pos > MAX_GAP:
            kept = False
            break
        pos = offset + len(text)
    pieces: list[str] = []
    passages: list[Passage] = []
    pos = 0
    for offset, text, infons in items:
        if kept:
            pieces.append("\n" * (offset - pos))
            start = offset
        else:
            if pieces:
                pieces.append("\n")
                pos += 1
            start = pos
        passages.append(Passage(start, len(text), infons.get("type", ""), infons=infons,
                                source_offset=None if kept else offset))
        pieces.append(text)
        pos = start + len(text)
    body = "".join(pieces)
    too_large = record_too_large(body, file, f"document {doc_id}", max_bytes)
    if too_large is not None:
        return too_large

    metadata: dict[str, Any] = {}
    infons, trimmed = _bounded(doc.infons)
    metadata.update(infons)
    if trimmed:
        warnings.append(message("W102", path=file, detail=f"document {doc_id}: infons trimmed to "
                                                           f"{MAX_METADATA_CHARS} characters"))
    for _, _, p_infons in items:
        for key, name in _PMC_INFONS.items():
            if p_infons.get(key) and name not in metadata:
                metadata[name] = p_infons[key]
    if "pmcid" in metadata and not str(metadata["pmcid"]).upper().startswith("PMC"):
        metadata["pmcid"] = f"PMC{metadata['pmcid']}"
    if source:
        metadata["collection_source"] = source
    metadata["bioc_offsets"] = "kept" if kept else "remapped"
    metadata["source_format"] = "bioc"
    return Document(doc_id=doc_id, text=body, path=str(file), metadata=metadata, passages=passages,
                    warnings=warnings)


# --- XML -----------------------------------------------------------------------------------------

def _collection_source(elem: Any) -> str | None:
    parent = elem.getparent()
    if parent is None:
        return None
    for node in parent:
        if node is elem:
            break
        if local(node.tag) == "source" and (node.text or "").strip():
            return node.text.strip()
    return None


def iter_bioc_xml(file: str | Path, max_bytes: int) -> Iterator[Document | InputError]:
    """Documents of a BioC XML collection, streamed; file-level faults raise."""
    from bioc import biocxml
    from lxml import etree

    file = Path(file)
    index = 0
    source: str | None = None
    for elem in iter_records(file, ("document",), keep=lambda e: local(getattr(e.getparent(), "tag", "")) == "collection"):
        index += 1
        if index == 1:
            source = _collection_source(elem)
        xml = b"<collection><source/><date/><key/>" + etree.tostring(elem, with_tail=False) + b"</collection>"
        try:
            collection = biocxml.loads(xml.decode("utf-8"))
            parsed = collection.documents[0]
        except (ValueError, TypeError, KeyError, IndexError, etree.XMLSyntaxError) as exc:
            yield InputError("E109", path=file, detail=f"BioC document {index} (line {elem.sourceline}): "
                                                       f"{type(exc).__name__}: {exc}"[:300])
            continue
        yield bioc_document(parsed, file, index, max_bytes, source)
    if not index:
        raise InputError("E107", path=file, detail="no <document> in a <collection>", expected="BioC XML")


# --- JSON ----------------------------------------------------------------------------------------

def _infons(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Shape(f"{where}: 'infons' is not an object")
    return {str(k): "" if v is None else v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def _offset(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Shape(f"{where}: 'offset' is not a non-negative integer ({value!r:.40})")
    return value


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Shape(f"{where}: 'text' is not a string")
    return value


def _shape(obj: Any) -> dict[str, Any]:
    """The parts of a JSON document biomine reads, checked, in the form ``bioc.biocjson`` expects."""
    if not isinstance(obj, dict):
        raise _Shape("not an object")
    passages = obj.get("passages")
    if not isinstance(passages, list):
        raise _Shape("no 'passages' list")
    shaped = []
    for n, p in enumerate(passages, 1):
        where = f"passage {n}"
        if not isinstance(p, dict):
            raise _Shape(f"{where} is not an object")
        sentences = []
        for m, s in enumerate(p.get("sentences") or [], 1):
            if not isinstance(s, dict):
                raise _Shape(f"{where}, sentence {m} is not an object")
            sentences.append({"offset": _offset(s.get("offset"), f"{where}, sentence {m}"),
                              "infons": _infons(s.get("infons"), where), "text": _text(s.get("text"), where),
                              "annotations": [], "relations": []})
        shaped.append({"offset": _offset(p.get("offset"), where), "infons": _infons(p.get("infons"), where),
                       "text": _text(p.get("text"), where), "sentences": sentences,
                       "annotations": [], "relations": []})
    doc_id = obj.get("id", obj.get("_id"))
    return {"id": None if doc_id is None else str(doc_id), "infons": _infons(obj.get("infons"), "document"),
            "passages": shaped, "annotations": [], "relations": []}


def _documents(data: Any) -> tuple[list[Any], str | None]:
    if isinstance(data, list):
        return data, None
    if isinstance(data, dict):
        for key in ("documents", "PubTator3"):
            if isinstance(data.get(key), list):
                source = data.get("source")
                return data[key], source if isinstance(source, str) and source else None
        if "passages" in data:
            return [data], None
    raise _Shape("no 'documents' list (nor a document with 'passages')")


def iter_bioc_json(file: str | Path, max_bytes: int) -> Iterator[Document | InputError]:
    """Documents of a BioC JSON file (read whole); file-level faults raise."""
    from bioc import biocjson

    file = Path(file)
    text, warnings = decode(read_limited(file, max_bytes), file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("E114", path=file, detail=f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except (RecursionError, ValueError) as exc:
        raise InputError("E114", path=file, detail=f"{type(exc).__name__}: {str(exc)[:200]}") from None
    try:
        docs, source = _documents(data)
    except _Shape as exc:
        raise InputError("E114", path=file, detail=str(exc)) from None
    if not docs:
        raise InputError("E102", path=file)
    for index, obj in enumerate(docs, 1):
        try:
            parsed = biocjson.fromJSON(_shape(obj), "BioCDocument")
        except _Shape as exc:
            yield InputError("E114", path=file, detail=f"document {index}: {exc}")
            continue
        result = bioc_document(parsed, file, index, max_bytes, source)
        if isinstance(result, Document) and warnings:
            result.warnings[:0] = warnings
            warnings = []
        yield result
