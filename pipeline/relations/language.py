"""The surface pattern language: a rule's ``pattern`` compiled to one regular expression.

A sentence is a sequence of elements (entities, words, punctuation; see
``elements.py``) encoded as ``<index>|<kind>|<text> ``, so a compiled rule runs
at C speed. ``TOKENS`` below is the language reference: ``docs/patterns.md`` is
written from it (``biomine rules docs``) and a test keeps the two in step.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.errors import PatternError
from pipeline.relations.grammar import MACRO_REF, Grammar, MacroScope

ROLES = ("subject", "object", "site", "trigger")
_TOKEN = re.compile(r'"[^"]*"|\{\d*,\d*\}|\{[^}]*\}|[()]|[?+^]|[^\s(){}?+^]+')
_QUANT = re.compile(r"^\{\d*,\d*\}$")
_LEMMA = re.compile(r"(?<![\w*])@([a-z][a-z-]*)")
# Every element's code is preceded by a space (the encoded sentence starts with one), so a pattern
# that starts with that space lets the engine jump from element to element on its literal prefix,
# instead of trying a look-behind at every character (pipeline/relations/elements.py).
ELEMENT_START = " "
SENTENCE_START = "(?<=^ )"  # the pattern language's ^: at the first element
# A code is "<kind>|<text>|<index> ": kind first, so alternatives of elements differ at their first
# character and the engine rejects most of them there; the index is only read back (elements.element_at).
CODE_END = r"\|\d+ "


@dataclass(frozen=True)
class TokenDoc:
    syntax: str
    meaning: str
    example: str


TOKENS: tuple[TokenDoc, ...] = (
    TokenDoc("word", "a word, case-insensitive", "phosphorylates"),
    TokenDoc("a|b|c", "any of these words", "at|on|in"),
    TokenDoc("pre*", "a word starting with `pre`", "phosphorylat*"),
    TokenDoc("*suf", "a word ending in `suf`", "*ly"),
    TokenDoc("@lemma", "every verb form of a lemma (generated with lemminflect)", "@phosphorylate"),
    TokenDoc('"x"', "a literal word or punctuation (needed for brackets and quantifier characters)", '"("'),
    TokenDoc("_", "any one word or punctuation mark (not an entity)", "_{0,3}"),
    TokenDoc("~", "any one element, entity or word", "~"),
    TokenDoc("!a|b", "any one word except these (a `$MACRO` or `@lemma` may be among them)", "!by|$BE"),
    TokenDoc("TYPE", "an entity of this type or grammar class", "GENE|DRUG"),
    TokenDoc("{role:SPEC}", "capture one element (SPEC is any single-element token) as subject, object, site "
             "or trigger", "{object:GENE}"),
    TokenDoc("$MACRO", "a named fragment: the rule file's own `macros:`, its `macros_from:` libraries, then "
             "grammar.yml", "$PH_PRE"),
    TokenDoc("( a | b )", "a group with alternatives", "( , | and )"),
    TokenDoc("?", "the atom or group before it is optional (greedy: a site is taken when present)", "SITE?"),
    TokenDoc("+", "one or more (lazy: the nearest argument wins)", "_+"),
    TokenDoc("{m,n}", "between m and n repetitions (lazy)", "_{0,4}"),
    TokenDoc("^", "the start of the sentence", "^ GENE"),
    TokenDoc("$", "the end of the sentence", '"." $'),
    TokenDoc(">!a|b", "the next element is not one of these words (consumes nothing)", ">!of|by"),
)


@functools.lru_cache(maxsize=None)
def verb_forms(lemma: str) -> tuple[str, ...]:
    """All inflections of a verb, from lemminflect's lexicon or its rules for unknown verbs."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    table = getAllInflections(lemma, upos="VERB") or getAllInflectionsOOV(lemma, upos="VERB")
    forms = {lemma} | {form for group in table.values() for form in group}
    return tuple(sorted(forms))


def expand_lemmas(text: str) -> str:
    """Replace every ``@lemma`` by the alternation of its verb forms."""
    return _LEMMA.sub(lambda m: "|".join(verb_forms(m.group(1))), text)


@dataclass
class Context:
    """Where a pattern comes from, for error messages, and the macros it may use."""

    path: object
    rule: str
    grammar: Grammar
    macros: MacroScope

    def error(self, detail: str) -> PatternError:
        return PatternError("E303", path=self.path, rule=self.rule, detail=detail)


def expand_macros(pattern: str, ctx: Context, depth: int = 0) -> str:
    """Substitute ``$NAME`` by its body in parentheses; inside ``!`` lists by the bare alternation."""
    if depth > 10:
        raise ctx.error("macros nest too deeply (does a macro refer to itself?)")

    def body(name: str) -> str:
        text = ctx.macros.get(name)
        if text is None:
            raise PatternError("E304", path=ctx.path, rule=ctx.rule, name=name)
        return expand_macros(text, ctx, depth + 1)

    def in_word_list(m: re.Match) -> str:
        # "!by|$BE|*ing": a macro inside a word list must itself be a word list; its words join the list
        words = []
        for alt in m.group(2).split("|"):
            if alt.startswith("$") and MACRO_REF.match(alt):
                inner = body(alt[1:]).strip()
                if len(inner.split()) != 1 or inner.startswith("!"):
                    raise ctx.error(f"macro {alt} used in a word list must be a single word alternation")
                words.append(inner)
            else:
                words.append(alt)
        return m.group(1) + "|".join(words)

    pattern = re.sub(r"(>?!|\{\w+:)([^\s{}()]*\$[A-Z][^\s{}()]*)", in_word_list, pattern)
    return MACRO_REF.sub(lambda m: f"( {body(m.group(1))} )", pattern)


@functools.lru_cache(maxsize=None)
def _word_regex(spec: str) -> str:
    """One word of a list ("a|b*|*c"), always followed by the element's closing space.

    The literal words become one trie ("(?:a(?:ctivates?|nd)|by)") rather than an alternation the
    engine tries word by word: which of them matched never matters, because the closing space
    makes the atom consume the whole word whichever alternative accepts it. The same lists recur in
    many rules (macros), and every start expands the rules, so each list is built once.
    """
    words, wild = [], []
    for alt in spec.split("|"):
        if alt.startswith("*") and len(alt) > 1:
            wild.append(r"[^ ]*" + re.escape(alt[1:].lower()))
        elif alt.endswith("*") and len(alt) > 1:
            wild.append(re.escape(alt[:-1].lower()) + r"[^ ]*")
        else:
            words.append(alt.lower())
    alts = ([_trie_regex(sorted(set(words)))] if words else []) + wild
    return r"(?:" + "|".join(alts) + r")"


def _trie_regex(words: list[str]) -> str:
    """A regular expression matching exactly ``words`` (sorted, distinct), sharing their prefixes."""
    if words == [""]:
        return ""
    groups: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    branches = [re.escape(first) + _trie_regex(rests) for first, rests in groups.items()]
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def _atom(token: str, ctx: Context) -> tuple[str, str | None]:
    """Regex for one single-element token and the role it captures (or None)."""
    role = None
    if token.startswith("{") and token.endswith("}"):
        role, _, spec = token[1:-1].partition(":")
        if role not in ROLES:
            raise ctx.error(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
        if not spec:
            raise ctx.error(f"role {role!r} needs a spec, e.g. {{{role}:GENE}}")
        if spec.startswith("(") or len(spec.split()) != 1:
            raise ctx.error(f"role {role!r} must capture a single element, not {spec!r}")
        token = spec
    if token.startswith('"') and token.endswith('"') and len(token) >= 2:
        body = rf"w\|{_word_regex(token[1:-1])}{CODE_END}"
    elif token == "_":
        body = r"w\|[^ ]* "
    elif token == "~":
        body = r"[^|]+\|[^ ]* "
    elif token.startswith("!") and len(token) > 1:
        body = rf"w\|(?!{_word_regex(token[1:])}\|)[^ ]* "
    else:
        try:
            kinds = ctx.grammar.kinds(token)
        except KeyError as exc:
            raise PatternError("E305", path=ctx.path, rule=ctx.rule, name=exc.args[0]) from None
        if kinds is not None:
            body = r"(?:" + "|".join(re.escape(k) for k in kinds) + r")\|[^ ]* "
        else:
            body = rf"w\|{_word_regex(token)}{CODE_END}"
    if role:
        return f"(?P<{role}>{body})", role
    return f"(?:{body})", None


def trigger_words(expanded: str, grammar: Grammar) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The words (and prefixes) a rule's trigger can be, so sentences without any skip the rule."""
    found = re.search(r"\{trigger:([^}]*)\}", expanded)
    if not found:
        return None
    spec = found.group(1).strip('"')
    words, prefixes = set(), []
    for alt in spec.split("|"):
        if not alt or alt in ("_", "~") or alt.startswith(("!", "*", "(")) or alt.isupper() or alt in grammar.classes:
            return None
        if alt.endswith("*"):
            prefixes.append(alt[:-1].lower())
        else:
            words.add(alt.lower())
    return frozenset(words), tuple(prefixes)


def compile_pattern(pattern: str, ctx: Context) -> tuple[re.Pattern, set[str], str]:
    """One regular expression with a named group per role; also the roles and the expanded pattern."""
    source, roles, expanded = pattern_source(pattern, ctx)
    return compile_source(source, ctx), roles, expanded


def compile_source(source: str, ctx: Context) -> re.Pattern:
    """Compile what :func:`pattern_source` wrote; a failure is E303 naming the file and the rule."""
    try:
        return re.compile(source)
    except re.error as exc:
        raise ctx.error(f"pattern does not compile ({exc})") from None


def pattern_source(pattern: str, ctx: Context) -> tuple[str, set[str], str]:
    """The regular expression's source, its roles and the expanded pattern, without compiling it
    (the rules' regexes are a fifth of the start-up time; the loader compiles them on first use)."""
    expanded = expand_lemmas(expand_macros(expand_lemmas(pattern), ctx))
    out: list[str] = []
    roles: set[str] = set()
    depth = 0
    for tok in _TOKEN.findall(expanded):
        if tok == "(":
            out.append("(?:")
            depth += 1
        elif tok == ")":
            depth -= 1
            if depth < 0:
                raise ctx.error("unbalanced ')' in pattern")
            out.append(")")
        elif tok in ("?", "+") or _QUANT.match(tok):
            if not out or out[-1] == "(?:":
                raise ctx.error(f"quantifier {tok!r} has nothing to repeat")
            out.append(tok if tok == "?" else tok + "?")
        elif tok == "^":
            out.append(SENTENCE_START)
        elif tok in ("$", "|"):
            out.append(tok)
        elif tok.startswith(">!") and len(tok) > 2:
            out.append(rf"(?!w\|{_word_regex(tok[2:])}\|)")
        else:
            regex, role = _atom(tok, ctx)
            if role:
                if role in roles:
                    raise ctx.error(f"role {role!r} captured twice")
                roles.add(role)
            out.append(regex)
    if depth != 0:
        raise ctx.error("unbalanced '(' in pattern")
    # A match starts at the space before an element's code: the engine's literal-prefix search then
    # visits element starts only.
    return ELEMENT_START + "".join(out), roles, expanded


def reference_markdown() -> str:
    """The language reference table of docs/patterns.md, written from ``TOKENS``."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")  # a pipe inside a table cell must be escaped, even in code

    rows = ["| syntax | meaning | example |", "| --- | --- | --- |"]
    for t in TOKENS:
        rows.append(f"| `{cell(t.syntax)}` | {cell(t.meaning)} | `{cell(t.example)}` |")
    return "\n".join(rows) + "\n"
