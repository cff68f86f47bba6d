"""Dependency paths: how a syntactic rule reaches an argument from its trigger.

A small language in the spirit of Odin's syntactic patterns (Valenzuela-Escárcega,
Hahn-Powell and Surdeanu 2016), evaluated over a parsed sentence as sets of tokens:

- ``>dobj`` follow an outgoing arc labelled dobj (to a dependent); ``<relcl`` an incoming one (to the head);
  ``>nsubj|nsubjpass`` either label; ``>*`` any label;
- ``[word=at|on]``, ``[lemma=by]``, ``[tag=VBN|VBD]``, ``[suffix=-mediated|-dependent]``,
  ``[notword=of]``, ``[notsuffix=-dependent]`` filter the tokens reached (a filter alone filters the
  current tokens);
- ``@subj``, ``@obj``, ``@passive``, ``@agent``, ``@of`` are roles computed by
  ``pipeline.relations.arguments`` (understood subjects through coordination, relative and
  control clauses; shared objects of coordinated verbs; passive subjects of reduced relatives);
- ``( ... )`` groups, `` | `` (with spaces) separates alternatives whose results are joined,
  `` || `` separates ordered choices (the first that reaches anything wins: ``@agent || >amod``
  takes a by-phrase when there is one, else the modifier), ``?``, ``*`` and ``+`` repeat.

``>prep[word=at|on|in] >pobj`` reaches the object of an "at/on/in" phrase of the trigger.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Token = Any  # spacy.tokens.Token; kept loose so this module imports without spaCy
Role = Callable[[Token], list[Token]]

_LEX = re.compile(r"\s+\|\|\s+|\s+\|\s+|[()?*+]|@\w+|[<>](?:\*|[\w:|]+)(?:\[[^\]]*\])?|\[[^\]]*\]|\S+")
_FILTER = re.compile(r"^\[(word|lemma|tag|suffix|notword|notsuffix)=([^\]]+)\]$")


class PathSyntaxError(ValueError):
    """A path that does not parse; the loader turns it into E303 naming file and rule."""


@dataclass
class Filter:
    key: str
    values: frozenset[str]

    def keep(self, tok: Token) -> bool:
        if self.key == "word":
            return tok.lower_ in self.values
        if self.key == "notword":
            return tok.lower_ not in self.values
        if self.key == "lemma":
            return (tok.lemma_ or tok.lower_).lower() in self.values or tok.lower_ in self.values
        if self.key == "tag":
            return tok.tag_ in self.values
        if self.key == "notsuffix":
            return not any(tok.lower_.endswith(v) for v in self.values)
        return any(tok.lower_.endswith(v) for v in self.values)  # suffix


@dataclass
class Step:
    direction: str  # ">" dependents, "<" head, "" filter only
    labels: frozenset[str] | None  # None: any label
    filter: Filter | None = None

    def apply(self, tokens: set[Token]) -> set[Token]:
        out: set[Token] = set()
        for tok in tokens:
            if self.direction == ">":
                reached = [c for c in tok.children if self.labels is None or c.dep_ in self.labels]
            elif self.direction == "<":
                reached = [tok.head] if tok.head.i != tok.i and (self.labels is None or tok.dep_ in self.labels) else []
            else:
                reached = [tok]
            out.update(t for t in reached if self.filter is None or self.filter.keep(t))
        return out


@dataclass
class RoleStep:
    name: str
    role: Role

    def apply(self, tokens: set[Token]) -> set[Token]:
        out: set[Token] = set()
        for tok in tokens:
            out.update(self.role(tok))
        return out


@dataclass
class Repeat:
    inner: "Path"
    low: int  # 0 for ? and *, 1 for +
    high: int | None  # 1 for ?, None for * and +

    def apply(self, tokens: set[Token]) -> set[Token]:
        result = set(tokens) if self.low == 0 else set()
        frontier = set(tokens)
        rounds = 0
        while frontier and (self.high is None or rounds < self.high):
            frontier = self.inner.apply(frontier) - result
            rounds += 1
            if rounds >= self.low:
                result |= frontier
            if rounds > 20:  # a dependency tree has no cycles, but a bound keeps bad paths cheap
                break
        return result


@dataclass
class Path:
    alternatives: list[list[Any]] = field(default_factory=list)
    text: str = ""
    ordered: list["Path"] = field(default_factory=list)  # `` || `` choices: the first non-empty wins

    def apply(self, tokens: set[Token]) -> set[Token]:
        if self.ordered:
            for choice in self.ordered:
                found = choice.apply(tokens)
                if found:
                    return found
            return set()
        out: set[Token] = set()
        for seq in self.alternatives:
            current = set(tokens)
            for item in seq:
                current = item.apply(current)
                if not current:
                    break
            out |= current
        return out

    def __call__(self, start: Token) -> list[Token]:
        return sorted(self.apply({start}), key=lambda t: t.i)


def _filter(text: str) -> Filter:
    m = _FILTER.match(text)
    if not m:
        raise PathSyntaxError(f"bad filter {text!r} (keys: word, lemma, tag, suffix, notword, notsuffix)")
    return Filter(m.group(1), frozenset(v.strip().lower() if m.group(1) != "tag" else v.strip()
                                        for v in m.group(2).split("|")))


def compile_path(text: str, roles: dict[str, Role]) -> Path:
    """Parse a path; ``roles`` maps ``@name`` to role functions."""
    tokens = _LEX.findall(text.strip())
    pos = 0

    def parse_alternatives() -> Path:
        nonlocal pos
        choices: list[Path] = []
        alternatives: list[list[Any]] = [[]]
        while pos < len(tokens) and tokens[pos] != ")":
            tok = tokens[pos]
            if tok.strip() == "||":
                if any(not seq for seq in alternatives):
                    raise PathSyntaxError(f"empty choice before '||' in path {text!r}")
                choices.append(Path(alternatives, text))
                alternatives = [[]]
                pos += 1
                continue
            if tok.strip() == "|":
                alternatives.append([])
                pos += 1
                continue
            if tok == "(":
                pos += 1
                item: Any = parse_alternatives()
                if pos >= len(tokens) or tokens[pos] != ")":
                    raise PathSyntaxError(f"unbalanced '(' in path {text!r}")
                pos += 1
            elif tok in ("?", "*", "+"):
                raise PathSyntaxError(f"quantifier {tok!r} has nothing to repeat in {text!r}")
            else:
                item = _atom(tok)
                pos += 1
            if pos < len(tokens) and tokens[pos] in ("?", "*", "+"):
                q = tokens[pos]
                item = Repeat(item if isinstance(item, Path) else Path([[item]]), 0 if q != "+" else 1,
                              1 if q == "?" else None)
                pos += 1
            alternatives[-1].append(item)
        if any(not seq for seq in alternatives):
            raise PathSyntaxError(f"empty alternative in path {text!r}")
        if choices:
            return Path([], text, choices + [Path(alternatives, text)])
        return Path(alternatives, text)

    def _atom(tok: str) -> Any:
        if tok.startswith("@"):
            if tok[1:] not in roles:
                raise PathSyntaxError(f"unknown role {tok} (known: {', '.join('@' + r for r in roles)})")
            return RoleStep(tok[1:], roles[tok[1:]])
        if tok.startswith("["):
            return Step("", None, _filter(tok))
        if tok[0] in "<>":
            head, _, rest = tok[1:].partition("[")
            labels = None if head == "*" else frozenset(head.split("|"))
            if not head or (labels is not None and not all(labels)):
                raise PathSyntaxError(f"step {tok!r} needs a label")
            return Step(tok[0], labels, _filter("[" + rest) if rest else None)
        raise PathSyntaxError(f"unexpected {tok!r} in path {text!r}")

    path = parse_alternatives()
    if pos != len(tokens):
        raise PathSyntaxError(f"unbalanced ')' in path {text!r}")
    return path
