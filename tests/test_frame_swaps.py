"""A swapped name read against the whole paper: the frame sentence and the name in its slot."""

from __future__ import annotations

from synth.frame_swaps import frame_swap, paper_frame_swap, slot_words
from synth.records import Sentence

PAPER = [
    "We fine-tune XLM-R on the English training data of XNLI.",
    "Turkish was selected as the second language to evaluate the model's performance on an "
    "agglutinative language with distinct morphological characteristics compared to English.",
    "The highest improvement of 6.67% is observed for Wixarika.",
    "Table 1 shows that on clean data, TI records the highest COMET for all eight language pairs.",
    "We use TowerInstruct (TI) and OPUS as the two translation systems.",
    "Following Clark et al. (2022), we report accuracy averaged over three seeds.",
    "BAD-X improves over MAD-X on NLI for every language.",
]


def _names(text: str) -> list[str]:
    return [raw for _, raw, named in slot_words(text) if named]


def test_slot_words_marks_names_not_pointers_titles_or_authors():
    # A registry language opening the sentence is a name; an acronym and a lone capital too.
    assert _names("Turkish was selected as the second language") == ["Turkish"]
    assert _names("The improvement is observed for Wixarika with mBERT") == ["Wixarika", "mBERT"]
    # "Table", an author cited, a run of title-case words: no names of a kind.
    assert _names("Following Clark et al. (2022), see Table 2") == []
    assert _names("Manual Data Collection was done by hand") == []
    # A sentence's opening "For" starts no title; a quoted label is no name.
    assert _names("For Hausa and Twi, native speakers") == ["Hausa", "Twi"]
    assert _names("we used the labels 'Human' and 'Machine'") == []
    # A caption's opening capital is the caption's, not a name.
    assert _names("Table 4: Accuracy for XNLI cross-lingual inference") == ["XNLI"]


def test_frame_swap_finds_the_other_name_in_the_slot():
    claim = (
        "Swahili was picked as the second language to test the model on an agglutinative language."
    )
    found = frame_swap(claim, PAPER)
    assert found is not None and found[:2] == ("Swahili", "Turkish")
    assert found[2] == PAPER[1]
    claim = "The largest NLI improvement of BAD-X over MAD-X, 6.67 points, is observed for Aymara."
    found = frame_swap(claim, PAPER)
    assert found is not None and found[:2] == ("Aymara", "Wixarika")


def test_frame_swap_none_for_the_same_name_or_an_unaddressed_claim():
    # The paper's initials for the claim's name: the same thing, no swap.
    claim = "On clean data TowerInstruct records the highest COMET for all eight language pairs."
    assert frame_swap(claim, PAPER) is None
    # The claim as the paper says it.
    assert frame_swap("Turkish was selected as the second language.", PAPER) is None
    # Something the paper never discusses: no sentence carries the rest of the claim.
    assert frame_swap("All experiments were run on a single NVIDIA V100 GPU.", PAPER) is None


def test_frame_swap_none_when_the_claim_is_about_another_papers_thing():
    # Two names this paper never uses: the claim is about something else, whatever the slot.
    paper = [*PAPER, "All experiments were run on a single NVIDIA A100 GPU."]
    assert frame_swap("The MESH experiments were run on a single NVIDIA V100 GPU.", paper) is None
    found = frame_swap("All experiments were run on a single NVIDIA V100 GPU.", paper)
    assert found is not None and found[:2] == ("V100", "A100")


def test_paper_frame_swap_reads_evidence_sentences_only():
    def sentence(text: str, kind: str) -> Sentence:
        return Sentence(paper_id="p", page=1, section="", text=text, kind=kind)

    claim = "The highest improvement of 6.67% is observed for Aymara."
    body = [sentence(PAPER[2], "body")]
    assert paper_frame_swap(claim, body) == 1.0
    assert paper_frame_swap(claim, [sentence(PAPER[2], "references")]) == 0.0


def test_frame_swap_none_when_the_paper_states_the_claim_as_written():
    # A second sentence with another name in the slot is a list or a second finding when the
    # paper also says the claim itself, names and all.
    paper = [
        "The highest improvement of 6.67% is observed for Wixarika.",
        "The highest improvement of 6.67% is observed for Aymara on the test set.",
    ]
    assert frame_swap("The highest improvement of 6.67% is observed for Aymara.", paper) is None
    assert frame_swap("The highest improvement of 6.67% is observed for Aymara.", paper[:1])
