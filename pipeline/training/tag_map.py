"""Penn Treebank tag -> Universal POS and morphology: the tables of biomine_morphology_v1 (and, for
its equivalence test, the attribute_ruler patterns it replaced).

The tagger predicts PTB tags (what GENIA annotates). spaCy's English rule lemmatizer
looks at ``token.pos_`` and at morphological features (``Number=Sing`` on a noun,
``VerbForm=Inf`` on a verb means "already a lemma"), so the shipped pipeline sets both
from the tag (biomine_morphology_v1). Auxiliaries and copulas become AUX the way the
Universal Dependencies English guidelines have it.
"""
from __future__ import annotations

# tag -> (UPOS, morph features in UD FEATS notation, "" for none)
TAG_MAP: dict[str, tuple[str, str]] = {
    "NN": ("NOUN", "Number=Sing"),
    "NNS": ("NOUN", "Number=Plur"),
    "NNP": ("PROPN", "Number=Sing"),
    "NNPS": ("PROPN", "Number=Plur"),
    "VB": ("VERB", "VerbForm=Inf"),
    "VBD": ("VERB", "Tense=Past|VerbForm=Fin"),
    "VBG": ("VERB", "Aspect=Prog|Tense=Pres|VerbForm=Part"),
    "VBN": ("VERB", "Aspect=Perf|Tense=Past|VerbForm=Part"),
    "VBP": ("VERB", "Tense=Pres|VerbForm=Fin"),
    "VBZ": ("VERB", "Number=Sing|Person=3|Tense=Pres|VerbForm=Fin"),
    "MD": ("AUX", "VerbType=Mod"),
    "JJ": ("ADJ", "Degree=Pos"),
    "JJR": ("ADJ", "Degree=Cmp"),
    "JJS": ("ADJ", "Degree=Sup"),
    "RB": ("ADV", ""),
    "RBR": ("ADV", "Degree=Cmp"),
    "RBS": ("ADV", "Degree=Sup"),
    "WRB": ("ADV", "PronType=Int"),
    "IN": ("ADP", ""),
    "TO": ("PART", ""),
    "RP": ("ADP", ""),
    "DT": ("DET", ""),
    "PDT": ("DET", ""),
    "WDT": ("PRON", "PronType=Rel"),
    "WP": ("PRON", "PronType=Rel"),
    "WP$": ("PRON", "Poss=Yes|PronType=Rel"),
    "PRP": ("PRON", "PronType=Prs"),
    "PRP$": ("PRON", "Poss=Yes|PronType=Prs"),
    "EX": ("PRON", ""),
    "CC": ("CCONJ", "ConjType=Cmp"),
    "CD": ("NUM", "NumType=Card"),
    "FW": ("X", "Foreign=Yes"),
    "LS": ("X", "NumType=Ord"),
    "POS": ("PART", "Poss=Yes"),
    "SYM": ("SYM", ""),
    "UH": ("INTJ", ""),
    "$": ("SYM", ""),
    ".": ("PUNCT", "PunctType=Peri"),
    ",": ("PUNCT", "PunctType=Comm"),
    ":": ("PUNCT", ""),
    "-LRB-": ("PUNCT", "PunctSide=Ini|PunctType=Brck"),
    "-RRB-": ("PUNCT", "PunctSide=Fin|PunctType=Brck"),
    "``": ("PUNCT", "PunctSide=Ini|PunctType=Quot"),
    "''": ("PUNCT", "PunctSide=Fin|PunctType=Quot"),
    "HYPH": ("PUNCT", "PunctType=Dash"),
    "NFP": ("PUNCT", ""),
    "_SP": ("SPACE", ""),
}

VERB_TAGS = ["VB", "VBD", "VBG", "VBN", "VBP", "VBZ"]
BE_FORMS = ["be", "is", "are", "was", "were", "been", "being", "am", "'s", "'re", "'m"]
AUX_FORMS = ["have", "has", "had", "having", "do", "does", "did", "get", "gets", "got", "gotten", "getting"]
AUX_DEPS = ["aux", "auxpass"]  # have/do/get are AUX only under these labels
TO_ADP_DEPS = ["prep", "agent"]  # "to" heading a prepositional phrase
# AUX has no table in spaCy's English lemmatizer data; matched on the tag (verbs only)
LEMMA_FIXES = {"be": BE_FORMS, "have": ["has", "had", "having"], "do": ["does", "did", "doing", "done"]}


def attribute_ruler_patterns() -> list[dict]:
    """Patterns for ``nlp.get_pipe("attribute_ruler").add_patterns``: later patterns win."""
    patterns = []
    for tag, (pos, morph) in TAG_MAP.items():
        attrs = {"POS": pos}
        if morph:
            attrs["MORPH"] = morph
        patterns.append({"patterns": [[{"TAG": tag}]], "attrs": attrs})
    # forms of "be" are AUX whether auxiliary or copula; have/do/get only when the parser says aux
    patterns.append({"patterns": [[{"TAG": {"IN": VERB_TAGS}, "LOWER": {"IN": BE_FORMS}}]], "attrs": {"POS": "AUX"}})
    patterns.append({"patterns": [[{"TAG": {"IN": VERB_TAGS}, "LOWER": {"IN": AUX_FORMS},
                                    "DEP": {"IN": AUX_DEPS}}]], "attrs": {"POS": "AUX"}})
    patterns.append({"patterns": [[{"TAG": "TO", "DEP": {"IN": TO_ADP_DEPS}}]], "attrs": {"POS": "ADP"}})
    for lemma, forms in LEMMA_FIXES.items():  # matched on TAG: the ruler matches before it sets POS
        patterns.append({"patterns": [[{"LOWER": {"IN": forms}, "TAG": {"IN": VERB_TAGS}}]], "attrs": {"LEMMA": lemma}})
    return patterns


def morphology_tables() -> dict[str, dict[str, str]]:
    """The rules above as the lookup tables of biomine_morphology_v1 (``pipeline.nlp.morphology``),
    which applies them with one cached lookup per (form, tag, label) instead of a Matcher pass."""
    from pipeline.nlp import morphology as m

    return {
        m.TAG_POS: {tag: pos for tag, (pos, _m) in TAG_MAP.items()},
        m.TAG_MORPH: {tag: morph for tag, (_p, morph) in TAG_MAP.items()},
        m.VERB_TAGS: {tag: "1" for tag in VERB_TAGS},
        m.AUX_ALWAYS: {form: "1" for form in BE_FORMS},
        m.AUX_IF_DEP: {form: "1" for form in AUX_FORMS},
        m.AUX_DEPS: {dep: "1" for dep in AUX_DEPS},
        m.TO_ADP_DEPS: {dep: "1" for dep in TO_ADP_DEPS},
        m.LEMMA_FIXES: {form: lemma for lemma, forms in LEMMA_FIXES.items() for form in forms},
    }
