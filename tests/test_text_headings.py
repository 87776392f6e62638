"""Section headings of text files: numbered headings kept, numbered list items not headings."""

from __future__ import annotations

from synth.provenance import text_paragraphs
from synth.text_headings import HeadingReader, is_title, section_number


def _headings(text: str) -> list[str]:
    reader = HeadingReader()
    return [h for ln in text.split("\n") if ln.strip() and (h := reader.read(ln.strip()))]


def _sections(text: str) -> dict[str, str]:
    """Each paragraph's first words -> its section."""
    _, paras, _ = text_paragraphs(text)
    return {" ".join(p.text.split()[:3]): p.section for p in paras if p.kind != "title"}


def test_plain_numbered_headings_are_kept() -> None:
    doc = """A Paper Title

Abstract
We study things.

1 Introduction
Text.

2 Related Work
Text.

2.1 Cross-Lingual Transfer
Text.

3. Method
Text.

3.1 Data and Models
Text.

4 Our Approach: FTFT
Text.

5 Conclusion
Text.
"""
    assert _headings(doc)[1:] == [
        "1 Introduction",
        "2 Related Work",
        "2.1 Cross-Lingual Transfer",
        "3. Method",
        "3.1 Data and Models",
        "4 Our Approach: FTFT",
        "5 Conclusion",
    ]


def test_numbered_list_items_are_not_headings() -> None:
    doc = """A Paper Title

## 1 Introduction

Our contributions are as follows:

1. We provide a thorough comparison of several augmentation variants;

2. We test these approaches in the wild;

3. We explore the effects of data quality and quantity;

## 3 Experimental Setup

During the review process, we track:

1. Whether the suggestion, if shown, was accepted or declined

2. Total time spent reviewing each sentence

3. Number of edit operations the user made

Finally, we compare the groups.

We use the following classes:

1. High-Resource Languages (HRLs): > 2B tokens in parallel data
2. Unsupervised Languages (URLs): no parallel data

The next paragraph.
"""
    assert _headings(doc) == ["1 Introduction", "3 Experimental Setup"]
    sections = _sections(doc)
    assert sections["2. We test"] == "1 Introduction"
    assert sections["Finally, we compare"] == "3 Experimental Setup"
    assert sections["The next paragraph."] == "3 Experimental Setup"
    # consecutive numbered lines are passages of their own, as bullets are
    assert sections["2. Unsupervised Languages"] == "3 Experimental Setup"
    assert sections["1. High-Resource Languages"] == "3 Experimental Setup"


def test_numbering_that_runs_backwards_is_a_list() -> None:
    reader = HeadingReader()
    assert reader.read("## 4 Results") == "4 Results"
    assert reader.read("Some text.") is None
    assert reader.read("2 Models Compared") is None  # a count under section 4, not a heading
    assert reader.read("4.1 Main Results") == "4.1 Main Results"
    assert reader.read("4.1 Main Results Again") is None
    assert reader.read("5 Discussion") == "5 Discussion"
    # an appendix numbers its sections anew
    assert reader.read("## A Appendix") == "A Appendix"
    assert reader.read("1 Hyperparameters") == "1 Hyperparameters"


def test_a_heading_right_after_a_list_is_kept_when_it_is_a_title() -> None:
    doc = """Title

## 2 Method

We proceed in two steps:

1. Corrupt the reference with rules.

2. Restore it with a model.

3 Results
Text.
"""
    assert _headings(doc) == ["2 Method", "3 Results"]


def test_clause_endings_and_long_lines_are_not_headings() -> None:
    reader = HeadingReader()
    assert reader.read("1. Fine-tuning a BERT-based pre-trained language model (PLM),") is None
    assert reader.read("3. We explore the effects of lexical data quality and quantity;") is None
    long = "1 " + " ".join(["Word"] * 13)
    assert HeadingReader().read(long) is None


def test_helpers() -> None:
    assert section_number("3.2 Results") == (3, 2)
    assert section_number("4. Conclusion") == (4,)
    assert section_number("Results") is None
    assert is_title("Transferability of Training Dynamics Across Model Sizes")
    assert is_title("experimental setup")
    assert not is_title("Total time spent reviewing each sentence")
