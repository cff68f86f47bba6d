"""All spaCy factories of biomine, registered in one place with versioned names.

spaCy forbids dots in factory names, so versions are suffixes: ``biomine_relations_v1``.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy
from spacy.attrs import NORM, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.model import Entity, Sentence
from pipeline.relations.dependency import PARSES_KEY

for _name in ("biomine_sentences", "biomine_entities", "biomine_relations"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

GIVEN_KEY = "biomine_given_entities"
TEXT_KEY = "biomine_text"
MENTIONS_KEY = "biomine_mentions"  # [(start, end, label)] from the trained recogniser
WARNINGS_KEY = "biomine_warnings"  # [(code, fields)] of things a component cut or cleaned (errors.jsonl)
PARSE_COUNTS_KEY = "biomine_parse_counts"  # (sentences parsed, sentences), for ``biomine bench``
_WORDS = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_PARSE_CHARS = 3000  # longer "sentences" are lists or tables; parsing them buys nothing


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
    """(short span, long span) character pairs from scispaCy's serializable abbreviations, plus the
    definitions its tokens hide ("streptozotocin (STZ)-induced"; ``pipeline.nlp.abbreviations``)."""
    from pipeline.nlp.abbreviations import glued_definitions

    pairs = []
    for item in doc._.abbreviations or []:
        short = doc[item["short_start"]:item["short_end"]]
        long = doc[item["long_start"]:item["long_end"]]
        pairs.append(((short.start_char, short.end_char), (long.start_char, long.end_char)))
    text = doc_text(doc)
    if "(" in text:
        pairs.extend(glued_definitions(text, {item["short_text"] for item in doc._.abbreviations or []}))
    return sorted(pairs)  # in text order: what uses them must not depend on how they were found


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
        doc._.biomine_entities = self.recognizer.recognise(doc_text(doc), sentences, doc_abbreviations(doc), given,
                                                           doc.user_data.get(MENTIONS_KEY))
        return doc


class MentionsComponent:
    """Gene, chemical and disease mentions from the trained recogniser, sentence by sentence.

    The recogniser is its own spaCy pipeline (it may tokenize more finely than
    biomine's tokenizer, see docs/ner.md); only character spans come back, into
    ``doc.user_data["biomine_mentions"]`` for the entities component to combine.
    """

    def __init__(self) -> None:
        self.recogniser = None

    def use(self, recogniser) -> None:
        self.recogniser = recogniser

    def __call__(self, doc: Doc) -> Doc:
        return self.annotate([doc])[0]

    def annotate(self, docs: list[Doc]) -> list[Doc]:
        """Every sentence of every document through the recogniser in shared batches: one
        call per batch of documents costs much less than one per document."""
        if self.recogniser is None:
            return docs
        jobs = [(doc, sentence) for doc in docs for sentence in doc._.biomine_sentences or []]
        found: dict[int, list[tuple[int, int, str]]] = {id(doc): [] for doc in docs}
        for (doc, sentence), parsed in zip(jobs, self.recogniser.pipe((s.text for _d, s in jobs), batch_size=256)):
            found[id(doc)].extend((sentence.start + e.start_char, sentence.start + e.end_char, e.label_)
                                  for e in parsed.ents)
        for doc in docs:
            text = doc_text(doc)
            doc.user_data[MENTIONS_KEY] = [(s, e, label) for s, e, label in found[id(doc)] if text[s:e].strip()]
        return docs


@functools.lru_cache(maxsize=4)
def load_extractor(patterns_dir: str):
    """The relation rules of a patterns folder, loaded once for the syntax and relations components."""
    from pipeline.relations.extractor import RelationExtractor

    return RelationExtractor.from_directory(Path(patterns_dir))


BLIND_ENTITIES = True
# The word a name is read as by the parser's embeddings (its NORM); shape, prefix and suffix stay.
_BLIND_NORM = {"DRUG": "drug", "STRESS": "stress"}  # gene names: measured no better blinded


def blind_entities(sent_doc: Doc, offset: int, entities: list[Entity]) -> None:
    """Let the parser read a one-word drug or stress name as the common noun it stands for.

    Drug names ("Selonsertib") are unknown to a parser trained on 1,850 abstracts
    and get read as adjectives or adverbs; their NORM feature set to "drug"
    (entity blinding) makes them nouns without changing the text. Gene names were
    measured to parse no better blinded (PC train, given entities), so they keep theirs.
    """
    for ent in entities:
        norm = _BLIND_NORM.get(ent.type)
        if norm is None:
            continue
        span = sent_doc.char_span(ent.start - offset, ent.end - offset)
        if span is not None and len(span) == 1:
            span[0].norm_ = norm


def normalise_derived_verbs(sent_doc: Doc, trigger_forms: frozenset[str]) -> None:
    """Let the parser read a rare derived trigger verb as its frequent base ("dephosphorylates" as
    "phosphorylates", "transactivates" as "activates").

    The parser sees a word through its NORM (and its shape and affixes); a derived form it has
    hardly seen in 1,850 abstracts is read by its "-s" as a plural noun ("PP5 dephosphorylates
    ASK1" parsed as a noun phrase). Only the NORM changes, so the text, the tags the tagger gives
    the base and the rules' trigger words stay as they are. The prefixes, and the stems a base must
    start with ("transforming" is no derived "forming"), are in patterns/lexicon.yml.
    """
    from pipeline.relations.lexicon import lexicon

    prefixes, stems = lexicon().derived_verb_prefixes, lexicon().derivable_stems
    for tok in sent_doc:
        low = tok.lower_
        for prefix in prefixes:
            if low.startswith(prefix):
                base = low[len(prefix):].lstrip("-")
                if base in trigger_forms and base.startswith(stems):
                    tok.norm_ = base
                    break


NOT_A_SENTENCE_START = numpy.uint64(2**64 - 1)  # -1 as Doc arrays store it


def sentence_doc(span, norms: numpy.ndarray) -> Doc:
    """A sentence cut out as a Doc of its own, for the parser: its words and spaces, their NORMs
    (``norms`` = the document's NORM column; tokenizer exceptions set some) and boundaries that
    make it one sentence. ``Span.as_doc`` re-reads every attribute of the whole document each time."""
    tokens = list(span)
    sent_doc = Doc(span.doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
    values = numpy.empty((len(tokens), 2), dtype="uint64")
    values[:, 0] = NOT_A_SENTENCE_START
    values[0, 0] = 1
    values[:, 1] = norms[span.start:span.end]
    return sent_doc.from_array([SENT_START, NORM], values)


class SyntaxComponent:
    """Tags and parses the sentences that can hold a relation, and only those.

    A candidate sentence has a word that triggers a syntactic rule and entities of the
    types that rule's relation accepts (two genes for a binding, a gene and a disease
    for an association, an entity and a site for a site rule). Each is parsed on its own (``Span.as_doc``) by the
    trained pipeline's tok2vec, tagger, lemmatizer and parser; the parses are left in
    ``doc.user_data["biomine_parses"]`` for the relations component.
    """

    def __init__(self, patterns_dir: str) -> None:
        self.extractor = load_extractor(patterns_dir)
        self.trained = None
        self.trigger_forms = frozenset().union(*(r.syntax.trigger_words() for r in self.extractor.rules
                                                 if r.syntax is not None))

    def use(self, trained) -> None:
        self.trained = trained

    def candidates(self, doc: Doc) -> list[Sentence]:
        by_sentence: dict[int, list[Entity]] = {}
        for ent in doc._.biomine_entities or []:
            by_sentence.setdefault(ent.sentence, []).append(ent)
        text = doc_text(doc)
        chosen = []
        for sentence in doc._.biomine_sentences or []:
            ents = by_sentence.get(sentence.index, [])
            if len(ents) < 2 or sentence.end - sentence.start > MAX_PARSE_CHARS:
                continue  # one entity holds no relation; a list or table is reported by the extractor (W101)
            words = set(_WORDS.findall(text[sentence.start:sentence.end].lower()))
            if self.extractor.sentence_needs_parse(words, [e.type for e in ents]):
                chosen.append(sentence)
        return chosen

    def __call__(self, doc: Doc) -> Doc:
        return self.annotate([doc])[0]

    def annotate(self, docs: list[Doc]) -> list[Doc]:
        """The candidate sentences of every document parsed in shared batches (see ``MentionsComponent``)."""
        if self.trained is None:
            return docs
        per_doc = [self.sentence_docs(doc) for doc in docs]
        flat = [sent_doc for pairs in per_doc for _s, sent_doc in pairs]
        parsed = iter(list(self.trained.pipe(flat, batch_size=256)) if flat else [])
        for doc, pairs in zip(docs, per_doc):
            doc.user_data[PARSES_KEY] = {s.index: next(parsed) for s, _d in pairs}
            doc.user_data[PARSE_COUNTS_KEY] = (len(pairs), len(doc._.biomine_sentences or []))
        return docs

    def sentence_docs(self, doc: Doc) -> list[tuple[Sentence, Doc]]:
        """(sentence, its own Doc ready for the parser) for each candidate sentence of ``doc``."""
        chosen = self.candidates(doc)
        if not chosen:
            return []
        spans = [doc.char_span(s.start, s.end, alignment_mode="expand") for s in chosen]
        norms = doc.to_array([NORM])
        pairs = [(s, sentence_doc(span, norms)) for s, span in zip(chosen, spans) if span is not None and len(span)]
        if BLIND_ENTITIES:
            entities = doc._.biomine_entities or []
            for sentence, sent_doc in pairs:
                blind_entities(sent_doc, sentence.start, [e for e in entities if e.sentence == sentence.index])
        for _s, sent_doc in pairs:
            normalise_derived_verbs(sent_doc, self.trigger_forms)
        return pairs


class RelationsComponent:
    def __init__(self, patterns_dir: str) -> None:
        self.extractor = load_extractor(patterns_dir)

    def __call__(self, doc: Doc) -> Doc:
        entities = doc._.biomine_entities or []
        warnings = doc.user_data.setdefault(WARNINGS_KEY, [])
        relations = self.extractor.extract(
            doc_text(doc), doc._.biomine_sentences or [], entities, doc_id=doc.user_data.get("doc_id", ""), doc=doc,
            warnings=warnings,
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


@Language.factory("biomine_mentions_v1")
def make_mentions(nlp: Language, name: str) -> MentionsComponent:
    return MentionsComponent()


@Language.factory("biomine_syntax_v1", default_config={"patterns_dir": ""})
def make_syntax(nlp: Language, name: str, patterns_dir: str) -> SyntaxComponent:
    return SyntaxComponent(patterns_dir)


@Language.factory("biomine_relations_v1", default_config={"patterns_dir": ""})
def make_relations(nlp: Language, name: str, patterns_dir: str) -> RelationsComponent:
    return RelationsComponent(patterns_dir)


@Language.factory("biomine_abbreviations_v1", default_config={"make_serializable": True})
def make_abbreviations(nlp: Language, name: str, make_serializable: bool):
    from pipeline.nlp.abbreviation_detector import LinearAbbreviationDetector

    return LinearAbbreviationDetector(nlp, name=name, make_serializable=make_serializable)


@Language.factory("biomine_morphology_v1", default_config={"model": None, "mode": "rule", "overwrite": True})
def make_morphology(nlp: Language, name: str, model, mode: str, overwrite: bool):
    """The trained pipeline's POS, morphology and lemmas from its tags (``pipeline.nlp.morphology``)."""
    from pipeline.nlp.morphology import CachedMorphology

    return CachedMorphology(nlp.vocab, model, name, mode=mode, overwrite=overwrite)
