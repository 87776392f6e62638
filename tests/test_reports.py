"""Reports render from a small stored study: escaped HTML, a PDF with every section, plots."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pymupdf
import pytest

from replicate.records import ClaimCheck, RunResult, RunSpec
from replicate.results import ResultsStore
from reports.build import build_report
from reports.content import CONFIDENCE_THRESHOLD
from reports.figures import draw_all
from reports.render import render_all
from synth.library import Library
from synth.records import FLAG_MACHINE_GENERATED, Claim, Evidence, Paper, Passage, Sentence, Verdict

EVIL = "Robust <script>alert(1)</script> transfer {{x}} & more"
LANGS = ("en", "de", "ru", "zh", "hi", "sw", "ur", "my")
# Illustrative fixture scores (not results): lower for languages further from English.
OFFSET = {"en": 0, "de": -6, "ru": -8, "zh": -10, "hi": -14, "sw": -20, "ur": -18, "my": -24}


def _paper(
    pid: str, title: str, flags: tuple[str, ...] = (), arxiv: str | None = None, url: str = ""
) -> Paper:
    return Paper(
        paper_id=pid,
        title=title,
        authors=("A. Author", "B. Author"),
        year=2020,
        source="arxiv" if arxiv else "text",
        sha256=pid * 4,
        pages=9,
        arxiv_id=arxiv,
        version=2 if arxiv else None,
        flags=flags,
        url=url or None,
    )


def _store_library(lib_dir: Path) -> None:
    with Library(lib_dir) as lib:
        real = _paper("arxiv:2005.13013v2", EVIL, arxiv="2005.13013")
        seed = _paper(
            "text:seed", "A machine-generated synthesis", (FLAG_MACHINE_GENERATED,),
            url="javascript:alert(1)",
        )  # fmt: skip
        text = f"Intermediate training helps. {EVIL}"
        for p in (real, seed):
            lib.add_paper(
                p,
                [Passage(p.paper_id, 0, 3, "Results", text)],
                [Sentence(p.paper_id, 3, "Results", text, passage_id=0)],
            )
        claims = [
            Claim("c1", f"Intermediate training on SQuAD improves BUCC by 8.2 points. {EVIL}",
                  real.paper_id, 3),
            Claim("c2", "Multi-task intermediate-task training on all 9 tasks performs best, "
                  "improving by 8.7 points.", seed.paper_id, 1),
            Claim("c3", "XNLI does not see benefits from intermediate training.", real.paper_id, 5),
        ]  # fmt: skip
        ev = Evidence(real.paper_id, 3, "Results", f"We see gains of 8.2 points {EVIL}", score=0.9)
        verdicts = [
            Verdict("c1", claims[0].text, "SUPPORTS", 0.91, (ev,), settings_hash="vh1"),
            Verdict("c2", claims[1].text, "SUPPORTS", 0.27, (ev,), settings_hash="vh1"),
            Verdict("c3", claims[2].text, "REFUTES", 0.55, (), settings_hash="vh1"),
        ]
        lib.kv_put(
            "audit",
            "seed.txt",
            {"source": "seed.txt", "paper_id": seed.paper_id, "title": f"Seed {EVIL}",
             "machine_generated": True, "references": ["2005.13013v2"], "claims": 2,
             "from_table": 1, "cut_off": 1, "issues": ["11 papers said retrieved, 1 listed"],
             "claim_issues": {"c2": ["marked verified at confidence 0.25"]}},
        )  # fmt: skip
        with lib.transaction() as c:
            for cl in claims:
                c.execute(
                    "INSERT INTO claims (claim_id, paper_id, settings_hash, payload) VALUES (?,?,?,?)",
                    (cl.claim_id, cl.paper_id, "ch1", json.dumps(cl.to_dict())),
                )
            for v in verdicts:
                c.execute(
                    "INSERT INTO verdicts (claim_key, settings_hash, payload) VALUES (?,?,?)",
                    (v.claim_id, v.settings_hash, json.dumps(v.to_dict())),
                )


def _run(layers: int, cap: int | None, seed: int) -> RunResult:
    spec = RunSpec(
        num_layers=layers,
        intermediate_task="snli" if cap else None,
        intermediate_cap=cap,
        target_task="xnli",
        seed=seed,
    )
    gain = (layers / 4) * 3 + (cap or 0) / 250 + seed * 0.5
    scores = {lg: {"accuracy": 60 + gain + OFFSET[lg]} for lg in LANGS}
    avg = sum(s["accuracy"] for s in scores.values()) / len(scores)
    return RunResult(
        run_id=spec.run_id,
        spec=spec.model_dump(mode="json"),
        task="xnli",
        scores=scores,
        average={"accuracy": avg},
        primary_metric="accuracy",
        timings={"intermediate": 10.0, "target": 20.0, "evaluate": 5.0},
        versions={"torch": "2.13.0"},
        git_hash="abc123",
    )


def _store_results(lib_dir: Path) -> None:
    with ResultsStore(lib_dir) as store:
        runs = [_run(l, c, s) for l in (4, 12) for c in (None, 250, 1000) for s in (0, 1)]  # noqa: E741
        for r in runs:
            store.put(r)
        store.put_check(
            ClaimCheck("c1", "Intermediate training on SQuAD improves BUCC by 8.2 points.", True,
                       effect=1.5, ci_low=0.4, ci_high=2.6, p_value=0.01, verdict="REPLICATED",
                       expected_magnitude=8.2,
                       differences=("e5-small (12 layers) instead of XLM-R Large", "SNLI for SQuAD"),
                       run_ids=(runs[0].run_id,)),
            study="demo",
        )  # fmt: skip
        store.put_check(
            ClaimCheck("c1:mnli", "Intermediate training on SQuAD improves BUCC by 8.2 points.",
                       True, effect=-0.4, ci_low=-1.9, ci_high=1.1, verdict="INCONCLUSIVE",
                       treatment={"intermediate_task": "mnli"}, target_tasks=("xnli",)),
            study="demo",
        )  # fmt: skip
        store.put_check(
            ClaimCheck("c3", "XNLI does not see benefits.", False, reason="needs all 9 tasks"),
            study="demo",
        )


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One rendered report shared by the read-only tests below (rendering takes seconds)."""
    tmp_path = tmp_path_factory.mktemp("report")
    lib = tmp_path / "lib"
    _store_library(lib)
    _store_results(lib)
    content = build_report(lib, question=f"Does it transfer? {EVIL}", commands=["claimlab demo"])
    out = tmp_path / "report"
    content.figures = draw_all(content, out)
    render_all(content, out)
    return out


def test_html_is_self_contained_and_escaped(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{x}}" in html  # shown as text, never interpreted
    assert 'src="data:image/png;base64,' in html
    assert 'src="http' not in html and "<link" not in html
    for section in ("1. Answer", "2. Methods", "3. Papers", "4. Claims", "5. Results",
                    "6. Limitations", "Appendix: reproducibility"):  # fmt: skip
        assert section in html
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script&gt;" in md
    # The synthesis's account of what the papers cover, facet by facet, is in the report.
    data = json.loads((report_dir / "report.json").read_text())
    assert data["facets"] and data["coverage"]
    assert {f["status"] for f in data["facets"]} <= {
        "claimed",
        "partly claimed",
        "mentioned only",
        "gap",
    }
    assert "What the papers cover of the question" in html and "What the papers cover" in md


def test_claims_table_never_ticks_low_confidence(report_dir: Path) -> None:
    data = json.loads((report_dir / "report.json").read_text())
    rows = {r["claim_id"]: r for r in data["claims"]}
    assert rows["c2"]["confidence"] < CONFIDENCE_THRESHOLD
    assert "low confidence" in rows["c2"]["textual_display"]
    assert rows["c1"]["textual_display"] == "verified (0.91)"
    assert rows["c1"]["text"].endswith("& more")  # whole claim, never cut
    assert [x["verdict"] for x in rows["c1"]["empirical"]] == ["REPLICATED", "INCONCLUSIVE"]
    assert rows["c1"]["empirical"][1]["arm"] == "mnli"
    assert rows["c1"]["evidence_page"] == 3
    assert "✓" not in (report_dir / "report.html").read_text()
    assert rows["c2"]["from_machine_generated"]
    assert rows["c2"]["issues"] == ["marked verified at confidence 0.25"]
    assert data["audits"][0]["issues"] == ["11 papers said retrieved, 1 listed"]
    html = (report_dir / "report.html").read_text()
    assert "Audit of the input report" in html and "Seed Robust &lt;script&gt;" in html


def test_answer_sentences_are_backed_by_measured_numbers(report_dir: Path) -> None:
    data = json.loads((report_dir / "report.json").read_text())
    assert len(data["answer"]) >= 4
    assert all(s["backing"] for s in data["answer"])
    text = " ".join(s["text"] for s in data["answer"])
    assert "12 runs" in text  # 2 sizes x (1 baseline + 2 caps) x 2 seeds
    # The fixture's size effect (12 vs 4 layers: +6 points) exceeds its volume effect (+4 points).
    assert "model size moved low-resource transfer more than the other" in text
    # replicate.robustness's per-doubling fit is reported with its intervals.
    assert "Per doubling, intermediate data moved the low-resource mean by" in text
    assert "model size buys more per doubling" in text
    assert data["repro"]["seeds"] == [0, 1]
    assert any("stand-in" in x for x in data["limitations"])


def _pdf_text(path: Path) -> tuple[pymupdf.Document, str]:
    doc = pymupdf.open(path)
    text = "".join(page.get_text() for page in doc)
    return doc, unicodedata.normalize("NFKC", "".join(text.split()))


def test_pdf_has_sections_tables_and_non_latin_scripts(report_dir: Path) -> None:
    doc, text = _pdf_text(report_dir / "report.pdf")
    assert doc.page_count >= 2
    for section in ("1.Answer", "3.Papers", "4.Claims", "5.Results", "6.Limitations", "Appendix"):
        assert section in text
    for word in ("اردو", "中文", "Русский", "Kiswahili"):
        assert word in text, word
    assert "မြန်မာ" in text or "မြန်မာ" in unicodedata.normalize("NFC", text)
    # find_tables is thorough but slow: the methods, papers and claims tables are on page 1-2.
    tables = sum(len(doc[i].find_tables().tables) for i in range(2))
    assert tables >= 3
    assert "<script>alert(1)</script>" in text.replace(" ", "")  # literal text, as in the paper
    for page in doc:  # nothing drawn outside the page
        for block in page.get_text("blocks"):
            assert block[2] <= page.rect.width + 1 and block[3] <= page.rect.height + 1


def test_plots_exist_and_are_not_empty(report_dir: Path) -> None:
    names = {
        "robustness_heatmap_xnli",
        "robustness_curves_xnli",
        "per_language_xnli",
        "english_gap_xnli",
    }
    for name in names:
        png = report_dir / f"{name}.png"
        assert png.stat().st_size > 5_000, name
        pix = pymupdf.Pixmap(str(png))
        assert pix.width > 300 and pix.height > 200
        assert len(set(pix.samples[:: pix.n * 97])) > 8  # many distinct colours: something is drawn


def test_report_without_runs_says_so(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    _store_library(lib)
    content = build_report(lib)
    assert "No experiment results" in content.answer[0].text
    out = tmp_path / "r"
    content.figures = draw_all(content, out)
    assert content.figures == []
    paths = render_all(content, out)
    assert pymupdf.open(paths["pdf"]).page_count >= 1


def test_cli_report_then_show(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimlab.cli import app

    lib = tmp_path / "lib"
    _store_library(lib)
    _store_results(lib)
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(app, ["report", "--library", str(lib), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["pdf"].endswith("report.pdf")
    res = runner.invoke(app, ["show", "--library", str(lib)], env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    for word in ("answer", "claims", "grid: low-resource mean", "per language", "replicated"):
        assert word in res.stdout, word
    missing = runner.invoke(app, ["show", "--library", str(tmp_path / "empty")])
    assert missing.exit_code == 1


def test_runs_at_chance_are_called_noise(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    with ResultsStore(lib) as store:
        for layers, cap in ((4, None), (4, 250), (12, None), (12, 250)):
            r = _run(layers, cap, 0)
            r.scores = {lg: {"accuracy": 33.3 + (0.5 if cap else 0)} for lg in LANGS}
            store.put(r)
    content = build_report(lib)
    assert round(content.at_chance["xnli"], 1) == 33.3
    assert any("did not learn the task" in s.text for s in content.answer)
    assert any("within 3 points of chance" in x for x in content.limitations)


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_html_screenshot_in_headless_chromium(report_dir: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    html = report_dir / "report.html"
    # Scroll target: the first figure sits under section 5; a tall window captures it.
    cmd = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
        "--window-size=1200,6000", "--hide-scrollbars", html.as_uri(),
    ]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    pix = pymupdf.Pixmap(str(shot))
    assert pix.width == 1200 and shot.stat().st_size > 50_000
    # The heatmap's viridis colours appear only if the inlined plot was decoded and drawn.
    samples = pix.samples
    step = pix.n
    colours = {tuple(samples[i : i + 3]) for i in range(0, len(samples), step * 13)}
    assert any(g > 100 and b < 120 and r < 120 for r, g, b in colours)  # viridis green
    assert len(colours) > 200
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


class _CountingVerifier:
    """Stands in for synth.verify.Verifier: records what it was asked to verify."""

    settings_hash = "vtest"
    store_key = "vtest-models1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def verify_many(self, claims, exclude=None, progress=None):  # noqa: ANN001
        self.calls.append([cid for cid, _ in claims])
        return [Verdict(cid, text, "NOT ENOUGH INFO", 0.6) for cid, text in claims]


def test_demo_verification_is_stored_and_reused(tmp_path: Path) -> None:
    from claimlab.demo_steps import seed_arxiv_ids, verify_and_store

    lib_dir = tmp_path / "lib"
    _store_library(lib_dir)
    verifier = _CountingVerifier()
    items = [("a", "Claim a.", None), ("b", "Claim b.", "arxiv:2005.13013v2")]
    with Library(lib_dir) as lib:
        assert verify_and_store(lib, verifier, items) == 2
        assert verify_and_store(lib, verifier, [*items, ("c", "Claim c.", None)]) == 1
        verifier.store_key = "vtest-models2"  # another calibrator or encoder: verified anew
        assert verify_and_store(lib, verifier, items) == 2
    assert verifier.calls == [["a", "b"], ["c"], ["a", "b"]]
    seed = tmp_path / "seed.txt"
    seed.write_text("References\n- <http://arxiv.org/abs/2005.13013v2>\n- arxiv.org/pdf/2104.08645")
    assert seed_arxiv_ids([seed]) == ["2005.13013v2", "2104.08645"]


def test_demo_goes_on_after_a_failed_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimlab import demo
    from claimlab import demo_steps as S

    def broken(ctx: S.DemoContext) -> str:
        raise ValueError("bad input")

    def missing(ctx: S.DemoContext) -> str:
        S.need("synth.no_such_module", "x")
        return ""

    monkeypatch.setattr(demo, "STEPS", (("broken", broken), ("missing", missing),
                                        ("render", S.render_report)))  # fmt: skip
    lib = tmp_path / "lib"
    _store_library(lib)
    ctx = S.DemoContext.create(
        lib, tmp_path / "out", tmp_path, tmp_path / "x.toml", None, None, None
    )
    results = demo.run_demo(ctx)
    assert [r.status for r in results] == ["failed", "unavailable", "done"]
    assert "bad input" in results[0].detail
    assert (tmp_path / "out" / "report.pdf").is_file()


def test_axes_are_ranked_only_beyond_seed_noise() -> None:
    from reports.content import CellRow
    from reports.narrative import _compare_axes

    def cell(size: str, volume: int, mean: float, runs: int, sd: float | None) -> CellRow:
        return CellRow(size=size, volume=volume, runs=runs, low_resource_mean=mean,
                       low_resource_sd=sd)  # fmt: skip

    # One seed per cell: no spread is known, so no winner is named.
    one = _compare_axes(
        (cell("2 layers", 0, 28.8, 1, None), cell("2 layers", 400, 29.2, 1, None)),
        (cell("1 layers", 400, 29.0, 1, None), cell("2 layers", 400, 29.2, 1, None)),
        "low-resource",
    )
    assert "does not rank the two axes" in one.text and "more than the other" not in one.text
    # Three seeds, a 4-point gap between the axes against sd 0.5: ranked.
    three = _compare_axes(
        (cell("12 layers", 0, 50.0, 3, 0.5), cell("12 layers", 400, 51.0, 3, 0.5)),
        (cell("4 layers", 400, 46.0, 3, 0.5), cell("12 layers", 400, 51.0, 3, 0.5)),
        "low-resource",
    )
    assert "model size moved low-resource transfer more than the other" in three.text
    # The same gap against sd 5: within noise, not ranked.
    noisy = _compare_axes(
        (cell("12 layers", 0, 50.0, 3, 5.0), cell("12 layers", 400, 51.0, 3, 5.0)),
        (cell("4 layers", 400, 46.0, 3, 5.0), cell("12 layers", 400, 51.0, 3, 5.0)),
        "low-resource",
    )
    assert "does not rank them" in noisy.text


def test_one_row_per_claim_and_papers_from_claim_ids() -> None:
    from reports.build import _claim_row, _merge_same_claims
    from reports.content import ClaimRow
    from synth.records import Paper

    text = "Using nine intermediate tasks, we evaluate transfer on the XTREME benchmark."
    extracted = ClaimRow(ref="", claim_id="text:abc#9f54", text=text, paper_id="text:abc",
                         textual_label="NOT ENOUGH INFO", confidence=0.94)  # fmt: skip
    audited = ClaimRow(ref="", claim_id="report#9f54", text=" " + text.upper(),
                       paper_id="text:abc", empirical_verdict="UNTESTABLE")  # fmt: skip
    other = ClaimRow(ref="", claim_id="pdf:x#1", text=text, paper_id="pdf:x")
    rows = _merge_same_claims([extracted, audited, other])
    # The same sentence of one source is one row with both ids; another paper's stays apart.
    assert [r.claim_id for r in rows] == ["text:abc#9f54", "pdf:x#1"]
    assert rows[0].also_ids == ["report#9f54"]
    assert rows[0].empirical_verdict == "UNTESTABLE" and rows[0].confidence == 0.94
    # A verdict whose claim row is gone still names its paper through the claim id.
    paper = Paper(paper_id="pdf:2a1c3f2af26f", title="MESH", source="pdf", sha256="0" * 64)
    row = _claim_row("pdf:2a1c3f2af26f#44e0", {}, {"claim": "Meta-learning has gained attention.",
                     "label": "NOT ENOUGH INFO", "confidence": 0.98}, [],
                     {paper.paper_id: paper})  # fmt: skip
    assert row.paper_id == "pdf:2a1c3f2af26f" and row.paper_title == "MESH"
