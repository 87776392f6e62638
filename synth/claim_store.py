"""Claims stored in the library: one row per claim id, under the settings that made them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from synth.library import Library
from synth.records import Claim, Number

if TYPE_CHECKING:
    import sqlite3

    from synth.claims import ClaimSettings

# Library.kv namespace: per (paper, settings, rules), how many claims a finished extraction stored.
DONE_KV = "claims_extracted"


def store_claims(library: Library, claims: list[Claim], settings: ClaimSettings) -> None:
    """Replace the stored claims of the papers in ``claims`` (one transaction)."""
    papers = sorted({c.paper_id for c in claims if c.paper_id})
    with library.transaction() as conn:
        conn.executemany("DELETE FROM claims WHERE paper_id=?", [(p,) for p in papers])
        conn.executemany(
            "INSERT OR REPLACE INTO claims (claim_id, paper_id, settings_hash, payload)"
            " VALUES (?,?,?,?)",
            [
                (c.claim_id, c.paper_id, settings.settings_hash(), json.dumps(c.to_dict()))
                for c in claims
            ],
        )


def claim_from_dict(data: dict) -> Claim:
    """Rebuild a Claim from its ``to_dict`` form."""
    fields = dict(data)
    fields["numbers"] = tuple(Number(**n) for n in data.get("numbers", ()))
    fields["entities"] = {k: tuple(v) for k, v in data.get("entities", {}).items()}
    fields["sources"] = tuple(tuple(s) for s in data.get("sources", ()))
    return Claim(**fields)


def forget_claims(conn: sqlite3.Connection, paper_id: str) -> None:
    """Drop a paper's stored claims and its finished-extraction marks (inside the caller's
    transaction): its claims are extracted again on next use."""
    conn.execute("DELETE FROM claims WHERE paper_id=?", (paper_id,))
    like = paper_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    conn.execute(
        "DELETE FROM kv WHERE namespace=? AND key LIKE ? ESCAPE '\\'", (DONE_KV, like + "|%")
    )
