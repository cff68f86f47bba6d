"""Rule files as data: ``patterns/relations/<relation>.yml`` validated and compiled.

Keys are closed (pydantic models with ``extra="forbid"``): a misspelt key is an
error naming the file and the key, not a rule silently ignored. Every rule needs
a description and at least one example whose expected triple is stated;
``tests/test_rule_examples.py`` and ``biomine rules check`` run every example.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.errors import PatternError
from pipeline.relations.dependency import DependencyPattern, TriggerSpec, compile_paths
from pipeline.relations.lexicon import lexicon
from pipeline.relations.dependency import trigger_words as dependency_trigger_words
from pipeline.relations.grammar import Grammar
from pipeline.relations.language import Context, compile_source, pattern_source, trigger_words
from pipeline.relations.paths import PathSyntaxError
from pipeline.relations.types import RelationRegistry
from pipeline.resources import load_yaml, validate

Role = Literal["subject", "object", "site"]


class Expect(BaseModel):
    """One triple an example must produce (argument texts as written in the example)."""

    model_config = ConfigDict(extra="forbid")
    object: str
    subject: str | None = None
    site: str | None = None
    negated: bool | None = None
    hedged: bool | None = None
    relation: str | None = None


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    expect: list[Expect] = Field(default_factory=list)
    note: str | None = None
    xfail: str | bool | None = None  # a known miss, kept visible: the reason


class TriggerModel(BaseModel):
    """The trigger of a syntactic rule: verb lemmas (all forms generated) and/or literal words."""

    model_config = ConfigDict(extra="forbid")
    lemmas: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)
    suffixes: list[str] = Field(default_factory=list)  # a word ending so is a trigger ("-activated")
    tags: list[str] | None = None
    voice: Literal["active", "passive"] | None = None
    not_deps: list[str] = Field(default_factory=list)
    unless: str | None = None  # a path that, when it reaches any token, stops the rule at this trigger

    @model_validator(mode="after")
    def _some_word(self) -> "TriggerModel":
        if not self.lemmas and not self.words and not self.suffixes:
            raise ValueError("a trigger needs lemmas, words or suffixes")
        return self


class SyntaxModel(BaseModel):
    """A syntactic rule: dependency paths from the trigger to each role (docs/patterns.md)."""

    model_config = ConfigDict(extra="forbid")
    trigger: TriggerModel
    object: str
    subject: str | None = None
    site: str | None = None
    require: list[Role] = Field(default_factory=lambda: ["object"])
    heads: list[str] = Field(default_factory=list)  # more head nouns that stand for the gene they name


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    description: str
    pattern: str | None = None
    syntax: SyntaxModel | None = None
    examples: list[Example]
    relation: str | None = None
    swap: bool = False
    coordinate: list[Role] = Field(default_factory=lambda: ["subject", "object", "site"])

    @field_validator("examples")
    @classmethod
    def _one_positive(cls, examples: list[Example]) -> list[Example]:
        if not any(ex.expect for ex in examples):
            raise ValueError("needs at least one example with an expected triple")
        return examples

    @model_validator(mode="after")
    def _one_kind(self) -> "RuleSpec":
        if (self.pattern is None) == (self.syntax is None):
            raise ValueError("a rule has either a surface `pattern` or a `syntax` block, not both")
        return self


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    relation: str
    description: str
    macros_from: list[str] = Field(default_factory=list)
    macros: dict[str, str] = Field(default_factory=dict)
    rules: list[RuleSpec]


@dataclass
class Rule:
    """A compiled rule; ``source`` is the file it came from."""

    id: str
    relation: str
    description: str
    pattern: str
    regex_source: str | None  # None for a syntactic rule; compiled on first use (``regex``)
    roles: set[str]
    examples: list[dict] = field(default_factory=list)
    swap: bool = False  # subject and object are captured in reverse order of the triple
    source: str = ""
    triggers: tuple[frozenset[str], tuple[str, ...]] | None = None  # None: no cheap pre-check
    coordinate: tuple[str, ...] = ("subject", "object", "site")  # roles widened to their coordination
    expanded: str = ""  # the pattern after macros and lemmas, for ``biomine rules explain``
    syntax: DependencyPattern | None = None  # a syntactic rule's trigger and paths

    @cached_property
    def regex(self) -> re.Pattern | None:
        """The surface pattern, compiled when first needed; :func:`load_rules` has made sure it compiles."""
        return re.compile(self.regex_source) if self.regex_source is not None else None

    @property
    def surface(self) -> bool:
        return self.regex_source is not None

    def may_match(self, words: set[str]) -> bool:
        """False when the sentence lacks every word the trigger could be."""
        if self.triggers is None:
            return True
        exact, prefixes = self.triggers
        if not exact.isdisjoint(words):
            return True
        return bool(prefixes) and any(w.startswith(prefixes) for w in words)


def _example_dict(ex: Example) -> dict:
    row: dict = {"text": ex.text, "expect": [e.model_dump(exclude_none=True) for e in ex.expect]}
    if ex.note:
        row["note"] = ex.note
    if ex.xfail:
        row["xfail"] = ex.xfail
    return row


def load_rule_file(path: Path, grammar: Grammar, types: RelationRegistry) -> list[Rule]:
    """Load, validate and compile one rule file; unused file macros are errors too (dead rules text)."""
    spec = validate(RuleFile, load_yaml(path), path)
    types.check(spec.relation, "relation", path)
    scope = grammar.scope(path, spec.macros, spec.macros_from)
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(spec.rules):
        if item.id in seen:
            raise PatternError("E306", path=path, rule=item.id, detail="twice in this file")
        seen.add(item.id)
        relation = item.relation or spec.relation
        types.check(relation, f"rules.{index}.relation", path)
        for ex_index, ex in enumerate(item.examples):
            for exp in ex.expect:
                if exp.relation:
                    types.check(exp.relation, f"rules.{index}.examples.{ex_index}.expect.relation", path)
        ctx = Context(path, item.id, grammar, scope)
        examples = [_example_dict(ex) for ex in item.examples]
        if item.syntax is not None:
            rules.append(_syntactic_rule(item, relation, examples, ctx))
            continue
        source, roles, expanded = pattern_source(item.pattern or "", ctx)
        if "object" not in roles:
            raise ctx.error("pattern must capture an object")
        rules.append(Rule(item.id, relation, item.description, item.pattern or "", source, roles,
                          examples, item.swap, str(path),
                          trigger_words(expanded, grammar), tuple(item.coordinate), expanded))
    unused = sorted(set(spec.macros) - scope.used)
    if unused:
        raise PatternError("E302", path=path, where=f"macros.{unused[0]}", detail="defined but never used")
    return rules


def _syntactic_rule(item: RuleSpec, relation: str, examples: list[dict], ctx: Context) -> Rule:
    """Compile a ``syntax:`` block; a bad path is E303 naming file and rule."""
    spec = item.syntax
    assert spec is not None
    texts = {role: text for role, text in (("subject", spec.subject), ("object", spec.object), ("site", spec.site))
             if text}
    try:
        paths = compile_paths(texts)
    except PathSyntaxError as exc:
        raise ctx.error(str(exc)) from None
    words = dependency_trigger_words(spec.trigger.lemmas, spec.trigger.words)
    try:
        unless = compile_paths({"unless": spec.trigger.unless})["unless"] if spec.trigger.unless else None
    except PathSyntaxError as exc:
        raise ctx.error(str(exc)) from None
    trigger = TriggerSpec(words, frozenset(spec.trigger.tags) if spec.trigger.tags else None,
                          tuple(s.lower() for s in spec.trigger.suffixes), spec.trigger.voice,
                          frozenset(spec.trigger.not_deps), unless)
    pattern = DependencyPattern(trigger, paths, tuple(spec.require), lexicon().gene_heads | {h.lower() for h in spec.heads},
                                texts)
    shown = "; ".join(f"{role}: {text}" for role, text in texts.items())
    return Rule(item.id, relation, item.description, shown, None, set(texts) | {"trigger"}, examples, item.swap,
                str(ctx.path), (words, ()), tuple(item.coordinate), shown, pattern)


def load_rules(directory: Path, grammar: Grammar, types: RelationRegistry) -> list[Rule]:
    """Every rule of ``directory/relations/*.yml``; rule ids are unique across files."""
    rules: list[Rule] = []
    origin: dict[str, str] = {}
    for path in sorted((directory / "relations").glob("*.yml")):
        for rule in load_rule_file(path, grammar, types):
            if rule.id in origin:
                raise PatternError("E306", path=path, rule=rule.id, detail=f"also in {origin[rule.id]}")
            origin[rule.id] = str(path)
            rules.append(rule)
    check_compiles(rules, grammar)
    return rules


def check_compiles(rules: list[Rule], grammar: Grammar) -> None:
    """Every surface pattern compiles (E303 otherwise), checked once per set of sources: the
    sources' digest is remembered in the cache directory (as the dictionaries are), so a start
    with unchanged rules skips the 0.6 s of compiling and each regex is compiled on first use.
    Without a cache directory (``BIOMINE_CACHE=off``) every start compiles everything."""
    import hashlib
    import sys

    from pipeline.entities.dictionary import cache_dir

    surface = [r for r in rules if r.regex_source is not None]
    digest = hashlib.sha256(f"{sys.version_info[:2]}|{re.__name__}".encode())
    for rule in surface:
        digest.update(rule.regex_source.encode() + b"\0")  # type: ignore[union-attr]
    folder = cache_dir()
    marker = folder / "rules" / f"{digest.hexdigest()[:32]}.ok" if folder is not None else None
    if marker is not None and marker.is_file():
        return
    for rule in surface:
        rule.__dict__["regex"] = compile_source(rule.regex_source, Context(rule.source, rule.id, grammar, None))
    if marker is not None:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass  # a read-only cache only costs the check at the next start
