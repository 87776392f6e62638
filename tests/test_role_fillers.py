"""Entity swaps read by the role a name fills ("X as the initial model"), with sentences of a
made-up paper."""

from __future__ import annotations

from synth.records import Sentence
from synth.role_fillers import _roles, paper_role_filler, role_filler_swap

PAPER = [
    "We study how well small retrievers transfer to legal questions.",
    "For all main experiments, we use ZetaLM-base (Kim et al., 2021) as our initial model.",
    "We employ the QuickNet (qn-v2; Lee et al. 2020) as the backbone in ranking models.",
    "ParseX-4 is compared with ZetaLM-base and QuickNet on the news split.",
    "For the translate-test setting, questions were translated through Basque as the pivot language.",
]


def test_roles_read_the_name_and_its_role():
    assert _roles("The main runs use TagLM-2 as the initial model.") == [
        ("taglm-2", "TagLM-2", ("initial", "model"))
    ]
    # a parenthesis and a passive verb of use between the name and its role
    roles = _roles("QuickNet (Lee et al., 2020) was chosen as the backbone.")
    assert [(raw, role) for _, raw, role in roles] == [("QuickNet", ("backbon",))]
    # a size written onto the name is part of it; a name turned adjective fills no role
    assert [r[1] for r in _roles("We used ZetaLM-base as its backbone.")] == ["ZetaLM-base"]
    assert _roles("A ZetaLM-based ranker serves as the baseline.") == []
    # no role: "as" comparing, or a language among those an experiment runs through
    assert _roles("ParseX-4 is as good as QuickNet on the news split.") == []
    assert _roles("Items were translated through Basque as the pivot language.") == []


def test_role_filler_swap_another_name_in_the_claims_role():
    claim = "The main experiments use TagLM-2 as the initial model."
    found = role_filler_swap(claim, PAPER)
    assert found is not None and found[:2] == ("TagLM-2", "ZetaLM-base")
    # the role's words open the paper's ("backbone" / "backbone in ranking models")
    claim = "The ranking model used ParseX-4 as its backbone."
    found = role_filler_swap(claim, PAPER)
    assert found is not None and found[:2] == ("ParseX-4", "QuickNet")
    # another of the claim's names, which the claim puts in no role, in the claim's role
    claim = "The main runs use TagLM-2 as the initial model, with ZetaLM-base only in the appendix."
    assert role_filler_swap(claim, PAPER) is not None


def test_role_filler_swap_none_for_the_same_name_or_another_role():
    # the paper's own thing in that role, written the same or as a part of a longer name
    assert role_filler_swap("The runs use ZetaLM-base as the initial model.", PAPER) is None
    assert role_filler_swap("The ranking models used QuickNet as the backbone.", PAPER) is None
    # the claim's role is not the paper's ("teacher model" / "initial model")
    assert role_filler_swap("The runs use TagLM-2 as the teacher model.", PAPER) is None
    # a name in no role, or no name
    assert role_filler_swap("TagLM-2 reaches the best recall.", PAPER) is None
    assert role_filler_swap("The runs use a small model as the initial model.", PAPER) is None
    # both things named in the role by the paper: the claim's is among them
    paper = [*PAPER, "In the appendix, we also use TagLM-2 as the initial model."]
    assert role_filler_swap("The runs use TagLM-2 as the initial model.", paper) is None


def test_paper_role_filler_reads_evidence_sentences_only():
    body = [Sentence(paper_id="p", page=1, section="", text=t) for t in PAPER]
    claim = "The main experiments use TagLM-2 as the initial model."
    assert paper_role_filler(claim, body) == 1.0
    refs = [Sentence(paper_id="p", page=9, section="", text=t, kind="references") for t in PAPER]
    assert paper_role_filler(claim, refs) == 0.0
    assert paper_role_filler("TagLM-2 reaches the best recall.", body) == 0.0
