"""Relation extraction: run the compiled rules over each sentence's elements.

A match gives one element per role; the extractor then widens subject and
object to their coordination ("JNK and p38", "MKK3/MKK6"), resolves pronoun
subjects, checks argument types, refines the relation by subject type
(a stress that activates is ``stress_activates_target``) and flags negation
and hedging. Nothing is dropped for being negated or hedged.
"""
from __future__ import annotations

import re
from typing import Any
from pathlib import Path

from pipeline.model import Entity, Relation, Sentence
from pipeline.relations.coordination import GENE_KINDS, coordination, exemplified, parallel_compounds
from pipeline.relations.coreference import next_topic, resolve_pronoun
from pipeline.relations.dependency import PARSES_KEY, SentenceParse, match_rule
from pipeline.relations.elements import PRONOUN_KIND, WORD_KIND, Element, build_elements, element_at, encode
from pipeline.relations.grammar import Grammar
from pipeline.relations.loader import Rule, load_rules
from pipeline.relations.modality import Modality
from pipeline.relations.types import RelationRegistry, registry

# Bounds that keep time and output linear in the input (issue 10): a "sentence" longer than this is a
# table or a list, a coordination longer than this is a list of names, and no sentence states more
# triples than this. What is cut is reported as a W101 warning (errors.jsonl), never silently.
MAX_SENTENCE_ELEMENTS = 400
MAX_ARGUMENTS = 32
MAX_TRIPLES_PER_SENTENCE = 256
_PRONOUN_HINT = re.compile(r"\b(?:it|this|the)\b", re.IGNORECASE)


def drop_subsumed(relations: list[Relation]) -> list[Relation]:
    """Drop a triple when the same sentence states it more fully.

    "Akt phosphorylates ASK1" read by a kinase-less rule as well as by the
    active-verb rule should give one triple, with the kinase; likewise a
    site-less copy of a triple found with its site.
    """
    fuller: set[tuple] = set()
    for rel in relations:
        subj = (rel.subject.start, rel.subject.end) if rel.subject else None
        obj = (rel.object.start, rel.object.end)
        if subj is not None:
            fuller.add((rel.sentence.index, rel.relation, None, obj, rel.site and (rel.site.start, rel.site.end)))
        if rel.site is not None:
            fuller.add((rel.sentence.index, rel.relation, subj, obj, None))
        if subj is not None and rel.site is not None:
            fuller.add((rel.sentence.index, rel.relation, None, obj, None))
    kept = []
    for rel in relations:
        key = (rel.sentence.index, rel.relation, (rel.subject.start, rel.subject.end) if rel.subject else None,
               (rel.object.start, rel.object.end), rel.site and (rel.site.start, rel.site.end))
        if key not in fuller:
            kept.append(rel)
    return kept


def excluded_by_not(elements: list[Element], entity: Entity | None) -> bool:
    """An argument written as "(but) not X" is excluded from the statement: its triple is negated."""
    if entity is None:
        return False
    for i, el in enumerate(elements):
        if el.start == entity.start and el.entity is not None:
            return i > 0 and elements[i - 1].lower == "not"
    return False


class RelationExtractor:
    """Runs every rule over every sentence that could hold a relation."""

    def __init__(self, rules: list[Rule], grammar: Grammar, types: RelationRegistry, modality: Modality) -> None:
        self.rules = rules
        self.grammar = grammar
        self.types = types
        self.modality = modality
        self.surface = [r for r in rules if r.surface]
        self.syntactic = [r for r in rules if r.syntax is not None]
        self.syntactic_triggers = frozenset(w for r in self.syntactic for w in r.syntax.trigger_words())
        self.syntactic_suffixes = tuple(sorted({s for r in self.syntactic for s in r.syntax.trigger.suffixes}))
        self._parse_needs = [self._needs(rule) for rule in self.syntactic]
        # Index rules by trigger word so a sentence only tries the rules it could match.
        self._always: list[int] = []
        self._by_word: dict[str, list[int]] = {}
        prefixes: dict[str, list[int]] = {}
        for i, rule in enumerate(self.surface):
            if rule.triggers is None:
                self._always.append(i)
                continue
            exact, prefs = rule.triggers
            for w in exact:
                self._by_word.setdefault(w, []).append(i)
            for pre in prefs:
                prefixes.setdefault(pre, []).append(i)
        self._by_prefix = list(prefixes.items())

    def _needs(self, rule: Rule) -> tuple:
        """What a sentence must hold for this syntactic rule to find anything: its trigger words and
        entities of the types its relation (or a refinement of it) accepts."""
        names = [rule.relation] + [r.to for r in self.types.refinements if r.relation == rule.relation]
        objects = frozenset().union(*(self.types.object_types(n) for n in names))
        subjects = frozenset().union(*(self.types.subject_types(n) for n in names))
        kind = self.types[rule.relation]
        wants_subject = "subject" in rule.syntax.required or not kind.subject_optional
        return (rule.syntax.trigger_words(), rule.syntax.trigger.suffixes, objects,
                subjects if wants_subject else None, "site" in rule.syntax.required)

    def sentence_needs_parse(self, words: set[str], types: list[str]) -> bool:
        """Whether any syntactic rule could find a triple in a sentence with these words and entity types."""
        for trigger_words, suffixes, objects, subjects, needs_site in self._parse_needs:
            if trigger_words.isdisjoint(words) and not (suffixes and any(w.endswith(suffixes) for w in words)):
                continue
            n_objects = sum(t in objects for t in types)
            if not n_objects:
                continue
            if needs_site and "SITE" not in types:
                continue
            if subjects is not None:
                n_subjects = sum(t in subjects for t in types)
                both = sum(t in subjects and t in objects for t in types)
                if not n_subjects or (n_subjects == both and n_objects == both and both < 2):
                    continue
            return True
        return False

    @classmethod
    def from_directory(cls, patterns_dir: Path) -> "RelationExtractor":
        grammar = Grammar.load(patterns_dir / "grammar.yml")
        types = registry(patterns_dir)
        modality = Modality.load(patterns_dir / "modality.yml")
        return cls(load_rules(patterns_dir, grammar, types), grammar, types, modality)

    def _candidates(self, words: set[str], rules: list[Rule]) -> list[Rule]:
        """Rules whose trigger could occur among these words, in rule order."""
        if rules is not self.surface:
            return [r for r in rules if r.may_match(words)]
        hits = set(self._always)
        for w in words:
            hits.update(self._by_word.get(w, ()))
            for prefix, indices in self._by_prefix:
                if w.startswith(prefix):
                    hits.update(indices)
        return [self.surface[i] for i in sorted(hits)]

    def extract(self, text: str, sentences: list[Sentence], entities: list[Entity], doc_id: str = "",
                rules: list[Rule] | None = None, dedupe: bool = True, doc: Any = None,
                warnings: list[tuple[str, dict]] | None = None) -> list[Relation]:
        """All relations of a document, in text order, one per distinct triple mention.

        ``doc`` is the spaCy Doc; the sentences ``biomine_syntax_v1`` parsed are in its
        ``user_data["biomine_parses"]`` and get the syntactic rules as well. Bounds that cut
        something append ``("W101", fields)`` to ``warnings``.
        """
        warnings = warnings if warnings is not None else []
        by_sentence: dict[int, list[Entity]] = {}
        for ent in entities:
            by_sentence.setdefault(ent.sentence, []).append(ent)
        chosen = rules if rules is not None else self.rules
        surface = [r for r in chosen if r.surface] if rules is not None else self.surface
        syntactic = [r for r in chosen if r.syntax is not None]
        parses = doc.user_data.get(PARSES_KEY, {}) if doc is not None else {}
        relations: list[Relation] = []
        topic: Entity | None = None
        for sentence in sentences:
            ents = by_sentence.get(sentence.index, [])
            if not ents or not _may_hold_relation(ents, sentence.text):
                continue
            elements = build_elements(text, sentence, ents)
            if len(elements) > MAX_SENTENCE_ELEMENTS:
                warnings.append(("W101", {"sentence": sentence.index, "detail": (
                    f"{len(elements)} words and entities, more than {MAX_SENTENCE_ELEMENTS}: "
                    "a list or table, not searched for relations")}))
                continue
            found = self._sentence(doc_id, sentence, elements, topic, surface)
            parsed = parses.get(sentence.index)
            if parsed is not None and syntactic:
                parse = SentenceParse(parsed, sentence.start, ents)
                found = [r for r in found if not _across_relative_clause(r, parse)]
                found.extend(self._syntactic(doc_id, sentence, elements, parse, syntactic))
            if len(found) > MAX_TRIPLES_PER_SENTENCE:
                warnings.append(("W101", {"sentence": sentence.index, "detail": (
                    f"{len(found)} triples, kept the first {MAX_TRIPLES_PER_SENTENCE}")}))
                found = found[:MAX_TRIPLES_PER_SENTENCE]
            relations.extend(found)
            topic = next_topic(elements, topic)
        if not dedupe:
            return relations
        seen: set[tuple] = set()
        unique = []
        for rel in relations:
            if rel.key() not in seen:
                seen.add(rel.key())
                unique.append(rel)
        return drop_subsumed(unique)

    def _sentence(self, doc_id: str, sentence: Sentence, elements: list[Element],
                  topic: Entity | None, rules: list[Rule]) -> list[Relation]:
        encoded = encode(elements)
        words = {el.lower for el in elements if el.kind == WORD_KIND}
        found: list[Relation] = []
        cues: list | None = None  # the sentence's negation and hedging cues, found at the first match
        for rule in self._candidates(words, rules):
            pos = 0
            while pos < len(encoded):
                match = rule.regex.search(encoded, pos)
                if not match:
                    break
                if cues is None:
                    cues = self.modality.find_cues(elements)
                found.extend(self._triples(doc_id, sentence, elements, encoded, match, rule, topic, cues))
                pos = encoded.index(" ", match.start() + 1)  # the space before the next element
        found.sort(key=lambda r: (r.object.start, r.subject.start if r.subject else -1))
        return found

    def _triples(self, doc_id, sentence, elements, encoded, match, rule, topic, cues=None) -> list[Relation]:
        idx = {role: element_at(encoded, match.start(role)) for role in rule.roles if match.group(role)}
        first = element_at(encoded, match.start() + 1)  # a match starts at the space before its first element
        last = element_at(encoded, match.end() - 1)
        subjects = self._arguments(elements, idx.get("subject"), sentence, topic,
                                   widen="subject" in rule.coordinate)
        objects = self._arguments(elements, idx.get("object"), sentence, topic, parallel=True,
                                  widen="object" in rule.coordinate)
        if "subject" in idx and not subjects:
            return []
        if "site" not in idx:
            sites = [None]
        elif "site" in rule.coordinate:
            sites = [elements[i].entity for i in coordination(elements, idx["site"])]
        else:
            sites = [elements[idx["site"]].entity]
        trigger = elements[idx["trigger"]] if "trigger" in idx else None
        negated, hedged = self.modality.flags(elements, first, last, cues)
        span = (trigger.start, trigger.end) if trigger else None
        return self._emit(doc_id, sentence, elements, rule, subjects, objects, sites, span, negated, hedged)

    def _syntactic(self, doc_id: str, sentence: Sentence, elements: list[Element], parse: SentenceParse,
                   rules: list[Rule]) -> list[Relation]:
        """Triples of the syntactic rules whose trigger words occur in this parsed sentence."""
        words = parse.by_lower.keys()
        out: list[Relation] = []
        for rule in rules:
            if rule.syntax is None or not rule.syntax.may_match(words):
                continue
            for m in match_rule(rule.syntax, parse, rule.coordinate):
                subjects = m.subjects
                if not subjects and not self.types[rule.relation].subject_optional:
                    continue
                negated, hedged = self.modality.syntactic_flags(parse.doc, m.trigger)
                sites = [s for s in m.sites if s.type == "SITE"]
                out.extend(self._emit(doc_id, sentence, elements, rule, subjects, m.objects, sites or [None],
                                      parse.char_span(m.trigger), negated, hedged))
        return out

    def _emit(self, doc_id: str, sentence: Sentence, elements: list[Element], rule: Rule, subjects: list[Entity],
              objects: list[Entity], sites: list, trigger: tuple[int, int] | None, negated: bool,
              hedged: bool) -> list[Relation]:
        """Relations for every subject x object x site, checked against the relation's argument types."""
        if rule.swap:
            subjects, objects = objects, subjects
        subjects, objects = subjects[:MAX_ARGUMENTS], objects[:MAX_ARGUMENTS]  # widening is bounded
        out = []
        for obj in objects:
            for subj in subjects or [None]:
                if subj is not None and (subj.start, subj.end) == (obj.start, obj.end):
                    continue
                kind = self.types[rule.relation]
                if subj is not None and kind.symmetric and subj.start > obj.start:
                    subj, obj_ = obj, subj  # symmetric: the first-mentioned partner is the subject
                else:
                    obj_ = obj
                if subj is not None and not kind.self_pairs and _same_entity(subj, obj_):
                    continue  # "ASK1 ... ASK1": the same protein on both sides is a misreading
                if subj is not None and rule.syntax is not None and _same_entity(subj, obj_):
                    continue  # two mentions of one protein across a clause are no self-association
                relation = self.types.refine(rule.relation, subj, obj_)
                if not self.types.allows(relation, subj, obj_):
                    continue
                excluded = excluded_by_not(elements, subj) or excluded_by_not(elements, obj_)
                for site in sites:
                    out.append(Relation(
                        doc_id=doc_id, relation=relation, subject=subj, object=obj_, sentence=sentence,
                        rule=rule.id, site=site, negated=negated or excluded, hedged=hedged, trigger=trigger,
                    ))
        return out

    def _arguments(self, elements, index, sentence, topic, parallel: bool = False, widen: bool = True) -> list[Entity]:
        """Entities filling a role: the matched one, its coordination, and (for objects reached
        by a verb) the heads of parallel hyphen compounds."""
        if index is None:
            return []
        el = elements[index]
        if el.kind == PRONOUN_KIND:
            antecedent = resolve_pronoun(elements, index, topic)
            if antecedent is None:
                return []
            return [Entity(text=el.text, type=antecedent.type, start=el.start, end=el.end, id=antecedent.id,
                           name=antecedent.name or antecedent.text, sentence=sentence.index, rule="coref:pronoun",
                           kinase=antecedent.kinase, xrefs=dict(antecedent.xrefs))]
        members = coordination(elements, index) if widen else [index]
        if parallel and widen:  # "activates MKK3/MKK6-p38 and MKK4/MKK7-JNK"; a subject MKK6 of "MKK6-p38" is no list head
            members += parallel_compounds(elements, members)
            members += exemplified(elements, members)  # "binds kinases such as JNK and p38"
        return [elements[i].entity for i in members if elements[i].entity is not None]


def _across_relative_clause(rel: Relation, parse: SentenceParse) -> bool:
    """A surface triple whose argument the parse puts inside a relative clause the trigger is not in."""
    if rel.trigger is None:
        return False
    return any(arg is not None and arg.rule != "coref:pronoun" and parse.enclosed_apart(arg, rel.trigger)
               for arg in (rel.subject, rel.object))


def _same_entity(a: Entity, b: Entity) -> bool:
    """Two mentions of one entity: the same id, or (ungrounded) the same text."""
    if a.id and b.id:
        return a.id == b.id
    return a.text.lower() == b.text.lower()


def _may_hold_relation(entities: list[Entity], text: str) -> bool:
    """Every relation needs a gene or a pronoun standing for one; skip sentences with neither."""
    if any(e.type in GENE_KINDS for e in entities):
        return True
    return bool(_PRONOUN_HINT.search(text))
