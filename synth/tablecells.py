"""A paper's table rows read as cells: (row label, column label, value), with the label's words.

Table rows come from ingest in two shapes: "Header, Row: col 0.85, col 0.0." (linearised) and
"Row 0.2317 0.2308 ..." under a header row of column names (and perhaps a header above it that
groups the columns). ``synth.tablechecks`` compares a claim's two sides against them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synth.entities import LANGUAGES
from synth.search import STOPWORDS, stem

_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?")
_VALUE = r"-?\d+(?:\.\d+)?"
# A value stands apart from its column's name: "Model T5" is a name, not "Model T" = 5.
_CELL = re.compile(rf"^(.*?)\s+({_VALUE})\s*%?\s*(?:±\s*[\d.]+)?$")
# A decimal figure: a cell part holding one is a value ill-formed ("17.3(11.4)"), not a name;
# a version inside a name ("ERNIE-4.0-8K", "Qwen2.5-32B", "GPT-3.5") is part of the name.
_DECIMAL = re.compile(r"(?<![\w.-])\d+[.,]\d")
# A cell of two or more figures of one column ("acc / MCC 0.490 / -0.029", "MLQA 57.80/42.40",
# "P / R / F1 72.2 / 59.9 / 65.5"): the metrics a column groups, one figure each.
_SLASHED = re.compile(rf"^(.*?[A-Za-z].*?)\s+({_VALUE}%?(?:\s*/\s*{_VALUE}%?)+)$")
_RAW_ROW = re.compile(
    rf"^(.*?[A-Za-z)].*?)\s+((?:{_VALUE}%?(?:±[\d.]+)?\s+)+{_VALUE}%?(?:±[\d.]+)?)"
)
# Codes that are also English words: a label "No" or "it" names no language.
_WORD_CODES = STOPWORDS | {"no", "it", "is", "he", "me", "my"}
# Language codes in column labels ("QA-es") read as the language's name.
_CODES = {code.lower(): name.lower() for code, name in LANGUAGES.items()}


# Table abbreviations that are no prefix of the word they shorten (a prefix, "Acc." for
# "accuracy", aligns by itself: tablechecks._aligned_cell): "Avg." is the claim's "averaged".
_SHORT = {"avg": stem("average"), "ppl": stem("perplexity")}


def label_words(text: str) -> frozenset[str]:
    """Stemmed words of a label or claim side, hyphenated parts apart ("QA-es" -> qa, es,
    spanish; "128-neuron" -> 128, neuron)."""
    low = text.lower()
    out = {stem(tok) for tok in _TOKEN.findall(low) if tok not in STOPWORDS}
    # A code after a hyphen ("NLI-es"), or a whole label ("Te"), names a language; a bare "it"
    # or "no" in a sentence does not.
    codes = re.findall(r"-([a-z]{2})\b", low)
    whole = low.strip()
    if re.fullmatch(r"[A-Z][a-z]|[a-z]{2}", text.strip()) and whole not in _WORD_CODES:
        codes.append(whole)
    out |= {stem(_CODES[c]) for c in codes if c in _CODES}
    out |= {_SHORT[w] for w in out if w in _SHORT}
    return frozenset(out)


@dataclass(frozen=True)
class Cell:
    """One value of a table with the labels of its row and column."""

    row: str
    col: str
    words: frozenset[str]
    value: float
    source: int = -1  # index of its table row in the rows it was read from
    table: int = 0  # which table of the paper (a header row after data starts the next one)
    group: str = ""  # the label its row shares with its group ("Zero-shot LLMs"), if any


_DEFINED = re.compile(r"((?:[A-Za-z][a-z]+ ){2,6})\(([A-Z]{2,6})\)")


def abbreviations(texts: list[str]) -> dict[str, frozenset[str]]:
    """Short forms the paper defines ("Question Answering (QA)", "dependency parsing (DP)") ->
    the words they stand for: the words before it whose initials spell it."""
    out = {}
    for text in texts:
        if "(" not in text:
            continue  # no definition without its parenthesis (most sentences: skip the scan)
        for m in _DEFINED.finditer(text):
            short = m.group(2)
            long = m.group(1).split()[-len(short) :]
            if len(long) == len(short) and all(
                w[0].upper() == c for w, c in zip(long, short, strict=True)
            ):
                out[short.lower()] = label_words(" ".join(long))
    return out


def expand(words: frozenset[str], abbr: dict[str, frozenset[str]]) -> frozenset[str]:
    """``words`` with the long forms of the short forms among them (``abbr``, from
    :func:`abbreviations`)."""
    return words.union(*(abbr[w] for w in words if w in abbr))


def table_cells(rows: list[str], context: list[str] = ()) -> list[Cell]:
    """Cells of a paper's table rows (in reading order); ``context`` are its other sentences,
    read for the short forms it defines."""
    abbr = abbreviations(list(rows) + list(context))
    cells: list[Cell] = []
    headers: list[list[str]] = []  # the last numberless rows: column names, and their groups
    names: list[str] = []  # the last header row's column names ("Group | Models | F1")
    table, in_data = 0, False
    for index, text in enumerate(rows):
        text = text.strip().rstrip(".")
        if ":" in text and "," in text.split(":", 1)[1] or re.search(r":\s*[^:]*\d\s*%?$", text):
            cells.extend(_linearised_cells(text, names, abbr, index, table))
            in_data = True
            continue
        m = _RAW_ROW.match(text)
        if not m:
            # A header after data rows starts another table: two cells compare only within one
            # (the same header twice is two tables: relevance F1 and event-type F1).
            table, in_data = table + in_data, False
            names = [n.strip() for n in text.split("|")] if "|" in text else names
            headers = [*headers[-1:], re.findall(r"\S+(?: \([^)]*\))?", text)]
            continue
        in_data = True
        values = [float(v) for v in re.findall(_VALUE, m.group(2))]
        for i, (col, v) in enumerate(zip(_columns(headers, len(values)), values, strict=False)):
            words = expand(label_words(m.group(1)) | label_words(col), abbr)
            cells.append(Cell(m.group(1).strip(), col or f"#{i}", words, v, index, table))
    return cells


def _linearised_cells(
    text: str, names: list[str], abbr: dict[str, frozenset[str]], index: int, table: int
) -> list[Cell]:
    """Cells of a row linearised as "Row: col value, col value" (``names``: the header's column
    names). A part with no value ("Models Mistral-large") is a cell that names the row beside
    its group label ("Zero-shot LLMs"), so it joins the row's label: without it every row of
    the group would read the same and no two of them could be compared."""
    row, rest = text.rsplit(":", 1) if text.count(":") > 1 else text.split(":", 1)
    parts = [p.strip() for p in rest.split(",")]
    found = [slashed_cells(p) or _plain_cell(p) for p in parts]
    texts = [_unheaded(p, names) for p, f in zip(parts, found, strict=True)
             if p and not f and not _DECIMAL.search(p)]  # fmt: skip
    group = row.strip() if texts else ""
    row = " ".join([row.strip(), *texts])
    out = []
    for col, value in (c for f in found for c in f):
        words = expand(label_words(row) | label_words(col), abbr)
        out.append(Cell(row, col, words, value, index, table, group))
    return out


def _plain_cell(part: str) -> list[tuple[str, float]]:
    """A cell part "col value" as [(col, value)] (none when it holds no value)."""
    m = _CELL.match(part)
    return [(m.group(1).strip(), float(m.group(2)))] if m and m.group(1) else []


def slashed_cells(part: str) -> list[tuple[str, float]]:
    """A cell part that holds one figure per metric its column names, "BelaCoLA acc / MCC
    0.490 / -0.029" -> [("BelaCoLA acc", 0.49), ("BelaCoLA MCC", -0.029)]: the words before
    the first metric head each. A column naming no metric per figure ("MLQA 57.80/42.40", the
    metrics in a header above) gives its first figure only: which metric the others are is
    unknown, and the first is the one every row of the column states first. Empty when the part
    is no such cell."""
    m = _SLASHED.match(part)
    if not m:
        return []
    name = m.group(1).strip()
    values = [float(v) for v in re.findall(_VALUE, m.group(2))]
    alts = [a.strip() for a in name.split("/")]
    head = alts[0].rsplit(None, 1)
    if len(alts) != len(values) or not all(alts):
        return [(name, values[0])]
    prefix = head[0] + " " if len(head) == 2 else ""
    return [(prefix + head[-1], values[0])] + [
        (prefix + a, v) for a, v in zip(alts[1:], values[1:], strict=True)
    ]


def _unheaded(part: str, names: list[str]) -> str:
    """A text cell without its column's name ("Models Mistral-large" -> "Mistral-large"): the
    name is the same in every row, so it tells no two rows apart."""
    for name in names:
        if name and part.startswith(name + " "):
            return part[len(name) + 1 :]
    return part


def _columns(headers: list[list[str]], n: int) -> list[str]:
    """Names of ``n`` value columns from the header rows above (the first name of a header row
    heads the row labels; a row above it may group the columns: "Lemmatized Stemmed")."""
    if not headers:
        return []
    names = headers[-1][1:] if len(headers[-1]) == n + 1 else headers[-1]
    if len(names) != n:
        return []
    groups = headers[0] if len(headers) == 2 else []
    if groups and n % len(groups) == 0 and len(groups) < n:
        span = n // len(groups)
        return [f"{groups[i // span]} {name}" for i, name in enumerate(names)]
    return names
