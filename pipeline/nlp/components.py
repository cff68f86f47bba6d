"""All spaCy factories of biomine, registered in one place with versioned names.

spaCy forbids dots in factory names, so versions are suffixes: ``biomine_relations_v1``.
"""
from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.model import Entity, Sentence

for _name in ("biomine_sentences", "biomine_entities", "biomine_relations"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

GIVEN_KEY = "biomine_given_entities"
TEXT_KEY = "biomine_text"


def doc_text(doc: Doc) -> str:
    """The document text, cached: spaCy's ``Doc.text`` re-joins all tokens on every access."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def doc_sentences(doc: Doc) -> list[Sentence]:
    """Sentences as model objects, stripped of surrounding whitespace; empty ones dropped."""
    sentences = []
    for span in doc.sents:
        raw = span.text
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if not text:
            continue
        start = span.start_char + lead
        sentences.append(Sentence(len(sentences), start, start + len(text), text))
    return sentences


def doc_abbreviations(doc: Doc) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(short span, long span) character pairs from scispaCy's serializable abbreviations."""
    pairs = []
    for item in doc._.abbreviations or []:
        short = doc[item["short_start"]:item["short_end"]]
        long = doc[item["long_start"]:item["long_end"]]
        pairs.append(((short.start_char, short.end_char), (long.start_char, long.end_char)))
    return pairs


@Language.component("biomine_sentences_v1")
def sentences_component(doc: Doc) -> Doc:
    from pipeline.nlp.sentences import set_sentence_starts

    doc, sentences = set_sentence_starts(doc, doc_text(doc))
    doc._.biomine_sentences = sentences
    return doc


class EntitiesComponent:
    def __init__(self, patterns_dir: str) -> None:
        from pipeline.entities.recognizer import EntityRecognizer

        self.recognizer = EntityRecognizer(Path(patterns_dir))

    def __call__(self, doc: Doc) -> Doc:
        # Our splitter leaves its sentences on the Doc; a model's parser or senter leaves doc.sents.
        sentences = doc._.biomine_sentences if doc._.biomine_sentences is not None else doc_sentences(doc)
        given: list[Entity] | None = doc.user_data.get(GIVEN_KEY)
        doc._.biomine_sentences = sentences
        doc._.biomine_entities = self.recognizer.recognise(doc_text(doc), sentences, doc_abbreviations(doc), given)
        return doc


class RelationsComponent:
    def __init__(self, patterns_dir: str) -> None:
        from pipeline.relations.extractor import RelationExtractor

        self.extractor = RelationExtractor.from_directory(Path(patterns_dir))

    def __call__(self, doc: Doc) -> Doc:
        entities = doc._.biomine_entities or []
        relations = self.extractor.extract(
            doc_text(doc), doc._.biomine_sentences or [], entities, doc_id=doc.user_data.get("doc_id", "")
        )
        doc._.biomine_relations = relations
        doc._.biomine_entities = with_resolved_pronouns(entities, relations)
        return doc


def with_resolved_pronouns(entities: list[Entity], relations: list) -> list[Entity]:
    """Resolved pronouns ("It" = ASK1) become entity rows too, so every relation argument is listed."""
    spans = {(e.start, e.end) for e in entities}
    added = []
    for rel in relations:
        for arg in (rel.subject, rel.object):
            if arg is not None and arg.rule == "coref:pronoun" and (arg.start, arg.end) not in spans:
                spans.add((arg.start, arg.end))
                added.append(arg)
    return sorted(entities + added, key=lambda e: (e.start, e.end)) if added else entities


@Language.factory("biomine_entities_v1", default_config={"patterns_dir": ""})
def make_entities(nlp: Language, name: str, patterns_dir: str) -> EntitiesComponent:
    return EntitiesComponent(patterns_dir)


@Language.factory("biomine_relations_v1", default_config={"patterns_dir": ""})
def make_relations(nlp: Language, name: str, patterns_dir: str) -> RelationsComponent:
    return RelationsComponent(patterns_dir)
