"""The run fingerprint: what must be equal for a committed shard to be reused (options, code, patterns, model)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline.errors import BiomineError

from pipeline.runner.work import Settings


def _hash_tree(root: Path, pattern: str = "*") -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def model_fingerprint(model: str | None) -> dict[str, Any] | None:
    """Name, version and content digest of the trained pipeline a run uses (None for rules only)."""
    from pipeline.nlp.build import RULES_ONLY
    from pipeline.resources import default_model_path

    if model == RULES_ONLY:
        return None
    target = model or default_model_path()
    if target is None:
        return None
    path = Path(target)
    if path.is_dir():
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        return {"name": meta.get("name"), "version": meta.get("version"), "digest": _hash_tree(path)}
    try:
        from importlib.metadata import version

        return {"name": str(target), "version": version(str(target))}
    except Exception:  # noqa: BLE001 - the model loader reports an unusable model (E401)
        return {"name": str(target), "version": None}


def fingerprint(settings: Settings, options: dict[str, Any]) -> dict[str, Any]:
    """Everything besides the inputs that decides what a run writes."""
    import pipeline
    from pipeline.nlp.build import PATTERNS_DIR
    from pipeline.writers.outputs import SCHEMA_VERSION
    from pipeline.writers.shards import FORMAT

    patterns = Path(settings.patterns_dir) if settings.patterns_dir else PATTERNS_DIR
    return {
        "biomine_version": pipeline.__version__,
        # the package's own source: a checkout edited since the shards were written (same version
        # string) must not have its old results reused
        "code": _hash_tree(Path(pipeline.__file__).parent, "*.py"),
        "schema_version": SCHEMA_VERSION,
        "shard_format": FORMAT,
        "patterns": _hash_tree(patterns),
        "model": model_fingerprint(settings.model),
        "options": options,
    }


def _digest_json(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


# ---- reading inputs into items ------------------------------------------------------------------

def _input_digest(path: str, cache: dict[str, str]) -> str:
    if path not in cache:
        from pipeline.readers import digest

        try:
            cache[path] = digest(path)
        except (OSError, BiomineError):
            cache[path] = ""
    return cache[path]
