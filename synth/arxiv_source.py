"""arXiv search, id lookup and PDF download through the ``arxiv`` package, politely.

The package's ``Client`` talks to ``Client.query_url_format`` (set from
:class:`ArxivSettings.api_url`, so tests point it at a local server) through a ``requests.Session``
that has no timeout; here the session gets one. Requests are spaced ``delay_s`` apart (arXiv asks
for 3 s), retried with exponential backoff on timeouts, connection errors and 5xx, and when the API
cannot be reached at all, one :class:`ArxivUnavailable` error says so. PDF downloads are streamed,
size-capped, checked for the ``%PDF`` magic, hashed, and written atomically; files are cached by
id and version.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

from pydantic import Field

from synth.settings import Settings

API_ENV = "CLAIMLAB_ARXIV_API"
DELAY_ENV = "CLAIMLAB_ARXIV_DELAY"  # seconds between requests (a local mirror needs none)
DEFAULT_API = "https://export.arxiv.org/api/query?{}"

_NEW_ID = re.compile(r"^(\d{4}\.\d{4,5})(?:v(\d+))?$")
_OLD_ID = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v(\d+))?$")
_PREFIX = re.compile(r"^(arxiv:|https?://(export\.)?arxiv\.org/(abs|pdf)/)", re.IGNORECASE)

T = TypeVar("T")


def _default_api() -> str:
    return os.environ.get(API_ENV) or DEFAULT_API


def _default_delay() -> float:
    return float(os.environ.get(DELAY_ENV) or 3.0)


class ArxivSettings(Settings):
    """How claimlab talks to arXiv."""

    api_url: str = Field(
        default_factory=_default_api,
        description="API URL template with one {} for the query string; $CLAIMLAB_ARXIV_API overrides.",
    )
    timeout_s: float = Field(
        default=30.0, gt=0, description="Per-request timeout (connect and read)."
    )
    delay_s: float = Field(
        default_factory=_default_delay,
        ge=0,
        description="Least time between two requests; arXiv asks for 3 s. $CLAIMLAB_ARXIV_DELAY overrides.",
    )
    retries: int = Field(
        default=3, ge=0, le=10, description="Retries after a timeout, connection error or 5xx."
    )
    backoff_s: float = Field(
        default=1.0, ge=0, description="First retry waits this long; each further retry doubles it."
    )
    max_pdf_bytes: int = Field(
        default=100 * 2**20, gt=0, description="PDF downloads larger than this are refused."
    )
    page_size: int = Field(
        default=50, ge=1, le=2000, description="Results per API page in searches."
    )


class ArxivError(RuntimeError):
    """An arXiv request that failed; the message is one line for the user."""


class ArxivUnavailable(ArxivError):
    """The arXiv API cannot be reached (offline, DNS, refused or timing out)."""


@dataclass(frozen=True)
class ArxivId:
    """An arXiv identifier; ``version`` is None when the user did not pin one."""

    base: str
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.base}v{self.version}" if self.version else self.base


def parse_arxiv_id(text: str) -> ArxivId:
    """Parse ``2005.13013``, ``2005.13013v2``, ``arxiv:2005.13013``, ``cs/0112017`` (and abs/pdf URLs).

    Raises:
        ValueError: a malformed or path-like id (one line naming it).
    """
    raw = text.strip()
    s = _PREFIX.sub("", raw)
    if s.lower().endswith(".pdf"):
        s = s[:-4]
    for pattern in (_NEW_ID, _OLD_ID):
        m = pattern.match(s)
        if m and (pattern is _OLD_ID or _valid_new_id(m.group(1))):
            return ArxivId(m.group(1), int(m.group(2)) if m.group(2) else None)
    raise ValueError(
        f"malformed arXiv id {raw!r} (expected e.g. 2005.13013, 2005.13013v2, cs/0112017)"
    )


def _valid_new_id(base: str) -> bool:
    """YYMM.NNNN until 2014, YYMM.NNNNN since 2015; the month must exist."""
    yymm, number = base.split(".")
    year, month = int(yymm[:2]), int(yymm[2:])
    return 1 <= month <= 12 and (len(number) == 5) == (year >= 15)


def looks_like_arxiv_id(text: str) -> bool:
    try:
        parse_arxiv_id(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ArxivRecord:
    """What the feed says about one paper version."""

    arxiv_id: ArxivId  # version always set
    title: str
    authors: tuple[str, ...]
    year: int | None
    abstract: str
    url: str
    pdf_url: str | None


@dataclass(frozen=True)
class Download:
    path: Path
    sha256: str
    size: int
    cached: bool


def _reason(exc: Exception) -> str:
    text = str(exc)
    for key in (
        "Name or service not known",
        "Temporary failure in name resolution",
        "Connection refused",
        "Network is unreachable",
        "No route to host",
    ):
        if key in text:
            return key.lower()
    return type(exc).__name__


def _timeout_session(timeout: float):
    """A requests session that applies a default timeout to every request."""
    import requests  # imported on first use: local ingests never pay for it

    class TimeoutSession(requests.Session):
        def request(self, method, url, **kwargs):  # type: ignore[override]
            kwargs.setdefault("timeout", timeout)
            return super().request(method, url, **kwargs)

    return TimeoutSession()


def _record(result) -> ArxivRecord:  # arxiv.Result
    aid = parse_arxiv_id(result.get_short_id())
    published = result.published
    return ArxivRecord(
        arxiv_id=aid,
        title=" ".join(result.title.split()),
        authors=tuple(a.name for a in result.authors),
        year=published.year if published and published.year > 1990 else None,
        abstract=" ".join((result.summary or "").split()),
        url=result.entry_id,
        pdf_url=result.pdf_url,
    )


def _records(results: list) -> list[ArxivRecord]:
    """Feed entries as records; arXiv's error entries (ids like ``api/errors#...``) are skipped."""
    out = []
    for result in results:
        try:
            out.append(_record(result))
        except ValueError:
            continue
    return out


class ArxivSource:
    """Polite access to arXiv: one client, one session, spaced and retried requests."""

    def __init__(self, settings: ArxivSettings | None = None) -> None:
        import arxiv

        self.settings = settings or ArxivSettings()
        self.session = _timeout_session(self.settings.timeout_s)
        # Retries and spacing are done here (with backoff, across API and PDF requests alike).
        self.client = arxiv.Client(
            page_size=self.settings.page_size, delay_seconds=0.0, num_retries=0
        )
        self.client.query_url_format = self.settings.api_url
        self.client._session = self.session  # the package's only seam for its HTTP session
        self._last_request = 0.0
        self._unreachable: str | None = None

    # --- politeness ----------------------------------------------------------------------
    def _space(self) -> None:
        wait = self._last_request + self.settings.delay_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request = time.monotonic()

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        """Run one request with spacing and bounded retries; raise one clear error at the end."""
        import arxiv
        import requests

        if self._unreachable:
            raise ArxivUnavailable(self._unreachable)
        host = urlparse(self.settings.api_url).netloc or self.settings.api_url
        last = ""
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(self.settings.backoff_s * 2 ** (attempt - 1))
            self._space()
            try:
                return fn()
            except requests.Timeout:
                last = f"timed out after {self.settings.timeout_s:g} s"
            except requests.ConnectionError as exc:
                # Refused or unresolvable: offline. Retrying would only delay the same answer.
                last = "connection failed: " + _reason(exc)
                break
            except arxiv.HTTPError as exc:
                if exc.status < 500 and exc.status != 429:
                    raise ArxivError(f"{what}: arXiv API answered HTTP {exc.status}") from None
                last = f"HTTP {exc.status}"
            except arxiv.UnexpectedEmptyPageError:
                last = "empty result page"
        tries = attempt + 1
        if last.startswith("HTTP") or last.startswith("empty"):
            raise ArxivError(f"{what}: arXiv failed {tries} times (last: {last})")
        self._unreachable = (
            f"cannot reach arXiv at {host} ({last}, {tries} tries): offline? "
            f"set ${API_ENV} to use another endpoint"
        )
        raise ArxivUnavailable(self._unreachable)

    # --- API -----------------------------------------------------------------------------
    def lookup(self, ids: list[ArxivId]) -> dict[ArxivId, ArxivRecord]:
        """Feed records for ids (a pinned version is fetched as pinned; else the latest)."""
        if not ids:
            return {}
        import arxiv

        search = arxiv.Search(id_list=[str(i) for i in ids], max_results=len(ids))
        results = self._call("id lookup", lambda: list(self.client.results(search)))
        records = _records(results)
        found: dict[ArxivId, ArxivRecord] = {}
        for wanted in ids:
            for rec in records:
                if rec.arxiv_id.base == wanted.base and wanted.version in (
                    None,
                    rec.arxiv_id.version,
                ):
                    found[wanted] = rec
                    break
        return found

    def search(self, query: str, max_results: int) -> list[ArxivRecord]:
        """The first ``max_results`` hits of an arXiv query, by relevance."""
        import arxiv

        search = arxiv.Search(query=query, max_results=max_results)
        results = self._call(f"search {query!r}", lambda: list(self.client.results(search)))
        return _records(results)

    # --- PDFs ----------------------------------------------------------------------------
    def cache_path(self, cache_dir: Path, aid: ArxivId) -> Path:
        return cache_dir / f"arxiv-{aid.base.replace('/', '_')}v{aid.version}.pdf"

    def download_pdf(self, record: ArxivRecord, cache_dir: Path) -> Download:
        """Download a record's PDF into ``cache_dir`` (cached by id and version)."""
        final = self.cache_path(cache_dir, record.arxiv_id)
        if final.is_file():
            data = final.read_bytes()
            return Download(final, hashlib.sha256(data).hexdigest(), len(data), cached=True)
        if not record.pdf_url:
            raise ArxivError(f"{record.arxiv_id}: the feed lists no PDF link")
        cache_dir.mkdir(parents=True, exist_ok=True)
        return self._call(f"PDF {record.arxiv_id}", lambda: self._stream(record, final))

    def _stream(self, record: ArxivRecord, final: Path) -> Download:
        import arxiv

        cap = self.settings.max_pdf_bytes
        with self.session.get(record.pdf_url, stream=True) as resp:
            if resp.status_code >= 500:
                raise arxiv.HTTPError(record.pdf_url, 0, resp.status_code)
            if resp.status_code != 200:
                raise ArxivError(
                    f"{record.arxiv_id}: PDF download answered HTTP {resp.status_code}"
                )
            declared = int(resp.headers.get("Content-Length") or 0)
            if declared > cap:
                raise ArxivError(
                    f"{record.arxiv_id}: PDF is {declared} bytes, over the {cap}-byte cap"
                )
            sha = hashlib.sha256()
            size = 0
            fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".part-", suffix=".pdf")
            try:
                with os.fdopen(fd, "wb") as out:
                    for chunk in resp.iter_content(chunk_size=65536):
                        if size == 0 and not chunk.lstrip()[:4] == b"%PDF":
                            raise ArxivError(
                                f"{record.arxiv_id}: download is not a PDF (no %PDF magic)"
                            )
                        size += len(chunk)
                        if size > cap:
                            raise ArxivError(f"{record.arxiv_id}: PDF exceeds the {cap}-byte cap")
                        sha.update(chunk)
                        out.write(chunk)
                if size == 0:
                    raise ArxivError(f"{record.arxiv_id}: empty PDF download")
                os.replace(tmp, final)  # atomic: a killed download never leaves a half file
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return Download(final, sha.hexdigest(), size, cached=False)
