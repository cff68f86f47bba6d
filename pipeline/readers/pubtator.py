"""Reader for PubTator files (BioRED and PubTator exports): titles, abstracts, mentions and relations.

Why here: a PubTator file is both an input (its abstracts become ``Document`` objects
whose offsets line up with the annotations) and a gold corpus, so the format is read
once, in the reading room. Offsets are characters of ``title + "\\n" + abstract``
(BioRED's abstract offsets start at ``len(title) + 1``).

A file is recognised by its content, not its name: the first non-blank line is
``PMID|t|title`` (:func:`is_pubtator`). Problems are coded :class:`InputError`\\ s:
E110 with file and line for a malformed line, E104 for bytes that are not UTF-8.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.model import Document
from pipeline.readers.source import read_utf8


@dataclass(frozen=True)
class PubTatorMention:
    doc_id: str
    start: int
    end: int
    text: str
    type: str
    ids: tuple[str, ...]  # split on , ; | ("-" dropped)
    raw_id: str = ""  # the identifier column as written (relations may cite a composite "D1|D2")


@dataclass(frozen=True)
class PubTatorRelation:
    doc_id: str
    type: str
    id1: str
    id2: str
    novelty: str = ""


@dataclass
class PubTatorDocument:
    doc_id: str
    title: str
    abstract: str | None
    path: str
    mentions: list[PubTatorMention] = field(default_factory=list)
    relations: list[PubTatorRelation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """title + newline + abstract: the string the PubTator offsets refer to."""
        return self.title if self.abstract is None else f"{self.title}\n{self.abstract}"


TEXT_LINE = re.compile(r"^([^|\t]+)\|([ta])\|(.*)$")
_SIMPLE_ID = re.compile(r"[CD]\d+|\d+|[A-Za-z]+:\w+|CVCL_\w+")


def split_ids(raw: str) -> tuple[str, ...]:
    """Split "836,840" or "D004409|D006948"; a variant id such as "p|SUB|V|600|E" stays whole."""
    out: list[str] = []
    for part in re.split(r"[,;]", raw):
        part = part.strip()
        if "|" in part and all(_SIMPLE_ID.fullmatch(x.strip()) for x in part.split("|")):
            out += [x.strip() for x in part.split("|")]
        elif part and part != "-":
            out.append(part)
    return tuple(out)


def _malformed(path: Path, line: int, detail: str) -> InputError:
    return InputError("E110", path=path, line=line, detail=detail)


def _read_lines(path: Path) -> list[str]:
    """Lines of the file with universal newlines, as ``open(path, encoding="utf-8")`` gives them."""
    return [line.rstrip("\r\n") for line in io.StringIO(read_utf8(path), newline=None)]


def _annotation(path: Path, lineno: int, line: str, current: PubTatorDocument | None) -> None:
    """Add a mention or relation line to the document it belongs to."""
    fields = line.split("\t")
    if current is None or fields[0] != current.doc_id:
        raise _malformed(path, lineno, f"annotation for {fields[0]!r} outside its document block")
    if len(fields) >= 5 and fields[1].isdigit() and fields[2].isdigit():
        start, end = int(fields[1]), int(fields[2])
        text = current.text
        if start > end or end > len(text):
            raise _malformed(path, lineno, f"offsets {start}-{end} outside the text ({len(text)} chars)")
        if text[start:end] != fields[3]:
            current.warnings.append(f"{path}:{lineno}: {fields[3]!r} != {text[start:end]!r} at the offsets")
        ids = split_ids(fields[5]) if len(fields) > 5 else ()
        raw_id = fields[5].strip() if len(fields) > 5 else ""
        current.mentions.append(PubTatorMention(current.doc_id, start, end, fields[3], fields[4], ids, raw_id))
    elif len(fields) in (4, 5) and not fields[1].isdigit():
        novelty = fields[4] if len(fields) == 5 else ""
        current.relations.append(PubTatorRelation(current.doc_id, fields[1], fields[2].strip(), fields[3].strip(), novelty))
    else:
        raise _malformed(path, lineno, f"neither a mention (PMID start end text type ids) nor a relation line: {line!r}")


def read_pubtator(path: str | Path) -> list[PubTatorDocument]:
    """Parse a PubTator file; malformed input raises E110 with the file and line."""
    path = Path(path)
    return parse_pubtator(_read_lines(path), path)


def parse_pubtator(lines: list[str], path: Path) -> list[PubTatorDocument]:
    """Parse the lines of a PubTator file (E110 with ``path`` and line for a malformed one)."""
    docs: list[PubTatorDocument] = []
    by_id: dict[str, PubTatorDocument] = {}
    current: PubTatorDocument | None = None
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            current = None
            continue
        m = TEXT_LINE.match(line)
        if not m:
            _annotation(path, lineno, line, current)
            continue
        pmid, part, content = m.groups()
        if part == "t":
            if pmid in by_id:
                raise _malformed(path, lineno, f"document {pmid} appears twice")
            current = by_id[pmid] = PubTatorDocument(pmid, content, None, str(path))
            docs.append(current)
        elif current is None or current.doc_id != pmid or current.abstract is not None:
            raise _malformed(path, lineno, f"abstract line of {pmid} without its title line just before")
        else:
            current.abstract = content
    return docs


def read_pubtator_documents(path: str | Path) -> list[Document]:
    """PubTator abstracts as pipeline Documents (text = title + "\\n" + abstract, doc_id = PMID)."""
    return [
        Document(
            doc_id=d.doc_id,
            text=d.text,
            path=str(path),
            metadata={"pmid": d.doc_id, "title": d.title, "source_format": "pubtator"},
        )
        for d in read_pubtator(path)
    ]


def iter_pubtator(path: str | Path, max_bytes: int) -> list[Document]:
    """The run-time reader: like :func:`read_pubtator_documents`, with the input rules of
    :mod:`pipeline.readers.source` (size limit, gzip, byte-order marks, NUL bytes -> spaces
    with W102, which keeps every annotation offset valid). Passages: ``title`` and ``abstract``.
    """
    from pipeline.model import Passage
    from pipeline.readers.source import decode, read_limited

    path = Path(path)
    text, warnings = decode(read_limited(path, max_bytes), path)
    lines = [line.rstrip("\r\n") for line in io.StringIO(text, newline=None)]
    documents = []
    for d in parse_pubtator(lines, path):
        passages = [Passage(0, len(d.title), "title")] if d.title else []
        if d.abstract:
            passages.append(Passage(len(d.title) + 1, len(d.abstract), "abstract"))
        documents.append(Document(doc_id=d.doc_id, text=d.text, path=str(path), passages=passages,
                                  metadata={"pmid": d.doc_id, "title": d.title, "source_format": "pubtator"},
                                  warnings=list(warnings)))
        warnings = []
    if not documents:
        raise InputError("E102", path=path)
    return documents


def is_pubtator(path: str | Path) -> bool:
    """True if ``path`` is a file whose first non-blank line looks like ``PMID|t|title``, whatever its name."""
    path = Path(path)
    if not path.is_file():
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh):
                if line.strip():
                    return bool(TEXT_LINE.match(line.rstrip("\r\n")))
                if n > 1000:  # a file of blank lines is not PubTator; stop reading it
                    break
    except OSError:
        return False
    return False
