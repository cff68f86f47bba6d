"""Dictionary lookup of entity names over raw characters.

Matching runs on characters, not tokens, because the scispaCy tokenizer keeps
``MKK3/MKK6-p38`` or ``ASK1-mediated`` as one token and the entities inside
must still be found. An Aho-Corasick automaton (pyahocorasick, C speed) finds
every dictionary term in one pass over a lower-cased, whitespace-collapsed copy
of the text; case rules and the stoplist then decide which hits are real.
"""
from __future__ import annotations

import csv
import functools
import gzip
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PatternError

COLUMNS = ("term", "id", "name", "type", "flags", "xrefs")
FLAG_RANK = {"curated": 0, "symbol": 1, "synonym": 2, "alias": 3, "fullname": 3, "previous": 4}
TYPE_RANK = {"STRESS": 0, "DRUG": 1, "FAMILY": 2, "PROTEIN": 3, "CELL_LINE": 4, "DISEASE": 5}
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa", "ζ": "zeta"}
_WS = re.compile(r"\s+")
_WS_ONE = re.compile(r"\s")
_SPACE_RUN = re.compile(r"  +")


@dataclass(frozen=True)
class Entry:
    """One dictionary row, ready to become an Entity."""

    term: str
    id: str | None
    name: str | None
    type: str
    flags: frozenset[str]
    xrefs: tuple[tuple[str, str], ...]
    source: str

    @property
    def rank(self) -> tuple:
        flag_rank = min((FLAG_RANK[f] for f in self.flags if f in FLAG_RANK), default=3)
        if self.source == "curated":
            flag_rank = 0
        return (flag_rank, TYPE_RANK.get(self.type, 9), self.id or "~")

    @property
    def case_sensitive(self) -> bool:
        return "casesensitive" in self.flags


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a dictionary TSV (gzip or plain); the header must be exactly COLUMNS."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise PatternError("E307", path=path, line=1, detail=f"header must be {list(COLUMNS)}, got {header!r}")
        for line_no, row in enumerate(reader, start=2):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != len(COLUMNS):
                raise PatternError("E307", path=path, line=line_no, detail=f"expected {len(COLUMNS)} columns, got {len(row)}")
            yield dict(zip(COLUMNS, row))


def term_variants(term: str) -> set[str]:
    """Spelling variants that authors use interchangeably (Greek letters, hyphen vs space)."""
    base = _WS.sub(" ", term.strip()).lower()
    variants = {base}
    for letter, name in GREEK.items():
        for v in list(variants):
            if letter in v:
                variants.add(v.replace(letter, name))
            if name in v:
                variants.add(v.replace(name, letter))
    for v in list(variants):
        if "-" in v and len(v) > 4:
            variants.add(v.replace("-", " "))
        split = re.fullmatch(r"([a-z]{2,})(\d+[a-z]?)", v)
        if split:  # MKK4 is also written MKK-4
            variants.add(f"{split.group(1)}-{split.group(2)}")
    return {v for v in variants if v}


def normalise_text(text: str) -> tuple[str, Sequence[int]]:
    """Lower-case and collapse whitespace; return the copy and a map back to original offsets."""
    lowered = text.lower()
    if len(lowered) == len(text):  # the common case: whitespace runs are the only length change
        spaced = _WS_ONE.sub(" ", lowered)  # every white-space character a space: offsets unchanged
        runs = [m.span() for m in _SPACE_RUN.finditer(spaced)]
        if not runs:
            return spaced, range(len(text) + 1)
        parts: list[str] = []
        index: list[int] = []
        pos = 0
        for start, end in runs:  # each run keeps its first space
            parts.append(spaced[pos:start + 1])
            index.extend(range(pos, start + 1))
            pos = end
        parts.append(spaced[pos:])
        index.extend(range(pos, len(text) + 1))
        return "".join(parts), index
    chars: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            chars.append(" ")
            index.append(i)
            prev_space = True
            continue
        low = ch.lower()
        chars.append(low if len(low) == 1 else ch)
        index.append(i)
        prev_space = False
    index.append(len(text))
    return "".join(chars), index


class Dictionary:
    """All entity dictionaries of patterns/dictionaries, searchable in one pass."""

    def __init__(self, entries: Iterable[Entry], stoplist: Iterable[str] = ()) -> None:
        import ahocorasick

        by_key: dict[str, list[Entry]] = {}
        curated_keys: set[str] = set()
        # rows flagged "lookup" (two-character gene symbols) ground a recognised mention but are
        # never matched in running text: they live outside the automaton
        self.lookup_only: dict[str, tuple[int, tuple[Entry, ...]]] = {}
        for entry in entries:
            if "lookup" in entry.flags:
                key = entry.term.lower()
                length, group = self.lookup_only.get(key, (len(key), ()))
                self.lookup_only[key] = (length, group + (entry,))
                continue
            for key in term_variants(entry.term):
                if entry.source == "curated":
                    if key not in curated_keys:
                        by_key[key] = []
                        curated_keys.add(key)
                elif key in curated_keys:
                    continue  # curated rows override generated ones for the same term
                by_key.setdefault(key, []).append(entry)
        self.stoplist = {s.lower() for s in stoplist}
        self.automaton = ahocorasick.Automaton()
        ranks: dict[int, tuple] = {}  # Entry.rank once per entry, not once per comparison

        def rank(entry: Entry) -> tuple:
            r = ranks.get(id(entry))
            if r is None:
                r = ranks[id(entry)] = entry.rank
            return r

        for key, group in by_key.items():
            self.automaton.add_word(key, (len(key), tuple(sorted(group, key=rank) if len(group) > 1 else group)))
        if len(self.automaton):
            self.automaton.make_automaton()
        self.size = len(by_key)

    @classmethod
    def from_directory(cls, directory: Path, cache: bool = True) -> "Dictionary":
        """Load every ``*.tsv``/``*.tsv.gz`` file and ``stoplist.txt`` from a folder.

        With ``cache`` the compiled dictionary (entries and Aho-Corasick automaton) is
        read from the user cache when one exists for exactly these files and this code
        (see :func:`cached_dictionary`), and written there after a build.
        """
        files = dictionary_files(directory)
        if not files:
            raise PatternError("E307", path=directory, line=0, detail="no dictionary files (*.tsv, *.tsv.gz)")
        if cache:
            return cached_dictionary(directory, files, lambda: cls._build(directory, files))
        return cls._build(directory, files)

    @classmethod
    def _build(cls, directory: Path, files: list[Path]) -> "Dictionary":
        entries: list[Entry] = []
        for path in files:
            source = path.name.split(".")[0]
            for row in read_rows(path):
                entries.append(_entry(row, source, path))
        stop_path = directory / "stoplist.txt"
        stoplist = []
        if stop_path.exists():
            stoplist = [ln.strip() for ln in stop_path.read_text(encoding="utf-8").splitlines()
                        if ln.strip() and not ln.startswith("#")]
        return cls(entries, stoplist)

    def find(self, text: str) -> list[tuple[int, int, Entry]]:
        """Every acceptable (start, end, entry) hit, overlapping ones included."""
        if not len(self.automaton):
            return []
        norm, index = normalise_text(text)
        hits = []
        padded = f" {norm} "  # a word character on either side of a hit means it is inside a word
        for end_pos, (length, group) in self.automaton.iter(norm):
            start_pos = end_pos - length + 1
            if padded[start_pos].isalnum() or padded[end_pos + 2].isalnum():
                continue
            start, end = index[start_pos], index[end_pos] + 1
            if text[end:end + 1] == "+":
                continue  # Ca2+, CD4+: ions and cell markers, not the gene
            surface = text[start:end]
            entry = self._choose(surface, group)
            if entry is not None:
                hits.append((start, end, entry))
        return hits

    def _choose(self, surface: str, group: tuple[Entry, ...]) -> Entry | None:
        for entry in group:
            if entry.source != "curated" and surface.lower() in self.stoplist:
                if not (entry.case_sensitive and surface == entry.term and "symbol" in entry.flags):
                    continue
            if (entry.case_sensitive or _is_acronym(entry.term)) and not case_matches(surface, entry.term):
                continue
            return entry
        return None


def dictionary_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.tsv")) + sorted(directory.glob("*.tsv.gz"))


# ---- the compiled-dictionary cache -------------------------------------------------------------
# Building the automaton from 400,000 rows takes ~10 s; unpickling it ~1 s. The cache file
# is named by a digest of every input (the dictionary files' bytes, the stoplist, this
# module's source and the pyahocorasick and Python versions), so a changed row, a new
# biomine or a new library never reads a stale automaton. BIOMINE_CACHE names the folder
# (default: $XDG_CACHE_HOME/biomine or ~/.cache/biomine); BIOMINE_CACHE=off disables it.
CACHE_FORMAT = 1


def cache_dir() -> Path | None:
    import os

    value = os.environ.get("BIOMINE_CACHE", "")
    if value.lower() in ("off", "0", "no", "none", "false"):
        return None
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "biomine"


def cache_key(directory: Path, files: list[Path]) -> str:
    import hashlib
    import sys

    import ahocorasick

    h = hashlib.sha256()
    h.update(f"{CACHE_FORMAT}|{sys.version_info[:2]}|{getattr(ahocorasick, '__version__', '')}".encode())
    h.update(Path(__file__).read_bytes())
    stop = directory / "stoplist.txt"
    for path in [*files, *([stop] if stop.exists() else [])]:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:32]


def cached_dictionary(directory: Path, files: list[Path], build) -> "Dictionary":
    """The dictionary from the cache, or built by ``build()`` and stored there (best effort)."""
    import gc
    import os
    import pickle
    import tempfile

    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"dictionary-{cache_key(directory, files)}.pickle"
    if path.is_file():
        enabled = gc.isenabled()
        gc.disable()  # unpickling a million small objects: the collector would walk them again and again
        try:
            with open(path, "rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, Dictionary):
                gc.freeze()  # long-lived: keep them out of every later collection too
                return loaded
        except Exception:  # noqa: BLE001 - a damaged or foreign cache file is rebuilt
            pass
        finally:
            if enabled:
                gc.enable()
    dictionary = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".dictionary.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(dictionary, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in folder.glob("dictionary-*.pickle"):  # one cache per folder of dictionaries is enough
            if old != path and old.stat().st_mtime < path.stat().st_mtime - 3600:
                old.unlink(missing_ok=True)
    except OSError:
        try:
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass
    return dictionary


@functools.lru_cache(maxsize=4)
def load_dictionary(directory: Path) -> Dictionary:
    """The folder's Dictionary, loaded once per process (building it takes seconds)."""
    return Dictionary.from_directory(directory)


def case_matches(surface: str, term: str) -> bool:
    """Case rule for symbols: exact, or a case variant that cannot be an English word.

    ``P38``/``p38`` and ``Ask1``/``ASK1`` are the same name (a digit makes it an
    identifier); an all-letter symbol such as ``CAN``, ``SET`` or ``MOL`` only
    matches when written in capitals, never as "can", "Set" or "Mol".
    """
    if surface == term:
        return True
    if "-" not in term:
        surface = surface.replace("-", "")  # MKK-4 is MKK4
    if surface.upper() != term.upper():
        return False
    if any(ch.isdigit() for ch in term) and len(term) >= 3:
        return True
    return len(term) >= 3 and surface.isupper()


def _is_acronym(term: str) -> bool:
    """Short upper-case terms ("FEB", "MOL") are acronyms: match them only in capitals."""
    return len(term) <= 5 and term.isupper()


def _entry(row: dict[str, str], source: str, path: Path) -> Entry:
    xrefs = []
    for item in filter(None, row["xrefs"].split(";")):
        if ":" not in item:
            raise PatternError("E307", path=path, line=0, detail=f"xref {item!r} of term {row['term']!r} is not PREFIX:ID")
        prefix, local = item.split(":", 1)
        xrefs.append((prefix, local))
    flags = row["flags"]
    return Entry(
        term=row["term"],
        id=row["id"] or None,
        name=row["name"] or None,
        type=sys.intern(row["type"]),
        flags=_FLAGS.get(flags) or _FLAGS.setdefault(flags, frozenset(filter(None, flags.split(",")))),
        xrefs=tuple(xrefs),
        source=sys.intern(source),
    )


# Shared objects for the few distinct values: fewer objects to build, pickle and unpickle.
_FLAGS: dict[str, frozenset[str]] = {}

