"""Check the hand-written evaluation sets against the papers' own PDF text.

Checks bench/verify_handwritten.jsonl (labelled claims for the verifier) and
bench/claims_gold/<paper>.jsonl (the claims a careful reader lists, for extraction recall):
every line parses, labels / kinds / types / paper keys are allowed values, ids are unique, and every
quoted passage (``quote`` in the gold lists, ``evidence`` in the labelled claims) is found on the
stated page of the paper's PDF text (or running on into the next page).

Matching ignores case, whitespace, hyphens and dashes (line-break hyphenation), applies NFKC
(ligatures such as "fi") and straightens curly quotes. Where a figure caption or a table cell
interrupts a sentence in the PDF text, a quote still counts if its words occur in order with at
most ``MAX_GAP_WORDS`` foreign words in between ("gapped"; reported, not an error). Evidence made of
several passages separates them with `` [...] ``.

verify_handwritten.jsonl, one claim a line: ``id``; ``paper`` (folder name under
``../shared/data/papers``; null for NOT ENOUGH INFO claims that no paper touches); ``label``;
``kind`` (how the claim relates to the text, see ``KINDS``); ``claim``; ``page`` (1-based PDF page of
the evidence; null for NOT ENOUGH INFO); ``evidence`` (the paper's text that decides it, verbatim;
empty for NOT ENOUGH INFO). Written by reading the papers, never from claimlab's output.

Run: ``.venv/bin/python bench/check_gold.py`` (exit status 1 if anything fails).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pymupdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from synth.settings import resolve_data_dir  # noqa: E402

HANDWRITTEN = REPO / "bench" / "verify_handwritten.jsonl"
GOLD_DIR = REPO / "bench" / "claims_gold"
PAPERS = (
    "decoding_diversity_review_draft",
    "mesh_xtreme_mbert_pruning",
    "structural_neg_emnlp2020_review",
    "ub_semeval2022_task4",
    "xlmr_xnli_en_tr_student_report",
)
KINDS = {
    "SUPPORTS": {"restated", "paraphrase", "numeric", "summary", "implicit"},
    "REFUTES": {"number", "direction", "entity", "negation", "exaggeration"},
    "NOT ENOUGH INFO": {"related", "unaddressed"},
}
GOLD_TYPES = {"result", "comparison", "method", "contribution"}
SEPARATOR = " [...] "
MAX_GAP_WORDS = 40
_LINE_NO = re.compile(r"^\s*\d{1,3}\s*$", re.MULTILINE)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u200b": " "})


def _words(text: str) -> list[str]:
    """Lower-cased word tokens with hyphens, dashes and punctuation spacing ignored."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = re.sub(r"[-‐‑–—]\s*", "", text)  # line-break hyphens: "classifi- cation"
    return re.findall(r"\w+|[^\w\s]", text)


def page_words(paper: str) -> list[list[str]]:
    """Word tokens of each page of a paper's PDF (index 0 = page 1)."""
    folder = resolve_data_dir() / "papers" / paper
    pdf = next(folder.glob("*.pdf"))
    with pymupdf.open(pdf) as doc:
        # review copies number every line in the margin: drop lines that are only a number
        return [_words(_LINE_NO.sub("", page.get_text())) for page in doc]


def find(passage: str, words: list[str]) -> str | None:
    """'exact', 'gapped' or None: where the passage's words occur in ``words``."""
    needle = _words(passage)
    if not needle:
        return None
    joined, target = " ".join(words), " ".join(needle)
    if f" {target} " in f" {joined} ":
        return "exact"
    for start in (i for i, w in enumerate(words) if w == needle[0]):
        pos, skipped = start, 0
        for token in needle:
            while pos < len(words) and words[pos] != token and skipped <= MAX_GAP_WORDS:
                pos, skipped = pos + 1, skipped + 1
            if pos >= len(words) or words[pos] != token:
                break
            pos += 1
        else:
            return "gapped"
    return None


def locate(passage: str, paper: str, page: int, pages: dict[str, list[list[str]]]) -> str | None:
    """Find a passage on its page, or starting there and running on into the next page."""
    words = pages[paper]
    if not 1 <= page <= len(words):
        return None
    return find(passage, words[page - 1] + (words[page] if page < len(words) else []))


def check_handwritten(pages: dict[str, list[list[str]]]) -> tuple[list[str], list[str]]:
    """Problems and notes for the labelled verification claims."""
    problems, notes, seen = [], [], set()
    for n, line in enumerate(HANDWRITTEN.read_text().splitlines(), 1):
        where = f"{HANDWRITTEN.name}:{n}"
        item = json.loads(line)
        label, kind, paper = item.get("label"), item.get("kind"), item.get("paper")
        if item.get("id") in seen or not item.get("claim"):
            problems.append(f"{where}: duplicate id or empty claim")
        seen.add(item.get("id"))
        if label not in KINDS or kind not in KINDS[label]:
            problems.append(f"{where}: label {label!r} / kind {kind!r} not allowed")
        if paper is not None and paper not in PAPERS:
            problems.append(f"{where}: unknown paper {paper!r}")
        evidence = item.get("evidence", "")
        if label == "NOT ENOUGH INFO":
            if evidence:
                problems.append(f"{where}: NOT ENOUGH INFO with evidence")
            continue
        if paper is None or not evidence:
            problems.append(f"{where}: {label} needs a paper and evidence")
            continue
        for part in evidence.split(SEPARATOR):
            found = locate(part, paper, item.get("page", 0), pages)
            if found is None:
                problems.append(f"{where} ({item['id']}): evidence not on page: {part[:70]!r}")
            elif found == "gapped":
                notes.append(f"{where} ({item['id']}): gapped match: {part[:60]!r}")
    return problems, notes


def check_gold(pages: dict[str, list[list[str]]]) -> tuple[list[str], list[str]]:
    """Problems and notes for the careful-reader claim lists."""
    problems, notes = [], []
    for path in sorted(GOLD_DIR.glob("*.jsonl")):
        if path.stem not in PAPERS:
            problems.append(f"{path.name}: not a paper key")
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            where = f"{path.name}:{n}"
            item = json.loads(line)
            if item.get("paper") != path.stem or item.get("type") not in GOLD_TYPES:
                problems.append(f"{where}: wrong paper or type {item.get('type')!r}")
            found = locate(item.get("quote", ""), path.stem, item.get("page", 0), pages)
            if found is None:
                problems.append(
                    f"{where}: quote not on page {item.get('page')}: {item['quote'][:70]!r}"
                )
            elif found == "gapped":
                notes.append(f"{where}: gapped match: {item['quote'][:60]!r}")
    return problems, notes


def main() -> int:
    """Run both checks; print problems and notes; non-zero exit if any problem."""
    pages = {paper: page_words(paper) for paper in PAPERS}
    problems, notes = [], []
    for check in (check_handwritten, check_gold):
        p, n = check(pages)
        problems += p
        notes += n
    for line in notes:
        print("note:", line)
    for line in problems:
        print("PROBLEM:", line)
    print(f"{len(problems)} problems, {len(notes)} notes")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
