"""Page layout for PDF parsing: visual lines, layout noise and reading order.

pymupdf gives blocks -> lines -> spans with fonts and boxes. This module turns them into
:class:`Block` objects made of visual :class:`Line` objects (spans sharing a baseline merged, so
Google-Docs justified text and "1" + "Introduction" become one line), finds layout noise that
repeats across pages (running headers and footers, page numbers, the line numbers of review
copies) and puts blocks into reading order for one- and two-column pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import pymupdf

# Ligatures and typographic oddities that pdfTeX fonts leave in the text layer.
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u00a0": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",
    "\u00ad": "",  # soft hyphen
}
_LIGATURE_TABLE = str.maketrans(_LIGATURES)
# pdfTeX often writes accents as a spacing accent before the letter ("Vuli´c", "B¨orschinger").
_SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # acute
    "\u00a8": "\u0308",  # diaeresis
    "\u00b8": "\u0327",  # cedilla
    "`": "\u0300",  # grave
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
    "\u02c7": "\u030c",  # caron
}
_ACCENT_RE = re.compile("([\u00b4\u00a8\u00b8`\u02c6\u02dc\u02c7])([A-Za-z])")
_MATH_FONT_RE = re.compile(r"^(CM(MI|SY|EX|BSY)|MSBM|MSAM|.*Math|Symbol|STIX)", re.IGNORECASE)
_BOLD_FONT_RE = re.compile(r"(Bold|Medi|Semibold|Black|Heavy|-B$|\.B$)", re.IGNORECASE)
_DIGITS_RE = re.compile(r"^\d{1,4}$")
_PAGE_NO_RE = re.compile(r"^(page\s*)?(\d{1,4}|[ivxlc]{1,6})(\s*(of|/)\s*\d{1,4})?$", re.IGNORECASE)

FLAGS = pymupdf.TEXTFLAGS_TEXT  # no images: "dict" with images is 3x slower


def normalize_text(text: str) -> str:
    """Expand ligatures, drop zero-width characters, repair pdfTeX's spacing accents (NFC)."""
    return fix_accents(text.translate(_LIGATURE_TABLE))


def fix_accents(text: str) -> str:
    """``Vuli´c`` -> ``Vulić``: a spacing accent before a letter becomes the accented letter."""
    if _ACCENT_RE.search(text):
        text = _ACCENT_RE.sub(lambda m: m.group(2) + _SPACING_ACCENTS[m.group(1)], text)
        text = unicodedata.normalize("NFC", text)
    return text


@dataclass
class Line:
    """One visual line: spans that share a baseline, left to right."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # character-weighted font size
    bold: bool  # every visible character is bold
    math: float  # share of characters in math fonts
    noise: bool = False
    cells: tuple[str, ...] = ()  # pieces separated by wide gaps (table cells, side-by-side names)
    lead_marker: bool = False  # began with a superscript marker (dropped): a footnote's first line

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Block:
    """A layout block (usually one paragraph) of visual lines."""

    lines: list[Line]
    page: int  # 1-based
    column: str = "full"  # "left" | "right" | "full"
    kind: str = "body"
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def x0(self) -> float:
        return min(ln.x0 for ln in self.lines)

    @property
    def x1(self) -> float:
        return max(ln.x1 for ln in self.lines)

    @property
    def y0(self) -> float:
        return min(ln.y0 for ln in self.lines)

    @property
    def y1(self) -> float:
        return max(ln.y1 for ln in self.lines)


_WS_RE = re.compile(r"\s+")
_MARKER_RE = re.compile(r"^\s*(\d{1,3}(,\d{1,3})*|[*†‡§¶]{1,2})\s*$")
_MARKER_AFTER_RE = re.compile(r"[^\W\d_][.,;:)]?$|[^\d\s][.,;:)]$")


@lru_cache(maxsize=512)
def _font_kind(font: str) -> tuple[bool, bool]:
    """(bold?, math?) from a font name; fonts repeat, so this is memoised."""
    return bool(_BOLD_FONT_RE.search(font)), bool(_MATH_FONT_RE.match(font))


def _raised(span: dict, spans: list[dict]) -> bool:
    """A superscript: flagged so, or smaller than the line's main font and set above its baseline."""
    if span["flags"] & 1:
        return True
    main = max(spans, key=lambda x: x["size"])
    return (
        span["size"] < 0.8 * main["size"] and span["bbox"][3] < main["bbox"][3] - 0.1 * main["size"]
    )


def _line_from_spans(spans: list[dict]) -> Line | None:
    parts: list[str] = []
    cells: list[list[str]] = [[]]
    prev_x1 = None
    n_chars = n_bold = n_math = 0
    size_sum = 0.0
    lead_marker = False
    for s in spans:
        t = s["text"].translate(_LIGATURE_TABLE)  # accents are repaired on the whole line
        if not t:
            continue
        if (
            _MARKER_RE.match(t)
            and (not parts and len(spans) > 1 or parts and _MARKER_AFTER_RE.search(parts[-1]))
            and _raised(s, spans)
        ):
            lead_marker = lead_marker or not parts
            continue  # a superscript footnote marker ("by a line.²", "¹This is"), not text
        x0 = s["bbox"][0]
        if prev_x1 is not None and x0 - prev_x1 > 0.15 * s["size"] and not parts[-1].endswith(" "):
            parts.append(" ")
            cells[-1].append(" ")
        if prev_x1 is not None and x0 - prev_x1 > 0.8 * s["size"]:
            cells.append([])
        parts.append(t)
        cells[-1].append(t)
        prev_x1 = s["bbox"][2]
        visible = len(t.strip())
        n_chars += visible
        size_sum += s["size"] * visible
        bold, math = _font_kind(s["font"])
        if bold or s["flags"] & 16:
            n_bold += visible
        if math:
            n_math += visible
    text = fix_accents(_WS_RE.sub(" ", "".join(parts)).strip())
    if not text:
        return None
    x0 = min(s["bbox"][0] for s in spans)
    return Line(
        text=text,
        x0=x0,
        y0=min(s["bbox"][1] for s in spans),
        x1=max(s["bbox"][2] for s in spans),
        y1=max(s["bbox"][3] for s in spans),
        size=size_sum / max(n_chars, 1),
        bold=n_chars > 0 and n_bold == n_chars,
        math=n_math / max(n_chars, 1),
        cells=tuple(c for c in (_WS_RE.sub(" ", "".join(c)).strip() for c in cells) if c)
        if len(cells) > 1
        else (),
        lead_marker=lead_marker,
    )


def _group_baselines(raw_lines: list[dict]) -> list[list[dict]]:
    """Group pymupdf lines whose vertical extents overlap by more than half into one visual line."""
    groups: list[tuple[float, float, list[dict]]] = []
    for ln in sorted(raw_lines, key=lambda r: (r["bbox"][1], r["bbox"][0])):
        y0, y1 = ln["bbox"][1], ln["bbox"][3]
        h = max(y1 - y0, 1e-3)
        if groups:
            gy0, gy1, members = groups[-1]
            overlap = min(gy1, y1) - max(gy0, y0)
            if overlap > 0.5 * min(h, gy1 - gy0):
                members.append(ln)
                groups[-1] = (min(gy0, y0), max(gy1, y1), members)
                continue
        groups.append((y0, y1, [ln]))
    # pymupdf's span order inside one of its lines is kept (accents placed over letters would
    # move if sorted by x); only whole lines sharing a baseline are ordered left to right.
    return [
        [s for ln in sorted(g[2], key=lambda r: r["bbox"][0]) for s in ln["spans"]] for g in groups
    ]


def page_blocks(page: pymupdf.Page, page_no: int) -> list[Block]:
    """Text blocks of one page with visual lines; margin line numbers of review copies dropped."""
    raw = page.get_text("dict", flags=FLAGS)["blocks"]
    width = page.rect.width
    # Review copies number their lines in the outer margins: many digit-only spans at the edges.
    margin = [
        s
        for b in raw
        for ln in b.get("lines", ())
        for s in ln["spans"]
        if _DIGITS_RE.match(s["text"].strip())
        and (s["bbox"][2] < 0.1 * width or s["bbox"][0] > 0.9 * width)
    ]
    drop = {id(s) for s in margin} if _numbered_lines(margin, width) else set()
    blocks: list[Block] = []
    for b in raw:
        lines = []
        for ln in b.get("lines", ()):
            if abs(ln["dir"][1]) > 0.1:
                # Rotated text: arXiv's vertical "arXiv:2005.13013v2 [cs.CL] 26 May 2020" stamp,
                # rotated table headers. Never part of the reading-order text.
                continue
            kept = [s for s in ln["spans"] if id(s) not in drop]
            if kept:
                lines.append({"bbox": ln["bbox"], "spans": kept})
        visual = [_line_from_spans(g) for g in _group_baselines(lines)]
        visual = [v for v in visual if v is not None]
        if visual:
            blocks.append(Block(lines=visual, page=page_no))
    if drop:
        for blk in blocks:
            blk.meta["review_copy"] = "1"
    return blocks


def _numbered_lines(spans: list[dict], width: float) -> bool:
    """Margin digits are line numbers when they count up one by one down the page."""
    if len(spans) < 10:
        return False
    steps = 0
    for side in (True, False):
        col = sorted(
            (s for s in spans if (s["bbox"][0] < width / 2) == side), key=lambda s: s["bbox"][1]
        )
        values = [int(s["text"].strip()) for s in col]
        steps += sum(1 for a, b in zip(values, values[1:], strict=False) if b == a + 1)
    return steps >= 0.8 * (len(spans) - 2)


def _noise_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def mark_running_noise(pages: list[list[Block]], heights: list[float]) -> int:
    """Mark running headers, footers and page numbers as noise; return how many lines were marked.

    A line in the top or bottom 9% of its page is noise when it is a bare page number, or when
    the same text (digits ignored) sits in that band on at least 40% of the pages (and two).
    """
    band = 0.09
    counts: Counter[str] = Counter()
    for blocks, h in zip(pages, heights, strict=True):
        seen = set()
        for blk in blocks:
            for ln in blk.lines:
                if ln.y1 < band * h or ln.y0 > (1 - band) * h:
                    seen.add(_noise_key(ln.text))
        counts.update(seen)
    threshold = max(2, int(0.4 * len(pages) + 0.5))
    marked = 0
    for blocks, h in zip(pages, heights, strict=True):
        for blk in blocks:
            for ln in blk.lines:
                if not (ln.y1 < band * h or ln.y0 > (1 - band) * h):
                    continue
                if _PAGE_NO_RE.match(ln.text) or counts[_noise_key(ln.text)] >= threshold:
                    ln.noise = True
                    marked += 1
    return marked


def reading_order(blocks: list[Block], width: float) -> list[Block]:
    """Order blocks for reading: full-width blocks cut the page into bands; in each band the
    left column is read top to bottom, then the right column."""
    mid = width / 2
    tol = 0.02 * width
    for blk in blocks:
        if blk.x1 <= mid + tol:
            blk.column = "left"
        elif blk.x0 >= mid - tol:
            blk.column = "right"
        else:
            blk.column = "full"
    two_col = sum(1 for b in blocks if b.column != "full") > sum(
        1 for b in blocks if b.column == "full"
    )
    if not two_col:
        return sorted(blocks, key=lambda b: (round(b.y0), b.x0))
    ordered: list[Block] = []
    band: list[Block] = []
    for blk in sorted(blocks, key=lambda b: (b.y0, b.x0)):
        if blk.column == "full":
            # A full-width block only cuts the band if no column block straddles its top edge.
            if any(b.y1 > blk.y0 + 2 for b in band if b.column != "full"):
                band.append(blk)
                continue
            ordered.extend(_flush_band(band))
            band = []
            ordered.append(blk)
        else:
            band.append(blk)
    ordered.extend(_flush_band(band))
    return ordered


def _flush_band(band: list[Block]) -> list[Block]:
    order = {"left": 0, "full": 0, "right": 1}
    return sorted(band, key=lambda b: (order[b.column], b.y0, b.x0))


def body_font_size(pages: list[list[Block]]) -> float:
    """The most common font size, weighted by characters (rounded to 0.5 pt)."""
    sizes: Counter[float] = Counter()
    for blocks in pages:
        for blk in blocks:
            for ln in blk.lines:
                if not ln.noise:
                    sizes[round(ln.size * 2) / 2] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0
