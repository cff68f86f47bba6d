"""Abbreviation definitions that scispaCy's detector cannot see because they sit inside one token.

scispaCy's detector (Schwartz & Hearst 2003) looks for "long form ( short form )" over
tokens. The rule tokenizer keeps "(STZ)-induced" as one token (its token match protects
chemical names such as "(S)-ketamine"), so the common "streptozotocin (STZ)-induced
diabetes" is never seen, and every later "STZ" stays a gene alias. This module runs the
same algorithm over characters for exactly that shape: a parenthesised short form glued
to a hyphenated word.
"""
from __future__ import annotations

import re

Span = tuple[int, int]

MAX_DEFINITIONS = 100  # per text: each definition costs one scan of the text for its occurrences
_GLUED = re.compile(r"\(([^\W_][\w.+/-]{0,8}[^\W_]|[^\W_])\)-[^\W\d_]")
_WORD = re.compile(r"\S+")


def best_long_form(short: str, candidate: str) -> int | None:
    """Start of the shortest end of ``candidate`` that covers ``short``'s characters, in order.

    Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation definitions
    in biomedical text", figure 2: characters are matched from right to left; the first
    character of the short form must start a word of the long form.
    """
    s, l = len(short) - 1, len(candidate) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while l >= 0 and (candidate[l].lower() != c or (s == 0 and l > 0 and candidate[l - 1].isalnum())):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    return candidate.rfind(" ", 0, l + 1) + 1


def glued_definitions(text: str, known_short_forms: set[str]) -> list[tuple[Span, Span]]:
    """(short span, long span) for every occurrence of a short form defined as "long (SHORT)-word".

    Short forms scispaCy already paired are left to it. At most ``MAX_DEFINITIONS`` are taken from
    one text, so a hostile text of thousands of them stays linear in its length.
    """
    pairs: list[tuple[Span, Span]] = []
    done = set(known_short_forms)
    for match in _GLUED.finditer(text):
        short = match.group(1)
        if len(done) - len(known_short_forms) >= MAX_DEFINITIONS:
            break
        if short in done or not any(ch.isalpha() for ch in short):
            continue
        words = list(_WORD.finditer(text, max(0, match.start() - 200), match.start()))
        window = words[-min(len(short) + 5, 2 * len(short)):]
        if not window:
            continue
        begin = window[0].start()
        candidate = text[begin:match.start()].rstrip()
        start = best_long_form(short, candidate)
        if start is None or len(candidate) - start <= len(short):
            continue
        long_span = (begin + start, begin + len(candidate))
        done.add(short)
        for occurrence in re.finditer(r"(?<![\w-])" + re.escape(short) + r"(?![\w])", text):
            if occurrence.start() >= long_span[1]:
                pairs.append(((occurrence.start(), occurrence.end()), long_span))
    return pairs
