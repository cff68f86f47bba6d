"""The wheel carries every code package and biomine's data (a non-editable install must work)."""
from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_code_package_is_listed():
    listed = set(_setuptools()["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "pipeline").rglob("__init__.py")}
    assert found - listed == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"


def test_data_folders_ship_as_package_data():
    cfg = _setuptools()
    assert cfg["package-dir"] == {"pipeline._patterns": "patterns", "pipeline._models": "models"}
    assert cfg["package-data"]["pipeline._patterns"] == ["**/*"]
    assert (ROOT / "pipeline" / "py.typed").is_file()


def test_resources_fall_back_to_package_data(tmp_path, monkeypatch):
    import pipeline.resources as resources

    fake = tmp_path / "site-packages" / "pipeline"
    (fake / "_patterns").mkdir(parents=True)
    monkeypatch.setattr(resources, "_PACKAGE", fake)
    assert resources.patterns_dir() == fake / "_patterns"
    monkeypatch.setattr(resources, "_PACKAGE", ROOT / "pipeline")
    assert resources.patterns_dir() == ROOT / "patterns"
