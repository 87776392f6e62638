"""A library says when its papers were parsed by an older claimlab (it keeps old sentences)."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from claimlab.cli import app
from synth.library import Library
from synth.parser_version import INGEST_KV, PARSER_VERSION, papers_parsed_before


def test_older_parses_are_named(papers_library: Path, tmp_path: Path):
    directory = tmp_path / "library"
    shutil.copytree(papers_library, directory)
    with Library(directory) as lib:
        # Ingested by this code: every paper's record names the current parser.
        papers = lib.papers()
        assert papers and papers_parsed_before(lib) == []
        assert lib.kv_get(INGEST_KV, papers[0].paper_id)["parser_version"] == PARSER_VERSION
        # A record from before parser versions were kept (an older library) is named.
        record = dict(lib.kv_get(INGEST_KV, papers[0].paper_id))
        record.pop("parser_version")
        lib.kv_put(INGEST_KV, papers[0].paper_id, record)
        assert papers_parsed_before(lib) == [papers[0].paper_id]
    result = CliRunner().invoke(app, ["claims", "--json", "--library", str(directory)])
    assert result.exit_code == 0, result.stderr
    assert "1 paper(s) were parsed by an older claimlab" in result.stderr
    assert "older claimlab" not in result.stdout  # --json stays machine-readable
    result = CliRunner().invoke(app, ["claims", "--json", "--library", str(papers_library)])
    assert result.exit_code == 0 and "older claimlab" not in result.stderr
