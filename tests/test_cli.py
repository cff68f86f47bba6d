"""The CLI is a thin layer: check its wiring and exit codes end to end."""
from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_run_export_and_curate_round_trip(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Akt phosphorylates ASK1 at Ser83. Selonsertib inhibits ASK1.")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(out), "-q", "--format", "sqlite"])
    assert result.exit_code == 0, result.output
    assert "relations:" in result.output and (out / "biomine.sqlite").exists()

    review = tmp_path / "review.tsv"
    assert runner.invoke(app, ["curate", "export", str(out), "--out", str(review)]).exit_code == 0
    with review.open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert rows and all(r["decision"] == "" for r in rows)
    for row in rows:
        row["decision"] = "accept"
    with review.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    db = out / "biomine.sqlite"
    assert runner.invoke(app, ["curate", "import", str(review), "--db", str(db)]).exit_code == 0
    curated = tmp_path / "curated.jsonl"
    assert runner.invoke(app, ["curate", "curated", "--db", str(db), "--out", str(curated)]).exit_code == 0
    assert len(curated.read_text().splitlines()) == len(rows)


def test_run_reports_missing_input(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "nothing*.txt"), "--out", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 2 and "E101" in result.output


def test_evaluate_missing_paths_fail_clearly(tmp_path):
    result = runner.invoke(app, ["evaluate", str(tmp_path / "gold"), str(tmp_path / "pred")])
    assert result.exit_code != 0


def test_export_rejects_missing_folder(tmp_path):
    result = runner.invoke(app, ["export", str(tmp_path / "missing")])
    assert result.exit_code != 0


def test_max_bytes_refuses_a_large_file_and_keeps_the_rest(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.txt").write_text("ASK1 activates JNK. " * 200)
    (tmp_path / "in" / "small.txt").write_text("ASK1 activates JNK.")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "--out", str(out), "-q", "--format", "none",
                                 "--max-bytes", "1000"])
    assert result.exit_code == 1
    assert "big.txt" in result.output and "exceeds" in result.output
    docs = [json.loads(line)["doc_id"] for line in (out / "documents.jsonl").read_text().splitlines()]
    assert docs == ["small"]
