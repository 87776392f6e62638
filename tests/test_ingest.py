"""Ingestion end to end: the real papers, the seed report, bad inputs, and arXiv via a local server."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from claimlab.cli import app
from synth.arxiv_source import API_ENV, DELAY_ENV, ArxivSettings
from synth.ingest import IngestSettings, classify, ingest
from synth.library import Library
from synth.records import FLAG_MACHINE_GENERATED, FLAG_TRUNCATED
from tests.arxiv_server import make_pdf, serve_default

arxiv_server = pytest.fixture(serve_default, name="arxiv_server")
runner = CliRunner()


def cli(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def papers_json(library: Path, env=None) -> list[dict]:
    result = cli("papers", "--json", "--library", str(library), env=env)
    assert result.exit_code == 0
    return json.loads(result.stdout)


@pytest.fixture()
def seed(shared_data: Path) -> Path:
    path = shared_data.parent / "seed" / "000_fea3552473fb1e67.txt"
    if not path.is_file():
        pytest.skip("seed report not found")
    return path


def test_ingest_real_papers_and_seed_then_reingest(shared_data, seed, library_dir):
    result = cli("ingest", str(shared_data / "papers"), str(seed), "--library", str(library_dir))
    assert result.exit_code == 0, result.output
    assert "5 ok, 1 warning" in result.output  # the seed's warning: machine-generated
    rows = papers_json(library_dir)
    assert len(rows) == 6
    by_source = {r["source"] for r in rows}
    assert by_source == {"pdf", "text"}
    assert all(r["flags"] != [FLAG_MACHINE_GENERATED] for r in rows if r["source"] == "pdf")
    text = next(r for r in rows if r["source"] == "text")
    assert text["flags"] == [FLAG_MACHINE_GENERATED]
    assert text["title"].startswith("Comparative Effects of Data Volume and Model Size")
    assert all(r["sentences"] > 30 for r in rows)
    mesh = next(r for r in rows if r["title"].startswith("MESH"))
    assert (mesh["pages"], mesh["year"]) == (7, 2024)
    with Library(library_dir) as lib:
        before = lib.count_sentences()
        record = lib.kv_get("ingest", mesh["paper_id"])
        assert record["settings_hash"] == IngestSettings().settings_hash()
        assert record["input"].endswith("mesh_xtreme_mbert_pruning/paper.pdf")
        hits = lib.fts_search("performance gap between English and Turkish", limit=3)
        assert hits and hits[0][0].page == 3
    again = cli("ingest", str(shared_data / "papers"), str(seed), "--library", str(library_dir))
    assert again.exit_code == 0
    assert "6 duplicate" in again.output
    with Library(library_dir) as lib:
        assert lib.count_sentences() == before and len(lib.papers()) == 6


def test_seed_report_passages(seed, library_dir):
    with Library(library_dir) as lib:
        [out] = ingest(lib, [str(seed)])
        sents = lib.sentences(out.paper_id)
    assert out.status == "warning" and FLAG_MACHINE_GENERATED in out.flags
    assert any("cut off mid-sentence" in w for w in out.warnings)
    sections = {s.section for s in sents}
    assert {"Abstract", "4 Limitations", "5 Extracted Claims"} <= sections
    rows = [s for s in sents if s.kind == "table"]
    assert len(rows) == 17 and rows[0].text == "Claim | Verified | Confidence"


def bad_inputs(tmp: Path) -> dict[str, Path]:
    files = {}
    files["empty"] = tmp / "empty.pdf"
    files["empty"].write_bytes(b"")
    files["html"] = tmp / "download.pdf"
    files["html"].write_text("<html>rate limited</html>")
    good = make_pdf(
        "A good paper", ["Multi-task training helps. It helps a lot on TyDiQA."], pages=3
    )
    files["good"] = tmp / "good.pdf"
    files["good"].write_bytes(good)
    files["cut"] = tmp / "cut.pdf"
    files["cut"].write_bytes(good[: int(len(good) * 0.6)])
    doc = pymupdf.open(stream=good, filetype="pdf")
    files["encrypted"] = tmp / "locked.pdf"
    doc.save(files["encrypted"], encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="x", owner_pw="y")
    return files


def test_bad_inputs_one_line_each_batch_continues(tmp_path, library_dir):
    f = bad_inputs(tmp_path)
    result = cli(
        "ingest", str(f["empty"]), str(f["html"]), str(f["encrypted"]), "2005.1301", "../nowhere/2005.13013",
        str(f["good"]), str(f["cut"]), "--library", str(library_dir),
    )  # fmt: skip
    assert result.exit_code == 1
    err = result.stderr
    expected = {
        "empty.pdf": "empty file (0 bytes)",
        "download.pdf": "not a PDF",
        "locked.pdf": "encrypted PDF",
        "2005.1301": "malformed arXiv id",
        "../nowhere/2005.13013": "no such file",
    }
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    for name, msg in expected.items():
        assert any(name in ln and msg in ln for ln in lines), (name, err)
    assert "truncated" in err  # the cut file is stored, with a warning
    rows = papers_json(library_dir)
    assert len(rows) == 2
    cut = next(r for r in rows if FLAG_TRUNCATED in r["flags"])
    assert cut["title"] == "A good paper"


def test_oversized_file_refused(tmp_path, library_dir):
    f = bad_inputs(tmp_path)
    with Library(library_dir) as lib:
        [out] = ingest(lib, [str(f["good"])], IngestSettings(max_file_bytes=1000))
        assert out.failed and "over the" in out.message and "cap" in out.message
        assert lib.papers() == []
        assert not list((library_dir / "pdfs").iterdir())


def test_classify_inputs(tmp_path, shared_data):
    assert [t.kind for t in classify(str(shared_data / "papers"))] == ["pdf"] * 5
    assert classify("arxiv:2005.13013v2")[0].arxiv_id.version == 2
    assert classify("cs/0112017")[0].kind == "arxiv"
    assert classify(str(tmp_path))[0].error == "folder holds no PDF, .txt or .md files"
    # A folder of papers kept as text (no PDF in it) expands to its .md/.txt files.
    (tmp_path / "a.md").write_text("# A\n\nText.\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "b.txt").write_text("Text.\n")
    (tmp_path / "data.json").write_text("{}")
    assert [(t.kind, Path(t.path).name) for t in classify(str(tmp_path))] == [
        ("text", "a.md"),
        ("text", "b.txt"),
    ]


def test_arxiv_ids_and_search_through_local_server(arxiv_server, library_dir):
    env = {API_ENV: arxiv_server.api_url, DELAY_ENV: "0"}
    result = cli(
        "ingest", "arxiv:2005.13013", "2005.13013v1", "--query", "robust", "--max", "1",
        "--library", str(library_dir), env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lookups = [p for p in arxiv_server.paths("/api/query") if "id_list=2005" in p]
    assert len(lookups) == 1  # both ids in one batched request, as arXiv asks
    rows = {r["paper_id"]: r for r in papers_json(library_dir, env)}
    assert set(rows) == {"arxiv:2005.13013v2", "arxiv:2005.13013v1", "arxiv:2104.08645v1"}
    v2 = rows["arxiv:2005.13013v2"]
    assert (v2["arxiv_id"], v2["version"], v2["year"], v2["source"]) == (
        "2005.13013",
        2,
        2020,
        "arxiv",
    )
    assert v2["authors"][0] == "Jason Phang"
    with Library(library_dir) as lib:
        texts = [s.text for s in lib.sentences("arxiv:2005.13013v1")]
        assert any("8.4 points" in t for t in texts)  # each version keeps its own numbers
        assert not any("5.4 points" in t for t in texts)
        assert (lib.directory / lib.get_paper("arxiv:2005.13013v1").path).is_file()
    n = len(arxiv_server.requests)
    again = cli("ingest", "2005.13013v1", "--library", str(library_dir), env=env)
    assert again.exit_code == 0 and "duplicate" in again.output
    assert len(arxiv_server.requests) == n  # pinned and stored: no network at all


def test_arxiv_503_then_recovers(arxiv_server, library_dir):
    arxiv_server.fail_next = 2
    settings = IngestSettings(
        arxiv=ArxivSettings(api_url=arxiv_server.api_url, delay_s=0, backoff_s=0.01, retries=3)
    )
    with Library(library_dir) as lib:
        [out] = ingest(lib, ["2104.08645"], settings)
    assert out.status == "ok" and out.paper_id == "arxiv:2104.08645v1"


def test_offline_arxiv_one_line_and_local_files_still_ingested(tmp_path, library_dir):
    f = bad_inputs(tmp_path)
    env = {API_ENV: "http://127.0.0.1:9/api/query?{}", DELAY_ENV: "0"}
    result = cli("ingest", "2005.13013", str(f["good"]), "--library", str(library_dir), env=env)
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "2005.13013" in errors[0] and "cannot reach arXiv" in errors[0]
    assert len(papers_json(library_dir)) == 1


def test_markdown_file_sections_and_no_false_flag(tmp_path, library_dir):
    md = tmp_path / "notes.md"
    md.write_text(
        "# Reading notes on STILTs\n\n## 1 Setup\n\nWe fine-tune XLM-R on MNLI first. Then on the"
        " target task.\n\n## 2 Findings\n\nQA tasks gain the most. XNLI gains little.\n"
    )
    with Library(library_dir) as lib:
        [out] = ingest(lib, [str(md)])
        sents = lib.sentences(out.paper_id)
    assert out.status == "ok" and out.flags == () and out.paper_id.startswith("text:")
    assert out.title == "Reading notes on STILTs"
    assert [(s.section, s.text) for s in sents if s.kind == "body"] == [
        ("1 Setup", "We fine-tune XLM-R on MNLI first."),
        ("1 Setup", "Then on the target task."),
        ("2 Findings", "QA tasks gain the most."),
        ("2 Findings", "XNLI gains little."),
    ]


def test_machine_generated_signals():
    from synth.provenance import is_machine_generated

    flagged, reasons = is_machine_generated(
        "This report is a machine-generated literature synthesis and does not constitute"
        " original research."
    )
    assert flagged and "not original research" in reasons
    weak_only, reasons = is_machine_generated("Quality review score: 9.0/10.")
    assert not weak_only and reasons == ["quality score out of 10"]
    assert is_machine_generated("16 claims extracted; 16 verified. Quality score: 9.0/10.")[0]
    # A paper that discusses generated text is not itself one.
    assert not is_machine_generated("We compare machine-generated captions with human ones.")[0]
    # A paper that studies text generated by LLMs is not itself generated.
    assert not is_machine_generated(
        "Limitations. Since the questions in our benchmark were generated by LLMs, some noise "
        "remains; the translations were also written by an LLM and checked by annotators."
    )[0]
    assert is_machine_generated("This report was generated by an AI research assistant.")[0]
    assert is_machine_generated("Some text.\nGenerated by a large language model\n")[0]
    assert is_machine_generated("The following summary is produced with an LLM.")[0]


def test_unknown_arxiv_id_and_failed_search(arxiv_server, library_dir):
    settings = IngestSettings(arxiv=ArxivSettings(api_url=arxiv_server.api_url, delay_s=0))
    with Library(library_dir) as lib:
        outs = ingest(lib, ["2104.99999", "2005.13013v7"], settings, query="zzzz-nothing")
    by_input = {o.input: o for o in outs}
    assert by_input["2104.99999"].message == "arXiv has no paper 2104.99999"
    assert by_input["2005.13013v7"].message == "arXiv has no paper 2005.13013v7"
    assert by_input["query 'zzzz-nothing'"].message == "arXiv search found nothing"
    assert all(o.failed for o in outs)


def test_concurrent_writer_race_counts_as_duplicate(shared_data, library_dir, monkeypatch):
    pdf = str(next((shared_data / "papers").glob("ub_*/*.pdf")))
    with Library(library_dir) as lib:
        [first] = ingest(lib, [pdf])
        # Another process stored it after our dedup check: the write meets the UNIQUE constraint.
        monkeypatch.setattr(Library, "has_sha", lambda self, sha: None)
        monkeypatch.setattr(Library, "get_paper", lambda self, pid: None)
        [second] = ingest(lib, [pdf])
        monkeypatch.undo()
        assert (first.status, second.status) == ("ok", "duplicate")
        assert len(lib.papers()) == 1


def test_library_from_environment(seed, tmp_path):
    env = {"CLAIMLAB_LIBRARY": str(tmp_path / "envlib")}
    assert cli("ingest", str(seed), env=env).exit_code == 0
    rows = json.loads(cli("papers", "--json", env=env).stdout)
    assert [r["source"] for r in rows] == ["text"]
    assert (tmp_path / "envlib" / "library.sqlite").is_file()
