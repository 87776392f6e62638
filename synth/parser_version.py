"""Which parser read a library's papers.

A library keeps the passages and sentences a paper was given at ingest: when a later claimlab parses
differently (table rows named by their columns, captions, list items), papers ingested before still
read the old way. Ingest records ``PARSER_VERSION`` beside each paper, and the commands that read
the library say when papers were parsed by an older one.
"""

from __future__ import annotations

from synth.library import Library

# Bumped whenever parsing changes what a paper's passages and sentences say.
# 2026-11-26.2: sentences split after a labelled letter ("in Appendix B. Among ..."), a variable
# or an acronym before a sentence starter ("the mask P. The model ..."), "et al. Specifically";
# a piece pysbd cut inside brackets ("(which ignores t) and ...") or at "1..n" is read on.
PARSER_VERSION = "2026-11-26.2"
INGEST_KV = "ingest"  # Library.kv namespace: per paper, the settings hash, warnings, page errors


def papers_parsed_before(library: Library) -> list[str]:
    """Ids of ingested papers whose record names another parser version (or none: older ingest).

    Papers stored without an ingest record (added by code, not by ``claimlab ingest``) are not
    judged.
    """
    out = []
    for paper in library.papers():
        record = library.kv_get(INGEST_KV, paper.paper_id)
        if isinstance(record, dict) and record.get("parser_version") != PARSER_VERSION:
            out.append(paper.paper_id)
    return out
