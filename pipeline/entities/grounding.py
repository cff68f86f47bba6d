"""Grounding: from a mention's text to database ids, with the ambiguity kept visible.

A statistical mention ("hPlk1", "PKCδ", "protein kinase C-delta", "the Hog1p protein")
is looked up in biomine's dictionaries under normalised forms of its text: case,
hyphens and spaces, Greek letters (δ/delta), species and isoform prefixes (h-, m-,
r-, x-, d-), a yeast "p" suffix, and head words ("protein", "gene", "kinase"); a
family (FamPlex) is the fallback. When a name fits several ids ("Cdc2" is CDK1 and
POLD1), every candidate is kept with a score, the entity says ``ambiguous``, and
the chosen id is the best-scoring one in context:

- the abbreviation's long form names one candidate ("cell division cycle 2 (Cdc2)");
- a kinase context ("kinase", "phosphorylates") favours kinases;
- another mention in the document already grounded to one candidate;
- species words (yeast, Saccharomyces, Drosophila ...) favour candidates from the
  non-human resources and demote human-only ids for a yeast-style name.

The scores are simple, documented increments over the dictionary's own ranking
(curated > symbol > synonym > alias/full name > previous symbol); they order
candidates, they are not probabilities.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pipeline.entities.dictionary import GREEK, Dictionary, Entry, case_matches
from pipeline.entities.lexicon import entity_lexicon
from pipeline.model import Entity

_SPECIES_PREFIX = re.compile(r"^(?:h|m|r|x|d|y|z|c|hs|mm|dm)(?=[A-Z0-9])")
_YEAST_P = re.compile(r"^([A-Z][a-z]{2}\d+)p$")
_WS = re.compile(r"[\s\u00a0]+")
# Prior of a candidate by how the name is listed for it. A previous official symbol ("CDC2" of CDK1) is
# usually the sense older papers mean, so it ranks above a mere alias; full names and synonyms above both.
FLAG_SCORE = {"curated": 1.0, "symbol": 1.0, "synonym": 0.85, "fullname": 0.85, "previous": 0.75, "alias": 0.7}


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str | None
    type: str
    score: float
    entry: Entry

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "score": round(self.score, 3)}


def _fold(text: str) -> str:
    """Greek letters spelled out, compatibility characters folded, whitespace collapsed, lower case."""
    out = []
    for ch in text:
        out.append(f" {GREEK[ch]}" if ch in GREEK else ch)
    folded = unicodedata.normalize("NFKC", "".join(out))
    return _WS.sub(" ", folded).strip().lower()


def lookup_keys(text: str) -> list[str]:
    """Normalised forms of a mention, most literal first (each is a dictionary key to try)."""
    raw = text.strip()
    forms = [raw]
    m = _YEAST_P.match(raw)
    if m:
        forms.append(m.group(1))  # Hog1p -> Hog1
    stripped = _SPECIES_PREFIX.sub("", raw)
    if stripped != raw and len(stripped) >= 3:
        forms.append(stripped)  # hPlk1 -> Plk1, mSos1 -> Sos1
    words = raw.split()
    while len(words) > 1 and words[-1].lower() in entity_lexicon().grounding_heads:
        words = words[:-1]
        forms.append(" ".join(words))  # "the Hog1 protein kinase" -> "Hog1"
    singular = _singular(raw)
    if singular != raw:
        forms.append(singular)  # "pancreatic cancers" -> "pancreatic cancer"
    keys: list[str] = []
    for form in forms:
        folded = _fold(form)
        for key in (folded, folded.replace(" ", ""), folded.replace("-", " "), folded.replace("-", ""),
                    re.sub(r"(?<=[a-z0-9]) (alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa)$", r"\1",
                           folded.replace("-", " "))):
            key = key.strip()
            if key and key not in keys:
                keys.append(key)
    for key in _loose_keys(_fold(raw)):  # last resort, after every literal form
        if key not in keys:
            keys.append(key)
    return keys


_GREEK_LETTER = {"alpha": "a", "beta": "b", "gamma": "g", "delta": "d", "kappa": "k", "epsilon": "e", "zeta": "z"}
_SPELLED_GREEK = re.compile(r"(?<=[a-z0-9-])(alpha|beta|gamma|delta|kappa|epsilon|zeta)(?=\d|$)")
_VARIANT_SUFFIX = re.compile(r"(?<=[a-z0-9])v\d+$|(?<=\d)[ab]$")  # transcript variant "v4", isoform "A"


def _loose_keys(folded: str) -> list[str]:
    """Looser spellings tried only when nothing literal matched: a spelled-out Greek letter as the single
    letter of official symbols ("TGF-beta3" -> TGFB3), "synthase" for "synthetase" (and back), and a
    transcript-variant or isoform suffix dropped ("FLNBv4" -> FLNB, "OCT4A" -> OCT4)."""
    out = []
    greek = _SPELLED_GREEK.sub(lambda m: _GREEK_LETTER[m.group(1)], folded)
    if greek != folded:
        out += [greek.replace("-", "").replace(" ", "")]
    for a, b in ((" synthase", " synthetase"), (" synthetase", " synthase")):
        if folded.endswith(a):
            out.append(folded[: -len(a)] + b)
    if " " not in folded and len(folded) >= 4:
        trimmed = _VARIANT_SUFFIX.sub("", folded.replace("-", ""))
        if trimmed != folded.replace("-", "") and len(trimmed) >= 3:
            out.append(trimmed)
    return out


def _singular(text: str) -> str:
    """The text with its last word in the singular ("malignancies" -> "malignancy"); plain heuristics."""
    head, _, last = text.rpartition(" ")
    low = last.lower()
    if len(low) < 5 or not low.isalpha() or low.endswith(("ss", "us", "is")):
        return text
    if low.endswith("ies"):
        last = last[:-3] + "y"
    elif low.endswith(("ches", "shes", "xes", "ses")):
        last = last[:-2]
    elif low.endswith("s"):
        last = last[:-1]
    return f"{head} {last}" if head else last


def candidates_for(dictionary: Dictionary, text: str, types: tuple[str, ...] | None = None,
                   strict_case: bool = True) -> list[Candidate]:
    """Every dictionary id the mention text can stand for, best first by dictionary rank.

    ``strict_case`` applies the dictionary's case rules ("CAN" only in capitals); a mention the
    recogniser already judged to be a name ("apoE", "Nanog") is looked up without them.
    Names recur across documents, so answers are kept (per process, bounded); candidates are frozen.
    """
    return list(_cached_candidates(dictionary, text, tuple(types) if types else None, strict_case))


@functools.lru_cache(maxsize=1 << 16)
def _cached_candidates(dictionary: Dictionary, text: str, types: tuple[str, ...] | None,
                       strict_case: bool) -> tuple[Candidate, ...]:
    return tuple(_candidates(dictionary, text, types, strict_case))


def _candidates(dictionary: Dictionary, text: str, types: tuple[str, ...] | None, strict_case: bool) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for depth, key in enumerate(lookup_keys(text)):
        found = dictionary.automaton.get(key, None) if len(dictionary.automaton) else None
        found = found or dictionary.lookup_only.get(key)
        if not found:
            continue
        _length, group = found
        for entry in group:
            if entry.id is None or (types and entry.type not in types):
                continue
            if strict_case and key == _fold(text) and (entry.case_sensitive or _acronym(entry.term)) \
                    and not case_matches(text, entry.term):
                continue
            flags = {"curated"} if entry.source == "curated" else entry.flags
            score = max((FLAG_SCORE[f] for f in flags if f in FLAG_SCORE), default=0.6) - 0.05 * min(depth, 4)
            if entry.id not in seen or seen[entry.id].score < score:
                seen[entry.id] = Candidate(entry.id, entry.name, entry.type, score, entry)
        if seen:
            break  # the most literal form that matches decides; looser forms are only a fallback
    return sorted(seen.values(), key=lambda c: (-c.score, c.entry.rank))


def _acronym(term: str) -> bool:
    return len(term) <= 5 and term.isupper()


@dataclass
class Context:
    """What the rest of the document says about a mention."""

    sentence: str = ""
    document: str = ""
    long_form: str | None = None  # the expansion when the mention is an abbreviation
    document_ids: frozenset[str] = frozenset()  # ids already grounded unambiguously in the document


def choose(candidates: list[Candidate], context: Context) -> list[Candidate]:
    """Candidates re-scored in context, best first (the increments are documented in the module)."""
    lex = entity_lexicon()
    kinase = _found(lex.kinase_context, context.sentence)
    species = _found(lex.species, context.document)  # asked for every ambiguous mention of the document
    long_form = _fold(context.long_form) if context.long_form else None
    rescored = []
    for cand in candidates:
        score = cand.score
        if long_form and cand.name and (_fold(cand.name) == long_form or long_form in _fold(cand.entry.term)):
            score += 0.5
        if kinase and "kinase" in cand.entry.flags:
            score += 0.3
        if cand.id in context.document_ids:
            score += 0.3
        if species and cand.type == "FAMILY":
            score += 0.1  # a family name fits a non-human gene better than a human symbol does
        rescored.append(Candidate(cand.id, cand.name, cand.type, score, cand.entry))
    return sorted(rescored, key=lambda c: (-c.score, c.entry.rank))


@functools.lru_cache(maxsize=256)
def _found(pattern: re.Pattern, text: str) -> bool:
    """Whether ``pattern`` occurs in ``text``; remembered, because one document asks it for every mention."""
    return pattern.search(text) is not None


def ground(entity: Entity, candidates: list[Candidate], context: Context) -> Entity:
    """Set the chosen id, the ambiguity flag and the candidate list on an entity (in place)."""
    if not candidates:
        return entity
    ranked = choose(candidates, context)
    best = ranked[0]
    entity.id, entity.name = best.id, best.name
    entity.kinase = entity.kinase or "kinase" in best.entry.flags
    entity.xrefs = dict(best.entry.xrefs) or entity.xrefs
    if len(ranked) > 1:
        entity.ambiguous = True
        entity.candidates = [c.to_dict() for c in ranked[:10]]
    return entity
