"""scispaCy's rule tokenizer, without the unit suffixes that split gene and cell-line names.

scispaCy inherits spaCy's "number + unit" suffix rule, whose units include the
single capitals K, M, G and T (kelvin, mega, giga, tera). In biomedical text a
digit followed by one of those letters is far more often part of a name:
``PI3K``, ``p70S6K``, ``293T``, ``T98G`` or a mutation ``D398G``. Splitting them
breaks dictionary matches and parses, so biomine drops exactly those four units
and keeps every other rule of ``scispacy.custom_tokenizer.combined_rule_tokenizer``.
A lone concentration such as ``4M`` then stays one token, which costs nothing.
"""
from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterator

from spacy.lang import char_classes
from spacy.language import Language
from spacy.tokenizer import Tokenizer

NAME_LIKE_UNITS = ("T", "G", "M", "K")


def _kept_units() -> str:
    return "|".join(u for u in char_classes.UNITS.split("|") if u not in NAME_LIKE_UNITS)


def biomine_tokenizer(nlp: Language) -> Tokenizer:
    """``combined_rule_tokenizer`` with the number+unit suffix narrowed to real units.

    Works while ``nlp`` is still being constructed (a config's ``[nlp.tokenizer]``),
    when it has no tokenizer yet to borrow ``token_match`` from.
    """
    import spacy
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    source = nlp if hasattr(nlp, "tokenizer") else spacy.blank("en")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # scispaCy's regexes warn on Python 3.11
        base = combined_rule_tokenizer(source)
        suffix_search = base.suffix_search
        old_units = r"(?<=[0-9])(?:{u})".format(u=char_classes.UNITS)
        pattern = suffix_search.__self__.pattern
        if old_units in pattern:  # if scispaCy changed its rules, keep them rather than guess
            new_units = r"(?<=[0-9])(?:{u})".format(u=_kept_units())
            suffix_search = re.compile(pattern.replace(old_units, new_units)).search
    return Tokenizer(nlp.vocab, rules=base.rules, prefix_search=AffixRegex(base.prefix_search.__self__).search,
                     suffix_search=AffixRegex(suffix_search.__self__).search,
                     infix_finditer=AffixRegex(base.infix_finditer.__self__).finditer, token_match=base.token_match)


class AffixRegex:
    """A tokenizer affix pattern whose answers are remembered per string.

    scispaCy's suffix and infix patterns are alternations of hundreds of pieces (12 and 15 KB)
    and cost 0.6 of the tokenizer's 0.7 ms per abstract; spaCy's own cache of tokenized strings
    stays off for the rest of a text once a special case occurs in it, which is nearly always.
    The same words recur from abstract to abstract, so the answers are kept (bounded LRU).
    ``pattern`` is what spaCy saves of an affix function (``fn.__self__.pattern``).
    """

    def __init__(self, regex: re.Pattern, size: int = 1 << 16) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self._search = functools.lru_cache(maxsize=size)(regex.search)
        self._matches = functools.lru_cache(maxsize=size)(lambda string: tuple(regex.finditer(string)))

    def search(self, string: str) -> re.Match | None:
        return self._search(string)

    def finditer(self, string: str) -> Iterator[re.Match]:
        return iter(self._matches(string))

    def __reduce__(self) -> tuple:
        return (AffixRegex, (self.regex,))


# Between two letters or digits, a hyphen or slash starts a new token: "ASK1-mediated" -> ASK1 - mediated.
HYPHEN_SLASH_INFIX = r"(?<=[^\W_])[-/](?=[^\W_])"


def split_tokenizer(nlp: Language) -> Tokenizer:
    """biomine's tokenizer that also splits at hyphens and slashes between letters or digits.

    The mention recogniser uses it, so that a gene inside "ASK1-mediated" or "MKK3/MKK6"
    is a token of its own; the parser keeps biomine's tokens (the GENIA Treebank does too).
    Built from patterns only, so a saved pipeline carries it in its ``tokenizer`` file.
    """
    base = biomine_tokenizer(nlp)
    infix = re.compile(base.infix_finditer.__self__.pattern + "|" + HYPHEN_SLASH_INFIX)
    return Tokenizer(nlp.vocab, rules=base.rules, prefix_search=base.prefix_search, suffix_search=base.suffix_search,
                     infix_finditer=AffixRegex(infix).finditer, token_match=base.token_match)


def register_split() -> None:
    """Register ``biomine.SplitTokenizer.v1`` (the recogniser's saved config names it)."""
    from spacy.util import registry

    if "biomine.SplitTokenizer.v1" in registry.tokenizers:
        return

    @registry.tokenizers("biomine.SplitTokenizer.v1")
    def create_split_tokenizer():
        return split_tokenizer


def register() -> None:
    """Register ``biomine.Tokenizer.v1`` so training configs and saved pipelines can name this tokenizer."""
    from spacy.util import registry

    if "biomine.Tokenizer.v1" in registry.tokenizers:
        return

    @registry.tokenizers("biomine.Tokenizer.v1")
    def create_tokenizer():
        return biomine_tokenizer


register()
register_split()
