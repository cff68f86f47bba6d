"""A run owns its output folder: a lock, the run state, orphan clean-up and the export swap.

Layout of ``OUT/.biomine/`` (biomine's bookkeeping; everything else in OUT is output):

- ``lock``: held with ``flock`` by the process writing into OUT; holds its pid, host and
  start time, which a second run names in its E505 error. The kernel drops a ``flock``
  when its process dies (also on ``kill -9``), so a lock left by a dead process is taken
  over without guessing from pids.
- ``run.json``: the run state: fingerprint (options, biomine version, code, patterns and model
  digests), shard size, status (``processing`` -> ``exporting`` -> ``done``) and the
  date the run started (kept on resume).
- ``shards/``: the results (pipeline/writers/shards.py).
- ``staging/``: exports being built; swapped into OUT when all are written, then removed.

The public ``OUT/manifest.json`` is removed before the swap and written after it, so a
folder with a manifest is complete and every file in it describes the run the manifest
names. A kill during the swap leaves no manifest; the next run (or the same command)
rebuilds the exports from the shards.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import time
from pathlib import Path
from typing import Any

from pipeline.errors import OutputError
from pipeline.writers.atomic import atomic_write_text

META = ".biomine"
MANIFEST = "manifest.json"
# temporary files of our atomic writers: ".<name>.<8 random chars>.tmp" (tempfile.mkstemp)
_TMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
# what each export format puts at the top of OUT (the SQLite database is never removed: curation lives there)
FORMAT_ARTIFACTS = {"brat": "brat", "bioc": "bioc", "indra": "indra", "html": "review.html", "network": "network"}
CORE_FILES = ("documents.jsonl", "entities.jsonl", "relations.jsonl", "errors.jsonl", "relations.tsv")


def _process_start(pid: int) -> str | None:
    """Start time of a process (Linux /proc), to tell a live pid from a reused one."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


class FolderLock:
    """An exclusive lock on an output folder; :meth:`acquire` raises E505 when another run holds it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / META / "lock"
        self.fd: int | None = None

    def acquire(self) -> "FolderLock":
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            info = self.holder(fd)
            os.close(fd)
            raise OutputError("E505", path=self.out_dir, pid=info.get("pid", "?"), host=info.get("host", "?")) from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "process_start": _process_start(os.getpid())}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
        os.fsync(fd)
        self.fd = fd
        return self

    @staticmethod
    def holder(fd: int) -> dict[str, Any]:
        try:
            data = os.pread(fd, 4096, 0)
            info = json.loads(data.decode("utf-8") or "{}")
            return info if isinstance(info, dict) else {}
        except (OSError, ValueError):
            return {}

    def release(self) -> None:
        if self.fd is None:
            return
        import fcntl

        try:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "FolderLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


class OutputFolder:
    """The output folder of one run: state, shards, staging, swap and manifest."""

    def __init__(self, out_dir: Path) -> None:
        self.out = Path(out_dir)
        self.meta = self.out / META
        self.shards = self.meta / "shards"
        self.staging = self.meta / "staging"
        self.trash = self.meta / "trash"
        self.state_path = self.meta / "run.json"

    def prepare(self) -> None:
        """Create the folder (E506 when it cannot be) and remove what an interrupted run left behind."""
        if self.out.exists() and not self.out.is_dir():
            raise OutputError("E506", path=self.out, detail="exists and is not a folder")
        try:
            self.shards.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError("E506", path=self.out, detail=exc.strerror or str(exc)) from None
        self.clean_orphans()

    def clean_orphans(self) -> list[Path]:
        """Remove temporary files of atomic writes, a half-built staging folder and a half-done swap."""
        removed: list[Path] = []
        for folder in (self.staging, self.trash):
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        places = [self.out, self.meta, self.shards] + [self.out / a for a in FORMAT_ARTIFACTS.values()]
        for place in places:
            if not place.is_dir():
                continue
            with os.scandir(place) as entries:
                for entry in entries:
                    if _TMP.match(entry.name) and entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
        return removed

    # ---- run state -------------------------------------------------------------------------
    def read_state(self) -> dict[str, Any]:
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def write_state(self, state: dict[str, Any]) -> None:
        atomic_write_text(self.state_path, json.dumps(state, indent=1, sort_keys=True) + "\n")

    # ---- exports -----------------------------------------------------------------------------
    def new_staging(self) -> Path:
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        return self.staging

    def swap(self, keep: tuple[str, ...] = ()) -> None:
        """Move every staged output into OUT, replacing the old ones; remove stale exports of earlier runs.

        ``keep`` names top-level artifacts of formats this run did not build that must stay
        (``biomine export`` adds formats to a folder; ``biomine run`` owns the whole folder).
        """
        manifest = self.out / MANIFEST
        if manifest.exists():
            manifest.unlink()
        self.trash.mkdir(parents=True, exist_ok=True)
        staged = sorted(p.name for p in self.staging.iterdir())
        for name in staged:
            source, target = self.staging / name, self.out / name
            if source.is_dir():
                if target.exists() or target.is_symlink():
                    os.replace(target, self.trash / name) if target.is_dir() else target.unlink()
                os.replace(source, target)
            else:
                if target.is_dir():
                    os.replace(target, self.trash / name)
                os.replace(source, target)
        for name in [*FORMAT_ARTIFACTS.values(), *CORE_FILES]:
            target = self.out / name
            if name in staged or name in keep or not (target.exists() or target.is_symlink()):
                continue
            if target.is_dir() and not target.is_symlink():
                os.replace(target, self.trash / name)
            else:
                target.unlink()
        from pipeline.writers.shards import fsync_dir

        fsync_dir(self.out)
        shutil.rmtree(self.trash, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)

    def write_manifest(self, manifest: dict[str, Any]) -> Path:
        return atomic_write_text(self.out / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")

    def present_artifacts(self) -> tuple[str, ...]:
        return tuple(n for n in [*FORMAT_ARTIFACTS.values(), *CORE_FILES] if (self.out / n).exists())
