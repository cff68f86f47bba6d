"""Universal POS, morphology and lemmas from the tagger's PTB tags, as one cached table lookup.

The shipped pipeline used to run an attribute_ruler (PTB tag -> UPOS and morphology, AUX for
auxiliaries and copulas) and spaCy's rule lemmatizer after the parser. Both work token by token
in Python (a Matcher pass, a Token object per word): 1.2 ms per abstract, a seventh of the
parser's whole cost. Everything they decide depends on three values of a token only (its form,
its tag and its dependency label), so this component decides each (form, tag, label) once,
caches the answer, and writes POS, MORPH and LEMMA for a whole sentence with one array call.

The rules are data: tables in the component's lookups, filled at assembly time from
``pipeline.training.tag_map`` (``morphology_tables``) and serialised with the model
(``lookups.bin``) next to spaCy's English lemmatizer tables. Results are those of the attribute_ruler + lemmatizer pair
(``tests/test_morphology.py`` compares both on the same parses).
"""
from __future__ import annotations

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.tokens import Doc

TAG_POS = "biomine_tag_pos"            # PTB tag -> UPOS
TAG_MORPH = "biomine_tag_morph"        # PTB tag -> morphology in UD FEATS notation
VERB_TAGS = "biomine_verb_tags"        # tags of verbs (auxiliary rules apply to them only)
AUX_ALWAYS = "biomine_aux_always"      # lowercase forms that are AUX as verbs ("is", "were")
AUX_IF_DEP = "biomine_aux_if_dep"      # lowercase forms that are AUX under an aux label ("has")
AUX_DEPS = "biomine_aux_deps"          # those labels
TO_ADP_DEPS = "biomine_to_adp_deps"    # labels under which "to" is a preposition
LEMMA_FIXES = "biomine_lemma_fixes"    # lowercase verb form -> lemma (AUX has no English table)
TABLES = (TAG_POS, TAG_MORPH, VERB_TAGS, AUX_ALWAYS, AUX_IF_DEP, AUX_DEPS, TO_ADP_DEPS, LEMMA_FIXES)
MAX_CACHE = 200_000  # (form, tag, label) triples remembered; cleared when full


class CachedMorphology(EnglishLemmatizer):
    """spaCy's English rule lemmatizer (tables, serialisation) plus the tag map, applied by array."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # (form, tag, label) -> (POS id, MORPH key, lemma text): the lemma is kept as text because the
        # strings a document adds are freed with its memory zone (runner/processor.py), hashes would dangle
        self._decided: dict[tuple[int, int, int], tuple[int, int, str]] = {}

    @classmethod
    def get_lookups_config(cls, mode: str) -> tuple[list[str], list[str]]:
        required, optional = super().get_lookups_config(mode)
        return required + list(TABLES), optional

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if not self._validated:
            self._validate_tables()
        rows = doc.to_array([ORTH, TAG, DEP, LOWER]).tolist()
        decided = self._decided
        if len(decided) > MAX_CACHE:
            decided.clear()
        answers = [decided.get((orth, tag, dep)) for orth, tag, dep, _lower in rows]
        for i, answer in enumerate(answers):
            if answer is None:
                orth, tag, dep, lower = rows[i]
                answers[i] = decided[(orth, tag, dep)] = self._decide(doc[i], lower, tag, dep)
        add = self.vocab.strings.add
        ids = [(pos, morph, add(lemma)) for pos, morph, lemma in answers]
        return doc.from_array([POS, MORPH, LEMMA], numpy.array(ids, dtype="uint64"))

    def _decide(self, token, lower: int, tag: int, dep: int) -> tuple[int, int, str]:
        """(POS, MORPH, LEMMA) ids for one token: what the attribute_ruler patterns and the rule
        lemmatizer would set (later ruler patterns win; a fixed lemma is not recomputed)."""
        strings = self.vocab.strings
        table = self.lookups.get_table
        tag_s, lower_s, dep_s = strings[tag] if tag else "", strings[lower], strings[dep] if dep else ""
        pos = table(TAG_POS).get(tag_s)
        morph = table(TAG_MORPH).get(tag_s)
        if tag_s in table(VERB_TAGS):
            if lower_s in table(AUX_ALWAYS) or (lower_s in table(AUX_IF_DEP) and dep_s in table(AUX_DEPS)):
                pos = "AUX"
        if tag_s == "TO" and dep_s in table(TO_ADP_DEPS):
            pos = "ADP"
        if pos is not None:
            token.pos_ = pos
        if morph is not None:
            token.set_morph(morph or None)
        fixed = table(LEMMA_FIXES).get(lower_s) if tag_s in table(VERB_TAGS) else None
        lemma = fixed if fixed is not None else self.rule_lemmatize(token)[0]
        return token.pos, token.morph.key, lemma

