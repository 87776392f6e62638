"""Document structure from ordered layout blocks: headings, passage kinds, paragraphs.

Input: pages of :class:`synth.layout.Block` in reading order with noise marked. Output:
:class:`synth.sentences.Paragraph` objects with a section and a kind (title, front, abstract, body,
caption, table, equation, footnote, references), lines joined with hyphenation repaired, and
paragraphs that continue across columns and pages joined back together.
"""

from __future__ import annotations

import re

from synth.hyphenation import append_line
from synth.layout import Block, Line
from synth.sentences import Paragraph

_NUMBERED_RE = re.compile(
    r"^(\d{1,2}(\.\d{1,2}){0,3}\.?|[IVX]{1,5}\.|[A-H](\.\d{1,2}){0,2}\.?)\s+\S"
)
_KNOWN_HEADINGS = {
    "abstract",
    "introduction",
    "related work",
    "related works",
    "background",
    "method",
    "methods",
    "methodology",
    "experiments",
    "results",
    "discussion",
    "conclusion",
    "conclusions",
    "limitations",
    "acknowledgments",
    "acknowledgements",
    "acknowledgment",
    "references",
    "bibliography",
    "appendix",
    "appendices",
    "ethics statement",
    "ethical considerations",
    "broader impact",
}
_REFERENCES = {"references", "bibliography", "works cited", "literature cited"}
CAPTION_RE = re.compile(
    r"^(Figure|Fig\.|Table|Tab\.|Algorithm)\s*([A-Z]?\d+|[IVX]{1,5})[:.]", re.IGNORECASE
)
_APPENDIX_RE = re.compile(r"^(appendix|appendices|supplementary|[A-H](\.\d+)*\.?\s)", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_NUMERIC_RE = re.compile(r"^[\d.,±%()+\-–−]+$")
_DIGIT_RE = re.compile(r"\d")
_LETTERS_RE = re.compile(r"[^\W\d_]{2,}")
_EMPTY_CELLS = frozenset({"-", "–", "—", "n/a", "N/A", ""})


def _header_cells(cells: tuple[str, ...]) -> bool:
    """A table's header row: two or more cells, each with a word in it, none of them a number."""
    return len(cells) >= 2 and all(_LETTERS_RE.search(c) for c in cells)


def row_cells(cells: tuple[str, ...]) -> bool:
    """A table's data row: a label cell, then cells of which at least one holds a number."""
    return len(cells) >= 2 and any(_DIGIT_RE.search(c) for c in cells[1:])


def linearize_row(header: tuple[str, ...], cells: tuple[str, ...], title: str = "") -> str | None:
    """One table row as a sentence that names each value's column: "Label: Col1 v1, Col2 v2."

    A row with as many cells as the header (the first header cell names the label column) or one
    more (the label column has no header) is paired cell by cell; any other shape returns None
    (pairing by position would put values under the wrong column).
    """
    if len(cells) == len(header):
        names = header[1:]
    elif len(cells) == len(header) + 1:
        names = header
    else:
        return None
    pairs = [f"{n} {v}" for n, v in zip(names, cells[1:], strict=True) if v not in _EMPTY_CELLS]
    if not pairs:
        return None
    label = cells[0].rstrip(" .:;")
    lead = f"{title}, {label}" if title else label
    return f"{lead}: {', '.join(pairs)}."


def _strip_number(text: str) -> str:
    m = _NUMBERED_RE.match(text)
    return text[m.end() - 1 :].strip() if m else text.strip()


def is_heading(line: Line, body_size: float, plain: bool = True) -> bool:
    """A short line set in bold or a larger font that is numbered or a known section name.

    ``plain``: also accept an unnumbered, unknown bold line in a larger font (off in front matter,
    where author names and affiliations look just like that).
    """
    text = line.text
    if len(text) > 90 or len(text.split()) > 14 or text.endswith((",", ":", ";")):
        return False
    if line.math > 0.3 or not _WORD_RE.search(text):
        return False
    larger = line.size >= body_size + 0.9
    if not (line.bold or larger):
        return False
    bare = _strip_number(text).rstrip(".").lower()
    if bare in _KNOWN_HEADINGS:
        return True
    if _NUMBERED_RE.match(text):
        # "1." alone is a list item; a heading has a capitalised word after the number.
        return bool(re.match(r"[A-Z]", _strip_number(text))) and not text.endswith(".")
    return plain and larger and line.bold and not text.endswith(".")


def _block_kind(blk: Block, body_size: float, page_height: float, cells: bool = True) -> str | None:
    """Kind decided by the block alone (caption, table, equation, footnote), else None.

    ``cells``: lines split into three or more wide-gapped cells make a table (off in the front
    matter, where authors sit side by side).
    """
    lines = [ln for ln in blk.lines if not ln.noise]
    if not lines:
        return None
    text = " ".join(ln.text for ln in lines)
    if CAPTION_RE.match(text):
        return "caption"
    n = sum(len(ln.text) for ln in lines)
    size = sum(ln.size * len(ln.text) for ln in lines) / n
    math = sum(ln.math * len(ln.text) for ln in lines) / n
    short_symbols = len(text) < 25 and sum(c.isalpha() for c in text) < 0.5 * len(text)
    if math > 0.4 or not _WORD_RE.search(text) or short_symbols:
        return "equation"
    tokens = text.split()
    numeric = sum(1 for t in tokens if _NUMERIC_RE.match(t)) / max(len(tokens), 1)
    if size <= 0.72 * body_size or (numeric > 0.4 and len(lines) >= 2):
        return "table"
    three = sum(1 for ln in lines if len(ln.cells) >= 3)
    two = sum(1 for ln in lines if len(ln.cells) >= 2)
    if cells and (three >= max(1, len(lines) / 2) or (len(lines) >= 2 and two >= 0.6 * len(lines))):
        return "table"
    if (
        size < body_size - 0.7
        and blk.y0 > 0.6 * page_height
        and (lines[0].lead_marker or re.match(r"^[\d*†‡§¶]", text))
    ):
        return "footnote"
    return None


_PROSE_RE = re.compile(r"[a-z]{2,}[.!?]\s+[A-Z][a-z]")
_REF_NUMBER_RE = re.compile(r"^(\[\d{1,3}\]|\d{1,3}\.\s)")
_TERMINAL_RE = re.compile(r"[.!?:][\"'”’)\]]*$")
_BULLET_RE = re.compile(r"^([•●▪◦∙·–]|\(?[a-z0-9]{1,2}[.)])\s")


def _continues(para: Paragraph | None, text: str, full: bool = False) -> bool:
    """Does ``text`` continue ``para`` across a column or page break (mid-sentence)?

    Yes when ``para`` ends in a hyphen, or has no final punctuation and ``text`` starts in lower
    case, or starts a name or capitalised word while ``para``'s last line ran the full column
    width (``full``: the sentence was wrapped, not ended).
    """
    if para is None or not para.text:
        return False
    if para.text.endswith("-"):
        return True
    if _TERMINAL_RE.search(para.text):
        return False
    return text[:1].islower() or (full and text[:1].isupper() and not _BULLET_RE.match(text))


class _Assembler:
    """Walks ordered blocks, tracking section and region, emitting paragraphs."""

    def __init__(self, body_size: float, vocab: set[str]) -> None:
        self.body_size = body_size
        self.vocab = vocab
        self.section = ""
        self.region = "front"  # front | abstract | body | references
        self.paras: list[Paragraph] = []
        self.open: Paragraph | None = None  # last body paragraph, may continue in the next block
        self.ref_x0: float | None = None  # left edge of the current reference entry
        self.open_full = False  # the open paragraph's last line filled its column
        self.col_width: dict[str, float] = {}  # widest text line seen per column kind
        self.col_left: dict[str, float] = {}  # column kind -> usual left text edge
        self.ref_hanging = False  # the reference list uses hanging indents
        self.table_head: tuple[str, ...] | None = None  # header cells of the table being read
        self.table_title = ""  # a one-cell line above the header ("Lemmatized (F1_Score)")

    @property
    def plain(self) -> bool:
        return self.region != "front"

    def heading(self, text: str) -> None:
        bare = _strip_number(text).rstrip(".").lower()
        self.section = text
        if bare == "abstract":
            self.region = "abstract"
        elif bare in _REFERENCES and not re.match(r"^\d+\.\d", text):
            self.region = "references"  # a subsection named so ("7.13 References") is prose
        else:
            self.region = "body"
        self.open = None

    def block(self, blk: Block, page_height: float) -> None:
        lines = [ln for ln in blk.lines if not ln.noise]
        if not lines:
            return
        if self.region == "references" and not is_heading(lines[0], self.body_size):
            self._reference_lines(lines, blk)
            return
        if self.region == "front":
            before = []
            for ln in lines:
                if is_heading(ln, self.body_size, plain=False):
                    break
                before.append(ln.text)
            if _PROSE_RE.search(" ".join(before)):
                self.region = "body"  # text starts with no heading before it: front matter over
        kind = _block_kind(blk, self.body_size, page_height, cells=self.region != "front")
        if kind in (None, "table") and self.region != "front" and self._table_rows(lines, blk):
            return
        if kind == "table" and self.region == "references":
            kind = None  # reference lists are full of years and page numbers
        if is_heading(lines[0], self.body_size, self.plain):
            kind = None
        elif kind in ("caption", "table"):
            pass  # a caption or a table never continues a sentence
        elif _continues(self.open, lines[0].text, self.open_full):
            kind = None  # e.g. the rest of a hyphenated word, too short to look like text
        if kind is not None:
            para = Paragraph(self.section, kind)
            for ln in lines:
                append_line(para, ln.text, blk.page, self.vocab)
            self.paras.append(para)
            return
        self._text_lines(lines, blk)

    def _table_rows(self, lines: list[Line], blk: Block) -> bool:
        """Read a block of table lines (cells split by wide gaps), one passage per row.

        Tables often come as one block per row, so the header is remembered from block to block
        until prose interrupts. A data row under a header becomes a sentence naming each value's
        column (``linearize_row``), so "Turkish (Target) 66.21%" is found and checked as
        "Turkish (Target): Test Set Accuracy 66.21%.". Returns False (block not consumed) for
        anything that is not made of table lines.
        """
        celled = [ln for ln in lines if len(ln.cells) >= 2]
        if not celled or len(celled) < len(lines) - 1 or is_heading(lines[0], self.body_size):
            if len(lines) >= 2 or (lines and is_heading(lines[0], self.body_size)):
                self.table_head, self.table_title = None, ""  # prose or a heading ends a table
            return False
        if not (self.table_head or _header_cells(celled[0].cells)):
            return False  # side-by-side cells with no header (names, a list): not a table here
        for ln in lines:
            text = ln.text
            if len(ln.cells) < 2:
                self.table_title = ln.text if len(ln.text) <= 60 else ""
            elif _header_cells(ln.cells) and not row_cells(ln.cells):
                self.table_head = ln.cells
            elif self.table_head and row_cells(ln.cells):
                text = linearize_row(self.table_head, ln.cells, self.table_title) or ln.text
            para = Paragraph(self.section, "table")
            append_line(para, text, blk.page, self.vocab)
            self.paras.append(para)
        self.open = None
        return True

    def _text_lines(self, lines: list[Line], blk: Block) -> None:
        page = blk.page
        current: Paragraph | None = None
        prev: Line | None = None
        i = 0
        while i < len(lines):
            ln = lines[i]
            if is_heading(ln, self.body_size, self.plain):
                text = ln.text
                while i + 1 < len(lines) and self._heading_continues(ln, lines[i + 1]):
                    i += 1
                    text += " " + lines[i].text
                self.heading(text)
                current, prev = None, None
                i += 1
                continue
            gap = prev is not None and ln.y0 - prev.y1 > 0.8 * ln.size
            if current is None or gap or _BULLET_RE.match(ln.text):
                if current is None and _continues(self.open, ln.text, self.open_full):
                    current = self.open
                else:
                    current = Paragraph(self.section, self.region)
                    self.paras.append(current)
                    self.ref_x0 = ln.x0
            append_line(current, ln.text, page, self.vocab)
            if len(lines) >= 3:  # only real paragraphs tell how wide a column is
                widest = self.col_width.get(blk.column, 0.0)
                self.col_width[blk.column] = max(widest, ln.width)
            prev = ln
            i += 1
        if current is not None and current.kind in ("body", "abstract", "references"):
            self.open = current
            assert prev is not None
            width = self.col_width.get(blk.column)
            self.open_full = width is not None and prev.width >= 0.9 * width

    def _reference_lines(self, lines: list[Line], blk: Block) -> None:
        """Split a reference list into entries, line by line.

        An entry starts with "[n]" or "n.", or, in the usual hanging-indent style, with a line
        flush with the column's left edge; indented lines (in this block or the next column)
        continue the entry before. Without hanging indents, a vertical gap starts an entry.
        """
        left = min(min(ln.x0 for ln in lines), self.col_left.get(blk.column, 1e9))
        size = lines[0].size
        if any(0.5 * size < ln.x0 - left < 4 * size for ln in lines):
            self.ref_hanging = True
        prev: Line | None = None
        for ln in lines:
            flush = ln.x0 - left < 0.5 * size
            gap = prev is not None and ln.y0 - prev.y1 > 0.4 * size
            starts = (
                _REF_NUMBER_RE.match(ln.text) is not None
                or (self.ref_hanging and flush)
                or (
                    not self.ref_hanging
                    and (
                        gap
                        or prev is None
                        and _TERMINAL_RE.search(self.open.text if self.open else ".")
                    )
                )
            )
            if starts or self.open is None or self.open.kind != "references":
                self.open = Paragraph(self.section, "references")
                self.paras.append(self.open)
            append_line(self.open, ln.text, blk.page, self.vocab)
            prev = ln

    def _heading_continues(self, head: Line, nxt: Line) -> bool:
        return (
            nxt.bold
            and abs(nxt.size - head.size) < 0.3
            and len(nxt.text) < 60
            and not _NUMBERED_RE.match(nxt.text)
            and nxt.y0 - head.y1 < 0.8 * head.size
        )


def assemble(
    pages: list[list[Block]], heights: list[float], body_size: float, vocab: set[str], title: str
) -> list[Paragraph]:
    """Paragraphs of the whole document in reading order (title first)."""
    asm = _Assembler(body_size, vocab)
    # A column's left text edge, over the whole document: a low percentile of where its lines
    # start (most lines start there; lists and hanging indents start to the right of it).
    starts: dict[str, list[float]] = {}
    for blocks in pages:
        for blk in blocks:
            starts.setdefault(blk.column, []).extend(ln.x0 for ln in blk.lines if not ln.noise)
    asm.col_left = {c: sorted(xs)[len(xs) // 20] for c, xs in starts.items() if xs}
    if title:
        asm.paras.append(Paragraph("", "title", title, [(0, 1)]))
    for page_no, (blocks, height) in enumerate(zip(pages, heights, strict=True), start=1):
        if page_no == 2 and asm.region == "front":
            asm.region = "body"  # no heading on page 1: the front matter ends with it
        for blk in blocks:
            asm.block(blk, height)
    return asm.paras
