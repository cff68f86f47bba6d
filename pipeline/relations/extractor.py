"""Relation extraction: run the compiled rules over each sentence's elements.

A match gives one element per role; the extractor then widens subject and
object to their coordination ("JNK and p38", "MKK3/MKK6"), resolves pronoun
subjects, checks argument types, refines the relation by subject type
(a stress that activates is ``stress_activates_target``) and flags negation
and hedging. Nothing is dropped for being negated or hedged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.relations.elements import PRONOUN_KIND, WORD_KIND, Element, build_elements, element_at, encode
from pipeline.errors import RuleError
from pipeline.model import RELATION_TYPES, Entity, Relation, Sentence
from pipeline.relations.language import Grammar, Rule, load_rule_file

_PRONOUN_HINT = re.compile(r"\b(?:it|this|the)\b", re.IGNORECASE)
COORDINATORS = {",", "and", "or", "/", "&", "as well as", "and/or", "both", "also"}  # not "but": "A but not B"


@dataclass
class RelationTypes:
    """Allowed argument types per relation, and refinements by subject type."""

    arguments: dict[str, dict[str, set[str]]]
    refinements: list[dict]

    @classmethod
    def load(cls, path: Path) -> "RelationTypes":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        arguments = {}
        for rel, spec in (data.get("arguments") or {}).items():
            if rel not in RELATION_TYPES:
                raise RuleError(f"{path}: unknown relation {rel!r}")
            arguments[rel] = {role: set(types) for role, types in spec.items()}
        return cls(arguments, list(data.get("refine") or []))

    def allows(self, relation: str, subject: Entity | None, obj: Entity) -> bool:
        spec = self.arguments.get(relation, {})
        if "object" in spec and obj.type not in spec["object"]:
            return False
        if subject is not None and "subject" in spec and subject.type not in spec["subject"]:
            return False
        return True

    def refine(self, relation: str, subject: Entity | None, obj: Entity) -> str:
        """A more specific relation chosen by argument types (data in relation_types.yml)."""
        for item in self.refinements:
            if item["relation"] != relation:
                continue
            if "subject" in item and (subject is None or subject.type not in item["subject"]):
                continue
            if "object" in item and obj.type not in item["object"]:
                continue
            return item["to"]
        return relation


@dataclass
class Modality:
    """Cue lists for negation and hedging (patterns/modality.yml)."""

    negation: set[str]
    negation_phrases: list[tuple[str, ...]]
    hedge_local: set[str]
    hedge_sentence: set[str]
    window: int
    pseudo: list[tuple[str, ...]]  # phrases containing a cue that negate nothing ("but not", "not only")
    initial: set[str]  # cues that negate the whole sentence when they open it ("None of the variants ...")

    @classmethod
    def load(cls, path: Path) -> "Modality":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        neg = [str(c).lower() for c in data["negation"]["cues"]]
        return cls(
            negation={c for c in neg if " " not in c},
            negation_phrases=[tuple(c.split()) for c in neg if " " in c],
            hedge_local={str(c).lower() for c in data["hedging"]["local_cues"]},
            hedge_sentence={str(c).lower() for c in data["hedging"]["sentence_cues"]},
            window=int(data.get("window", 4)),
            pseudo=[tuple(str(p).lower().split()) for p in data["negation"].get("pseudo_cues", [])],
            initial={str(c).lower() for c in data["negation"].get("sentence_initial_cues", [])},
        )

    def flags(self, elements: list[Element], first: int, last: int, trigger: int | None) -> tuple[bool, bool]:
        """(negated, hedged) for a match spanning elements first..last."""
        lo = max(0, first - self.window)
        words = _without_phrases([el.lower for el in elements[lo:last + 1] if el.kind == WORD_KIND], self.pseudo)
        negated = any(_cue(w, self.negation) for w in words)
        opening = next((el.lower for el in elements if el.kind == WORD_KIND), "")
        negated = negated or (opening in self.initial and first > 0)
        if not negated:
            for phrase in self.negation_phrases:
                n = len(phrase)
                if any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1)):
                    negated = True
                    break
        before = [el.lower for el in elements[:last + 1] if el.kind == WORD_KIND]
        hedged = any(_cue(w, self.hedge_local) for w in words) or any(_cue(w, self.hedge_sentence) for w in before)
        return negated, hedged


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


def _without_phrases(words: list[str], phrases: list[tuple[str, ...]]) -> list[str]:
    """Blank out pseudo-cue phrases so "PLD1 but not PLD2 is activated" does not negate PLD1."""
    out = list(words)
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(out) - n + 1):
            if tuple(out[i:i + n]) == phrase:
                out[i:i + n] = [""] * n
    return out


def _cue(word: str, cues: set[str]) -> bool:
    if word in cues:
        return True
    return any(c.endswith("*") and word.startswith(c[:-1]) for c in cues)


class RelationExtractor:
    def __init__(self, rules: list[Rule], grammar: Grammar, types: RelationTypes, modality: Modality) -> None:
        self.rules = rules
        self.grammar = grammar
        self.types = types
        self.modality = modality
        # Index rules by trigger word so a sentence only tries the rules it could match.
        self._always: list[int] = []
        self._by_word: dict[str, list[int]] = {}
        prefixes: dict[str, list[int]] = {}
        for i, rule in enumerate(rules):
            if rule.triggers is None:
                self._always.append(i)
                continue
            exact, prefs = rule.triggers
            for w in exact:
                self._by_word.setdefault(w, []).append(i)
            for pre in prefs:
                prefixes.setdefault(pre, []).append(i)
        self._by_prefix = list(prefixes.items())

    @classmethod
    def from_directory(cls, patterns_dir: Path) -> "RelationExtractor":
        grammar = Grammar.load(patterns_dir / "grammar.yml")
        types = RelationTypes.load(patterns_dir / "relation_types.yml")
        modality = Modality.load(patterns_dir / "modality.yml")
        rules: list[Rule] = []
        ids: set[str] = set()
        for path in sorted((patterns_dir / "relations").glob("*.yml")):
            for rule in load_rule_file(path, grammar, set(RELATION_TYPES)):
                if rule.id in ids:
                    raise RuleError(f"{path}: rule {rule.id}: id already used in another file")
                ids.add(rule.id)
                rules.append(rule)
        return cls(rules, grammar, types, modality)

    def _candidates(self, words: set[str], rules: list[Rule]) -> list[Rule]:
        """Rules whose trigger could occur among these words, in rule order."""
        if rules is not self.rules:
            return [r for r in rules if r.may_match(words)]
        hits = set(self._always)
        for w in words:
            hits.update(self._by_word.get(w, ()))
            for prefix, indices in self._by_prefix:
                if w.startswith(prefix):
                    hits.update(indices)
        return [self.rules[i] for i in sorted(hits)]

    def extract(self, text: str, sentences: list[Sentence], entities: list[Entity], doc_id: str = "",
                rules: list[Rule] | None = None, dedupe: bool = True) -> list[Relation]:
        """All relations of a document, in text order, one per distinct triple mention."""
        by_sentence: dict[int, list[Entity]] = {}
        for ent in entities:
            by_sentence.setdefault(ent.sentence, []).append(ent)
        relations: list[Relation] = []
        topic: Entity | None = None
        for sentence in sentences:
            ents = by_sentence.get(sentence.index, [])
            if not ents or not _may_hold_relation(ents, sentence.text):
                continue
            elements = build_elements(text, sentence, ents)
            relations.extend(self._sentence(doc_id, sentence, elements, topic, rules or self.rules))
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
        encoded, offsets = encode(elements)
        words = {el.lower for el in elements if el.kind == WORD_KIND}
        found: list[Relation] = []
        for rule in self._candidates(words, rules):
            pos = 0
            while pos < len(encoded):
                match = rule.regex.search(encoded, pos)
                if not match:
                    break
                found.extend(self._triples(doc_id, sentence, elements, encoded, match, rule, topic))
                pos = encoded.index(" ", match.start()) + 1
        found.sort(key=lambda r: (r.object.start, r.subject.start if r.subject else -1))
        return found

    def _triples(self, doc_id, sentence, elements, encoded, match, rule, topic) -> list[Relation]:
        idx = {role: element_at(encoded, match.start(role)) for role in rule.roles if match.group(role)}
        first = element_at(encoded, match.start())
        last = element_at(encoded, match.end() - 1)
        subjects = self._arguments(elements, idx.get("subject"), sentence, topic,
                                   widen="subject" in rule.coordinate)
        objects = self._arguments(elements, idx.get("object"), sentence, topic, parallel=True,
                                  widen="object" in rule.coordinate)
        if "subject" in idx and not subjects:
            return []
        if rule.swap:
            subjects, objects = objects, subjects
        if "site" not in idx:
            sites = [None]
        elif "site" in rule.coordinate:
            sites = [elements[i].entity for i in coordination(elements, idx["site"])]
        else:
            sites = [elements[idx["site"]].entity]
        trigger = elements[idx["trigger"]] if "trigger" in idx else None
        negated, hedged = self.modality.flags(elements, first, last, idx.get("trigger"))
        out = []
        for obj in objects:
            for subj in subjects or [None]:
                if subj is not None and (subj.start, subj.end) == (obj.start, obj.end):
                    continue
                if subj is not None and rule.relation == "binding" and subj.start > obj.start:
                    subj, obj_ = obj, subj
                else:
                    obj_ = obj
                if subj is not None and subj.id and subj.id == obj_.id and rule.relation != "binding":
                    continue  # "ASK1 ... ASK1": the same protein on both sides is a misreading
                relation = self.types.refine(rule.relation, subj, obj_)
                if not self.types.allows(relation, subj, obj_):
                    continue
                excluded = excluded_by_not(elements, subj) or excluded_by_not(elements, obj_)
                for site in sites:
                    out.append(Relation(
                        doc_id=doc_id, relation=relation, subject=subj, object=obj_, sentence=sentence,
                        rule=rule.id, site=site, negated=negated or excluded, hedged=hedged,
                        trigger=(trigger.start, trigger.end) if trigger else None,
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
        return [elements[i].entity for i in members if elements[i].entity is not None]


def _may_hold_relation(entities: list[Entity], text: str) -> bool:
    """Every relation needs a gene or a pronoun standing for one; skip sentences with neither."""
    if any(e.type in ("PROTEIN", "FAMILY") for e in entities):
        return True
    return bool(_PRONOUN_HINT.search(text))


def coordination(elements: list[Element], index: int) -> list[int]:
    """Indices of the entities coordinated with element ``index`` ("A, B and C", "A/B")."""
    kind_group = _kind_group(elements[index].kind)
    members = [index]
    for step in (-1, 1):
        i = index
        while True:
            j = i + step
            connectors = []
            while 0 <= j < len(elements) and elements[j].kind == WORD_KIND and elements[j].lower in COORDINATORS:
                connectors.append(elements[j].lower)
                j += step
            loose = any(c != "/" for c in connectors)
            if loose and (_hyphen_linked(elements, i) or (0 <= j < len(elements) and _hyphen_linked(elements, j))):
                break  # "MKK3/MKK6-p38 and MKK4/MKK7-JNK": two pathways, not one list
            if connectors and 0 <= j < len(elements) and _kind_group(elements[j].kind) == kind_group:
                members.append(j)
                i = j
            else:
                break
    return sorted(members)


def parallel_compounds(elements: list[Element], members: list[int]) -> list[int]:
    """First members of hyphen compounds coordinated with the one ``members`` start.

    In "activates MKK3/MKK6-p38 and MKK4/MKK7-JNK pathways" the verb reaches
    MKK3/MKK6 and, through the parallel compound, MKK4/MKK7.
    """
    found: list[int] = []
    last = max(members)
    kind_group = _kind_group(elements[last].kind)
    while (last + 4 < len(elements) and elements[last + 1].text == "-" and elements[last + 2].entity is not None
           and elements[last + 3].lower in ("and", ",", "or")):
        nxt = last + 4
        if elements[nxt].entity is None or _kind_group(elements[nxt].kind) != kind_group:
            break
        group = coordination(elements, nxt)
        found.extend(group)
        last = max(group)
    return found


def _hyphen_linked(elements: list[Element], i: int) -> bool:
    """True when element i is joined to another entity by a hyphen ("MKK6-p38")."""
    for step in (-1, 1):
        dash, other = i + step, i + 2 * step
        if 0 <= other < len(elements) and elements[dash].text == "-" and elements[other].entity is not None:
            return True
    return False


def _kind_group(kind: str) -> str:
    return "GENE" if kind in ("PROTEIN", "FAMILY") else kind


def resolve_pronoun(elements: list[Element], index: int, topic: Entity | None) -> Entity | None:
    """The entity a pronoun refers to: a gene earlier in the sentence, else the running topic."""
    for el in reversed(elements[:index]):
        if el.entity is not None and el.kind in ("PROTEIN", "FAMILY"):
            return el.entity
    return topic


def next_topic(elements: list[Element], topic: Entity | None) -> Entity | None:
    """The gene a following "It ..." sentence is about.

    A sentence that itself opens with a pronoun keeps the topic ("ASK1 is a MAP3K.
    It activates JNK. It is involved in cancer." is about ASK1 throughout);
    otherwise the first gene of the sentence becomes the topic.
    """
    for el in elements[:6]:
        if el.kind == PRONOUN_KIND:
            return topic
        if el.entity is not None:
            break
    first_gene = next((el.entity for el in elements if el.kind in ("PROTEIN", "FAMILY")), None)
    return first_gene or topic
