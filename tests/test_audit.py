"""Auditing the seed report: its claims table, cut-off claims, report-level issues, verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimlab.cli import app
from synth.audit import AuditError, audit_report, parse_claims_table
from synth.library import Library
from synth.verify import Verifier

SEED_REPORT = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "seed" / "000_fea3552473fb1e67.txt"
).resolve()


@pytest.fixture(scope="module")
def seed() -> Path:
    if not SEED_REPORT.is_file():
        pytest.skip(f"seed report not found at {SEED_REPORT}")
    return SEED_REPORT


def test_seed_report_claims_table_and_flags(seed: Path):
    report = audit_report(seed)
    table = [c for c in report.claims if c.origin == "table"]
    assert len(table) == 16  # the report says "16 claims extracted"
    assert all(c.reported_verified for c in table)
    assert table[0].reported_confidence == pytest.approx(0.27)
    cut = [c for c in table if c.claim.truncated]
    # Rows cut at a fixed width ("... 7.0 point") are flagged; whole ones are not.
    assert table[0].claim.truncated and "cut off mid-sentence" in table[0].issues
    assert not table[1].claim.truncated  # "... improving by 8.7 points."
    assert 8 <= len(cut) <= 13
    # The abstract is cut off too ("... sentence retrieval tas").
    text_cut = [c for c in report.claims if c.origin == "text" and c.claim.truncated]
    assert any(c.claim.text.endswith("retrieval tas") for c in text_cut)
    assert report.machine_generated
    joined = " ".join(report.issues)
    assert "says 11 papers were retrieved but lists 3 references" in joined
    assert "16 claims are marked verified at confidence below 0.5" in joined
    assert table[0].claim.numbers and table[0].claim.entities["tasks"][:3] == (
        "SQuAD",
        "MNLI",
        "HellaSwag",
    )


def test_markdown_table_and_bad_inputs(tmp_path: Path):
    rows = [
        "| Claim | Verified | Confidence |",
        "|---|---|---|",
        "| XLM-R beats mBERT on XNLI. | ✓ | 0.9 |",
    ]
    assert parse_claims_table(rows) == [("XLM-R beats mBERT on XNLI.", True, 0.9)]
    empty = tmp_path / "empty.md"
    empty.write_text("   \n")
    with pytest.raises(AuditError, match="empty"):
        audit_report(empty)
    with pytest.raises(AuditError, match="no such file"):
        audit_report(tmp_path / "missing.txt")


def test_audit_verifies_against_the_papers(seed: Path, papers_library: Path):
    with Library(papers_library) as lib:
        report = audit_report(seed, Verifier(lib))
    # The library holds none of the papers the seed report cites: nothing it says is verified
    # (a lexical verifier may lean to SUPPORTS on a near-topic claim, but only at low confidence),
    # and nearly all of it is NOT ENOUGH INFO.
    verdicts = [c.verdict for c in report.claims]
    assert not any(v.label == "SUPPORTS" and v.confidence >= 0.8 for v in verdicts)
    assert sum(v.label == "NOT ENOUGH INFO" for v in verdicts) >= 0.8 * len(verdicts)
    assert any("the library says NOT ENOUGH INFO" in " ".join(c.issues) for c in report.claims)
    assert report.models["embedding"].startswith("all-MiniLM-L6-v2")


def test_cli_audit_json(seed: Path, papers_library: Path):
    result = CliRunner().invoke(
        app, ["audit", str(seed), "--json", "--library", str(papers_library)]
    )
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert len(rows) >= 16
    assert {"id", "label", "confidence", "evidence", "truncated", "issues"} <= rows[0].keys()
    result = CliRunner().invoke(app, ["audit", "nope.txt", "--library", str(papers_library)])
    assert result.exit_code == 1 and "nope.txt" in result.stderr


def _seed_as_pdf(seed: Path, out: Path) -> Path:
    """Render the seed report to a PDF (HTML table for its claims table) with pymupdf's Story."""
    import html

    import pymupdf

    body, rows = [], []
    for ln in seed.read_text().splitlines():
        if "\t" in ln:
            rows.append(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in ln.split("\t")) + "</tr>"
            )
        elif ln.strip():
            body.append(f"<p>{html.escape(ln)}</p>")
            if ln.strip() == "5 Extracted Claims":
                body.append("<table>{rows}</table>")
    story = pymupdf.Story(html="".join(body).replace("{rows}", "".join(rows)))
    writer = pymupdf.DocumentWriter(str(out))
    more = 1
    while more:
        device = writer.begin_page(pymupdf.paper_rect("a4"))
        more, _ = story.place(pymupdf.paper_rect("a4") + (50, 50, -50, -50))
        story.draw(device)
        writer.end_page()
    writer.close()
    return out


def test_pdf_report_gives_the_same_audit(seed: Path, tmp_path: Path):
    from_text = audit_report(seed)
    from_pdf = audit_report(_seed_as_pdf(seed, tmp_path / "seed.pdf"))
    table = [c for c in from_pdf.claims if c.origin == "table"]
    assert len(table) == 16
    assert [c.reported_confidence for c in table] == [
        c.reported_confidence for c in from_text.claims if c.origin == "table"
    ]
    assert [c.claim.truncated for c in table] == [
        c.claim.truncated for c in from_text.claims if c.origin == "table"
    ]
    assert set(from_pdf.issues) == set(from_text.issues)


def test_audit_never_cites_the_report_itself(seed: Path, papers_library: Path, tmp_path: Path):
    import shutil

    from synth.ingest import ingest

    library_dir = tmp_path / "library"
    shutil.copytree(papers_library, library_dir)
    with Library(library_dir) as lib:
        (outcome,) = ingest(lib, [str(seed)])
        own = outcome.paper_id
        assert own
        report = audit_report(seed, Verifier(lib))
    # The report's own sentences are its claims verbatim: as evidence they would decide every
    # claim by themselves. They are left out, so the evidence and the nearest sentences come
    # from the real papers only.
    for c in report.claims:
        assert all(e.paper_id != own for e in c.verdict.evidence)
        assert all(n["paper"] != own for n in c.verdict.checks.get("nearest", []))
