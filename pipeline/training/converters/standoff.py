"""Character-offset annotations -> spaCy Docs, and the BioNLP .txt/.a1 reader.

Every corpus is first brought to the same shape, a text plus labelled character
spans (``Annotated``), so the tokenizer used for training is chosen in one place
(``to_doc``) and gold spans that fall inside a token are counted, not silently
stretched to the token: teaching ``ASK1-mediated`` as a GENE would be wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

Span3 = tuple[int, int, str]  # character start, end, label


@dataclass
class Annotated:
    """One text with its gold mentions; ``labels`` says which labels the source annotates at all."""

    id: str
    text: str
    spans: list[Span3]
    labels: tuple[str, ...]
    alternatives: dict[tuple[int, int], list[tuple[int, int]]] = field(default_factory=dict)
    group: str = ""  # the document a sentence belongs to (for splitting by document)


@dataclass
class DocStats:
    """How many gold spans matched token boundaries when a corpus was turned into Docs."""

    aligned: int = 0
    misaligned: int = 0
    misaligned_by_label: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)


def to_doc(nlp, item: Annotated, missing: Callable[[object, Annotated], Iterable[tuple[int, int]]] | None = None,
           stats: DocStats | None = None):
    """Tokenize ``item.text`` with ``nlp`` and set its entities.

    Gold spans that do not fall on token boundaries are not taught at all: their
    tokens become *missing* (unknown to the loss) instead of "outside". ``missing``
    may name further character ranges to leave unknown (partial annotation).
    """
    doc = nlp.make_doc(item.text)
    ents, unknown = [], []
    for start, end, label in sorted(item.spans):
        span = doc.char_span(start, end, label=label)
        if span is None:
            if stats is not None:
                stats.misaligned += 1
                stats.misaligned_by_label[label] = stats.misaligned_by_label.get(label, 0) + 1
                if len(stats.examples) < 40:
                    tok = doc.char_span(start, end, alignment_mode="expand")
                    stats.examples.append(f"{item.text[start:end]!r} in {tok.text if tok else '?'!r}")
            covering = doc.char_span(start, end, alignment_mode="expand")
            if covering is not None:
                unknown.append(covering)
            continue
        if stats is not None:
            stats.aligned += 1
        if ents and span.start < ents[-1].end:  # overlapping gold: keep the first, leave the rest unknown
            unknown.append(span)
            continue
        ents.append(span)
    if missing is not None:
        for start, end in missing(doc, item):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                unknown.append(span)
    taken = {i for e in ents for i in range(e.start, e.end)}
    unknown = [s for s in unknown if not any(i in taken for i in range(s.start, s.end))]
    doc.set_ents(ents, missing=_disjoint(doc, unknown), default="outside")
    return doc


def _disjoint(doc, spans) -> list:
    """set_ents refuses overlapping spans in one list, so merge them token-wise."""
    tokens = sorted({i for s in spans for i in range(s.start, s.end)})
    out, run = [], []
    for i in tokens:
        if run and i != run[-1] + 1:
            out.append(doc[run[0]:run[-1] + 1])
            run = []
        run.append(i)
    if run:
        out.append(doc[run[0]:run[-1] + 1])
    return out


def read_a1(txt_path: Path, types: dict[str, str] | None = None) -> Annotated:
    """A BioNLP-ST document: .txt text and its .a1 ``T`` lines (Protein -> GENE by default)."""
    types = types or {"Protein": "GENE"}
    text = txt_path.read_text(encoding="utf-8")
    spans: list[Span3] = []
    a1 = txt_path.with_suffix(".a1")
    for line in a1.read_text(encoding="utf-8").splitlines():
        spans.extend(parse_t_line(line, types))
    return Annotated(id=txt_path.stem, text=text, spans=spans, labels=tuple(sorted(set(types.values()))),
                     group=txt_path.stem.split("-")[1] if txt_path.stem.count("-") >= 2 else txt_path.stem)


def parse_t_line(line: str, types: dict[str, str]) -> list[Span3]:
    """``T3<TAB>Protein 12 16;20 25<TAB>text``; a discontinuous mention yields one span per fragment."""
    if not line.startswith("T"):
        return []
    parts = line.split("\t")
    if len(parts) < 2:
        return []
    kind, _, ranges = parts[1].partition(" ")
    if kind not in types:
        return []
    out = []
    for fragment in ranges.split(";"):
        start, end = fragment.split()
        out.append((int(start), int(end), types[kind]))
    return out


def read_standoff_dir(folder: Path, types: dict[str, str] | None = None) -> Iterator[Annotated]:
    """All .txt files of a BioNLP-ST folder that have an .a1 beside them, in name order."""
    for txt in sorted(folder.glob("*.txt")):
        if txt.with_suffix(".a1").exists():
            yield read_a1(txt, types)
