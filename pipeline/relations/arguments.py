"""Semantic roles over a dependency parse: who acts and on what, across the constructions that hide it.

The parser (``models/biomine_genia_sm``, converted from the GENIA Treebank with the
conventions of docs/dependencies.md) gives one head per word. A verb's subject or
object is often not its own dependent; these functions recover it:

- coordinated verbs share their subject and their object ("LKB1 phosphorylates and
  activates AMPK": the converter attaches a shared object to the first conjunct);
- a relative clause's subject is the noun it modifies ("MST1 is a kinase that
  phosphorylates LATS1"); a reduced relative's ("ASK1 phosphorylated by Akt",
  "a kinase phosphorylating ASK1") likewise;
- control and means clauses inherit the subject of the nearest governor that has one,
  active or passive, through adjectives and nouns ("LKB1 restrains growth by
  phosphorylating AMPK", "ASK1 is able to bind", "a protein known to bind"); a causative
  passes its object ("X induces Y to phosphorylate Z").

``subjects()`` is scored against the treebank's traces, on gold trees and on the parser's
own trees, by ``pipeline.training.understood_subjects`` (figures in docs/dependencies.md).
Entities are found on the tokens these roles reach by ``pipeline.relations.dependency``.
"""
from __future__ import annotations

from typing import Any

from pipeline.relations.lexicon import lexicon

Token = Any

_VERB_TAGS = ("VB", "MD")
# attachments of a clause whose subject is understood (a finite ccomp has its own)
_CONTROLLED = frozenset({"xcomp", "advcl", "pcomp", "conj", "acl", "relcl", "amod", "parataxis"})


def _is_verbal(tok: Token) -> bool:
    return tok.tag_.startswith(_VERB_TAGS) or tok.dep_ in ("ROOT", "relcl", "advcl", "xcomp", "ccomp", "pcomp")


def _children(tok: Token, *labels: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in labels]


def antecedent(tok: Token) -> Token:
    """A relative pronoun stands for the noun its clause modifies ("a kinase that ..." -> kinase)."""
    if tok.lower_ in lexicon().relative_pronouns:
        clause = tok.head
        while clause.dep_ == "conj" and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "relcl" and clause.head.i != clause.i:
            return predicated(clause.head)
    return tok


def predicated(noun: Token) -> Token:
    """What a predicate noun is said of: "ASK1 is a MAP3K that activates JNK", "ASK1 was identified as
    a MAP3K which ..." — the relative clause is about ASK1, not the class named."""
    if noun.dep_ == "attr" and noun.head.i != noun.i:
        subj = _children(noun.head, "nsubj")
        if subj:
            return subj[0]
    if noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.i != noun.head.i:
        verb = noun.head.head
        named = _children(verb, "nsubjpass", "dobj")
        if named:
            return named[0]
    return noun


def _governor(verb: Token) -> Token | None:
    """The verb a control or means clause depends on (through a preposition for "by phosphorylating")."""
    head = verb.head
    if head is verb:
        return None
    if verb.dep_ in ("pcomp", "pobj") and head.dep_ in ("prep", "agent") and head.head.i != head.i:
        return head.head
    return head


def subjects(verb: Token, depth: int = 0) -> list[Token]:
    """The (understood) subject of a verb: its own nsubj, else inherited as the module docstring says."""
    own = _children(verb, "nsubj")
    if own:
        return [antecedent(t) for t in own]
    return _understood(verb, depth)


def _understood(verb: Token, depth: int) -> list[Token]:
    """Climb to the nearest governor that has a subject, active or passive ("ASK1 is activated by
    stress, thereby phosphorylating JNK" -> ASK1; "ASK1 is able to bind" -> ASK1), or stop at the noun
    a relative or participial clause modifies. Object control only after a causative
    (``object_control`` in patterns/lexicon.yml): an infinitive beside another verb's object is mostly a purpose clause."""
    head = verb.head
    if head is verb or depth > 12:
        return []
    dep = verb.dep_
    verbal = verb.tag_.startswith("VB") or bool(_children(verb, "dobj"))  # "by phosphorylating/NN ASK1"
    if depth == 0 and ((dep not in _CONTROLLED and not verbal)
                       or (dep == "conj" and not _is_verbal(head)) or dep == "ccomp"):
        return []  # a nominal ("enhances the binding of X to Y") or a finite clause inherits nothing
    if dep == "relcl":
        return [predicated(head)]
    if dep in ("acl", "amod"):
        # "a kinase phosphorylating ASK1", "a protein known to bind", "a domain capable of binding";
        # but a passive participle's own noun is its object ("ASK1 phosphorylated by Akt")
        climbed = depth > 0 or (dep == "acl" and verb.tag_ == "VBG")
        return [head] if climbed else []
    gov = _governor(verb)
    if gov is None:
        return []
    infinitive = any(c.lower_ == "to" for c in verb.children)
    causative = dep in ("xcomp", "advcl") and gov.lower_ in lexicon().object_control and infinitive
    prevented = dep in ("pcomp", "pobj") and head.lower_ == "from"  # "Pdcd4 prevented eIF4A from binding eIF4G"
    if causative or prevented:
        controller = _children(gov, "dobj")
        if controller:
            return [antecedent(controller[0])]
    own = _children(gov, "nsubj", "nsubjpass")
    if own:
        return [antecedent(own[0])]
    return _understood(gov, depth + 1)


def objects(verb: Token, depth: int = 0) -> list[Token]:
    """Direct objects, shared across coordinated verbs in either direction."""
    own = _children(verb, "dobj")
    if own:
        return [antecedent(t) for t in own]
    if depth > 4:
        return []
    if verb.dep_ == "conj" and verb.head.i != verb.i and _is_verbal(verb.head):
        shared = objects(verb.head, depth + 1)
        if shared:
            return shared
    for conj in _children(verb, "conj"):
        if _is_verbal(conj):
            found = [antecedent(t) for t in _children(conj, "dobj")]
            if found:
                return found
    return []


def passive_subjects(verb: Token, depth: int = 0) -> list[Token]:
    """What a passive verb is about: nsubjpass, the noun of a reduced relative, or a shared one."""
    own = _children(verb, "nsubjpass")
    if own:
        return [antecedent(t) for t in own]
    if depth > 4:
        return []
    dep = verb.dep_
    if dep == "acl" and verb.head.i != verb.i:
        return [verb.head]  # "ASK1 phosphorylated by Akt"
    if dep == "conj" and verb.head.i != verb.i and _is_verbal(verb.head):
        return passive_subjects(verb.head, depth + 1) or subjects(verb.head, depth + 1)
    if dep == "xcomp":  # "ASK1 appears to be phosphorylated"
        return subjects(verb.head, depth + 1)
    if dep == "relcl" and verb.head.i != verb.i:
        return [verb.head]
    if dep == "amod" and verb.head.i != verb.i:
        return [verb.head]  # "phosphorylated ASK1"
    return []


def _own_agents(trigger: Token) -> list[Token]:
    preps = [c for c in trigger.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")]
    preps += [c for c in trigger.children if c.dep_ == "conj" and c.lower_ == "by"]
    for prep in list(preps):
        preps += [c for c in prep.children if c.dep_ == "conj" and c.lower_ == "by"]
    return [p for prep in preps for p in prep.children if p.dep_ in ("pobj", "pcomp")]


def _shared(tok: Token, own) -> list[Token]:
    """A phrase coordinated nominals share ("phosphorylation and activation of Gin4 by Elm1"): the first
    conjunct holds it, or (when the parser attached it to the last) a later one."""
    found = own(tok)
    if found:
        return found
    if any(c.dep_ in ("compound", "poss", "nmod") for c in tok.children):
        return []  # "IKK phosphorylation and binding of p65": the nominal names its own argument
    if tok.dep_ == "conj" and tok.head.i != tok.i and tok.head.pos_ != "VERB" and not tok.head.tag_.startswith("VB"):
        found = own(tok.head)
        if found:
            return found
    for conj in tok.children:
        if conj.dep_ == "conj" and not conj.tag_.startswith("VB"):
            found = own(conj)
            if found:
                return found
    return []


def agents(trigger: Token) -> list[Token]:
    """The "by" phrases of a passive or nominal, coordinated ones included ("by PAK3 ... and by PKA"),
    shared by coordinated nominals."""
    verbal = trigger.tag_.startswith("VB")
    found = _own_agents(trigger) if verbal else _shared(trigger, _own_agents)
    if found:
        return found
    # a by-phrase the parser attached to a noun inside the trigger's own prepositional chain
    # ("phosphorylation of a threonine in the T-loop of CDK2 by CAK", "dephosphorylated at Thr838 by PP5")
    frontier = [trigger]
    for _depth in range(1 if verbal else 2):
        frontier = [p for tok in frontier for prep in tok.children if prep.dep_ == "prep" and prep.lower_ != "by"
                    for p in prep.children if p.dep_ == "pobj"]
        for noun in frontier:
            found = _own_agents(noun)
            if found:
                return found
    return []


def _own_of(noun: Token) -> list[Token]:
    return [p for prep in noun.children if prep.dep_ == "prep" and prep.lower_ == "of"
            for p in prep.children if p.dep_ == "pobj"]


def of_objects(noun: Token) -> list[Token]:
    """The object of a nominal ("phosphorylation of ASK1"), shared by coordinated nominals."""
    return _shared(noun, _own_of)


ROLES = {
    "subj": subjects,
    "obj": objects,
    "passive": passive_subjects,
    "agent": agents,
    "of": of_objects,
}


def conjuncts(tok: Token) -> list[Token]:
    """A token and the tokens coordinated with it ("LATS1 and LATS2", "JNK, p38 and ERK")."""
    out = [tok]
    stack = [tok]
    while stack:
        for child in stack.pop().children:
            # an apposition renames ("Sli15p (INCENP)"): it is the same entity, not another member
            if child.dep_ == "conj" and child.i not in {t.i for t in out} and len(out) < 64:
                out.append(child)
                stack.append(child)
    return out


def copula_subject(noun: Token) -> Token | None:
    """"MST1 is a kinase": the subject of the copula whose predicate ``noun`` is."""
    if noun.dep_ == "attr" and noun.head.lemma_ in lexicon().copulas or (
            noun.dep_ == "attr" and noun.head.lower_ in lexicon().copulas):
        subj = _children(noun.head, "nsubj")
        return subj[0] if subj else None
    return None
