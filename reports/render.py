"""Write one report as report.md, report.html (self-contained) and report.pdf (pymupdf Story).

The HTML file inlines its CSS and its images (base64), so it can be mailed as one file. The PDF is
laid out by MuPDF's HTML engine, whose built-in Noto fallback fonts cover Arabic script (Urdu),
Myanmar, CJK and Cyrillic; no LaTeX or browser is involved. Every string from a paper or a user is
escaped (see reports.html).
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pymupdf

from reports import html as H
from reports.content import ReportContent
from reports.markdown import markdown

HTML_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#1d1d1d;line-height:1.45;font-size:15px}
h1{font-size:1.6em;color:#1b3a5c}h2{color:#1b3a5c;border-bottom:1px solid #ccd;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;margin:.6em 0 1.2em;font-size:.88em}
th,td{border:1px solid #ccc;padding:.3em .45em;vertical-align:top;text-align:left;
overflow-wrap:break-word}td code{word-break:break-all}table.papers code{white-space:nowrap}
table.claims td:nth-child(1){width:50%}table.claims td:nth-child(2){width:27%}th{background:#eef2f7}table.kv td:first-child{width:12em}
table.kv thead{display:none}code{font-size:.9em;background:#f4f4f4;padding:0 .2em}
.cite{color:#666;font-size:.8em}.answer{background:#f7f9fc;padding:.8em;border-left:4px solid #1b3a5c}
.sup{color:#1a7f37;font-weight:600}.ref{color:#b42318;font-weight:600}.weak{color:#8a6d00}
.nei{color:#555}.fig{margin:1em 0;text-align:center}.fig img{max-width:100%}
.caption{font-size:.85em;color:#444}.meta{color:#444}small{color:#444}
"""

# MuPDF's CSS subset: no overflow-wrap, no display:none; sizes in pt for A4.
PDF_CSS = """
body{font-family:sans-serif;font-size:8.5pt;line-height:1.3}
h1{font-size:15pt;color:#1b3a5c;margin:0 0 4pt 0}h2{font-size:12pt;color:#1b3a5c;margin:10pt 0 4pt 0}
h3{font-size:10pt;margin:6pt 0 3pt 0}p{margin:3pt 0}
table{border-collapse:collapse;width:100%;margin:3pt 0 8pt 0}
th,td{border:0.5pt solid #999;padding:2pt;vertical-align:top;text-align:left}
th{font-weight:bold;color:#1b3a5c;border-bottom:1pt solid #1b3a5c}code{font-family:monospace;font-size:7.5pt}
small{font-size:7pt;color:#444}.cite{font-size:7pt;color:#555}
.sup{color:#1a7f37;font-weight:bold}.ref{color:#b42318;font-weight:bold}.weak{color:#8a6d00}
.nei{color:#444}img{width:420px}.caption{font-size:7.5pt;color:#333;text-align:center}.fig{text-align:center}
table.runs td, table.runs th{font-size:7pt}
"""

PAGE = pymupdf.paper_rect("a4")
MARGIN = 36  # points


def render_all(content: ReportContent, out_dir: str | Path) -> dict[str, Path]:
    """Write report.json, report.md, report.html and report.pdf into ``out_dir``.

    Figures must already be in ``out_dir`` (see reports.figures.draw_all).
    Returns the path of each written file by kind.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out / "report.json",
        "md": out / "report.md",
        "html": out / "report.html",
        "pdf": out / "report.pdf",
    }
    paths["json"].write_text(content.model_dump_json(indent=2), encoding="utf-8")
    paths["md"].write_text(markdown(content), encoding="utf-8")
    paths["html"].write_text(html_document(content, out), encoding="utf-8")
    paths["pdf"].write_bytes(pdf_bytes(content, out))
    return paths


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def html_document(content: ReportContent, out_dir: Path) -> str:
    """One self-contained HTML file: CSS inline, images as data URIs, no scripts."""
    body = H.body(content, lambda f: _data_uri(out_dir / f.file))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        # No scripts, no remote loads: the report is inert even if a paper's text is not.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\"/>"
        f"<title>{H.e(content.title)}</title><style>{HTML_CSS}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


LONG_TOKEN = re.compile(r"[^\s<>]{41,}")
MAX_PAGES = 400  # a layout that has not finished by then never will


def _break_long(match: re.Match[str]) -> str:
    """Zero-width spaces inside one long token (URL, hash, path) so MuPDF can wrap it."""
    out, run, entity = [], 0, False
    for ch in match.group(0):
        out.append(ch)
        entity = (entity or ch == "&") and ch != ";"
        run += 1
        if not entity and (run >= 20 or (run >= 8 and ch in "/._-,;:")):
            out.append("\u200b")
            run = 0
    return "".join(out)


def breakable(markup: str) -> str:
    """MuPDF never breaks inside a word: give long words break points (text nodes only)."""
    return re.sub(
        r">([^<]+)<", lambda m: ">" + LONG_TOKEN.sub(_break_long, m.group(1)) + "<", markup
    )


def pdf_bytes(content: ReportContent, out_dir: Path) -> bytes:
    """Lay out the report with pymupdf's Story, then stamp page numbers."""
    body = breakable(H.body(content, lambda f: f.file))
    archive = pymupdf.Archive(str(out_dir))
    story = pymupdf.Story(html=body, user_css=PDF_CSS, archive=archive)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    where = PAGE + (MARGIN, MARGIN, -MARGIN, -MARGIN - 10)
    more, pages = 1, 0
    while more:
        if pages == MAX_PAGES:
            raise RuntimeError(f"PDF layout did not finish within {MAX_PAGES} pages")
        device = writer.begin_page(PAGE)
        more, _ = story.place(where)
        story.draw(device)
        writer.end_page()
        pages += 1
    writer.close()
    doc = pymupdf.open("pdf", buffer.getvalue())
    _stamp(doc, content)
    doc.subset_fonts()  # the CJK fallback font alone is megabytes; keep only the glyphs used
    return doc.tobytes(garbage=3, deflate=True, deflate_images=True)


def _stamp(doc: pymupdf.Document, content: ReportContent) -> None:
    """Footer with page numbers and the title; metadata for PDF readers."""
    n = doc.page_count
    for i, page in enumerate(doc):
        footer = f"claimlab report · page {i + 1} of {n}"
        page.insert_text((MARGIN, PAGE.height - MARGIN + 12), footer, fontsize=7, color=(0.4,) * 3)
    doc.set_metadata({"title": content.title, "subject": content.question, "creator": "claimlab"})
