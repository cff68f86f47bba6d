"""Parallel and distributed runs: a real Dask scheduler with two worker processes, and --workers 2,
give the same bytes as one in-process worker."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from run_helpers import cli, env, make_corpus, run_subprocess, tree

pytest.importorskip("distributed")
FORMATS = ("-f", "brat", "-f", "bioc", "-f", "indra", "-f", "sqlite", "-f", "html")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("dask") / "in", 9, repeat=2)


@pytest.fixture(scope="module")
def one_worker(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("one") / "out"
    result = cli("run", corpus, "--out", out, "--model", "none", "-q", "--shard-size", "2", *FORMATS)
    assert result.exit_code == 0, result.output
    return tree(out)


def _dask_cli() -> str:
    found = Path(sys.executable).parent / "dask"
    if not found.exists() and shutil.which("dask") is None:
        pytest.skip("the dask command is not installed")
    return str(found) if found.exists() else "dask"


def test_a_dask_scheduler_with_two_workers_gives_the_same_outputs(corpus, one_worker, tmp_path):
    dask = _dask_cli()
    sched_file = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched_file)], cwd=tmp_path, env=env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not sched_file.exists():
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "2",
                                       "--no-dashboard", "--memory-limit", "0"], cwd=tmp_path, env=env(),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        out = tmp_path / "out"
        done = run_subprocess("run", corpus, "--out", out, "--model", "none", "--shard-size", "2",
                              "--scheduler", address, *FORMATS, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "workers: " in done.stderr
        assert tree(out) == one_worker
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_two_local_workers_give_the_same_outputs(corpus, one_worker, tmp_path):
    out = tmp_path / "out"
    done = run_subprocess("run", corpus, "--out", out, "--model", "none", "--shard-size", "2", "--workers", "2",
                          *FORMATS, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "workers: 2" in done.stderr
    assert tree(out) == one_worker


def test_workers_and_scheduler_are_checked_before_reading(tmp_path):
    for args, fragment in ((["--workers", "0"], "--workers 0"), (["--workers", "2", "--scheduler", "tcp://x:1"], "give one")):
        result = cli("run", tmp_path / "missing*.txt", "--out", tmp_path / "o", *args)
        assert result.exit_code == 2 and "[E801]" in result.output and fragment in result.output, result.output
    assert not (tmp_path / "o").exists()
