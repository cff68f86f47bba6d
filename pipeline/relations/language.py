"""Relation rules as data: loading, validation and compilation of the pattern language.

A rule file (``patterns/relations/<relation>.yml``) holds rules with a closed set
of keys. A pattern is a space-separated sequence over sentence elements:

- ``{role:SPEC}`` captures one element under a role (subject, object, site, trigger)
- ``GENE`` / ``DRUG|STRESS``: an entity of a class or type from grammar.yml
- ``phosphorylates|phosphorylated``: a word; ``phosphorylat*`` a prefix, ``*ly`` a suffix
- ``"("`` or ``,`` ``-`` ``/``: literal punctuation (quote the brackets)
- ``_`` any word, ``~`` any element, ``!not|no`` any word except these
- ``$MACRO``: a named fragment from grammar.yml
- ``( a b | c )`` groups with alternatives; ``?``, ``+`` and ``{m,n}`` quantify the atom or group before them
- ``^`` anchors the pattern at the start of the sentence, ``$`` at its end
- ``>!of|by`` checks, without consuming it, that the next element is not one of these words
``?`` is greedy (an optional site is taken when present); ``+`` and ``{m,n}``
gaps are lazy, so a rule prefers the nearest arguments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.errors import RuleError

RULE_KEYS = {"id", "description", "pattern", "examples", "relation", "swap", "coordinate"}
FILE_KEYS = {"relation", "description", "rules"}
EXAMPLE_KEYS = {"text", "expect", "note", "xfail"}
EXPECT_KEYS = {"subject", "object", "site", "negated", "hedged", "relation"}
ROLES = ("subject", "object", "site", "trigger")
_TOKEN = re.compile(r'"[^"]*"|\{\d*,\d*\}|\{[^}]*\}|[()]|[?+^]|[^\s(){}?+^]+')
_QUANT = re.compile(r"^\{\d*,\d*\}$")


@dataclass
class Grammar:
    """Entity classes and macros shared by all rule files."""

    classes: dict[str, list[str]]
    macros: dict[str, str]
    entity_types: set[str]

    @classmethod
    def load(cls, path: Path) -> "Grammar":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        unknown = set(data) - {"classes", "macros", "entity_types"}
        if unknown:
            raise RuleError(f"{path}: unknown keys {sorted(unknown)}")
        return cls(
            classes={k: list(v) for k, v in (data.get("classes") or {}).items()},
            macros={k: str(v) for k, v in (data.get("macros") or {}).items()},
            entity_types=set(data.get("entity_types") or []),
        )

    def kinds(self, spec: str) -> list[str] | None:
        """Element kinds named by an upper-case spec such as ``GENE|DRUG``, else None."""
        names = spec.split("|")
        if not all(n and (n.isupper() or n in self.classes) for n in names):
            return None
        kinds: list[str] = []
        for n in names:
            if n in self.classes:
                kinds.extend(self.classes[n])
            elif n in self.entity_types:
                kinds.append(n)
            else:
                raise KeyError(n)
        return kinds


@dataclass
class Rule:
    id: str
    relation: str
    description: str
    pattern: str
    regex: re.Pattern
    roles: set[str]
    examples: list[dict] = field(default_factory=list)
    swap: bool = False  # subject and object are captured in reverse order of the triple
    source: str = ""
    triggers: tuple[frozenset[str], tuple[str, ...]] | None = None  # None: no cheap pre-check
    coordinate: tuple[str, ...] = ("subject", "object", "site")  # roles widened to their coordination

    def may_match(self, words: set[str]) -> bool:
        """False when the sentence lacks every word the trigger could be."""
        if self.triggers is None:
            return True
        exact, prefixes = self.triggers
        if not exact.isdisjoint(words):
            return True
        return bool(prefixes) and any(w.startswith(prefixes) for w in words)


def expand_macros(pattern: str, macros: dict[str, str], where: str, depth: int = 0) -> str:
    if depth > 10:
        raise RuleError(f"{where}: macros nest too deeply (a macro refers to itself?)")

    def repl(m: re.Match) -> str:
        name = m.group(1)
        if name not in macros:
            raise RuleError(f"{where}: unknown macro ${name}")
        return f"( {expand_macros(macros[name], macros, where, depth + 1)} )"

    return re.sub(r"(?<!:)\$([A-Z_][A-Z0-9_]*)", repl, pattern)


def _word_regex(spec: str) -> str:
    alts = []
    for alt in spec.split("|"):
        if alt.startswith("*") and len(alt) > 1:
            alts.append(r"[^ ]*" + re.escape(alt[1:].lower()))
        elif alt.endswith("*") and len(alt) > 1:
            alts.append(re.escape(alt[:-1].lower()) + r"[^ ]*")
        else:
            alts.append(re.escape(alt.lower()))
    return r"(?:" + "|".join(alts) + r")"


def _atom(token: str, grammar: Grammar, where: str) -> tuple[str, str | None]:
    """Regex for one atom and the role it captures (or None)."""
    role = None
    if token.startswith("{") and token.endswith("}"):
        role, _, spec = token[1:-1].partition(":")
        if role not in ROLES:
            raise RuleError(f"{where}: unknown role {role!r} (roles: {', '.join(ROLES)})")
        if not spec:
            raise RuleError(f"{where}: role {role!r} needs a spec, e.g. {{{role}:GENE}}")
        if spec.startswith("$"):
            body = grammar.macros.get(spec[1:])
            if body is None:
                raise RuleError(f"{where}: unknown macro {spec}")
            if len(body.split()) != 1:
                raise RuleError(f"{where}: macro {spec} used in a role must be a single word alternation")
            spec = body
        token = spec
    if token.startswith('"') and token.endswith('"') and len(token) >= 2:
        body = rf"\d+\|w\|{_word_regex(token[1:-1])} "
    elif token == "_":
        body = r"\d+\|w\|[^ ]* "
    elif token == "~":
        body = r"\d+\|[^|]+\|[^ ]* "
    elif token.startswith("!") and len(token) > 1:
        body = rf"\d+\|w\|(?!{_word_regex(token[1:])} )[^ ]* "
    else:
        try:
            kinds = grammar.kinds(token)
        except KeyError as exc:
            raise RuleError(f"{where}: unknown entity class or type {exc.args[0]!r}") from None
        if kinds is not None:
            body = r"\d+\|(?:" + "|".join(re.escape(k) for k in kinds) + r")\|[^ ]* "
        else:
            body = rf"\d+\|w\|{_word_regex(token)} "
    if role:
        return f"(?P<{role}>{body})", role
    return f"(?:{body})", None


def trigger_words(pattern: str, grammar: Grammar) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The words (and word prefixes) a rule's trigger can be, to skip sentences without any of them."""
    found = re.search(r"\{trigger:([^}]*)\}", pattern)
    if not found:
        return None
    spec = found.group(1)
    if spec.startswith("$"):
        spec = grammar.macros.get(spec[1:], "")
    spec = spec.strip('"')
    words, prefixes = set(), []
    for alt in spec.split("|"):
        if not alt or alt in ("_", "~") or alt.startswith(("!", "*")) or alt.isupper() or alt in grammar.classes:
            return None
        if alt.endswith("*"):
            prefixes.append(alt[:-1].lower())
        else:
            words.add(alt.lower())
    return frozenset(words), tuple(prefixes)


def compile_pattern(pattern: str, grammar: Grammar, where: str) -> tuple[re.Pattern, set[str]]:
    """Compile the pattern language into one regular expression with a named group per role."""
    expanded = expand_macros(pattern, grammar.macros, where)
    tokens = _TOKEN.findall(expanded)
    out: list[str] = []
    roles: set[str] = set()
    depth = 0
    for tok in tokens:
        if tok == "(":
            out.append("(?:")
            depth += 1
        elif tok == ")":
            depth -= 1
            if depth < 0:
                raise RuleError(f"{where}: unbalanced ')' in pattern")
            out.append(")")
        elif tok in ("?", "+") or _QUANT.match(tok):
            if not out or out[-1] == "(?:":
                raise RuleError(f"{where}: quantifier {tok!r} has nothing to repeat")
            # Optional parts are greedy (take the site if it is there); gaps are lazy (nearest argument).
            out.append(tok if tok == "?" else tok + "?")
        elif tok == "^":
            out.append("^")
        elif tok == "$":
            out.append("$")
        elif tok.startswith(">!") and len(tok) > 2:
            out.append(rf"(?!\d+\|w\|{_word_regex(tok[2:])} )")
        elif tok == "|":
            out.append("|")
        else:
            regex, role = _atom(tok, grammar, where)
            if role:
                if role in roles:
                    raise RuleError(f"{where}: role {role!r} captured twice")
                roles.add(role)
            out.append(regex)
    if depth != 0:
        raise RuleError(f"{where}: unbalanced '(' in pattern")
    try:
        return re.compile("".join(out)), roles
    except re.error as exc:
        raise RuleError(f"{where}: pattern does not compile ({exc})") from exc


def load_rule_file(path: Path, grammar: Grammar, relation_types: set[str]) -> list[Rule]:
    """Load and validate one rule file; every error names the file and the rule id."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML ({exc})") from exc
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise RuleError(f"{path}: unknown top-level keys {sorted(unknown)}")
    file_relation = data.get("relation")
    rules: list[Rule] = []
    seen: set[str] = set()
    for item in data.get("rules") or []:
        rule_id = item.get("id")
        where = f"{path}: rule {rule_id}"
        if not rule_id:
            raise RuleError(f"{path}: a rule has no id")
        if rule_id in seen:
            raise RuleError(f"{where}: duplicate id")
        seen.add(rule_id)
        unknown = set(item) - RULE_KEYS
        if unknown:
            raise RuleError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(RULE_KEYS)})")
        relation = item.get("relation", file_relation)
        if relation not in relation_types:
            raise RuleError(f"{where}: unknown relation {relation!r}")
        if not item.get("pattern") or not item.get("description"):
            raise RuleError(f"{where}: needs a pattern and a description")
        examples = item.get("examples") or []
        if not any(ex.get("expect") for ex in examples):
            raise RuleError(f"{where}: needs at least one positive example with an expected triple")
        for ex in examples:
            bad = set(ex) - EXAMPLE_KEYS
            if bad or "text" not in ex:
                raise RuleError(f"{where}: example keys must be {sorted(EXAMPLE_KEYS)} with a text")
            for exp in ex.get("expect") or []:
                if set(exp) - EXPECT_KEYS or "object" not in exp:
                    raise RuleError(f"{where}: expected triple keys must be {sorted(EXPECT_KEYS)} with an object")
        coordinate = tuple(item.get("coordinate", ("subject", "object", "site")))
        if set(coordinate) - {"subject", "object", "site"}:
            raise RuleError(f"{where}: coordinate takes a list of subject, object, site")
        regex, roles = compile_pattern(item["pattern"], grammar, where)
        if "object" not in roles:
            raise RuleError(f"{where}: pattern must capture an object")
        rules.append(Rule(rule_id, relation, item["description"], item["pattern"], regex, roles,
                          examples, bool(item.get("swap", False)), str(path),
                          trigger_words(item["pattern"], grammar), coordinate))
    return rules
