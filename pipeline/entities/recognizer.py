"""Entity recognition: dictionaries, site patterns and abbreviation links.

Everything the recogniser knows comes from ``patterns/``: dictionary files for
names, ``entities/sites.yml`` for residues. Entities are character spans, so
they may sit inside a scispaCy token (``MKK3/MKK6-p38``).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from pathlib import Path

from pipeline.entities.dictionary import Dictionary, Entry, load_dictionary
from pipeline.entities.grounding import Context, candidates_for, ground
from pipeline.entities.lexicon import entity_lexicon
from pipeline.entities.mentions import combine
from pipeline.entities.site_patterns import SitePatterns
from pipeline.model import GENE_TYPES, Entity, Sentence

_ELLIPSIS = re.compile(r"([A-Za-z][\w-]*)\s*(?:,\s*and|,\s*or|,|and|or)\s+$")


class EntityRecognizer:
    """Finds entities in a document's text, sentence by sentence."""

    def __init__(self, patterns_dir: Path, dictionary: Dictionary | None = None) -> None:
        self.patterns_dir = patterns_dir
        self.dictionary = dictionary or load_dictionary((patterns_dir / "dictionaries").resolve())
        self.sites = SitePatterns.load(patterns_dir / "entities" / "sites.yml")

    def recognise(
        self,
        text: str,
        sentences: list[Sentence],
        abbreviations: list[tuple[tuple[int, int], tuple[int, int]]] = (),
        given: list[Entity] | None = None,
        mentions: list[tuple[int, int, str]] | None = None,
    ) -> list[Entity]:
        """All entities of a text, non-overlapping, sorted, each with its sentence index.

        ``given`` replaces the dictionary's PROTEIN/FAMILY mentions (shared-task setting).
        """
        candidates: list[Entity] = []
        for start, end, entry in self.dictionary.find(text):
            if given is not None and entry.type in GENE_TYPES:
                continue
            candidates.append(_from_entry(text, start, end, entry))
        candidates.extend(self.find_sites(text))
        if mentions:  # after the sites: a mention over a residue never turns it into a gene
            candidates = combine(self.dictionary, text, candidates, mentions, genes=given is None)
        candidates.extend(self.elliptic_heads(text, candidates))
        entities = resolve_overlaps(candidates, preferred=given or [])
        entities = link_abbreviations(text, entities, abbreviations, self.is_gene_name)
        assign_sentences(entities, sentences)
        ground_in_context(self.dictionary, text, entities, sentences, abbreviations)
        return entities

    def is_gene_name(self, name: str) -> bool:
        """Whether the gene dictionaries know ``name`` (any case): a protein hormone is a MeSH chemical too."""
        return bool(candidates_for(self.dictionary, name, GENE_TYPES, strict_case=False))

    def elliptic_heads(self, text: str, candidates: list[Entity]) -> list[Entity]:
        """"cardiovascular and neurodegenerative diseases": the first conjunct shares the head noun.

        If "cardiovascular diseases" is itself a dictionary term, the bare
        "cardiovascular" is recognised with that term's identity.
        """
        found = []
        for ent in candidates:
            words = ent.text.split()
            if len(words) < 2 or ent.type in ("SITE",):
                continue
            head = " ".join(words[1:])
            window_start = max(0, ent.start - 60)
            before = _ELLIPSIS.search(text[window_start:ent.start])
            if not before:
                continue
            word = before.group(1)
            start = window_start + before.start(1)
            for _s, _e, entry in self.dictionary.find(f"{word} {head}"):
                if _s == 0 and _e == len(word) + 1 + len(head) and entry.type == ent.type:
                    found.append(Entity(text=word, type=entry.type, start=start, end=start + len(word), id=entry.id,
                                        name=entry.name, rule="dictionary:elliptic_head", kinase="kinase" in entry.flags,
                                        xrefs=dict(entry.xrefs)))
                    break
        return found

    def find_sites(self, text: str) -> list[Entity]:
        return self.sites.find(text)


def ground_in_context(dictionary: Dictionary, text: str, entities: list[Entity], sentences: list[Sentence],
                      abbreviations: list[tuple[tuple[int, int], tuple[int, int]]] = ()) -> None:
    """Re-ground, in context, every mention whose name fits several ids (see ``grounding``); in place."""
    groups: dict[str, list[Entity]] = {}
    found_for: dict[str, list] = {}
    for ent in entities:
        if ent.type == "SITE" or ent.rule.startswith(("given", "abbreviation")):
            continue
        key = ent.text.lower()
        if key not in found_for:
            found_for[key] = candidates_for(dictionary, ent.text, (ent.type,) if ent.type not in GENE_TYPES else GENE_TYPES)
        if len({c.id for c in found_for[key]}) > 1:
            groups.setdefault(key, []).append(ent)
    if not groups:
        return
    ambiguous_ids = {id(e) for members in groups.values() for e in members}
    settled = frozenset(e.id for e in entities
                        if e.id and id(e) not in ambiguous_ids and not e.rule.startswith("abbreviation"))
    long_forms = {short: text[lf[0]:lf[1]] for short, lf in abbreviations}
    by_index = {s.index: s.text for s in sentences}
    for key, members in groups.items():
        # one sense per discourse: every mention of the name gets the same reading, chosen from all contexts
        sentences_text = " ".join(dict.fromkeys(by_index.get(e.sentence, "") for e in members))
        long_form = next((lf for (s, e), lf in long_forms.items()
                          for m in members if s <= m.start and m.end <= e), None)
        context = Context(sentences_text, text, long_form, settled)
        chosen = None
        for ent in members:
            chosen = ground(ent, found_for[key], context)
        if chosen is not None:  # the abbreviation's other form follows its source
            for ent in entities:
                if ent.rule.startswith("abbreviation") and ent.id in {c.id for c in found_for[key]}:
                    ent.id, ent.name, ent.ambiguous, ent.candidates = chosen.id, chosen.name, True, chosen.candidates


def _from_entry(text: str, start: int, end: int, entry: Entry) -> Entity:
    return Entity(
        text=text[start:end], type=entry.type, start=start, end=end, id=entry.id, name=entry.name,
        rule=f"dictionary:{entry.source}", kinase="kinase" in entry.flags, xrefs=dict(entry.xrefs),
    )


def resolve_overlaps(candidates: list[Entity], preferred: list[Entity] = ()) -> list[Entity]:
    """Keep the longest of overlapping mentions; preferred (given) mentions always win.

    What is taken is kept as disjoint, sorted segments (the preferred mentions merged where they
    overlap), so each candidate is checked by bisection: linear-logarithmic in the mentions, where
    comparing each with every mention taken was quadratic.
    """
    chosen: list[Entity] = list(preferred)
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted((e.start, e.end) for e in chosen):
        if starts and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    order = sorted(candidates, key=lambda e: (-(e.end - e.start), e.type == "SITE", e.start))
    for ent in order:
        i = bisect.bisect_left(starts, ent.end)  # segments before i start before the candidate ends
        if i and ends[i - 1] > ent.start:
            continue
        chosen.append(ent)
        starts.insert(i, ent.start)
        ends.insert(i, ent.end)
    return sorted(chosen, key=lambda e: (e.start, e.end))


def link_abbreviations(
    text: str, entities: list[Entity], abbreviations: list[tuple[tuple[int, int], tuple[int, int]]],
    is_gene_name: Callable[[str], bool] | None = None,
) -> list[Entity]:
    """An entity recognised by its long form or short form is recognised at every occurrence of the other.

    The definition in the text also beats a dictionary's gene alias for the short form
    (one sense per discourse: every same-text gene mention of the document follows it):
    a short form whose long form is a disease, drug or cell line ("hepatocellular carcinoma
    (HCC)", "Contrast-induced nephropathy (CIN)") takes that type; one whose long form names
    no gene product at all ("bone mineral density (BMD)", "twice daily (BID)") is no gene.
    """
    if not abbreviations:
        return entities
    gene_name = is_gene_name or (lambda _name: False)
    by_span = {(e.start, e.end): e for e in entities}
    added: list[Entity] = []

    def covered(start: int, end: int) -> bool:
        return any(e.start < end and start < e.end for e in entities + added)

    def source_for(span: tuple[int, int]) -> Entity | None:
        exact = by_span.get(span)
        if exact:
            return exact
        # A long form such as "apoptosis signal-regulating kinase 1" whose head entity covers most of it.
        inside = [e for e in entities if e.start >= span[0] and e.end <= span[1] and e.type != "SITE"]
        if len(inside) == 1 and (inside[0].end - inside[0].start) >= 0.6 * (span[1] - span[0]):
            return inside[0]
        return None

    retyped: dict[str, Entity | None] = {}  # short text -> the long form's entity, or None: not a gene
    long_forms: dict[str, Entity] = {}
    linked: list[tuple[tuple[int, int], tuple[int, int], str, Entity | None, Entity | None]] = []
    for short, long in abbreviations:
        long_text = text[long[0]:long[1]]
        if entity_lexicon().organism.search(long_text):
            continue  # "hepatitis B virus (HBV)": an organism, not the disease its name begins with
        long_entity = source_for(long)
        short_entity = by_span.get(short)
        if short_entity is not None and _is_dictionary_gene(short_entity) and not gene_name(long_text):
            head = by_span.get(long) or _head_entity(entities, long)
            if head is not None and head.type in DEFINING_TYPES:
                # the long form itself, or its head when that covers most of it, lends its identity;
                # a shorter head ("nephropathy" of "Contrast-induced nephropathy") only its type
                named = head is by_span.get(long) or head is long_entity
                retyped[short_entity.text] = head if named else Entity(
                    text=long_text, type=head.type, start=long[0], end=long[1], rule=head.rule)
                continue
            if not _names_gene_product(long_text, [e for e in entities if long[0] <= e.start and e.end <= long[1]]):
                retyped[short_entity.text] = None
                continue
        if long_entity and short_entity and long_entity.type == short_entity.type:
            # a recognised but ungrounded form takes the other form's identity ("PD" of "Parkinson's disease")
            for empty, full in ((short_entity, long_entity), (long_entity, short_entity)):
                if empty.id is None and full.id is not None:
                    empty.id, empty.name, empty.xrefs = full.id, full.name, dict(full.xrefs)
                    empty.kinase = empty.kinase or full.kinase
        linked.append((short, long, long_text, long_entity, short_entity))
    # Copies are made once every pair has lent its identity, so no copy depends on the order of the pairs.
    for short, long, long_text, long_entity, short_entity in linked:
        if long_entity and not short_entity and not covered(*short):
            added.append(_copy_as(long_entity, text, short, "abbreviation:short"))
        elif short_entity and not long_entity and not covered(*long):
            added.append(_copy_as(short_entity, text, long, "abbreviation:long"))
            long_forms[" ".join(long_text.lower().split())] = short_entity
    if retyped:
        entities = _follow_definitions(entities, retyped)
    # The long form recognised through its abbreviation counts wherever else it is written.
    for form, source in long_forms.items():
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in form.split()) + r"(?!\w)"
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            if not covered(match.start(), match.end()):
                added.append(_copy_as(source, text, (match.start(), match.end()), "abbreviation:long"))
    return sorted(entities + added, key=lambda e: (e.start, e.end))


DEFINING_TYPES = ("DISEASE", "DRUG", "CELL_LINE")
_NUMBERED = re.compile(r"(?:[a-z]{0,2}\d+[a-z]?|[IVX]+|alpha|beta|gamma|delta|kappa|[αβγδκ])$", re.IGNORECASE)


def _is_dictionary_gene(entity: Entity) -> bool:
    """A gene reading that came from a dictionary alias (statistical or not), open to the text's definition."""
    return entity.type in GENE_TYPES and "dictionary:" in entity.rule and not entity.rule.startswith("given")


def _head_entity(entities: list[Entity], span: tuple[int, int]) -> Entity | None:
    """The entity that ends the long form ("nephropathy" of "Contrast-induced nephropathy")."""
    return next((e for e in entities if e.end == span[1] and e.start >= span[0] and e.type != "SITE"), None)


def _names_gene_product(long_text: str, inside: list[Entity]) -> bool:
    """Whether a long form can be a gene product's name: a gene inside it, a product word, or numbering."""
    if any(e.type in GENE_TYPES for e in inside):
        return True
    words = re.findall(r"[\w']+", long_text)
    return bool(words) and (any(entity_lexicon().gene_product_word.search(w) for w in words) or bool(_NUMBERED.match(words[-1])))


def _follow_definitions(entities: list[Entity], retyped: dict[str, Entity | None]) -> list[Entity]:
    """Every dictionary gene mention of a defined short form takes its definition's type, or is dropped."""
    kept = []
    for ent in entities:
        if ent.text in retyped and _is_dictionary_gene(ent):
            source = retyped[ent.text]
            if source is None:
                continue
            _take_identity(ent, source)
        kept.append(ent)
    return kept


def _take_identity(entity: Entity, source: Entity) -> None:
    entity.type, entity.id, entity.name, entity.xrefs = source.type, source.id, source.name, dict(source.xrefs)
    entity.kinase, entity.ambiguous, entity.candidates = source.kinase, source.ambiguous, list(source.candidates)
    entity.rule = "abbreviation:short"


def _copy_as(source: Entity, text: str, span: tuple[int, int], rule: str) -> Entity:
    return Entity(text=text[span[0]:span[1]], type=source.type, start=span[0], end=span[1], id=source.id,
                  name=source.name, rule=rule, kinase=source.kinase, xrefs=dict(source.xrefs))


def assign_sentences(entities: list[Entity], sentences: list[Sentence]) -> None:
    """Set each entity's sentence index (the sentence containing its start)."""
    j = 0
    for ent in entities:
        while j + 1 < len(sentences) and sentences[j].end <= ent.start:
            j += 1
        ent.sentence = sentences[j].index if sentences else -1
