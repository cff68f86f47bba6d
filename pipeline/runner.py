"""The main job: read inputs, process them with the spaCy pipeline, write outputs.

Plain functions, so the CLI stays thin and tests can call the same code.
"""
from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import BiomineError, InputError, ProcessingError
from pipeline.model import Document, Entity, ProcessedDocument

GivenEntities = Callable[[Document], "list[Entity] | None"]


@dataclass
class RunSummary:
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    negated: int = 0
    hedged: int = 0

    def format(self) -> str:
        lines = [f"documents: {self.documents} processed, {len(self.failed)} failed"]
        lines.append("entities: " + (", ".join(f"{k} {v}" for k, v in sorted(self.entities.items())) or "none"))
        lines.append("relations: " + (", ".join(f"{k} {v}" for k, v in sorted(self.relations.items())) or "none"))
        lines.append(f"flagged: {self.negated} negated, {self.hedged} hedged")
        return "\n".join(lines)


class Processor:
    """Holds the loaded spaCy pipeline; ``process`` turns one Document into results."""

    def __init__(self, model: str | None = None, patterns_dir: Path | None = None) -> None:
        from pipeline.nlp.build import PATTERNS_DIR, build_nlp

        self.nlp = build_nlp(patterns_dir or PATTERNS_DIR, model=model)

    def process(self, document: Document, given: list[Entity] | None = None,
                keep_doc: bool = False) -> ProcessedDocument:
        """One document through every component; ``keep_doc`` keeps the spaCy Doc (for rule tools)."""
        from pipeline.nlp.components import GIVEN_KEY, TEXT_KEY, WARNINGS_KEY

        doc = self.nlp.make_doc(document.text)
        doc.user_data["doc_id"] = document.doc_id
        doc.user_data[TEXT_KEY] = document.text
        if given is not None:
            doc.user_data[GIVEN_KEY] = given
        for _name, component in self.nlp.pipeline:
            doc = component(doc)
        return ProcessedDocument(document, doc._.biomine_sentences or [], doc._.biomine_entities or [],
                                 doc._.biomine_relations or [], list(doc.user_data.get(WARNINGS_KEY, [])),
                                 spacy_doc=doc if keep_doc else None)


def run(
    inputs: Iterable[str | Path],
    out_dir: Path,
    model: str | None = None,
    given_entities: GivenEntities | None = None,
    documents: Iterable[Document] | None = None,
    progress: bool = True,
    on_document: Callable[[ProcessedDocument], None] | None = None,
    max_bytes: int | None = None,
) -> tuple[RunSummary, list[ProcessedDocument]]:
    """Process every input; bad files are reported and skipped, the batch always completes."""
    from tqdm import tqdm

    from pipeline.readers.text import DEFAULT_MAX_BYTES, expand_inputs, iter_documents
    from pipeline.writers.outputs import OutputWriter

    processor = Processor(model=model)
    summary = RunSummary()
    results: list[ProcessedDocument] = []
    if documents is None:
        paths = expand_inputs(inputs)
        items: Iterable = iter_documents(paths, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
        total = len(paths)
    else:
        items = list(documents)
        total = len(items)
    with OutputWriter(out_dir) as writer:
        bar = tqdm(items, total=total, unit="doc", disable=not progress or total < 5, file=sys.stderr)
        for item in bar:
            if isinstance(item, InputError):
                _report(summary, writer, item.path, item)
                continue
            try:
                given = given_entities(item) if given_entities else None
                processed = processor.process(item, given)
            except Exception as exc:  # one broken document must not stop the batch
                _report(summary, writer, item.path, ProcessingError("E201", path=item.path or item.doc_id, detail=repr(exc)))
                continue
            writer.add(processed)
            results.append(processed)
            if on_document:
                on_document(processed)
            summary.documents += 1
            summary.entities.update(e.type for e in processed.entities)
            summary.relations.update(r.relation for r in processed.relations)
            summary.negated += sum(r.negated for r in processed.relations)
            summary.hedged += sum(r.hedged for r in processed.relations)
    return summary, results


def _report(summary: RunSummary, writer, path: str, error: BiomineError) -> None:
    summary.failed.append(str(error))
    writer.add_error(path, str(error))
    print(f"error: {error}", file=sys.stderr)
