"""The relation-type registry: what each relation means, read from ``patterns/relation_types.yml``.

Extraction, every writer, the evaluation and curation ask this registry instead
of hard-coding relation names, so adding a relation type is one entry in the
YAML file plus its rule file. Argument types may name grammar classes
(``GENE`` = PROTEIN|FAMILY, from ``patterns/grammar.yml``).
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.errors import PatternError
from pipeline.model import Entity
from pipeline.resources import load_validated, load_yaml, patterns_dir


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndraSpec(_Closed):
    statement: str
    subject: Literal["enz", "subj", "members"] | None = None
    object: Literal["enz", "sub", "obj", "members"]


class BratSpec(_Closed):
    event: str
    subject: str
    object: str


class StandoffMapping(_Closed):
    """BioNLP-ST events that give this relation (see docs/evaluation.md)."""

    kind: Literal["modification", "control", "complex"]
    events: list[str]
    trigger_prefix: str | None = None  # only events whose trigger starts with this ("autophosph")
    regulation_causes: list[str] = Field(default_factory=list)  # GE style: Cause of a regulation of the event


class PubTatorMapping(_Closed):
    """A BioRED relation type between two entity types that gives this relation."""

    type: str
    subject: str
    object: str


class GoldSpec(_Closed):
    standoff: StandoffMapping | None = None
    pubtator: list[PubTatorMapping] = Field(default_factory=list)


class RelationType(_Closed):
    name: str = ""
    description: str
    subject: list[str]
    object: list[str]
    subject_role: str = "subject"
    object_role: str = "object"
    subject_optional: bool = False
    site: bool = False
    symmetric: bool = False
    directed: bool = True
    self_pairs: bool = False
    counts_as: str | None = None
    direct: bool = False
    color: str = "#888888"
    indra: IndraSpec | None = None
    brat: BratSpec
    gold: GoldSpec = Field(default_factory=GoldSpec)


class Refinement(_Closed):
    relation: str
    to: str
    subject: list[str] | None = None
    object: list[str] | None = None


class RelationTypesFile(_Closed):
    version: Literal[1]
    relations: dict[str, RelationType]
    refinements: list[Refinement] = Field(default_factory=list)


class RelationRegistry:
    """Relation types by name, with their argument types expanded to entity types."""

    def __init__(self, spec: RelationTypesFile, classes: dict[str, list[str]], path: Path) -> None:
        self.path = path
        self.types: dict[str, RelationType] = {
            name: rt.model_copy(update={"name": name}) for name, rt in spec.relations.items()
        }
        self.classes = classes
        self.refinements = spec.refinements
        self._subject = {n: self.expand(rt.subject, f"relations.{n}.subject") for n, rt in self.types.items()}
        self._object = {n: self.expand(rt.object, f"relations.{n}.object") for n, rt in self.types.items()}
        for i, ref in enumerate(self.refinements):
            for name in (ref.relation, ref.to):
                self.check(name, f"refinements.{i}")
        for name, rt in self.types.items():
            if rt.counts_as:
                self.check(rt.counts_as, f"relations.{name}.counts_as")

    @classmethod
    def load(cls, directory: Path) -> "RelationRegistry":
        from pipeline.relations.grammar import Grammar

        grammar = Grammar.load(directory / "grammar.yml")
        path = directory / "relation_types.yml"
        return cls(load_validated(RelationTypesFile, path), grammar.classes, path)

    # -- names -------------------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.types)

    def __contains__(self, name: object) -> bool:
        return name in self.types

    def __getitem__(self, name: str) -> RelationType:
        return self.types[name]

    def check(self, name: str, where: str, path: Path | None = None) -> RelationType:
        """The relation type ``name``, or E308 naming the file and key that used it."""
        if name not in self.types:
            raise PatternError("E308", path=path or self.path, where=where, name=name, known=", ".join(self.types))
        return self.types[name]

    def expand(self, names: list[str], where: str) -> frozenset[str]:
        """Entity types named directly or through a grammar class."""
        out: set[str] = set()
        for n in names:
            out.update(self.classes.get(n, [n]))
        return frozenset(out)

    # -- argument checks and refinement ---------------------------------------------------------------
    def allows(self, relation: str, subject: Entity | None, obj: Entity) -> bool:
        """Whether the arguments have types this relation accepts (a missing subject only if optional)."""
        if obj.type not in self._object[relation]:
            return False
        if subject is None:
            return True  # rules decide whether a subject-less triple is meant; the type says if it is allowed
        return subject.type in self._subject[relation]

    def refine(self, relation: str, subject: Entity | None, obj: Entity) -> str:
        """A more specific relation chosen by argument types (the ``refinements`` list)."""
        for ref in self.refinements:
            if ref.relation != relation:
                continue
            if ref.subject is not None and (subject is None or subject.type not in self.expand(ref.subject, "")):
                continue
            if ref.object is not None and obj.type not in self.expand(ref.object, ""):
                continue
            return ref.to
        return relation

    def scored_as(self, relation: str) -> str:
        """The relation a triple is scored under (an autophosphorylation counts as a phosphorylation)."""
        return self.types[relation].counts_as or relation if relation in self.types else relation

    def subject_types(self, relation: str) -> frozenset[str]:
        return self._subject[relation]

    def object_types(self, relation: str) -> frozenset[str]:
        return self._object[relation]


@functools.lru_cache(maxsize=4)
def _cached(directory: str) -> RelationRegistry:
    return RelationRegistry.load(Path(directory))


def registry(directory: Path | None = None) -> RelationRegistry:
    """The registry of a patterns folder (default: biomine's own), loaded once per process."""
    return _cached(str((directory or patterns_dir()).resolve()))


def load_raw(directory: Path | None = None) -> dict:
    """The YAML as written, for tools that show it (``biomine rules``)."""
    return load_yaml((directory or patterns_dir()) / "relation_types.yml") or {}
