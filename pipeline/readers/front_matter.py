"""YAML front matter of text files: python-frontmatter finds and splits it, a bounded loader parses it.

python-frontmatter's ``loads`` passes the metadata as keyword arguments, so integer, null,
boolean or date keys and the keys ``content:``/``handler:`` raised a TypeError that aborted
a whole batch, and its YAML handler expands aliases without a bound (432 bytes gave 351 MB).
So biomine uses its fences (``split``) through a handler of its own, :class:`BoundedYAMLHandler`,
whose ``load`` applies the limits below; the body is kept byte for byte (offsets count from it).

Rules (docs/inputs.md repeats them):

* Front matter is a first line ``---`` and a later line ``---`` (or ``...``). A file whose
  first line is ``---`` with no closing line has no front matter: all of it is body text.
* The block may hold at most :data:`MAX_FRONT_MATTER_CHARS` characters, nest at most
  :data:`MAX_DEPTH` levels and use at most :data:`MAX_ALIASES` aliases; the metadata it
  expands to may hold at most :data:`MAX_METADATA_CHARS` characters. Over any limit: E112,
  the file is not read (no trimming: a cut author list or a half-read mapping would pass as
  true metadata). Aliases are allowed within the limits.
* Not YAML, or YAML that is not a mapping: E105 with the file's line number.
* Keys become strings (``1`` -> ``"1"``, ``null`` -> ``"null"``, ``true`` -> ``"true"``,
  dates -> ISO 8601). Values: strings, integers, booleans and null stay; finite floats stay
  (NaN and infinities become strings); dates become ISO 8601 strings; lists become lists of
  strings; mappings and other values become JSON strings. So every writer can store them.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

from pipeline.errors import InputError

MAX_FRONT_MATTER_CHARS = 65_536
MAX_METADATA_CHARS = 65_536
MAX_DEPTH = 16
MAX_ALIASES = 64
_FENCE_OPEN = ("---",)
_FENCE_CLOSE = ("---", "...")


class _TooLarge(Exception):
    pass


def find_front_matter(text: str) -> tuple[str, str, int] | None:
    """(YAML block, body, line number of the block's first line) or None when there is none."""
    if not text.startswith("---"):
        return None
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip() not in _FENCE_OPEN:
        return None
    pos = first_end + 1
    while pos <= len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if line.rstrip() in _FENCE_CLOSE:
            body = "" if end < 0 else text[end + 1:]
            return text[first_end + 1:pos], body, 2
        if end < 0:
            return None
        pos = end + 1
    return None


_LOADER: type | None = None


def _loader() -> type:
    """PyYAML's safe loader (libyaml when present) whose mapping keys become strings as they are built.

    Coercing while building matters: ``1`` and ``true`` are the same Python dict key
    (``True == 1``), so coercing afterwards would already have lost one of them.
    """
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class Loader(base):  # type: ignore[misc, valid-type]
            def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
                if not isinstance(node, yaml.MappingNode):
                    raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
                self.flatten_mapping(node)
                return {_key(self.construct_object(k, deep=deep)): self.construct_object(v, deep=deep)
                        for k, v in node.value}

        _LOADER = Loader
    return _LOADER


def _check_events(block: str, path: Path) -> None:
    """Depth and alias count from the event stream, before anything is built."""
    import yaml

    depth = aliases = 0
    for event in yaml.parse(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError("E112", path=path, detail=f"nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise InputError("E112", path=path, detail=f"more than {MAX_ALIASES} YAML aliases")


def _yaml_detail(exc: Exception, first_line: int) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    if mark is not None and problem:
        return f"line {mark.line + first_line}, column {mark.column + 1}: {problem}"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise _TooLarge


def _key(key: Any) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (dt.date, dt.datetime)):
        return key.isoformat()
    return str(key)


def _json_safe(value: Any, budget: _Budget, depth: int) -> Any:
    """Nested value -> JSON-compatible structure, spending ``budget`` on every item."""
    if depth > MAX_DEPTH:
        raise _TooLarge
    budget.spend(1)
    if value is None or isinstance(value, (bool, int)):
        budget.spend(len(str(value)) if isinstance(value, int) else 4)
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        budget.spend(len(value))
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        budget.spend(len(value))
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {_key(k): _json_safe(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v, budget, depth + 1) for v in value]
    text = str(value)
    budget.spend(len(text))
    return text


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def plain_metadata(data: dict, budget_chars: int = MAX_METADATA_CHARS) -> dict[str, Any]:
    """The module's value rules; raises ``_TooLarge`` beyond ``budget_chars``."""
    budget = _Budget(budget_chars)
    clean: dict[str, Any] = {}
    for key, value in data.items():
        name = _key(key)
        budget.spend(len(name))
        safe = _json_safe(value, budget, 1)
        if isinstance(safe, (str, int, float, bool)) or safe is None:
            clean[name] = safe
        elif isinstance(value, (list, tuple, set, frozenset)):
            clean[name] = [_string(v) for v in safe]
        else:
            clean[name] = _string(safe)
    return clean


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """(metadata, body) of a decoded text file; E105/E112 naming the file for a bad block."""
    if find_front_matter(text) is None:
        return {}, text
    handler = BoundedYAMLHandler(path)
    try:
        block, body = handler.split(text)  # python-frontmatter's fences
    except ValueError:
        return {}, text
    # block and body start after their fence's line break; body offsets and YAML line numbers count from there
    block = block[1:] if block.startswith("\n") else block
    body = body[1:] if body.startswith("\n") else body
    return handler.load(block), body


def _bounded_handler_base() -> type:
    from frontmatter.default_handlers import YAMLHandler

    return YAMLHandler


class BoundedYAMLHandler(_bounded_handler_base()):  # type: ignore[misc]
    """python-frontmatter's YAML handler with a loader that refuses bombs and coerces keys."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def load(self, fm: str, **kwargs: object) -> dict[str, Any]:
        return load_block(fm, self.path, first_line=2)


def load_block(block: str, path: Path, first_line: int = 2) -> dict[str, Any]:
    """The metadata of one YAML block, within the module's limits (E105/E112 naming the file)."""
    import yaml

    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise InputError("E112", path=path,
                         detail=f"{len(block)} characters; the limit is {MAX_FRONT_MATTER_CHARS}")
    try:
        _check_events(block, path)
        data = yaml.load(block, Loader=_loader())  # noqa: S506 - a safe loader
    except InputError:
        raise
    except RecursionError:
        raise InputError("E112", path=path, detail="nested too deeply") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        if "nesting depth" in str(exc):  # libyaml's own limit, met before our event check
            raise InputError("E112", path=path, detail=f"nested deeper than {MAX_DEPTH} levels") from None
        raise InputError("E105", path=path, detail=_yaml_detail(exc, first_line)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("E105", path=path, detail=f"front matter is a {type(data).__name__}, not a mapping of keys")
    try:
        return plain_metadata(data)
    except (_TooLarge, RecursionError):
        raise InputError("E112", path=path, detail=f"metadata expands beyond {MAX_METADATA_CHARS} characters "
                                                   f"or {MAX_DEPTH} levels (YAML aliases?)") from None
