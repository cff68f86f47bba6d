"""Negation and hedging in the style of ConText: cues with a direction and a scope, as data.

ConText (Harkema, Dowling, Thornblade and Chapman 2009, J Biomed Inform 42:839)
marks a target as negated or hypothetical when it lies in the scope of a cue:
scopes run forward or backward from the cue for a number of words, end at
terminators ("but", "however") and ignore pseudo-cues ("not only"). medspaCy's
``ConText`` component is the model; the cues live in ``patterns/modality.yml``.
Here the targets are the elements a relation rule matched (trigger, arguments and
what lies between them), so a cue inside the match always counts.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.relations.elements import WORD_KIND, Element
from pipeline.resources import load_validated

Category = Literal["NEGATED", "HEDGED"]
Direction = Literal["forward", "backward", "bidirectional"]


class _DirectedCues(BaseModel):
    model_config = ConfigDict(extra="forbid")
    forward: list[str] = Field(default_factory=list)
    backward: list[str] = Field(default_factory=list)
    bidirectional: list[str] = Field(default_factory=list)


class ModalityFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1]
    default_scope: int = Field(ge=1)
    cues: dict[Category, _DirectedCues]
    sentence_cues: dict[Category, list[str]] = Field(default_factory=dict)
    sentence_start_cues: dict[Category, list[str]] = Field(default_factory=dict)
    pseudo_cues: list[str] = Field(default_factory=list)
    terminators: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]  # lower-case; a word ending in * matches any ending
    category: Category
    direction: Direction
    scope: int | None  # elements; None = to the sentence boundary
    sentence_start: bool = False


@dataclass(frozen=True)
class CueHit:
    cue: Cue
    first: int  # element index of the cue's first word
    last: int


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") and len(pattern) > 1 else word == pattern


class Modality:
    """Cues, pseudo-cues and terminators; ``flags`` says whether a match is negated or hedged."""

    def __init__(self, cues: list[Cue], pseudo: list[tuple[str, ...]], terminators: set[str]) -> None:
        self.cues = cues
        self.pseudo = pseudo
        self.terminators = terminators
        # cues indexed by their first word (exact) or its prefix ("suggest*"), so a sentence is read once
        self._exact: dict[str, list[Cue]] = {}
        self._prefixed: list[tuple[str, Cue]] = []
        for cue in cues:
            head = cue.words[0]
            if head.endswith("*") and len(head) > 1:
                self._prefixed.append((head[:-1], cue))
            else:
                self._exact.setdefault(head, []).append(cue)
        self._pseudo_heads = {p[0] for p in pseudo}

    @classmethod
    def load(cls, path: Path) -> "Modality":
        spec = load_validated(ModalityFile, path)
        cues: list[Cue] = []
        for category, directed in spec.cues.items():
            for direction in ("forward", "backward", "bidirectional"):
                for text in getattr(directed, direction):
                    cues.append(Cue(tuple(str(text).lower().split()), category, direction, spec.default_scope))
        for category, texts in spec.sentence_cues.items():
            cues += [Cue(tuple(str(t).lower().split()), category, "forward", None) for t in texts]
        for category, texts in spec.sentence_start_cues.items():
            cues += [Cue(tuple(str(t).lower().split()), category, "forward", None, True) for t in texts]
        pseudo = [tuple(str(p).lower().split()) for p in spec.pseudo_cues]
        return cls(cues, pseudo, {str(t).lower() for t in spec.terminators})

    def cue_spans(self, words: list[str]) -> list[tuple[Cue, int, int]]:
        """(cue, first, last) positions in a word list, pseudo-cues excluded; one pass over the words."""
        blocked: set[int] = set()
        for k, word in enumerate(words):
            if word in self._pseudo_heads:
                for phrase in self.pseudo:
                    if tuple(words[k:k + len(phrase)]) == phrase:
                        blocked.update(range(k, k + len(phrase)))
        found = []
        for k, word in enumerate(words):
            if k in blocked:
                continue
            candidates = list(self._exact.get(word, ()))
            candidates += [cue for prefix, cue in self._prefixed if word.startswith(prefix)]
            for cue in candidates:
                n = len(cue.words)
                span = words[k:k + n]
                if len(span) == n and not any(i in blocked for i in range(k, k + n)) and \
                        all(_word_matches(p, w) for p, w in zip(cue.words, span)):
                    found.append((cue, k, k + n - 1))
        return found

    def find_cues(self, elements: list[Element]) -> list[CueHit]:
        """Cue occurrences in a sentence, pseudo-cues excluded (phrases over word elements)."""
        positions = [i for i, el in enumerate(elements) if el.kind == WORD_KIND]
        words = [elements[i].lower for i in positions]
        first_word = positions[0] if positions else -1
        hits = []
        for cue, k, last in self.cue_spans(words):
            if cue.sentence_start and positions[k] != first_word:
                continue
            hits.append(CueHit(cue, positions[k], positions[last]))
        return hits

    def _terminated(self, elements: list[Element], lo: int, hi: int) -> bool:
        return any(elements[i].kind == WORD_KIND and elements[i].lower in self.terminators for i in range(lo, hi))

    def in_scope(self, hit: CueHit, elements: list[Element], first: int, last: int) -> bool:
        """Whether the target elements first..last lie in the scope of this cue occurrence."""
        cue = hit.cue
        if cue.sentence_start:
            return first > hit.last
        if first <= hit.first and hit.last <= last:
            return True  # the cue is inside the match: "Akt did not phosphorylate ASK1"
        if cue.direction in ("forward", "bidirectional") and hit.last < first:
            near = cue.scope is None or first - hit.last <= cue.scope
            if near and not self._terminated(elements, hit.last + 1, first):
                return True
        if cue.direction in ("backward", "bidirectional") and hit.first > last:
            near = cue.scope is None or hit.first - last <= cue.scope
            if near and not self._terminated(elements, last + 1, hit.first):
                return True
        return False

    def flags(self, elements: list[Element], first: int, last: int, hits: list[CueHit] | None = None) -> tuple[bool, bool]:
        """(negated, hedged) for a match spanning elements first..last."""
        negated = hedged = False
        for hit in self.find_cues(elements) if hits is None else hits:
            if (hit.cue.category == "NEGATED" and negated) or (hit.cue.category == "HEDGED" and hedged):
                continue
            if self.in_scope(hit, elements, first, last):
                if hit.cue.category == "NEGATED":
                    negated = True
                else:
                    hedged = True
        return negated, hedged

    def syntactic_flags(self, doc: Any, trigger: Any) -> tuple[bool, bool]:
        """(negated, hedged) for a trigger in a parsed sentence: a cue counts when the trigger lies in
        the clause the cue governs (``dependency.scope_tokens``), not within a fixed window.
        Cues and their scopes are worked out once per parsed sentence."""
        from pipeline.relations.dependency import scope_tokens

        cached = doc.user_data.get("biomine_cue_scopes")
        if cached is None:
            words = [t.lower_ for t in doc]
            first_word = next((t.i for t in doc if not t.is_punct), 0)
            cached = []
            for cue, k, last in self.cue_spans(words):
                if cue.sentence_start:
                    if k == first_word:
                        cached.append((cue.category, None, last))
                else:
                    cached.append((cue.category, frozenset(scope_tokens(doc[last])), last))
            doc.user_data["biomine_cue_scopes"] = cached
        negated = hedged = False
        for category, scope, last in cached:
            hit = trigger.i > last if scope is None else trigger.i in scope
            if hit:
                negated = negated or category == "NEGATED"
                hedged = hedged or category == "HEDGED"
        return negated, hedged
