"""Every error and warning biomine reports, with a stable code, in one table.

Modelled on spaCy's ``errors.py``: a user who sees ``[E104]`` can search for it,
and a developer adding a problem class adds one line here. Each code stands for
one class of problem; the exception class says which stage it belongs to, so a
batch run can tell a bad input (report it, go on) from a broken installation
(stop). Messages name the file (and line, rule or key) they are about.

Codes by hundred: E1xx input, E2xx processing, E3xx patterns and dictionaries,
E4xx models, E5xx outputs and exports, E6xx gold and evaluation, E7xx curation,
E8xx command-line options. Warnings (Wxxx) are reported in errors.jsonl with
``"level": "warning"``; the document they concern is still processed.
"""
from __future__ import annotations

from typing import Any


class Errors:
    """Code -> message template. Fields in braces are filled in by the raiser."""

    # --- E1xx: reading inputs -------------------------------------------------------------------
    E101 = "{path}: no such file, directory or matching glob"
    E102 = "{path}: file is empty (no text after front matter)"
    E103 = "{path}: looks like a binary file ({detail}), not text"
    E104 = "{path}: not valid {encoding} text ({detail})"
    E105 = "{path}: broken YAML front matter ({detail})"
    E106 = "{path}: {size} bytes exceeds the limit of {limit} bytes (use --max-bytes to raise it)"
    E107 = "{path}: unsupported input ({detail}); expected {expected}"
    E108 = "{path}: cannot be read ({detail})"
    E109 = "{path}: malformed XML ({detail})"
    E110 = "{path}:{line}: malformed PubTator ({detail})"
    E111 = "{path}:{line}: malformed standoff annotation ({detail})"
    E112 = "{path}: front matter too large or too deeply nested ({detail})"
    E113 = "{path}: {detail}"  # a document the source itself marks as unusable (e.g. a MEDLINE DeleteCitation)
    E114 = "{path}: malformed BioC JSON ({detail})"
    E115 = "{path}: document {doc_id} has no text ({detail})"
    E116 = "{path}: corrupt or truncated compressed data ({detail})"
    E117 = "{path}: the reader failed unexpectedly ({detail}); please report this as a bug"
    # --- E2xx: processing a document -----------------------------------------------------------
    E201 = "{path}: processing failed ({detail})"
    E202 = "{path}: worker failed ({detail})"  # a shard could not be processed by a (Dask) worker
    E203 = "{path}: the run failed unexpectedly ({detail}); please report this as a bug (BIOMINE_DEBUG=1 shows where)"
    # --- E3xx: patterns/ (rules, grammar, relation types, modality, sites, dictionaries) ---------
    E301 = "{path}: not valid YAML ({detail})"
    E302 = "{path}: {where}: {detail}"  # a data file breaks its schema (unknown, missing or mistyped key)
    E303 = "{path}: rule {rule}: {detail}"  # a pattern does not parse or compile
    E304 = "{path}: rule {rule}: unknown macro ${name}"
    E305 = "{path}: rule {rule}: unknown entity class or type {name!r}"
    E306 = "{path}: rule {rule}: id already used ({detail})"
    E307 = "{path}:{line}: dictionary row: {detail}"
    E308 = "{path}: {where}: unknown relation type {name!r} (declared in patterns/relation_types.yml: {known})"
    E309 = "{path}: rule {rule}: example {index} failed: {detail}"
    E310 = "unknown rule id {rule!r}{detail}"
    # --- E4xx: models ---------------------------------------------------------------------------
    E401 = "spaCy model {model!r} cannot be loaded ({detail}); run without --model, or with --model none for rules only"
    # --- E5xx: outputs and exports ---------------------------------------------------------------
    E502 = "{path}: {detail} (not a biomine output folder?)"
    E503 = "{path}:{line}: {detail}"  # a row of an output file cannot be read back
    E504 = "{path}: {detail}"  # SQLite database missing or of another schema version
    E505 = "{path}: another biomine run (pid {pid} on {host}) is writing into this folder; wait for it or use another --out"
    E506 = "{path}: cannot write output ({detail})"
    E507 = "{path}: {format} export failed ({detail}); the other outputs were written"
    E508 = "{path}: {detail}"  # an output folder's shards or run state cannot be used (damaged, other version)
    # --- E6xx: gold and evaluation --------------------------------------------------------------
    E601 = "{path}: gold path not found"
    E602 = "{path}:{line}: malformed gold annotation ({detail})"
    E603 = "{path}:{line}: malformed prediction ({detail})"
    E604 = "{path}: {detail}"  # a gold folder or file of no known format
    E605 = "{path}: {detail} (not a biomine output folder?)"  # the prediction folder given to evaluate, or its relations.jsonl, is missing
    E606 = "{path}: curator-rejected triples cannot be read ({detail})"  # evaluate --negatives: TSV or curation database
    # --- E7xx: curation -------------------------------------------------------------------------
    E701 = "{path}:{line}: {detail}"  # a row of a curation TSV, or its decision, that cannot be recorded
    E702 = "{path}: curation database problem ({detail})"
    E703 = "{path}: {detail}"  # a curation file that cannot be used at all (missing, empty)
    E704 = "triple {key}: {detail}"  # a decision that cannot be recorded (bad key, decision, error type, note)
    E705 = "request refused: {detail}"  # review workbench: a state change without the session token (CSRF)
    E706 = "cannot serve the review workbench on {host}:{port} ({detail})"  # port taken, host unknown, missing server
    # --- E8xx: command-line options -------------------------------------------------------------
    E801 = "--{option} {value!r}: {detail}"
    E802 = "unknown export format(s): {unknown}; choose from {known} or all"
    E803 = "--{option} {value!r}: needs the Dask packages ({detail}); install them with: pip install 'dask[distributed]'"


class Warnings:
    """Problems reported as warnings: the document is processed, but something was cut or cleaned."""

    W101 = "{path}: sentence {sentence}: {detail}"  # relation search bounded (coordination or triple cap)
    W102 = "{path}: {detail}"  # input cleaned (NUL bytes removed, encoding converted, metadata trimmed)
    W103 = "{path}: {detail}"  # a duplicate input or id made unique
    W104 = "{path}: {detail}"  # a document id missing, unprintable or too long, replaced (original in metadata)


def message(code: str, **fields: Any) -> str:
    """The filled-in message for a code, prefixed with the code."""
    table = Warnings if code.startswith("W") else Errors
    template: str = getattr(table, code)
    return f"[{code}] {template.format(**fields)}"


class BiomineError(Exception):
    """Base of every biomine error: ``code`` is stable, ``fields`` say what and where.

    ``prefixes`` limits the codes a subclass may raise, so one code never
    stands for problems of two stages.
    """

    prefixes: tuple[str, ...] = ("E",)

    def __init__(self, code: str, **fields: Any) -> None:
        if not code.startswith(self.prefixes):
            raise TypeError(f"{type(self).__name__} cannot carry code {code}")
        self.code = code
        self.fields = fields
        self.path = str(fields.get("path", ""))
        super().__init__(message(code, **fields))


class InputError(BiomineError):
    """An input (file, directory, document) cannot be read as a document; the batch goes on."""

    prefixes = ("E1",)


ReadError = InputError  # the name earlier versions used


class ProcessingError(BiomineError):
    """A document was read but processing it failed; the batch goes on."""

    prefixes = ("E2",)


class PatternError(BiomineError):
    """A file in patterns/ is invalid: biomine refuses to start rather than run with a broken rule."""

    prefixes = ("E3",)


RuleError = PatternError


class ModelError(BiomineError):
    """A requested spaCy pipeline cannot be loaded."""

    prefixes = ("E4",)


class OutputError(BiomineError):
    """An output folder, export or database cannot be written or read back."""

    prefixes = ("E5",)


class GoldError(BiomineError):
    """A gold corpus or a prediction folder given to ``evaluate`` is malformed."""

    prefixes = ("E6",)


class CurationError(BiomineError):
    """A curation file or decision cannot be recorded."""

    prefixes = ("E7",)


class OptionError(BiomineError):
    """A command-line option is invalid; detected before any input is read."""

    prefixes = ("E8",)


def all_codes() -> dict[str, str]:
    """Every code with its template, for documentation and tests."""
    codes = {k: v for k, v in vars(Errors).items() if k[:1] == "E" and k[1:].isdigit()}
    codes.update({k: v for k, v in vars(Warnings).items() if k[:1] == "W" and k[1:].isdigit()})
    return codes
