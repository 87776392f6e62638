"""PDF parsing: the real papers in ../shared/data/papers and PDFs generated here with pymupdf."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest

from synth import layout
from synth.pdf import PdfError, parse_pdf
from synth.records import FLAG_REVIEW_COPY, FLAG_TRUNCATED

PAPERS = "papers"


@pytest.fixture(scope="module")
def parsed(shared_data: Path) -> dict:
    docs = {}
    for pdf in sorted((shared_data / PAPERS).glob("*/*.pdf")):
        docs[pdf.parent.name] = parse_pdf(pdf)
    assert len(docs) == 5
    return docs


def one(doc, text: str):
    """The single sentence equal to ``text``."""
    hits = [s for s in doc.sentences if s.text == text]
    assert len(hits) == 1, [s.text for s in doc.sentences if text[:30] in s.text]
    return hits[0]


# --- concrete sentences, one paper at a time -------------------------------------------------
def test_decoding_review_draft(parsed):
    doc = parsed["decoding_diversity_review_draft"]
    assert FLAG_REVIEW_COPY in doc.paper.flags
    assert doc.paper.title.startswith("Diversity, Pragmatic Informativeness and Semantic Adequacy")
    # "train-" / "ing" across a line break; line numbers 000-099 sit beside it in the margins.
    s = one(
        doc,
        "So far, research has mainly focused on the training of the models (Zarrieß and Schlangen, 2018).",
    )
    assert (s.page, s.section, s.kind) == (1, "1 Introduction", "body")
    # Continues from the bottom of the left column to the top of the right one.
    s = one(
        doc,
        "These shortcomings are addressed by various attempts to enhance diversity through e.g. "
        "stochastic decoding strategies such as Top-K Random Sampling (Fan et al., 2018) or Nucleus "
        "Sampling (Holtzman et al.) (cf. Ippolito et al. (2019a) for a comprehensive overview).",
    )
    assert s.page == 1
    s = one(
        doc,
        "In this work, we want to explore the interactions between likelihood, diversity and pragmatic informativity.",
    )
    assert (s.page, s.section) == (2, "1 Introduction")
    s = one(
        doc,
        "Here, we use a rather standard approach - we use static beam widths, refrain from pruning "
        "or length normalization, and terminate the beam search if the top candidate has the end "
        "token as its final segment.",
    )
    assert (s.page, s.section) == (2, "3.2 Decoding Strategies")  # runs on to page 3


def test_mesh_two_column_student_paper(parsed):
    doc = parsed["mesh_xtreme_mbert_pruning"]
    assert doc.paper.authors == ("Gautam Gupta", "Ravil Patel", "Avantika Singh")
    assert (
        FLAG_REVIEW_COPY not in doc.paper.flags
    )  # table digits in the margin are not line numbers
    s = one(
        doc,
        "Meta-learning has gained significant attention for enabling models to learn and adapt quickly to new tasks and languages.",
    )
    assert (s.page, s.kind, s.section) == (1, "abstract", "Abstract")
    s = one(doc, "Fig. 1: Attention visualization")
    assert (s.page, s.kind) == (2, "caption")
    s = [
        x
        for x in doc.sentences
        if x.text.startswith("Furthermore, similar strategy can be used to optimize tasks")
    ]
    assert s and s[0].page == 6 and s[0].section == "V. Conclusion and Future Scope"
    refs = [x for x in doc.sentences if "Mapreduce" in x.text]
    assert refs and all(x.kind == "references" for x in refs)
    # One passage per reference entry, even when an entry runs on into the next page.
    xie = [x for x in doc.passages if x.text.startswith("Wanying Xie, Yang Feng")]
    assert len(xie) == 1 and "pages 5725–5737" in xie[0].text and xie[0].page == 6
    s = one(doc, "Question Answering (QA) 88.0K 81.8K")
    assert (s.page, s.kind) == (5, "table")
    s = one(
        doc,
        "Train most imp 30% heads: NLI-en 75.40±4.0, NLI-es 74.11±3.2, QA-en 72.12±1.9, "
        "QA-es 73.60±1.3, NER-en 83.10±2.6, NER-es 86.16±1.9, PA-en 86.02±0.5, PA-es 84.55±0.3.",
    )
    assert (s.page, s.kind) == (5, "table")


def test_structural_neg_review_copy(parsed):
    doc = parsed["structural_neg_emnlp2020_review"]
    assert FLAG_REVIEW_COPY in doc.paper.flags
    s = one(
        doc,
        "This document contains the instructions for preparing a manuscript for the proceedings of EMNLP 2020.",
    )
    assert (s.page, s.kind) == (1, "abstract")
    s = one(doc, "Manuscripts must be in two-column format.")
    assert (s.page, s.section) == (2, "7 Formatting Instructions")
    credits = [
        x for x in doc.sentences if x.text.startswith("This document has been adapted by Yulan He")
    ][0]
    assert "Ivan Vulić," in credits.text  # pdfTeX's spacing accent repaired
    s = one(doc, "Such images may reproduce poorly.")
    assert (s.page, s.section) == (3, "7.1 File Format")
    # Superscript footnote markers do not stick to the sentence ("by a line.2").
    s = one(doc, "Footnotes should be separated from the text by a line.")
    assert (s.page, s.section) == (4, "7.9 Footnotes")
    s = one(doc, "This is how a footnote should appear.")
    assert (s.page, s.kind) == (4, "footnote")
    # A subsection titled "7.13 References" is prose, not the reference list.
    s = one(doc, "Use full names for authors, not just initials.")
    assert (s.kind, s.section) == ("body", "7.13 References")


def test_semeval_system_paper(parsed):
    doc = parsed["ub_semeval2022_task4"]
    assert doc.paper.authors[2] == "Tudor-Andrei Dumitraşcu"
    s = one(doc, "The challenge is divided into two subtasks.")
    assert (s.page, s.section) == (1, "1 Introduction")
    s = one(doc, "Figure 1: Classes Distribution for Binary Classification problem (Subtask 1)")
    assert s.kind == "caption"
    s = one(
        doc,
        "Because the dataset was very imbalanced, we tried different approaches in order to make it balanced:",
    )
    assert (s.page, s.section) == (2, "3 System Overview")
    s = one(
        doc,
        "In the binary classification problem, the approach that gave the best result on the "
        "validation dataset was BERT transformers combined with Bert for Sequence Classification, "
        "obtaining 0.50 as f1_score.",
    )
    assert (s.page, s.section) == (4, "5 Conclusion")
    # Each table row is one passage naming its columns (and the table's title line above them).
    s = one(
        doc, "Lemmatized (F1_Score), Logistic Regression: Simple 0.34, SMOTE 0.35, SVMSMOTE 0.35."
    )
    assert (s.page, s.kind) == (3, "table")
    refs = [p for p in doc.passages if p.kind == "references"]
    assert len(refs) == 9 and refs[0].text.startswith("Jacob Devlin, Ming-Wei Chang")
    # The sentence breaks after "Ana-Sabina" at the foot of the left column: joined again.
    s = one(
        doc,
        "We would like to thank our supervisor Ana-Sabina Uban for the guidance and throughout "
        "the development of the project.",
    )
    assert (s.page, s.section) == (4, "Acknowledgements")


def test_single_column_google_docs_report(parsed):
    doc = parsed["xlmr_xnli_en_tr_student_report"]
    assert doc.paper.title == "Cross-Lingual Natural Language Inference with XLM-RoBERTa"
    assert doc.paper.authors == ("Elisa Lopes de Souza",)
    # Justified words that pymupdf returns as separate lines on one baseline are one line again.
    s = one(
        doc,
        "Turkish was selected as the second language to evaluate the model's performance on an "
        "agglutinative language with distinct morphological characteristics compared to English.",
    )
    assert s.page == 1
    s = one(doc, "There is a performance gap of approximately 6.15% between English and Turkish.")
    assert (s.page, s.section) == (3, "4. Quantitative Results")
    s = one(doc, "Exp 4 69.92% 0.8803 Best Performance")  # a table row, kept out of the body
    assert (s.page, s.kind) == (3, "table")
    # One-row-per-block table: the header is remembered, each value is named by its column.
    s = one(doc, "Turkish (Target): Test Set Accuracy 66.21%.")
    assert (s.page, s.kind) == (3, "table")


# --- properties every real paper must have ------------------------------------------------------
_LINE_NUMBER_RUN = re.compile(r"\b\d{3}( \d{3}){2,}\b")


@pytest.mark.parametrize(
    "name",
    [
        "decoding_diversity_review_draft",
        "mesh_xtreme_mbert_pruning",
        "structural_neg_emnlp2020_review",
        "ub_semeval2022_task4",
        "xlmr_xnli_en_tr_student_report",
    ],
)
def test_sentences_are_clean(parsed, name):
    doc = parsed[name]
    body = [s for s in doc.sentences if s.kind in ("body", "abstract")]
    assert len(body) > 40
    for s in doc.sentences:
        assert 1 <= s.page <= doc.paper.pages
        assert not _LINE_NUMBER_RUN.search(s.text), s.text  # no review line numbers
        assert "Review Copy" not in s.text and "DO NOT DISTRIBUTE" not in s.text  # running header
        assert not re.search("[\ufb00-\ufb06\u200b\u00ad]", s.text)  # ligatures, zero-width
        assert doc.text[s.char_start : s.char_end] == s.text  # offsets index the full text
    pages = [s.page for s in body]
    assert pages == sorted(pages)  # reading order never goes back a page
    words = {w for s in body for w in re.findall(r"[A-Za-z]+", s.text)}
    # Fragments of words broken at line ends must not survive as words of their own.
    assert not {"ing", "tion", "ment"} & words


# --- generated PDFs ---------------------------------------------------------------------------
LEFT = [
    "Cross-lingual transfer remains hard for low-",
    "resource languages. We study intermedi-",
    "ate training with English data and report the",
    "average gain over the baseline on XTREME.",
    "The method is simple: train on one task,",
]
RIGHT = [
    "then train on the target task and evaluate",
    "zero-shot. Results improve by 3.1 points on",
    "average across nine low-resource tasks.",
]


def two_column_pdf(path: Path, pages: int = 2) -> Path:
    doc = pymupdf.open()
    for n in range(1, pages + 1):
        page = doc.new_page(width=595, height=842)
        page.insert_text((200, 40), "Proceedings of the Test Workshop 2026", fontsize=8)
        page.insert_text((295, 810), str(n), fontsize=10)
        for i in range(50):  # review-copy line numbers in both margins
            page.insert_text((15, 80 + 14 * i), f"{(n - 1) * 100 + i:03d}", fontsize=7)
            page.insert_text((565, 80 + 14 * i), f"{(n - 1) * 100 + 50 + i:03d}", fontsize=7)
        y = 80
        if n == 1:
            page.insert_text((150, y), "A Generated Two Column Paper", fontsize=16, fontname="hebo")
            # arXiv's stamp runs up the left margin of the first page.
            page.insert_text(
                (40, 600), "arXiv:2005.13013v2 [cs.CL] 26 May 2020", fontsize=14, rotate=90
            )
            y = 130
        page.insert_text((72, y), f"{n} Section Number {n}", fontsize=12, fontname="hebo")
        for i, line in enumerate(LEFT):
            page.insert_text((72, y + 20 + 13 * i), line, fontsize=10)
        for i, line in enumerate(RIGHT):
            page.insert_text((310, 80 + 13 * i), line, fontsize=10)
        page.insert_text((310, 200), f"Table {n}: Scores on page {n}.", fontsize=9)
    doc.save(path)
    return path


def test_generated_two_column_paper(tmp_path):
    doc = parse_pdf(two_column_pdf(tmp_path / "gen.pdf"))
    texts = [s.text for s in doc.sentences]
    assert doc.paper.title == "A Generated Two Column Paper"
    assert FLAG_REVIEW_COPY in doc.paper.flags
    # "low-" + "resource": the document writes "low-resource" elsewhere, so the hyphen stays;
    # "intermedi-" + "ate" is a broken word and is joined.
    assert "Cross-lingual transfer remains hard for low-resource languages." in texts
    assert any("We study intermediate training with English data" in t for t in texts)
    # The left column's last sentence continues at the top of the right column.
    joined = "The method is simple: train on one task, then train on the target task and evaluate zero-shot."
    assert texts.count(joined) == 2
    hits = [s for s in doc.sentences if s.text == joined]
    assert [h.page for h in hits] == [1, 2]
    assert [h.section for h in hits] == ["1 Section Number 1", "2 Section Number 2"]
    caps = [s for s in doc.sentences if s.kind == "caption"]
    assert [c.text for c in caps] == ["Table 1: Scores on page 1.", "Table 2: Scores on page 2."]
    assert not any("Proceedings of the Test Workshop" in t for t in texts)
    assert not any("arXiv:2005.13013v2" in t for t in texts)
    assert not any(re.search(r"\b0\d\d\b", t) for t in texts)


def test_a_failing_page_does_not_lose_the_document(tmp_path, monkeypatch):
    pdf = two_column_pdf(tmp_path / "gen.pdf", pages=3)
    real = layout.page_blocks

    def flaky(page, page_no):
        if page_no == 2:
            raise RuntimeError("simulated damaged content stream")
        return real(page, page_no)

    monkeypatch.setattr("synth.pdf.page_blocks", flaky)
    doc = parse_pdf(pdf)
    assert doc.page_errors == {2: "RuntimeError: simulated damaged content stream"}
    assert any("page 2 could not be read" in w for w in doc.warnings)
    assert {s.page for s in doc.sentences} == {1, 3}


def test_bad_files(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(PdfError, match="empty file"):
        parse_pdf(empty)
    html = tmp_path / "page.pdf"
    html.write_text("<html><body>not a pdf</body></html>")
    with pytest.raises(PdfError, match="not a PDF"):
        parse_pdf(html)
    good = two_column_pdf(tmp_path / "good.pdf", pages=4)
    enc = pymupdf.open(good)
    enc.save(
        tmp_path / "enc.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o"
    )
    with pytest.raises(PdfError, match="encrypted"):
        parse_pdf(tmp_path / "enc.pdf")
    data = good.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    doc = parse_pdf(cut)  # pymupdf repairs silently: we must notice
    assert FLAG_TRUNCATED in doc.paper.flags
    assert any("truncated" in w for w in doc.warnings)


@pytest.mark.parametrize(
    "prev, nxt, vocab, expected",
    [
        ("the train-", "ing of models", set(), "the training of models"),
        ("can some-", "times help", {"some", "times"}, "can sometimes help"),  # TeX split
        ("people who are color-", "blind", {"color", "blind"}, "people who are color-blind"),
        ("a multi-", "headed model", {"multi-", "multi"}, "a multi-headed model"),  # "multi-task"
        ("state-of-the-", "art models", {"the-art"}, "state-of-the-art models"),
        ("with XLM-", "RoBERTa Large", set(), "with XLM-RoBERTa Large"),  # capital: keep
        ("pre-", "trained", {"pretrained", "pre-"}, "pretrained"),  # the document spells it so
    ],
)
def test_hyphenation_repair(prev, nxt, vocab, expected):
    from synth.hyphenation import append_line
    from synth.sentences import Paragraph

    para = Paragraph("", "body")
    append_line(para, prev, 1, vocab)
    append_line(para, nxt, 1, vocab)
    assert para.text == expected


def test_task_critical_compound_kept(parsed):
    doc = parsed["mesh_xtreme_mbert_pruning"]
    body = " ".join(s.text for s in doc.sentences)
    assert "partitioning task-critical modules" in body
    assert "Multi-headed attention, in particular," in body


def test_pages_without_text_are_flagged(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "A Paper With One Text Page", fontsize=16)
    page.insert_text(
        (72, 140), "Only this page has a text layer. The next two are images.", fontsize=10
    )
    for _ in range(2):
        blank = doc.new_page()
        blank.draw_rect(pymupdf.Rect(72, 72, 300, 300), color=(0, 0, 0), fill=(0.5, 0.5, 0.5))
    doc.save(tmp_path / "scan.pdf")
    parsed = parse_pdf(tmp_path / "scan.pdf")
    assert "no_text" in parsed.paper.flags
    assert any("2 of 3 pages have no text layer" in w and "page 2, 3" in w for w in parsed.warnings)
    assert [s.text for s in parsed.sentences if s.kind == "body"] == [
        "Only this page has a text layer.",
        "The next two are images.",
    ]


def test_html_rendered_pdf(tmp_path):
    """A PDF that is not from LaTeX: pymupdf's Story renders HTML (headings by font size only)."""
    html = (
        "<h1>Zero-shot Transfer Notes</h1><p>Alice Smith, Bob Jones</p>"
        "<h2>Introduction</h2><p>Cross-lingual transfer is studied widely. We look at STILTs.</p>"
        "<h2>Method Overview</h2><p>We first train on MNLI. Then we train on the target task in"
        " English and evaluate in 40 languages.</p><h2>References</h2><p>Phang et al. 2020. English"
        " intermediate-task training improves zero-shot cross-lingual transfer too.</p>"
    )
    story = pymupdf.Story(html)
    writer = pymupdf.DocumentWriter(str(tmp_path / "story.pdf"))
    more = True
    while more:
        dev = writer.begin_page(pymupdf.paper_rect("a4"))
        more, _ = story.place(pymupdf.paper_rect("a4") + (72, 72, -72, -72))
        story.draw(dev)
        writer.end_page()
    writer.close()
    doc = parse_pdf(tmp_path / "story.pdf")
    assert (doc.paper.title, doc.paper.authors) == (
        "Zero-shot Transfer Notes",
        ("Alice Smith", "Bob Jones"),
    )
    got = [(s.kind, s.section, s.text) for s in doc.sentences if s.kind != "title"]
    assert got == [
        ("front", "", "Alice Smith, Bob Jones"),
        ("body", "Introduction", "Cross-lingual transfer is studied widely."),
        ("body", "Introduction", "We look at STILTs."),
        ("body", "Method Overview", "We first train on MNLI."),
        (
            "body",
            "Method Overview",
            "Then we train on the target task in English and evaluate in 40 languages.",
        ),
        (
            "references",
            "References",
            "Phang et al. 2020. English intermediate-task training improves zero-shot cross-lingual transfer too.",
        ),
    ]


def test_linearize_row_pairs_cells_with_their_columns():
    from synth.structure import linearize_row

    head = ("Language", "Test Set Accuracy")
    assert linearize_row(head, ("Turkish", "66.21%")) == "Turkish: Test Set Accuracy 66.21%."
    # The label column has no header cell: values still pair from the first header cell on.
    got = linearize_row(("NLI-en", "QA-en"), ("mBERT", "65.5", "-"), title="Accuracy")
    assert got == "Accuracy, mBERT: NLI-en 65.5."
    # Any other shape would put values under the wrong column: not linearized.
    assert linearize_row(("A", "B", "C", "D"), ("x", "1")) is None
