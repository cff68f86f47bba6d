"""Error messages with codes, kept in one place so users can search for them.

Every error names the file (and rule or line) it is about; a batch run reports
it and carries on with the next document.
"""
from __future__ import annotations


class BiomineError(Exception):
    """Base class: ``code`` is stable, the message says what to fix."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class ReadError(BiomineError):
    """An input file could not be read as a document."""

    code = "E001"
    path: str = ""


class ProcessingError(BiomineError):
    """A document was read but processing it failed; the batch goes on."""

    code = "E005"


class RuleError(BiomineError):
    """A rule or dictionary file in patterns/ is invalid."""

    code = "E002"


class ModelError(BiomineError):
    """A requested spaCy model is not installed."""

    code = "E003"


class InputNotFoundError(BiomineError):
    """A path, directory or glob given on the command line matched nothing."""

    code = "E004"


MESSAGES = {
    "empty": "{path}: file is empty (no text after front matter)",
    "binary": "{path}: looks like a binary file (NUL bytes), not text",
    "encoding": "{path}: not valid UTF-8 text ({detail})",
    "front_matter": "{path}: broken YAML front matter ({detail})",
    "too_large": "{path}: {size} bytes exceeds the limit of {limit} bytes (use --max-bytes to raise it)",
    "unsupported": "{path}: unsupported file type '{suffix}' (expected .txt or .md)",
}
