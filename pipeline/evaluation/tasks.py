"""Scoring tasks (the rows of the relation table), generated from the relation-type registry.

Why generated: a new relation type with a ``gold:`` mapping must be scored without a code
change. The rule, for each relation with a ``gold:`` entry, in registry order:

* ``subject_optional`` (phosphorylation, dephosphorylation): ``rel`` (object only),
  ``rel+<subject_role>`` (subject and object), and if ``site``: ``rel+<subject_role>+site``.
* otherwise: ``rel`` with the subject (and ``rel+site`` if ``site``).
* ``counts_as: other``: the relation's triples also count in every task of ``other``
  (an autophosphorylation is a phosphorylation with kinase = substrate), and the relation
  gets only its own first task (``autophosphorylation``, object only) since its subject
  variants are already scored inside ``other``'s.
* ``directed: false``: the pair is matched unordered (binding, association).

The first task of each relation is its *base* task, used for negation and hedging
agreement. With biomine's registry this gives: phosphorylation, phosphorylation+kinase,
phosphorylation+kinase+site, autophosphorylation, dephosphorylation,
dephosphorylation+phosphatase, dephosphorylation+phosphatase+site, activation, inhibition,
binding, association, drug_inhibits_target.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable

from pipeline.evaluation.events import reflexive
from pipeline.relations.types import RelationRegistry, registry


@dataclass(frozen=True)
class Task:
    """One scored relation class or variant; ``use_subject``/``use_site`` restrict both sides to triples having them."""

    name: str
    gold_relations: tuple[str, ...]
    pred_relations: tuple[str, ...]
    use_subject: bool = False
    use_site: bool = False
    symmetric: bool = False
    base: bool = False  # the relation's first task: the one used for negation/hedging agreement
    fill_subject: tuple[str, ...] = ()  # relations whose subject-less predictions mean subject = object


def build_tasks(types: RelationRegistry | None = None) -> tuple[Task, ...]:
    """Every task of a registry, by the rule in the module docstring."""
    types = types or registry()
    gold = {n: rt for n, rt in types.types.items() if rt.gold.standoff or rt.gold.pubtator}
    members: dict[str, list[str]] = {n: [n] for n in gold}
    for name, rt in gold.items():
        if rt.counts_as and rt.counts_as in members:
            members[rt.counts_as].append(name)
    tasks: list[Task] = []
    for name, rt in gold.items():
        rels = tuple(members[name])
        fill = tuple(r for r in rels if reflexive(types[r]))
        first = Task(name, rels, rels, use_subject=not rt.subject_optional, symmetric=not rt.directed, base=True,
                     fill_subject=fill)
        tasks.append(first)
        if rt.counts_as in members:  # scored with subject and site inside the other relation's tasks
            continue
        if rt.subject_optional:
            with_subject = replace(first, name=f"{name}+{rt.subject_role}", use_subject=True, base=False)
            tasks.append(with_subject)
            if rt.site:
                tasks.append(replace(with_subject, name=f"{with_subject.name}+site", use_site=True))
        elif rt.site:
            tasks.append(replace(first, name=f"{name}+site", use_site=True, base=False))
    return tuple(tasks)


def tasks_for(relations: Iterable[str], types: RelationRegistry | None = None) -> list[Task]:
    """The tasks a corpus able to express ``relations`` is scored on."""
    able = set(relations)
    return [t for t in build_tasks(types) if able & set(t.gold_relations)]


def for_task(triples: Iterable[Any], task: Task, gold: bool) -> tuple[list[Any], int]:
    """Triples of the task's relations that have the parts it needs, and how many lacked them.

    A subject-less prediction of a reflexive relation (autophosphorylation) gets subject = object
    where the task compares subjects; the gold mapping does the same.
    """
    keep, skipped = [], 0
    for t in triples:
        if t.relation not in (task.gold_relations if gold else task.pred_relations):
            continue
        if not gold and t.subject is None and task.use_subject and t.relation in task.fill_subject:
            t = replace(t, subject=t.object)
        if (task.use_subject and t.subject is None) or (task.use_site and t.site is None):
            skipped += 1
            continue
        keep.append(t)
    return keep, skipped
