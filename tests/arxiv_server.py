"""A local stand-in for the arXiv API: a real Atom feed in arXiv's namespaces, and PDFs.

Serves ``/api/query?...`` (id_list and search_query, paged by start/max_results) and
``/pdf/<id>v<n>`` from 127.0.0.1 on an ephemeral port. Switches make it misbehave on purpose:
``fail_next`` answers the next N requests with 503, ``hang`` accepts requests and never answers
(until the server stops), ``pdf_body`` replaces every PDF with the given bytes.

Make a fixture from :func:`serve_default` (as tests/test_arxiv.py and tests/test_ingest.py do) or
use ``ArxivTestServer`` directly as a context manager.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

import pymupdf


def make_pdf(title: str, paragraphs: list[str], pages: int = 1) -> bytes:
    """A small real PDF: a big-font title, then body text on ``pages`` pages."""
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=595, height=842)
        y = 72
        if i == 0:
            page.insert_textbox(
                pymupdf.Rect(72, y, 523, y + 60), title, fontsize=18, fontname="hebo"
            )
            y += 70
        for para in paragraphs:
            rect = pymupdf.Rect(72, y, 523, y + 120)
            page.insert_textbox(rect, para, fontsize=10, fontname="helv")
            y += 130
    data = doc.tobytes()
    doc.close()
    return data


@dataclass
class FakePaper:
    """One arXiv paper with its versions (version number -> PDF bytes)."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    summary: str
    published: str = "2020-05-26T17:59:46Z"
    versions: dict[int, bytes] = field(default_factory=dict)


def _entry(p: FakePaper, version: int, base_url: str) -> str:
    authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in p.authors)
    return f"""
  <entry>
    <id>http://arxiv.org/abs/{p.arxiv_id}v{version}</id>
    <updated>{p.published}</updated>
    <published>{p.published}</published>
    <title>{escape(p.title)}</title>
    <summary>{escape(p.summary)}</summary>
    {authors}
    <arxiv:comment>Test server copy</arxiv:comment>
    <link href="http://arxiv.org/abs/{p.arxiv_id}v{version}" rel="alternate" type="text/html"/>
    <link title="pdf" href="{base_url}/pdf/{p.arxiv_id}v{version}" rel="related" type="application/pdf"/>
    <arxiv:primary_category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
  </entry>"""


def _error_entry(wanted: str) -> str:
    return f"""
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(wanted)}</id>
    <title>Error</title>
    <summary>incorrect id format for {escape(wanted)}</summary>
    <updated>2026-11-25T00:00:00-05:00</updated>
    <published>2026-11-25T00:00:00-05:00</published>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_{escape(wanted)}" rel="alternate" type="text/html"/>
    <author><name>arXiv api core</name></author>
  </entry>"""


def atom_feed(entries: list[str], total: int, start: int, per_page: int) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom">
  <link href="http://arxiv.org/api/query" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query</title>
  <id>http://arxiv.org/api/test</id>
  <updated>2026-11-25T00:00:00-05:00</updated>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>
  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>{"".join(entries)}
</feed>
""".encode()


class ArxivTestServer:
    """The server; ``api_url`` is the template to give ``ArxivSettings.api_url``."""

    def __init__(self, papers: list[FakePaper]) -> None:
        self.papers = {p.arxiv_id: p for p in papers}
        self.fail_next = 0
        self.hang = False
        self.pdf_body: bytes | None = None
        self.requests: list[tuple[float, str]] = []  # (monotonic time, path)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.api_url = self.base_url + "/api/query?{}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ArxivTestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()  # releases hanging handlers
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self, prefix: str = "") -> list[str]:
        return [p for _, p in self.requests if p.startswith(prefix)]

    # --- request handling -----------------------------------------------------------------
    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with server._lock:
                    server.requests.append((time.monotonic(), self.path))
                    failing = server.fail_next > 0
                    if failing:
                        server.fail_next -= 1
                if server.hang:
                    server._stop.wait(30)
                    return
                if failing:
                    return self._send(503, b"Service Unavailable", "text/plain")
                url = urlparse(self.path)
                if url.path == "/api/query":
                    return self._send(
                        200, server._query(parse_qs(url.query)), "application/atom+xml"
                    )
                if url.path.startswith("/pdf/"):
                    body = server._pdf(url.path[len("/pdf/") :])
                    if body is None:
                        return self._send(404, b"not found", "text/plain")
                    return self._send(200, body, "application/pdf")
                self._send(404, b"not found", "text/plain")

            def _send(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def _query(self, q: dict[str, list[str]]) -> bytes:
        start = int(q.get("start", ["0"])[0])
        per_page = int(q.get("max_results", ["10"])[0])
        ids = [i for i in q.get("id_list", [""])[0].split(",") if i]
        hits: list[tuple[FakePaper, int]] = []
        errors: list[str] = []
        if ids:
            for wanted in ids:
                base, v = re.match(r"^(.*?)(?:v(\d+))?$", wanted).groups()
                p = self.papers.get(base)
                version = (int(v) if v else max(p.versions)) if p and p.versions else None
                if p and version in p.versions:
                    hits.append((p, version))
                else:  # arXiv answers an unknown id with an error entry, not an empty feed
                    errors.append(_error_entry(wanted))
        else:
            words = q.get("search_query", [""])[0].lower().replace("all:", "").split()
            for p in self.papers.values():
                text = (p.title + " " + p.summary).lower()
                if any(w in text for w in words):
                    hits.append((p, max(p.versions)))
        page = [_entry(p, v, self.base_url) for p, v in hits] + errors
        return atom_feed(page[start : start + per_page], len(page), start, per_page)

    def _pdf(self, name: str) -> bytes | None:
        if self.pdf_body is not None:
            return self.pdf_body
        base, v = re.match(r"^(.*?)(?:v(\d+))?$", name).groups()
        p = self.papers.get(base)
        if p is None or v is None:
            return None
        return p.versions.get(int(v))


def default_papers() -> list[FakePaper]:
    """Two papers; the first has two versions whose numbers differ (as 2005.13013's do)."""
    v1 = make_pdf(
        "English intermediate-task training improves zero-shot cross-lingual transfer too",
        ["Intermediate-task training on SQuAD gives the best average gain of 8.4 points on dev."],
    )
    v2 = make_pdf(
        "English intermediate-task training improves zero-shot cross-lingual transfer too",
        ["Our best models improve over XLM-R Large by 5.4 points on average on XTREME."],
    )
    robust = make_pdf(
        "Robust training for zero-shot cross-lingual transfer",
        ["Adversarial training and randomized smoothing improve PAWS-X and XNLI accuracy."],
    )
    return [
        FakePaper(
            "2005.13013",
            "English intermediate-task training improves zero-shot cross-lingual transfer too",
            ("Jason Phang", "Iacer Calixto", "Samuel R. Bowman"),
            "We study intermediate-task training for zero-shot cross-lingual transfer on XTREME.",
            versions={1: v1, 2: v2},
        ),
        FakePaper(
            "2104.08645",
            "Robust training for zero-shot cross-lingual transfer",
            ("Andrew Wang",),
            "Adversarial training and randomized smoothing for cross-lingual robustness.",
            published="2021-04-18T00:00:00Z",
            versions={1: robust},
        ),
    ]


def serve_default() -> Iterator[ArxivTestServer]:
    """Body of an ``arxiv_server`` fixture: a running local arXiv with :func:`default_papers`.

    In a test module: ``arxiv_server = pytest.fixture(serve_default, name="arxiv_server")``.
    """
    with ArxivTestServer(default_papers()) as server:
        yield server
