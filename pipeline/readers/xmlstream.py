"""Shared lxml helpers for the XML readers (PubMed, PMC, BioC): a safe streaming parse and text.

Safety: entities are never resolved (no XXE, no billion laughs), no DTD is loaded, no
network is touched, libxml2's default limits on text nodes and depth stay on (no
``huge_tree``). Streaming: :func:`iter_records` yields each record element (an article,
a BioC document) once it is complete and clears it afterwards, with everything before
it, so the tree never holds more than one record.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.readers.source import _GZIP_ERRORS, gzip_error, open_binary, os_error

_SPACE = re.compile(r"\s+")


def local(tag: Any) -> str:
    """``{namespace}name`` -> ``name``; '' for comments and processing instructions."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def squash(text: str) -> str:
    """Whitespace runs (XML indentation, line breaks inside a paragraph) -> one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


def inner_text(elem: Any, skip: frozenset[str] = frozenset()) -> str:
    """The element's text with descendants, leaving out elements whose local name is in ``skip``."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if local(child.tag) not in skip and isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(elem)
    return squash("".join(parts))


def child(elem: Any, name: str) -> Any:
    """The first child with local name ``name``, or None."""
    for c in elem:
        if local(c.tag) == name:
            return c
    return None


def children(elem: Any, name: str) -> list[Any]:
    return [c for c in elem if local(c.tag) == name]


def path(elem: Any, *names: str) -> Any:
    """Follow child local names: ``path(article, "front", "article-meta")``; None when missing."""
    for name in names:
        if elem is None:
            return None
        elem = child(elem, name)
    return elem


def syntax_error(file: Path, exc: Exception, done: int, unit: str) -> InputError:
    """E109 with line and column; says how many records were read before the error."""
    line = getattr(exc, "lineno", None)
    msg = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
    where = f"line {line}: " if line else ""
    after = f" ({done} {unit} before it were read)" if done else ""
    return InputError("E109", path=file, detail=f"{where}{msg.strip()}{after}")


def iter_records(file: Path, tags: Iterable[str], keep: Callable[[Any], bool] = lambda e: True,
                 unit: str = "documents") -> Iterator[Any]:
    """Each complete element whose local name is in ``tags`` (and ``keep(elem)``), cleared after use.

    A malformed or truncated file raises E109/E116 after the records before the fault
    were yielded; the caller reports it as one more entry for the file.
    """
    from lxml import etree

    wanted = tuple("{*}" + t for t in tags) + tuple(tags)
    done = 0
    with open_binary(file) as fh:
        context = etree.iterparse(
            fh, events=("end",), tag=wanted, resolve_entities=False, load_dtd=False, no_network=True,
            huge_tree=False, remove_comments=True, remove_pis=True,
        )
        try:
            for _event, elem in context:
                if not keep(elem):
                    continue
                yield elem
                done += 1
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            if done == 0 and "Document is empty" in str(exc):
                raise InputError("E102", path=file) from None
            raise syntax_error(file, exc, done, unit) from None
        except _GZIP_ERRORS as exc:
            raise gzip_error(file, exc) from None
        except OSError as exc:
            raise os_error(file, exc) from None
