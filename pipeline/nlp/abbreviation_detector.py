"""scispaCy's abbreviation detector with its two Matchers replaced by linear scans.

The algorithm is scispaCy's (Schwartz & Hearst 2003, ``scispacy.abbreviation``): the
candidate pairs, the filters, the long-form search and the serialisable output are its own
functions. Only the token matching changes. scispaCy's first Matcher (``( + )``) returns
every pair of an opening and a later closing parenthesis, which is quadratic in their number
and walks every token as a Python object; its filter keeps only pairs at most
``MAX_INSIDE`` tokens apart, so only those are produced here, in the Matcher's order (by
closing parenthesis, then the nearest opening one first). The second Matcher, which finds
every later occurrence of each short form, becomes a search over the token ids. Together
they cost about a quarter of what the Matchers did. ``tests/test_abbreviation_detector.py``
compares both with scispaCy's component.
"""
from __future__ import annotations

import bisect
from collections import defaultdict

import numpy
from scispacy.abbreviation import AbbreviationDetector, filter_matches, find_abbreviation
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

MAX_INSIDE = 8  # scispaCy's filter_matches drops candidates with more tokens between the brackets


class LinearAbbreviationDetector(AbbreviationDetector):
    """Same ``doc._.abbreviations`` as scispaCy's detector, found in time linear in the text."""

    def __init__(self, nlp, name: str = "biomine_abbreviations_v1", make_serializable: bool = True) -> None:
        super().__init__(nlp, name=name, make_serializable=make_serializable)
        self.open_id = nlp.vocab.strings.add("(")
        self.close_id = nlp.vocab.strings.add(")")

    def __call__(self, doc: Doc) -> Doc:
        orths = doc.to_array(ORTH)
        filtered = filter_matches(self.bracket_pairs(orths), doc)
        for long_form, short_forms in self.occurrences(filtered, doc, orths):
            for short in sorted(short_forms, key=lambda span: (span.start, span.end)):  # a set of Spans hashed
                # by object identity: in text order, so every run lists them alike
                short._.long_form = long_form
                doc._.abbreviations.append(short)
        if self.make_serializable:
            doc._.abbreviations = [self.make_short_form_serializable(a) for a in doc._.abbreviations]
        return doc

    def bracket_pairs(self, orths: numpy.ndarray) -> list[tuple[int, int, int]]:
        """(0, first inner token, closing bracket) for "( ... )" with 1 to MAX_INSIDE tokens inside,
        ordered as the Matcher orders ``( + )`` matches."""
        opens = numpy.flatnonzero(orths == self.open_id).tolist()
        if not opens:
            return []
        closes = numpy.flatnonzero(orths == self.close_id).tolist()
        pairs = []
        for close in closes:
            i = bisect.bisect_left(opens, close - 1)  # opens before i leave at least one token inside
            while i > 0 and close - opens[i - 1] - 1 <= MAX_INSIDE:
                i -= 1
                pairs.append((0, opens[i] + 1, close))
        return pairs

    def occurrences(self, filtered: list[tuple[Span, Span]], doc: Doc,
                    orths: numpy.ndarray) -> list[tuple[Span, set[Span]]]:
        """scispaCy's ``find_matches_for``, with its global Matcher replaced by a search of the token ids."""
        all_occurrences: dict[Span, set[Span]] = defaultdict(set)
        seen_long: set[str] = set()
        seen_short: set[str] = set()
        wanted: list[tuple[Span, tuple[int, ...]]] = []
        for long_candidate, short_candidate in filtered:
            short, long = find_abbreviation(long_candidate, short_candidate)
            new_long = long.text not in seen_long if long else False
            new_short = short.text not in seen_short
            if long is not None and new_long and new_short:
                seen_long.add(long.text)
                seen_short.add(short.text)
                all_occurrences[long].add(short)
                wanted.append((long, tuple(orths[short.start:short.end].tolist())))
        if wanted:  # one pass over the tokens that can start a short form, whatever their number
            by_first: dict[int, list[tuple[Span, tuple[int, ...]]]] = defaultdict(list)
            for long, ids in wanted:
                by_first[ids[0]].append((long, ids))
            starts = numpy.flatnonzero(numpy.isin(orths, list(by_first))).tolist()
            for start in starts:
                for long, ids in by_first[int(orths[start])]:
                    if tuple(orths[start:start + len(ids)].tolist()) == ids:
                        all_occurrences[long].add(doc[start:start + len(ids)])
        return list(all_occurrences.items())
