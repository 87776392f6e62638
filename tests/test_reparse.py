"""``claimlab reparse``: papers an older claimlab read are read again in place, from the kept copies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimlab.cli import app
from synth.claims import library_claims
from synth.library import Library
from synth.parser_version import INGEST_KV, PARSER_VERSION, papers_parsed_before

TABLE_ROW = "Turkish (Target): Test Set Accuracy 66.21%."


def _age(lib: Library, paper_id: str, table_row: str | None = None) -> None:
    """Make a paper look as an older claimlab left it: no parser version; optionally an old row."""
    record = dict(lib.kv_get(INGEST_KV, paper_id))
    record.pop("parser_version")
    lib.kv_put(INGEST_KV, paper_id, record)
    if table_row:
        with lib.transaction() as c:
            c.execute(
                "UPDATE sentences SET text=? WHERE paper_id=? AND text=?",
                ("Turkish (Target) 66.21%", paper_id, table_row),
            )


def _sentences(lib: Library, paper_id: str) -> list[str]:
    return [s.text for s in lib.sentences(paper_id)]


@pytest.fixture()
def old_library(papers_library: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "library"
    shutil.copytree(papers_library, directory)
    return directory


def test_reparse_reads_stale_papers_again_and_drops_what_came_from_them(old_library: Path):
    with Library(old_library) as lib:
        papers = {p.paper_id: p for p in lib.papers()}
        xnli = next(pid for pid in papers if TABLE_ROW in _sentences(lib, pid))
        fresh = _sentences(lib, xnli)
        library_claims(lib, xnli)  # stored claims of the old text
        with lib.transaction() as c:
            c.execute(
                "INSERT INTO verdicts (claim_key, settings_hash, payload) VALUES ('x','h','{}')"
            )
        _age(lib, xnli, TABLE_ROW)
        assert TABLE_ROW not in _sentences(lib, xnli)
        assert papers_parsed_before(lib) == [xnli]
        claims_before = lib.conn.execute(
            "SELECT COUNT(*) FROM claims WHERE paper_id=?", (xnli,)
        ).fetchone()[0]
        assert claims_before > 0

    result = CliRunner().invoke(app, ["reparse", "--library", str(old_library)])
    assert result.exit_code == 0, result.output
    assert "1 re-parsed, 0 failed; 1 stored verdict(s) dropped" in result.output

    with Library(old_library) as lib:
        assert papers_parsed_before(lib) == []
        assert lib.kv_get(INGEST_KV, xnli)["parser_version"] == PARSER_VERSION
        assert _sentences(lib, xnli) == fresh  # the current parser's text, row included
        assert {p.paper_id for p in lib.papers()} == set(papers)  # ids kept, nothing lost
        assert lib.get_paper(xnli).sha256 == papers[xnli].sha256
        assert lib.conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 0
        assert lib.conn.execute(
            "SELECT COUNT(*) FROM claims WHERE paper_id=?", (xnli,)
        ).fetchone()[0] == 0  # fmt: skip
        # Extracted again on next use, from the new sentences.
        again = library_claims(lib, xnli)
        ids = {s.sentence_id for s in lib.sentences(xnli)}
        assert again and all(c.sentence_id in ids for c in again)
        hits = [s for s, _ in lib.fts_search("Turkish Target Test Set Accuracy", limit=5)]
        assert any(s.text == TABLE_ROW for s in hits)  # the full-text index follows the swap

    again = CliRunner().invoke(app, ["reparse", "--library", str(old_library)])
    assert again.exit_code == 0 and "nothing to re-parse" in again.output


def test_a_missing_or_changed_copy_fails_with_one_line_and_keeps_the_old_text(old_library: Path):
    with Library(old_library) as lib:
        ids = [p.paper_id for p in lib.papers()]
        for pid in ids:
            _age(lib, pid)
        gone, changed, *rest = ids
        old_gone = _sentences(lib, gone)
        (old_library / lib.get_paper(gone).path).unlink()
        (old_library / lib.get_paper(changed).path).write_bytes(b"not the ingested file")

    result = CliRunner().invoke(app, ["reparse", "--library", str(old_library)])
    assert result.exit_code == 1
    assert f"{gone}: kept copy" in result.output and "is missing" in result.output
    assert f"{changed}: kept copy" in result.output and "no longer matches" in result.output
    assert f"{len(rest)} re-parsed, 2 failed" in result.output
    with Library(old_library) as lib:
        assert _sentences(lib, gone) == old_gone  # the old parse stays
        assert sorted(papers_parsed_before(lib)) == sorted([gone, changed])


def test_named_papers_and_all(old_library: Path):
    with Library(old_library) as lib:
        ids = [p.paper_id for p in lib.papers()]
    result = CliRunner().invoke(
        app, ["reparse", "--library", str(old_library), "pdf:nosuch", ids[0]]
    )
    assert result.exit_code == 1  # one unknown id: named, the rest done
    assert "pdf:nosuch: no such paper in the library" in result.output
    assert "1 re-parsed, 0 failed" in result.output
    result = CliRunner().invoke(app, ["reparse", "--all", "--library", str(old_library)])
    assert result.exit_code == 0 and f"{len(ids)} re-parsed, 0 failed" in result.output
    with Library(old_library) as lib:
        assert all(lib.kv_get(INGEST_KV, pid).get("reparsed") for pid in ids)
        assert (
            json.loads(json.dumps(lib.kv_get(INGEST_KV, ids[0])))["parser_version"]
            == PARSER_VERSION
        )
