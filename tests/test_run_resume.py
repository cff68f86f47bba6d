"""Runs that survive: kill -9 mid-way and resume, the folder lock, orphan clean-up, invalidation."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from run_helpers import ROOT, biomine_cmd, cli, env, make_corpus, temporary_files, tree

ARGS = ("--model", "none", "-q", "--shard-size", "1", "-f", "brat", "-f", "bioc", "-f", "indra", "-f", "sqlite",
        "-f", "html")


def test_run_killed_mid_way_resumes_to_the_same_bytes(tmp_path):
    corpus = make_corpus(tmp_path / "in", 24, repeat=6)
    killed = tmp_path / "killed"
    proc = subprocess.Popen(biomine_cmd("run", corpus, "--out", killed, *ARGS), cwd=ROOT, env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shards = killed / ".biomine" / "shards"
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline and not list(shards.glob("000000.jsonl.gz")):
            time.sleep(0.02)
        assert list(shards.glob("000000.jsonl.gz")), "the first shard was never committed"
        second = cli("run", corpus, "--out", killed, *ARGS)  # a second run into the same folder, meanwhile
        assert second.exit_code == 1 and "[E505]" in second.output and f"pid {proc.pid}" in second.output
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    committed = len(list(shards.glob("*.jsonl.gz")))
    assert 1 <= committed < 24, "the kill should land mid-way"
    assert not (killed / "manifest.json").exists()

    again = subprocess.run(biomine_cmd("run", corpus, "--out", killed, *ARGS),  # the same command
                           cwd=ROOT, env=env(), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "reused" in again.stdout

    clean = tmp_path / "clean"
    result = cli("run", corpus, "--out", clean, *ARGS)
    assert result.exit_code == 0, result.output
    resumed, fresh = tree(killed), tree(clean)
    assert sorted(resumed) == sorted(fresh)
    for name in fresh:
        assert resumed[name] == fresh[name], name
    # the shards themselves are the same bytes, and nothing temporary is left
    for shard in sorted((clean / ".biomine" / "shards").iterdir()):
        assert (shards / shard.name).read_bytes() == shard.read_bytes(), shard.name
    assert temporary_files(killed) == []
    assert json.loads((killed / ".biomine" / "run.json").read_text())["status"] == "done"


def test_orphans_of_a_killed_run_are_removed(tmp_path):
    corpus = make_corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "brat").exit_code == 0
    orphans = [out / ".documents.jsonl.abcd1234.tmp", out / ".biomine" / "shards" / ".000000.jsonl.gz.x1y2z3w4.tmp",
               out / "brat" / ".doc000.ann.00001234.tmp", out / ".biomine" / "staging" / "brat" / "half.ann"]
    for path in orphans:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half")
    keep = out / "notes.tmp"  # not one of ours: never touched
    keep.write_text("mine")
    assert cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "brat").exit_code == 0
    assert not any(p.exists() for p in orphans) and keep.read_text() == "mine"
    assert temporary_files(out) == [keep]


def test_a_second_run_into_the_same_folder_is_refused_then_the_lock_is_taken_over(tmp_path):
    corpus = make_corpus(tmp_path / "in", 1)
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from pipeline.writers.folder import FolderLock;"
         f" FolderLock(Path({str(out)!r})).acquire(); print('locked', flush=True); time.sleep(60)"],
        cwd=ROOT, env=env(), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "none")
        assert result.exit_code == 1 and "[E505]" in result.output and f"pid {holder.pid}" in result.output
        assert not (out / "documents.jsonl").exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    # the holder died without releasing: its lock is taken over, and released again at the end
    result = cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "none")
    assert result.exit_code == 0, result.output
    assert (out / ".biomine" / "lock").read_text() == ""


def test_changed_input_or_option_redoes_only_what_it_must(tmp_path):
    from pipeline.writers.shards import read_header, shard_files

    corpus = make_corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    assert cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "none", "--shard-size", "2").exit_code == 0
    before = {p.name: read_header(p)["key"] for p in shard_files(out / ".biomine" / "shards")}
    (corpus / "doc003.txt").write_text("MEK1 phosphorylates ERK2.\n")  # the second shard changes
    result = cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "none", "--shard-size", "2")
    assert result.exit_code == 0 and "(2 reused" in result.output, result.output
    after = {p.name: read_header(p)["key"] for p in shard_files(out / ".biomine" / "shards")}
    assert [n for n in before if before[n] != after[n]] == ["000001.jsonl.gz"]
    rows = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    assert rows[3]["text"] == "MEK1 phosphorylates ERK2.\n"
    # fewer inputs: the extra shards of the earlier run go away
    for name in ("doc004.txt", "doc005.txt"):
        (corpus / name).unlink()
    assert cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "none", "--shard-size", "2").exit_code == 0
    assert len(shard_files(out / ".biomine" / "shards")) == 2
    # another option (here: given entities) changes the fingerprint: nothing is reused
    result = cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "none", "--shard-size", "2",
                 "--given-entities")
    assert "reused" not in result.output
    state = json.loads((out / ".biomine" / "run.json").read_text())
    assert state["fingerprint"]["options"]["given_entities"] is True and state["status"] == "done"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_terminated_run_releases_its_lock_and_leaves_no_temporary_files(tmp_path):
    corpus = make_corpus(tmp_path / "in", 12, repeat=6)
    out = tmp_path / "out"
    proc = subprocess.Popen(biomine_cmd("run", corpus, "--out", out, "--model", "none", "-q", "--shard-size", "1",
                                        "-f", "none"), cwd=ROOT, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not list((out / ".biomine" / "shards").glob("*.jsonl.gz")):
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) != 0
    assert (out / ".biomine" / "lock").read_text() == ""
    assert temporary_files(out) == []


def test_an_input_naming_nothing_leaves_the_previous_run_untouched(tmp_path):
    corpus = make_corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "html").exit_code == 0
    before = tree(out)
    result = cli("run", tmp_path / "nothing*.txt", "--out", out, "--model", "none", "-q", "-f", "html")
    assert result.exit_code == 2 and "[E101]" in result.output
    assert tree(out) == before
    assert json.loads((out / ".biomine" / "run.json").read_text())["status"] == "done"


def test_edited_code_changes_the_fingerprint(tmp_path, monkeypatch):
    """Shards written by other code (a checkout edited since, under the same version string) are not reused."""
    import pipeline
    from pipeline.runner.fingerprint import fingerprint
    from pipeline.runner.work import Settings

    package = tmp_path / "pipeline"
    (package / "relations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "relations" / "arguments.py").write_text("X = 1\n")
    (package / "notes.txt").write_text("not code\n")
    monkeypatch.setattr(pipeline, "__file__", str(package / "__init__.py"))
    first = fingerprint(Settings(model="none"), {})
    (package / "notes.txt").write_text("still not code\n")
    assert fingerprint(Settings(model="none"), {}) == first
    (package / "relations" / "arguments.py").write_text("X = 2\n")
    assert fingerprint(Settings(model="none"), {})["code"] != first["code"]


def test_a_shard_keeps_what_its_fast_encoder_refuses():
    """Records go through orjson; an integer beyond 64 bits (front matter may hold one) falls back to the
    standard library, and that line reads back too, NaN included."""
    import math

    from pipeline.writers import shards

    records = [{"document": {"doc_id": "a", "metadata": {"big": 2 ** 70, "n": 1}}},
               {"document": {"doc_id": "b", "metadata": {"big": 2 ** 70, "x": float("nan")}}},
               {"error": {"path": "c", "error": "[E101] c: é ✓"}}]
    back = shards.decode_records(shards.encode({"index": 0}, records))
    assert back[0] == records[0] and back[2] == records[2]
    assert back[1]["document"]["metadata"]["big"] == 2 ** 70 and math.isnan(back[1]["document"]["metadata"]["x"])
