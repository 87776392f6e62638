"""Where ``claimlab verify`` reads claims from: a file, standard input ('-'), or --claim options."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from claimlab.cli import app

GAP = "There is a performance gap of approximately 6.15% between English and Turkish."
ELSEWHERE = "BLOOM outperforms GPT-3 on every XTREME task."


def _rows(output: str) -> list[dict]:
    return [json.loads(ln) for ln in output.splitlines() if ln.startswith("{")]


def test_typed_claims_and_stdin(papers_library: Path):
    lib = ["--library", str(papers_library), "--json"]
    result = CliRunner().invoke(app, ["verify", "--claim", GAP, "-c", ELSEWHERE, *lib])
    assert result.exit_code == 0, result.stderr
    rows = _rows(result.stdout)
    assert [r["id"] for r in rows] == ["claim-1", "claim-2"]
    assert [r["claim"] for r in rows] == [GAP, ELSEWHERE]
    assert rows[0]["label"] == "SUPPORTS" and rows[0]["evidence"]
    assert rows[1]["label"] == "NOT ENOUGH INFO"
    stdin = json.dumps({"id": "s1", "claim": GAP}) + "\n{broken\n"
    result = CliRunner().invoke(app, ["verify", "-", *lib], input=stdin)
    assert result.exit_code == 1  # the bad line fails the batch after the good one is verified
    assert [r["id"] for r in _rows(result.stdout)] == ["s1"]
    assert "stdin:2: not valid JSON" in result.stderr


def test_no_claims_given_or_missing_file_is_one_line(papers_library: Path, tmp_path: Path):
    lib = ["--library", str(papers_library)]
    result = CliRunner().invoke(app, ["verify", *lib])
    assert result.exit_code == 2
    assert "give a CLAIMS file, '-' for standard input, or --claim TEXT" in result.stderr
    missing = tmp_path / "nowhere.jsonl"
    result = CliRunner().invoke(app, ["verify", str(missing), "-c", GAP, "--json", *lib])
    assert result.exit_code == 1  # the missing file is named; the typed claim is still verified
    assert f"{missing}: no such file" in result.stderr.replace("\n", "")
    assert [r["id"] for r in _rows(result.stdout)] == ["claim-1"]
    result = CliRunner().invoke(app, ["verify", "-c", "  ", *lib])
    assert result.exit_code == 1 and "--claim #1: is empty" in result.stderr
