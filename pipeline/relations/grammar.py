"""The shared vocabulary of rule files: entity classes, and macros with scopes.

``patterns/grammar.yml`` names groups of entity types (``GENE`` = PROTEIN|FAMILY)
and the few macros every rule file may use. Macros that belong to one family of
rules live in a library under ``patterns/macros/`` that a rule file imports with
``macros_from:``, and a rule file may define its own ``macros:``. A name is
looked up in the file, then in its libraries in the order listed, then in the
grammar, so two files can use the same short name for different things.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from pipeline.errors import PatternError
from pipeline.resources import load_validated

MACRO_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
MACRO_REF = re.compile(r"(?<![:\w])\$([A-Z][A-Z0-9_]*)")


class GrammarFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entity_types: list[str]
    classes: dict[str, list[str]] = Field(default_factory=dict)
    macros: dict[str, str] = Field(default_factory=dict)


class MacroLibraryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    macros: dict[str, str]


@dataclass
class Grammar:
    """Entity classes and global macros (patterns/grammar.yml)."""

    classes: dict[str, list[str]]
    macros: dict[str, str]
    entity_types: set[str]
    path: Path = Path("grammar.yml")
    libraries: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "Grammar":
        spec = load_validated(GrammarFile, path)
        for name in spec.macros:
            _check_name(name, path)
        libraries: dict[str, dict[str, str]] = {}
        for lib_path in sorted((path.parent / "macros").glob("*.yml")):
            lib = load_validated(MacroLibraryFile, lib_path)
            for name in lib.macros:
                _check_name(name, lib_path)
            libraries[lib_path.stem] = {k: str(v) for k, v in lib.macros.items()}
        return cls({k: list(v) for k, v in spec.classes.items()}, {k: str(v) for k, v in spec.macros.items()},
                   set(spec.entity_types), path, libraries)

    def kinds(self, spec: str) -> list[str] | None:
        """Element kinds named by an upper-case spec such as ``GENE|DRUG``, else None (it is a word)."""
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

    def scope(self, path: Path, own: dict[str, str] | None = None, libraries: list[str] = ()) -> "MacroScope":
        """The macros visible in one rule file."""
        layers = [("file", dict(own or {}))]
        for name in libraries:
            if name not in self.libraries:
                raise PatternError("E302", path=path, where="macros_from",
                                   detail=f"no macro library {name!r} (have: {', '.join(self.libraries)})")
            layers.append((f"macros/{name}.yml", self.libraries[name]))
        layers.append(("grammar.yml", self.macros))
        for name in own or {}:
            _check_name(name, path)
        return MacroScope(layers)


@dataclass
class MacroScope:
    """Macro lookup for one file: its own, its libraries', then the grammar's."""

    layers: list[tuple[str, dict[str, str]]]
    used: set[str] = field(default_factory=set)

    def get(self, name: str) -> str | None:
        for _where, table in self.layers:
            if name in table:
                self.used.add(name)
                return table[name]
        return None

    def where(self, name: str) -> str | None:
        return next((w for w, table in self.layers if name in table), None)


def _check_name(name: str, path: Path) -> None:
    if not MACRO_NAME.match(name):
        raise PatternError("E302", path=path, where=f"macros.{name}", detail="macro names are UPPER_CASE")
