"""Residue and site mentions from ``patterns/entities/sites.yml``: regular expressions as data.

Each pattern has an id, a description and examples; the examples are tests
(``tests/test_site_patterns.py`` and ``biomine rules check`` run them). Forms
such as "S1" or "T4" are usually figure panels or cell types, so a pattern may
require a site cue nearby (``context: required``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.entities.sites import normalise_site
from pipeline.errors import PatternError
from pipeline.model import Entity
from pipeline.resources import load_validated

_WORD = re.compile(r"\w+|[^\w\s]")


class SiteExample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    match: list[tuple[str, str, int | None]]  # (text, one-letter residue, position)


class SitePatternSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    description: str
    regex: str
    ignore_case: bool = False
    context: Literal["required", "optional"] = "optional"
    examples: list[SiteExample]

    @field_validator("examples")
    @classmethod
    def _some(cls, examples: list[SiteExample]) -> list[SiteExample]:
        if not any(ex.match for ex in examples):
            raise ValueError("needs at least one example with a match")
        return examples


class SiteCues(BaseModel):
    model_config = ConfigDict(extra="forbid")
    before: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)


class SitesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cues: SiteCues
    patterns: list[SitePatternSpec]


@dataclass
class SitePattern:
    id: str
    regex: re.Pattern
    needs_context: bool
    examples: list[SiteExample]


class SitePatterns:
    """All site patterns with their cue words; ``find`` gives SITE entities."""

    def __init__(self, patterns: list[SitePattern], before: set[str], after: set[str]) -> None:
        self.patterns = patterns
        self.before = before
        self.after = after

    @classmethod
    def load(cls, path: Path) -> "SitePatterns":
        spec = load_validated(SitesFile, path)
        patterns = []
        for item in spec.patterns:
            try:
                regex = re.compile(item.regex, re.IGNORECASE if item.ignore_case else 0)
            except re.error as exc:
                raise PatternError("E303", path=path, rule=item.id, detail=f"regex does not compile ({exc})") from None
            patterns.append(SitePattern(item.id, regex, item.context == "required", item.examples))
        return cls(patterns, {c.lower() for c in spec.cues.before}, {c.lower() for c in spec.cues.after})

    def find(self, text: str) -> list[Entity]:
        sites = []
        for pattern in self.patterns:
            for match in pattern.regex.finditer(text):
                if pattern.needs_context and not self._has_cue(text, match.start(), match.end()):
                    continue
                residue, position = normalise_site(match.group(0))
                if residue is None:
                    continue
                sites.append(Entity(text=match.group(0), type="SITE", start=match.start(), end=match.end(),
                                    rule=pattern.id, residue=residue, position=position,
                                    name=f"{residue}{position}" if position else residue))
        return sites

    def _has_cue(self, text: str, start: int, end: int) -> bool:
        before = [w.lower() for w in _WORD.findall(text[max(0, start - 40):start])][-3:]
        after = [w.lower() for w in _WORD.findall(text[end:end + 40])][:2]
        return bool(set(before) & self.before) or bool(set(after) & self.after)

    def check_example(self, pattern: SitePattern, example: SiteExample) -> list[tuple[str, str, int | None]]:
        """What this one pattern finds in an example text, as (text, residue, position)."""
        found = SitePatterns([pattern], self.before, self.after).find(example.text)
        return [(e.text, e.residue or "", e.position) for e in found]
