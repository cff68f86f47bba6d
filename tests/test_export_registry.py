"""Format registry, export() and the CLI-facing export_command."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

import pipeline.writers as ex
from pipeline.errors import OptionError
from pipeline.writers.load import load_output_dir

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"


def test_registry_is_lazy():
    assert set(ex.FORMATS) == {"brat", "bioc", "indra", "sqlite", "html", "network"}
    assert set(ex.CHEAP_FORMATS) < set(ex.FORMATS) and "network" not in ex.CHEAP_FORMATS
    assert ex.resolve_formats([]) == list(ex.CHEAP_FORMATS)
    assert ex.resolve_formats(["all"]) == list(ex.FORMATS)
    assert ex.resolve_formats(["html,brat", "html"]) == ["html", "brat"]
    with pytest.raises(OptionError, match="E802.*unknown export format"):
        ex.resolve_formats(["pdf"])


def test_export_all(tmp_path):
    docs = load_output_dir(FIXTURE)
    written = ex.export(docs, tmp_path, ["all"])
    assert set(written) == set(ex.FORMATS)
    for paths in written.values():
        assert paths and all(p.is_file() and p.stat().st_size > 0 for p in paths)
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert not leftovers


def _cli(*args: object):
    from typer.testing import CliRunner

    from pipeline.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_export_command(tmp_path):
    src = tmp_path / "run"
    shutil.copytree(FIXTURE, src)
    assert _cli("export", src, "-f", "html", "-f", "indra").exit_code == 0
    assert (src / "review.html").is_file() and (src / "indra" / "statements.json").is_file()
    db = tmp_path / "elsewhere" / "x.db"
    result = _cli("export", src, "--out", tmp_path / "o", "--db", db)
    assert result.exit_code == 0
    assert db.is_file() and (tmp_path / "o" / "brat").is_dir() and not (tmp_path / "o" / "biomine.sqlite").exists()
    assert "sqlite: 1 file(s)" in result.output


def test_bad_input_writes_nothing(tmp_path):
    src = tmp_path / "run"
    shutil.copytree(FIXTURE, src)
    with (src / "relations.jsonl").open("a") as fh:
        fh.write("{not json\n")
    out = tmp_path / "out"
    result = _cli("export", src, "--out", out, "-f", "all")
    assert result.exit_code == 1 and "[E503]" in result.output and "relations.jsonl:16: malformed JSON" in result.output
    assert not out.exists()
    assert _cli("export", tmp_path / "missing", "--out", out).exit_code == 1
    result = _cli("export", src, "--out", out, "-f", "pdf")
    assert result.exit_code == 2 and "[E802]" in result.output
    assert not out.exists()


def test_cheap_formats_do_not_import_matplotlib(tmp_path):
    import subprocess

    code = ("import sys; from pipeline.writers import export; from pipeline.writers.load import load_output_dir; "
            f"export(load_output_dir({str(FIXTURE)!r}), {str(tmp_path)!r}); "
            "print('matplotlib' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert res.stdout.strip() == "False"
