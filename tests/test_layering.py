"""The runtime does not depend on evaluation, curation, dictionary building or training code.

Why: ``biomine run`` must work (and stay fast to import) without the scorer or the training
stack, and a change to the evaluation must never change what a run produces. Checked two
ways: importing each runtime module in a fresh interpreter and looking at ``sys.modules``,
and reading the sources for imports hidden inside functions.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_PACKAGES = ("runner", "nlp", "entities", "relations", "readers", "writers")
FORBIDDEN = ("pipeline.evaluation", "pipeline.curation", "pipeline.build", "pipeline.training")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_files() -> list[Path]:
    files: list[Path] = []
    for package in RUNTIME_PACKAGES:
        files += sorted((ROOT / "pipeline" / package).rglob("*.py"))
    return files


def _new_modules(modules: list[str], watched: tuple[str, ...]) -> dict[str, list[str]]:
    """Import ``modules`` one by one in a fresh interpreter; which watched modules each one pulled in."""
    code = (
        "import importlib, json, sys\n"
        f"watched = {watched!r}\n"
        "seen, out = set(), {}\n"
        "def loaded():\n"
        "    return {m for m in sys.modules if any(m == w or m.startswith(w + '.') for w in watched)}\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    new = loaded() - seen\n"
        "    seen |= new\n"
        "    if new:\n"
        "        out[name] = sorted(new)\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_runtime_loads_no_evaluation_curation_build_or_training() -> None:
    modules = [_module_name(p) for p in runtime_files()]
    assert "pipeline.runner" in modules and "pipeline.entities.given" in modules and "pipeline.readers.pubtator" in modules
    assert _new_modules(modules, FORBIDDEN) == {}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module an ``import`` statement names, anywhere in the file (also inside functions)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.lineno, node.module)] + [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


@pytest.mark.parametrize("path", runtime_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_runtime_sources_do_not_import_the_evaluation(path: Path) -> None:
    bad = [(line, name) for line, name in _imports(path)
           if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_evaluation_does_not_import_curation_or_writers() -> None:
    evaluation = sorted(_module_name(p) for p in (ROOT / "pipeline" / "evaluation").rglob("*.py"))
    assert "pipeline.evaluation" in evaluation and "pipeline.evaluation.negatives" in evaluation
    assert _new_modules(["pipeline.evaluation", *evaluation], ("pipeline.curation", "pipeline.writers")) == {}
