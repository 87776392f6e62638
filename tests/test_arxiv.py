"""arXiv access through the real ``arxiv`` client against a local server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import time

import pytest

from synth.arxiv_source import (
    API_ENV,
    ArxivError,
    ArxivId,
    ArxivSettings,
    ArxivSource,
    ArxivUnavailable,
    parse_arxiv_id,
)
from tests.arxiv_server import ArxivTestServer, serve_default

arxiv_server = pytest.fixture(serve_default, name="arxiv_server")


def fast(server: ArxivTestServer, **kw) -> ArxivSettings:
    base = dict(api_url=server.api_url, delay_s=0.0, timeout_s=5.0, retries=2, backoff_s=0.01)
    return ArxivSettings(**(base | kw))


@pytest.mark.parametrize(
    "text, base, version",
    [
        ("2005.13013", "2005.13013", None),
        ("2005.13013v2", "2005.13013", 2),
        ("arxiv:2005.13013", "2005.13013", None),
        ("arXiv:2005.13013v1", "2005.13013", 1),
        ("cs/0112017", "cs/0112017", None),
        ("math.GT/0309136v3", "math.GT/0309136", 3),
        ("https://arxiv.org/abs/2104.08645v2", "2104.08645", 2),
    ],
)
def test_parse_ids(text, base, version):
    assert parse_arxiv_id(text) == ArxivId(base, version)


@pytest.mark.parametrize(
    "bad",
    [
        "2005.1301",
        "2013.13013",
        "1412.12345",
        "2005.13013v",
        "../2005.13013",
        "2005.13013/../../etc",
        "/etc/passwd",
        "cs/01",
        "",
    ],
)
def test_malformed_ids_rejected_in_one_line(bad):
    with pytest.raises(ValueError) as err:
        parse_arxiv_id(bad)
    assert "malformed arXiv id" in str(err.value) and "\n" not in str(err.value)


def test_endpoint_from_environment(monkeypatch):
    monkeypatch.setenv(API_ENV, "http://127.0.0.1:9/api/query?{}")
    assert ArxivSettings().api_url == "http://127.0.0.1:9/api/query?{}"
    assert ArxivSource(ArxivSettings()).client.query_url_format == "http://127.0.0.1:9/api/query?{}"


def test_lookup_pins_versions(arxiv_server):
    src = ArxivSource(fast(arxiv_server))
    latest, v1 = ArxivId("2005.13013"), ArxivId("2005.13013", 1)
    found = src.lookup([latest, v1])
    assert found[latest].arxiv_id == ArxivId("2005.13013", 2)  # unpinned -> latest, pinned now
    assert found[v1].arxiv_id == ArxivId("2005.13013", 1)
    assert found[latest].authors[0] == "Jason Phang"
    assert found[latest].year == 2020
    assert found[latest].pdf_url.startswith(arxiv_server.base_url)


def test_search_respects_max(arxiv_server):
    src = ArxivSource(fast(arxiv_server, page_size=1))
    hits = src.search("cross-lingual", max_results=2)
    assert {str(h.arxiv_id) for h in hits} == {"2005.13013v2", "2104.08645v1"}
    assert len(src.search("cross-lingual", max_results=1)) == 1
    assert src.search("nothing-matches-this", max_results=5) == []


def test_download_streams_hashes_and_caches(arxiv_server, tmp_path):
    src = ArxivSource(fast(arxiv_server))
    rec = src.lookup([ArxivId("2005.13013", 1)])[ArxivId("2005.13013", 1)]
    dl = src.download_pdf(rec, tmp_path)
    expected = arxiv_server.papers["2005.13013"].versions[1]
    assert dl.path.read_bytes() == expected
    assert dl.sha256 == hashlib.sha256(expected).hexdigest() and not dl.cached
    assert dl.path.name == "arxiv-2005.13013v1.pdf"
    n = len(arxiv_server.paths("/pdf/"))
    again = src.download_pdf(rec, tmp_path)
    assert again.cached and again.sha256 == dl.sha256
    assert len(arxiv_server.paths("/pdf/")) == n  # served from the cache, keyed by id + version
    assert not list(tmp_path.glob(".part-*"))


def test_download_rejects_non_pdf_and_oversized(arxiv_server, tmp_path):
    src = ArxivSource(fast(arxiv_server))
    rec = src.lookup([ArxivId("2104.08645")])[ArxivId("2104.08645")]
    arxiv_server.pdf_body = b"<html>captcha</html>"
    with pytest.raises(ArxivError, match="not a PDF"):
        src.download_pdf(rec, tmp_path)
    arxiv_server.pdf_body = b"%PDF-1.7\n" + b"0" * 5000
    small = ArxivSource(fast(arxiv_server, max_pdf_bytes=1000))
    with pytest.raises(ArxivError, match="cap"):
        small.download_pdf(rec, tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_retries_503_with_backoff(arxiv_server):
    arxiv_server.fail_next = 2
    src = ArxivSource(fast(arxiv_server, retries=2, backoff_s=0.05))
    found = src.lookup([ArxivId("2104.08645")])
    assert ArxivId("2104.08645") in found
    times = [t for t, p in arxiv_server.requests]
    assert len(times) == 3
    assert times[2] - times[1] >= 0.09  # the second retry waits twice as long as the first


def test_gives_up_on_persistent_503(arxiv_server):
    arxiv_server.fail_next = 10
    src = ArxivSource(fast(arxiv_server, retries=1))
    with pytest.raises(ArxivError, match="HTTP 503") as err:
        src.lookup([ArxivId("2104.08645")])
    assert len(arxiv_server.requests) == 2 and "\n" not in str(err.value)


def test_timeout_on_a_server_that_never_answers(arxiv_server):
    arxiv_server.hang = True
    src = ArxivSource(fast(arxiv_server, timeout_s=0.3, retries=1))
    start = time.monotonic()
    with pytest.raises(ArxivUnavailable, match="timed out"):
        src.lookup([ArxivId("2104.08645")])
    assert time.monotonic() - start < 5
    assert len(arxiv_server.requests) == 2  # retried once, then gave up


def test_offline_is_one_clear_error_and_fails_fast():
    # Nothing listens on port 9 of 127.0.0.1: the connection is refused, as offline.
    src = ArxivSource(
        ArxivSettings(api_url="http://127.0.0.1:9/api/query?{}", delay_s=0, retries=3)
    )
    start = time.monotonic()
    with pytest.raises(ArxivUnavailable) as err:
        src.search("cross-lingual", 3)
    msg = str(err.value)
    assert "cannot reach arXiv at 127.0.0.1:9" in msg and "\n" not in msg
    with pytest.raises(ArxivUnavailable):  # later calls fail at once with the same message
        src.lookup([ArxivId("2005.13013")])
    assert time.monotonic() - start < 2


def test_requests_are_spaced(arxiv_server):
    src = ArxivSource(fast(arxiv_server, delay_s=0.3))
    src.search("cross-lingual", 1)
    src.lookup([ArxivId("2104.08645")])
    t = [t for t, _ in arxiv_server.requests]
    assert t[1] - t[0] >= 0.28
