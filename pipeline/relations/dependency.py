"""Syntactic rules: a trigger word and the dependency paths that reach its arguments.

A rule's ``syntax:`` block names its trigger (verb lemmas, whose forms are
generated, or literal words) and a path per role (``pipeline.relations.paths``).
Matching runs on the parse of one sentence (``biomine_syntax_v1`` parses only the
sentences that can hold a relation). The tokens a path reaches become entities:
the entity on the token itself, else one named in its noun phrase ("the ASK1
protein", "ERK activation"), else the subject of a copula ("MST1 is a kinase
that ...") or the noun an apposition renames. Each argument is widened to the
tokens coordinated with it.
"""
from __future__ import annotations

import bisect
import functools

from dataclasses import dataclass, field
from typing import Any

from pipeline.model import Entity
from pipeline.relations.arguments import ROLES, antecedent, conjuncts, copula_subject
from pipeline.relations.language import verb_forms
from pipeline.relations.lexicon import lexicon
from pipeline.relations.paths import Path, compile_path

Token = Any
PARSES_KEY = "biomine_parses"  # Doc.user_data: {sentence index: the parsed sentence Doc}
CLAUSE_LABELS = frozenset({"conj", "parataxis", "relcl", "advcl", "acl", "ccomp", "csubj"})


@dataclass
class TriggerSpec:
    """Which tokens can trigger a rule."""

    words: frozenset[str]
    tags: frozenset[str] | None = None
    suffixes: tuple[str, ...] = ()  # words ending so also trigger ("p53-activated")
    voice: str | None = None  # "active", "passive" or None for either
    not_deps: frozenset[str] = frozenset()
    unless: Path | None = None  # the rule does not apply where this path reaches a token

    def matches(self, tok: Token) -> bool:
        if tok.lower_ not in self.words and not (self.suffixes and tok.lower_.endswith(self.suffixes)):
            return False
        if self.tags is not None and tok.tag_ not in self.tags:
            return False
        if tok.dep_ in self.not_deps:
            return False
        if self.voice is not None and voice(tok) != self.voice:
            return False
        return self.unless is None or not self.unless(tok)


def voice(tok: Token) -> str:
    """Passive when the verb has a passive subject or auxiliary, or is a past participle modifying a noun."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return "passive"
    if tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod", "relcl", "conj", "xcomp", "advcl"):
        return "passive"
    return "active"


@dataclass
class DependencyPattern:
    """The compiled ``syntax:`` block of a rule."""

    trigger: TriggerSpec
    paths: dict[str, Path]
    required: tuple[str, ...]
    heads: frozenset[str] = field(default_factory=lambda: lexicon().gene_heads)
    sources: dict[str, str] = field(default_factory=dict)

    def trigger_words(self) -> frozenset[str]:
        return self.trigger.words

    def may_match(self, words: set[str]) -> bool:
        """False when no word of the sentence can be this rule's trigger."""
        if not words.isdisjoint(self.trigger.words):
            return True
        return bool(self.trigger.suffixes) and any(w.endswith(self.trigger.suffixes) for w in words)


def trigger_words(lemmas: list[str], words: list[str]) -> frozenset[str]:
    """Every form of the verb lemmas, plus the literal words (nominal triggers are listed as words)."""
    forms = {w.lower() for w in words}
    for lemma in lemmas:
        forms.update(verb_forms(lemma.lower()))
    return frozenset(forms)


def compile_paths(paths: dict[str, str]) -> dict[str, Path]:
    return {role: compile_path(text, ROLES) for role, text in paths.items()}


class SentenceParse:
    """A parsed sentence with its entities mapped onto tokens.

    ``doc`` is the parse of the sentence alone (``Span.as_doc``); ``offset`` is the
    sentence's start in the document, so token ``t`` covers document characters
    ``offset + t.idx`` onward.
    """

    def __init__(self, doc: Any, offset: int, entities: list[Entity]) -> None:
        self.doc = doc
        self.offset = offset
        self.tokens: list[Token] = list(doc)  # spaCy makes a new Token object on every access: make them once
        self.by_lower: dict[str, list[Token]] = {}
        for tok in self.tokens:
            self.by_lower.setdefault(tok.lower_, []).append(tok)
        self.by_token: dict[int, list[Entity]] = {}
        self.tokens_of: dict[tuple[int, int], list[int]] = {}
        ends = [offset + t.idx + len(t.text) for t in self.tokens]
        for ent in entities:
            toks = self.tokens_of[(ent.start, ent.end)] = []
            i = bisect.bisect_right(ends, ent.start)  # the first token ending after the entity starts
            while i < len(ends) and offset + self.tokens[i].idx < ent.end:
                self.by_token.setdefault(i, []).append(ent)
                toks.append(i)
                i += 1
        self.head_of: dict[tuple[int, int], int] = {}
        for ent in entities:
            toks = self.tokens_of[(ent.start, ent.end)]
            if toks:
                inside = set(toks)
                heads = [i for i in toks if doc[i].head.i not in inside or doc[i].head.i == i]
                self.head_of[(ent.start, ent.end)] = (heads or toks)[-1]

    def trigger_candidates(self, trigger: "TriggerSpec") -> list[Token]:
        """The sentence's tokens whose word a trigger lists (or ends as it says), in sentence order."""
        found = [tok for word in trigger.words.intersection(self.by_lower) for tok in self.by_lower[word]]
        if trigger.suffixes:
            found += [tok for word, toks in self.by_lower.items()
                      if word not in trigger.words and word.endswith(trigger.suffixes) for tok in toks]
        return sorted(found, key=lambda t: t.i)

    def token_at(self, start: int, end: int) -> Token | None:
        """The token whose characters cover [start, end) of the document (None outside the sentence)."""
        for tok in self.tokens:
            t_start, t_end = self.char_span(tok)
            if t_start <= start < t_end or (start <= t_start and t_end <= end):
                return tok
        return None

    def enclosed_apart(self, ent: Entity, trigger: tuple[int, int]) -> bool:
        """Whether the entity sits in a relative clause that the trigger is outside of
        ("MEKK1, which activates JNK, binds TRAF2": JNK is no partner of "binds")."""
        head = self.head_of.get((ent.start, ent.end))
        trig = self.token_at(*trigger)
        if head is None or trig is None:
            return False
        tok = self.doc[head]
        while tok.head.i != tok.i:
            if tok.dep_ == "relcl":
                return not (tok.left_edge.i <= trig.i <= tok.right_edge.i)
            tok = tok.head
        return False

    def inside_entity(self, tok: Token) -> bool:
        """Whether the token is part of a name ("target" in "mammalian target of rapamycin")."""
        start, end = self.char_span(tok)
        return any(e.start <= start and end <= e.end for e in self.by_token.get(tok.i, ()))

    def token_entities(self, tok: Token) -> list[Entity]:
        """Entities whose head word is this token; in a compound token, "/" lists all, "-" keeps the last."""
        ents = [e for e in self.by_token.get(tok.i, []) if self.head_of.get((e.start, e.end)) == tok.i]
        if len(ents) <= 1:
            return ents
        ents.sort(key=lambda e: e.start)
        text = self.doc.text
        groups: list[list[Entity]] = [[ents[0]]]
        for prev, ent in zip(ents, ents[1:]):
            gap = text[prev.end - self.offset:ent.start - self.offset]
            if gap.strip() in ("/", ",", "and", "or"):
                groups[-1].append(ent)
            else:
                groups.append([ent])
        return groups[-1]

    def entities_for(self, tok: Token, heads: frozenset[str], depth: int = 0) -> list[Entity]:
        """The entities a reached token stands for (see the module docstring)."""
        tok = antecedent(tok)
        own = self.token_entities(tok)
        lex = lexicon()
        if own and all(e.text.lower().split()[-1] in lex.class_words for e in own):
            # "the Mpk1 MAP kinase": a class name preceded by a name in the same phrase means that name
            named = [e for child in tok.children if child.dep_ in ("compound", "nmod") and child.i < tok.i
                     for e in self.token_entities(child) if e.text.lower().split()[-1] not in lex.class_words]
            if named:
                return named
        if own or depth > 2:
            return own
        is_head = tok.lower_ in heads or bool(tok.lemma_ and tok.lemma_.lower() in heads)
        if is_head:
            for child in tok.children:
                if (child.dep_ in ("compound", "amod", "nmod", "poss", "nn") and child.i < tok.i
                        and not child.lower_.endswith(lex.causal_suffixes)):
                    found = [e for e in self.entities_for(child, heads, depth + 1) if e.type != "SITE"]
                    if found:
                        return found
        if is_head or tok.lower_ in lex.part_nouns:  # "the C-terminus of ASK1", "mutations in BRCA1"
            for prep in tok.children:
                if prep.dep_ == "prep" and (prep.lower_ == "of" or (is_head and prep.lower_ in ("in", "within"))):
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            found = self.entities_for(pobj, heads, depth + 1)
                            if found:
                                return found
        subject = copula_subject(tok)
        if subject is not None:
            return self.entities_for(subject, heads, depth + 1)
        if tok.dep_ == "appos" and tok.head.i != tok.i:
            return self.token_entities(tok.head)
        for child in tok.children:  # "a novel protein, ABIN": the apposition names the noun
            if child.dep_ == "appos":
                found = self.token_entities(child)
                if found:
                    return found
        return []

    def arguments(self, tokens: list[Token], heads: frozenset[str], widen: bool, examples: bool = False) -> list[Entity]:
        """Entities for the reached tokens and, when ``widen``, for the tokens coordinated with them
        and (``examples``, objects only, as the surface rules do) the examples a noun lists.

        A conjunct the parser hung on an inner word of a multi-word name counts as well:
        in "by extracellular signal-related kinases 1/2 and PDK1", "and PDK1" attaches to "1/2".
        """
        seen: set[tuple[int, int]] = set()
        out: list[Entity] = []
        queue = list(tokens)
        visited: set[int] = set()
        while queue:
            tok = queue.pop(0)
            for member in (conjuncts(tok) if widen else [tok]):
                if member.i in visited:
                    continue
                visited.add(member.i)
                for ent in self.entities_for(member, heads):
                    key = (ent.start, ent.end)
                    if key not in seen:
                        seen.add(key)
                        out.append(ent)
                        if widen:
                            queue.extend(self.conjuncts_inside(ent))
                if widen and examples:
                    queue.extend(examples_of(member))
        return out

    def conjuncts_inside(self, ent: Entity) -> list[Token]:
        """Tokens coordinated with a word inside the entity's name, outside the name itself."""
        inside = self.tokens_of.get((ent.start, ent.end), [])
        span = set(inside)
        return [child for i in inside for child in self.doc[i].children if child.dep_ == "conj" and child.i not in span]

    def char_span(self, tok: Token) -> tuple[int, int]:
        start = self.offset + tok.idx
        return start, start + len(tok.text)


def examples_of(tok: Token) -> list[Token]:
    """The words a noun lists as its examples: "acetylases such as P/CAF" (prep "as" with "such"),
    "genes, including BCL2" (prep "including"), for the markers of patterns/lexicon.yml whose last
    word the parser makes the preposition; their conjuncts follow through the widening."""
    markers = _marker_words()
    found = []
    for prep in tok.children:
        if prep.dep_ != "prep":
            continue
        below = {c.lower_ for c in prep.children}
        if any(words[-1] == prep.lower_ and set(words[:-1]) <= below for words in markers):
            found.extend(c for c in prep.children if c.dep_ in ("pobj", "dobj"))
    return found


@functools.lru_cache(maxsize=1)
def _marker_words() -> tuple[tuple[str, ...], ...]:
    """The example markers as words, split once (examples_of runs for every widened argument)."""
    return tuple(tuple(m.split()) for m in lexicon().example_markers)


def scope_tokens(cue: Token) -> set[int]:
    """Token indices a negation or hedge cue governs: its head's clause (and its own subtree),
    without the coordinated, relative or adverbial clauses hanging off that head."""
    head = cue.head if cue.dep_ in ("neg", "aux", "advmod", "det", "amod", "mark", "prep", "npadvmod") else cue
    scope: set[int] = set()
    stack = [head]
    while stack:
        tok = stack.pop()
        scope.add(tok.i)
        for child in tok.children:
            if child.dep_ in CLAUSE_LABELS and tok is head and child.i != cue.i:
                continue
            stack.append(child)
    for tok in cue.subtree:
        scope.add(tok.i)
    return scope


@dataclass
class SyntacticMatch:
    """What one syntactic rule found at one trigger."""

    trigger: Token
    subjects: list[Entity]
    objects: list[Entity]
    sites: list[Entity]
    subject_reached: bool  # the subject path reached words, entities or not ("the kinase phosphorylates X")


def match_rule(pattern: DependencyPattern, parse: SentenceParse, coordinate: tuple[str, ...]) -> list[SyntacticMatch]:
    """Every trigger of the rule in the sentence with the entities its paths reach."""
    matches = []
    for tok in parse.trigger_candidates(pattern.trigger):
        if not pattern.trigger.matches(tok) or parse.inside_entity(tok):
            continue
        reached: dict[str, list[Token]] = {}
        args: dict[str, list[Entity]] = {}
        for role in _role_order(pattern):  # the roles a match needs first: stop at the first one missing
            path = pattern.paths.get(role)
            if path is not None:
                reached[role] = path(tok)
                args[role] = parse.arguments(reached[role], pattern.heads, widen=role in coordinate,
                                             examples=role == "object")
            if not args.get(role) and (role == "object" or role in pattern.required):
                break
        else:
            matches.append(SyntacticMatch(tok, args.get("subject", []), args["object"], args.get("site", []),
                                          bool(reached.get("subject"))))
    return matches


def _role_order(pattern: DependencyPattern) -> list[str]:
    """The object, then the other required roles, then the optional ones."""
    needed = ["object"] + [r for r in pattern.required if r != "object"]
    return needed + [r for r in pattern.paths if r not in needed]
