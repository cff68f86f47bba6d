"""BioRED PubTator -> ``Annotated`` documents with GENE, CHEMICAL and DISEASE spans.

PubTator offsets count the title, one space, then the abstract, so the text is
rebuilt exactly that way. Variants, organisms and cell lines are dropped: they are
annotated in BioRED but are not labels of this recogniser (their tokens stay
"outside", which is right: a species word is not a gene).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.training.converters.standoff import Annotated

LABELS = {
    "GeneOrGeneProduct": "GENE",
    "ChemicalEntity": "CHEMICAL",
    "DiseaseOrPhenotypicFeature": "DISEASE",
}


@dataclass
class PubTatorDoc:
    """One abstract as PubTator gives it; ``mentions`` keep the raw type and identifiers."""

    pmid: str
    title: str = ""
    abstract: str = ""
    mentions: list[tuple[int, int, str, str, list[str]]] = field(default_factory=list)  # start, end, text, type, ids

    @property
    def text(self) -> str:
        return f"{self.title} {self.abstract}" if self.abstract else self.title


def parse_pubtator(lines: Iterable[str]) -> Iterator[PubTatorDoc]:
    """Documents in file order; relation lines and unknown lines are skipped."""
    doc: PubTatorDoc | None = None
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        head = line[:40]
        if "|t|" in head or "|a|" in head:
            pmid, kind, body = line.split("|", 2)
            if doc is None or doc.pmid != pmid:
                if doc is not None:
                    yield doc
                doc = PubTatorDoc(pmid)
            if kind == "t":
                doc.title = body
            else:
                doc.abstract = body
            continue
        fields = line.split("\t")
        if doc is not None and len(fields) >= 5 and fields[1].isdigit() and fields[2].isdigit():
            ids = [i for i in (fields[5].replace(";", ",").split(",") if len(fields) > 5 else []) if i]
            doc.mentions.append((int(fields[1]), int(fields[2]), fields[3], fields[4], ids))
    if doc is not None:
        yield doc


def to_annotated(doc: PubTatorDoc) -> Annotated:
    """Keep the three labels; check each mention's text against the rebuilt text."""
    text = doc.text
    spans = []
    for start, end, surface, kind, _ids in doc.mentions:
        if kind not in LABELS:
            continue
        if text[start:end] != surface:
            raise ValueError(f"PMID {doc.pmid}: offsets {start}-{end} give {text[start:end]!r}, not {surface!r}")
        spans.append((start, end, LABELS[kind]))
    return Annotated(id=doc.pmid, text=text, spans=spans, labels=tuple(sorted(set(LABELS.values()))), group=doc.pmid)


def read_pubtator(path: Path) -> list[Annotated]:
    """All documents of a PubTator file."""
    with open(path, encoding="utf-8") as fh:
        return [to_annotated(d) for d in parse_pubtator(fh)]
