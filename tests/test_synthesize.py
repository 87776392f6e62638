"""Synthesis over the real papers: ranked, themed, cited; machine-generated sources not counted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from claimlab.cli import app
from synth.claims import parse_numbers
from synth.library import Library
from synth.records import FLAG_MACHINE_GENERATED, Claim, Paper, Passage, Sentence
from synth.synthesize import relate, synthesize

QUESTION = "Does pruning attention heads hurt multilingual BERT models?"


def test_synthesis_ranks_themes_and_cites(papers_library: Path):
    with Library(papers_library) as lib:
        result = synthesize(lib, QUESTION)
        mesh = next(p.paper_id for p in lib.papers() if p.title.startswith("MESH"))
    assert result.themes and result.considered > 20
    lines = [c for t in result.themes for c in t.claims]
    assert all(c.citations and all(page >= 1 for _, page in c.citations) for c in lines)
    top = max(lines, key=lambda c: c.relevance)
    assert top.claim.paper_id == mesh and "prun" in top.claim.text.lower()
    assert [c.relevance for c in result.themes[0].claims][0] == top.relevance
    # Findings come before set-up: the set-up sentence that names both facets ("In all
    # experimental setups involving BERT, ... 144 attention heads") does not open the answer.
    first = result.themes[0].claims[0].claim
    assert first.type in ("result", "comparison") and "setups" not in first.text
    for theme in result.themes:
        kinds = [c.claim.type in ("result", "comparison") for c in theme.claims]
        assert kinds == sorted(kinds, reverse=True)


def test_machine_generated_sources_are_not_counted(tmp_path: Path, papers_library: Path):
    directory = tmp_path / "lib"
    shutil.copytree(papers_library, directory)
    text = "We find that pruning attention heads does not hurt multilingual BERT models at all."
    with Library(directory) as lib:
        paper = Paper(paper_id="text:mg", title="A report", sha256="mg", pages=1,
                      flags=(FLAG_MACHINE_GENERATED,))  # fmt: skip
        passage = Passage(paper_id="text:mg", seq=0, page=1, section="Results", text=text)
        sent = Sentence(paper_id="text:mg", page=1, section="Results", text=text, passage_id=0)
        lib.add_paper(paper, [passage], [sent])
        result = synthesize(lib, QUESTION)
    lines = [c for t in result.themes for c in t.claims]
    mg_lines = [c for c in lines if c.machine_generated]
    assert mg_lines, "the machine-generated claim is shown, marked"
    assert all("text:mg" not in t.papers for t in result.themes)
    assert any("text:mg" in t.machine_generated_papers for t in result.themes)
    assert result.excluded_machine_generated == ("text:mg",)
    # Nor does it count for a facet of the question.
    assert all("text:mg" not in f.claim_papers + f.mention_papers for f in result.facets)


def test_facets_say_what_the_library_covers_and_what_it_cannot_answer(papers_library: Path):
    question = (
        "What is the comparative effect of scaling intermediate-task data volume versus model "
        "size on the robustness of zero-shot cross-lingual transfer across low-resource "
        "languages in XTREME-R?"
    )
    with Library(papers_library) as lib:
        result = synthesize(lib, question)
        texts = {
            s.paper_id: " ".join(x.text for x in lib.sentences(s.paper_id)) for s in lib.papers()
        }
    phrases = [f.phrase for f in result.facets]
    assert phrases[1] == "model size" and phrases[-1] == "XTREME-R"
    # No real paper here says "XTREME-R" (MESH says XTREME): a gap, and the answer says so.
    assert not any("XTREME-R" in t for t in texts.values())
    assert "XTREME-R" in result.gaps
    assert any("XTREME-R" in line and "No human-written paper" in line for line in result.answer)
    # Every paper a facet is credited to really says its words somewhere.
    robust = next(f for f in result.facets if f.phrase == "robustness")
    for pid in robust.mention_papers:
        assert any(w in texts[pid].lower() for w in ("robust", "resilien", "stabl", "gap", "drop"))
    # Themes are named by the facets their claims speak to.
    assert all(t.name for t in result.themes)


def test_relate_agree_and_conflict():
    def claim(text: str) -> Claim:
        return Claim(claim_id=text, text=text, numbers=parse_numbers(text))

    a = claim("Pruning 30% of heads improves XNLI accuracy by 2 points.")
    assert relate(a, claim("Pruning 30% of heads hurts XNLI accuracy by 2 points.")) == "conflict"
    assert (
        relate(a, claim("Pruning 30% of heads improves XNLI accuracy by 5 points.")) == "conflict"
    )
    assert (
        relate(a, claim("Pruning 30% of the heads improves accuracy on XNLI by 2 points."))
        == "agree"
    )


def test_cli_synthesize_and_claims(papers_library: Path):
    runner = CliRunner()
    result = runner.invoke(
        app, ["synthesize", QUESTION, "--json", "--library", str(papers_library)]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["themes"] and all(c["citations"] for t in data["themes"] for c in t["claims"])
    assert [f["facet"] for f in data["facets"]] == [
        "pruning attention heads",
        "multilingual BERT models",
    ]
    assert data["answer"] and isinstance(data["gaps"], list) and data["papers"]
    result = runner.invoke(app, ["claims", "--json", "--library", str(papers_library)])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert (
        rows and {"paper", "page", "section", "text", "type", "score", "numbers"} <= rows[0].keys()
    )
    result = runner.invoke(app, ["claims", "--paper", "pdf:nope", "--library", str(papers_library)])
    assert result.exit_code == 1 and "pdf:nope" in result.stderr
    result = runner.invoke(app, ["synthesize", "", "--library", str(papers_library)])
    assert result.exit_code == 2
