"""The loaded pipeline and one document through it; long documents in sections, in linear time."""
from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.model import Document, Entity, ProcessedDocument, Relation, Sentence


LONG_DOCUMENT = 100_000  # characters: longer documents are processed in sections (time linear in length)
SECTION = 50_000  # target section length, cut at a paragraph (else line, sentence, space) boundary
WARM_SLICE = 4_000  # frequent words made permanent at load and after each memory zone (about 0.1 s each)


class Processor:
    """Holds the loaded spaCy pipeline; ``process`` turns one Document into results."""

    def __init__(self, model: str | None = None, patterns_dir: Path | None = None) -> None:
        from pipeline.nlp.build import PATTERNS_DIR, build_nlp
        from pipeline.nlp.vocabulary import frequent_words_path, read_words

        self.nlp = build_nlp(patterns_dir or PATTERNS_DIR, model=model)
        self.nlp.max_length = max(self.nlp.max_length, LONG_DOCUMENT + 1)
        self._unwarmed = read_words(frequent_words_path())
        self.warm_vocabulary()

    def process(self, document: Document, given: list[Entity] | None = None,
                keep_doc: bool = False) -> ProcessedDocument:
        """One document through every component; ``keep_doc`` keeps the spaCy Doc (for rule tools).

        A document longer than ``LONG_DOCUMENT`` characters is processed section by section
        (:func:`sections`) and the results are joined with their offsets shifted, so any
        length up to ``--max-bytes`` works in time linear in its length.
        """
        if len(document.text) > LONG_DOCUMENT and not keep_doc:
            return self._process_long(document, given)
        return self._process(document, given, keep_doc)

    def process_batch(self, items: list[tuple[Document, list[Entity] | None]]) -> list[ProcessedDocument | Exception]:
        """Several documents at once, each result (or the exception it raised) in input order.

        The trained components (recogniser, parser) then run over the sentences of all the
        documents in shared batches, which costs much less than one call per document. Should
        the batch fail, every document is processed alone, so one bad document fails alone.
        """
        results: list[ProcessedDocument | Exception | None] = [None] * len(items)
        short = [i for i, (document, _g) in enumerate(items) if len(document.text) <= LONG_DOCUMENT]
        try:
            docs = [self.make_doc(*items[i]) for i in short]
            for _name, component in self.nlp.pipeline:
                annotate = getattr(component, "annotate", None)
                docs = annotate(docs) if annotate is not None else [component(doc) for doc in docs]
            for i, doc in zip(short, docs):
                results[i] = self._result(items[i][0], doc, False)
        except Exception:  # noqa: BLE001  (retried one by one below, where the culprit fails alone)
            results = [None] * len(items)
        for i, (document, given) in enumerate(items):
            if results[i] is None:
                try:
                    results[i] = self.process(document, given)
                except Exception as exc:  # noqa: BLE001  (reported by the caller as that document's error)
                    results[i] = exc
        return results  # type: ignore[return-value]

    @contextlib.contextmanager
    def memory_zone(self) -> Iterator[None]:
        """A spaCy memory zone over the pipeline and the recogniser (which has its own vocabulary).

        The words and strings that documents add to a vocabulary are freed when the zone ends, so a
        worker's memory does not grow with the corpus (``run`` opens one per shard; the results are
        plain Python objects, nothing of a Doc may outlive its zone). Inside a zone spaCy caches no
        tokenization and every new word is made afresh, which tripled the tokenizer's time, so the
        frequent words are made permanent outside the zones (``warm_vocabulary``). A zone per batch of
        32 instead of per shard cost a fifth of the rules' time.
        """
        with contextlib.ExitStack() as stack:
            for nlp in self._tokenizing_pipelines():
                stack.enter_context(nlp.memory_zone())
            yield
        self.warm_vocabulary()

    def _tokenizing_pipelines(self) -> list[Any]:
        """The pipeline and the recogniser when it has its own vocabulary (it tokenizes sentences itself)."""
        out = [self.nlp]
        for _name, component in self.nlp.pipeline:
            recogniser = getattr(component, "recogniser", None)
            if recogniser is not None and recogniser.vocab is not self.nlp.vocab:
                out.append(recogniser)
        return out

    def warm_vocabulary(self, everything: bool = False) -> int:
        """Make the next ``WARM_SLICE`` words (or ``everything`` left) of the frequent-word list
        permanent (pipeline/nlp/vocabulary.py); returns how many are still to come.

        A slice at a time, at load and after each zone, so that start-up stays short while a
        long run is fully warm after a few shards; outputs are the same warm or cold.
        """
        from pipeline.nlp.vocabulary import warm_tokenizer

        cut = len(self._unwarmed) if everything else WARM_SLICE
        words, self._unwarmed = self._unwarmed[:cut], self._unwarmed[cut:]
        if words:
            for nlp in self._tokenizing_pipelines():
                warm_tokenizer(nlp, words)
        return len(self._unwarmed)

    def make_doc(self, document: Document, given: list[Entity] | None) -> Any:
        """The tokenized spaCy Doc of a document, carrying its id, text and given entities for the components."""
        from pipeline.nlp.components import GIVEN_KEY, TEXT_KEY

        doc = self.nlp.make_doc(document.text)
        doc.user_data["doc_id"] = document.doc_id
        doc.user_data[TEXT_KEY] = document.text
        if given is not None:
            doc.user_data[GIVEN_KEY] = given
        return doc

    def _result(self, document: Document, doc: Any, keep_doc: bool) -> ProcessedDocument:
        from pipeline.nlp.components import PARSE_COUNTS_KEY, WARNINGS_KEY

        result = ProcessedDocument(document, doc._.biomine_sentences or [], doc._.biomine_entities or [],
                                   doc._.biomine_relations or [], list(doc.user_data.get(WARNINGS_KEY, [])),
                                   spacy_doc=doc if keep_doc else None)
        result.parse_counts = doc.user_data.get(PARSE_COUNTS_KEY, (0, 0))  # type: ignore[attr-defined]
        return result

    def _process(self, document: Document, given: list[Entity] | None, keep_doc: bool) -> ProcessedDocument:
        doc = self.make_doc(document, given)
        for _name, component in self.nlp.pipeline:
            doc = component(doc)
        return self._result(document, doc, keep_doc)

    def _process_long(self, document: Document, given: list[Entity] | None) -> ProcessedDocument:
        text = document.text
        sentences: list[Sentence] = []
        entities: list[Entity] = []
        relations: list[Relation] = []
        warnings: list[tuple[str, dict[str, Any]]] = []
        parsed = [0, 0]
        for start, end in sections(text):
            part = Document(doc_id=document.doc_id, text=text[start:end], path=document.path,
                            metadata=document.metadata)
            part_given = None if given is None else [
                dataclasses.replace(e, start=e.start - start, end=e.end - start)
                for e in given if start <= e.start and e.end <= end]
            pd = self._process(part, part_given, False)
            base = len(sentences)
            sentences += [Sentence(s.index + base, s.start + start, s.end + start, s.text) for s in pd.sentences]
            moved: dict[int, Entity] = {}

            def shift(e: Entity | None) -> Entity | None:
                if e is None:
                    return None
                if id(e) not in moved:
                    moved[id(e)] = dataclasses.replace(e, start=e.start + start, end=e.end + start,
                                                       sentence=e.sentence + base if e.sentence >= 0 else e.sentence)
                return moved[id(e)]

            entities += [shift(e) for e in pd.entities]  # type: ignore[misc]
            for rel in pd.relations:
                s = rel.sentence
                relations.append(dataclasses.replace(
                    rel, subject=shift(rel.subject), object=shift(rel.object), site=shift(rel.site),
                    sentence=Sentence(s.index + base, s.start + start, s.end + start, s.text),
                    trigger=None if rel.trigger is None else (rel.trigger[0] + start, rel.trigger[1] + start)))
            for code, fields in pd.warnings:
                if isinstance(fields.get("sentence"), int):
                    fields = {**fields, "sentence": fields["sentence"] + base}
                warnings.append((code, fields))
            counts = getattr(pd, "parse_counts", (0, 0))
            parsed = [parsed[0] + counts[0], parsed[1] + counts[1]]
        result = ProcessedDocument(document, sentences, entities, relations, warnings)
        result.parse_counts = tuple(parsed)  # type: ignore[attr-defined]
        return result


def sections(text: str, target: int = SECTION) -> list[tuple[int, int]]:
    """Cut ``text`` into spans of about ``target`` characters at the best boundary near the limit.

    Preferred boundaries: a blank line (paragraph), a line break, a sentence end (". "),
    a space: the last one between half the target and the target, else the first one up
    to twice the target; a text without any is cut hard. The spans cover the text exactly,
    so offsets shift back by the span start.
    """
    spans = []
    start, n = 0, len(text)
    while n - start > 2 * target:
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            pos = text.rfind(sep, start + target // 2, start + target)
            if pos < 0:
                pos = text.find(sep, start + target, start + 2 * target)
            if pos >= 0:
                cut = pos + len(sep)
                break
        if cut <= start:
            cut = start + target
        spans.append((start, cut))
        start = cut
    spans.append((start, n))
    return spans
