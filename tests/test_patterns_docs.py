"""docs/patterns.md carries the token table the compiler actually implements."""
from pathlib import Path

from pipeline.relations.docs import generated_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "patterns.md"


def test_reference_table_is_current():
    assert generated_table() in DOC.read_text(encoding="utf-8"), "run `biomine rules docs` and commit the result"
