"""Check-worthiness learned from careful readers' claim lists: a logistic regression over the score's parts.

The hand-weighted score (``synth.claims.score_parts``: a section prior, named phrase cues, stated
numbers and entities) ranks a paper's sentences; careful readers' lists (``bench/claims_gold``,
``bench/dev``, ``bench/dev_more`` and the retired held-out sets' ``claims_gold``) say which
sentences they would list. ``scripts/fit_claim_ranker.py`` fits a logistic regression on those
sentences, with one feature per cue name and per section kind, the numbers / entities /
measurement / length / position measures (where a sentence sits in its section read per section
kind), and the hand-weighted logit itself with its place step (the prior: a cue the readers'
papers never fired keeps its hand weight through it). When the fitted weights lie in
``synth/claim_ranker.json``, a claim's ``score`` is the model's odds that a careful reader lists it
against those of its listing line (:meth:`ClaimRanker.score`: 0.5 at the line), behind the hand
weights' gate (``synth.claim_scoring.HAND_GATE``: a unit the hand weights put under 0.5 scores no
higher than they do, so the model orders what they would list and drops more); without the JSON
(or inside ``use_ranker(None)``) the hand weights score alone. Fitted on 2026-11-27 on the 82
papers with readers' lists (C 0.03, listing line 0.02), it ships: by leave-one-paper-out
extraction over the 82 papers (``bench/extract_recall.py`` scoring, each paper by a model fitted
without it) it recovers 2,258 of 2,575 listed claims (0.877) listing 5,383 units (0.349 of prose)
against the hand weights' 2,244 (0.872) in 5,384, and ranks better (R@N 0.673 vs 0.646, P@10
0.865 vs 0.798; the line was chosen once on all 82 papers' out-of-fold
probabilities, not re-chosen with each paper left out); on the 5 shared papers (hand weights tuned on them) 87 of 99 either way. Without
the gate (line 0.05) it listed 6 instruction sentences of the EMNLP template where the hand weights
list at most 2. The generated labelled set of the verifier's calibrator keeps the hand weights
(``synth.labelled``).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from synth.entities import parse_numbers, tag_entities

RANKER_PATH = Path(__file__).with_name("claim_ranker.json")
# Bump when ranker_features changes: a JSON fitted on other features is not used.
FEATURE_VERSION = "rank-2"
# Parts of the hand score that are measures, not indicators (ranker_features reads them itself).
_MEASURE_PARTS = frozenset({"bias", "numbers", "entities"})


def ranker_features(
    text: str, parts: Mapping[str, float], place: Mapping[str, float] | None = None
) -> dict[str, float]:
    """The features of one sentence, by name (absent features are 0).

    Args:
        text: the sentence (or list item).
        parts: its hand-weighted logit parts (``synth.claims.score_parts``).
        place: where it sits (``synth.claims.paper_candidates``): ``position`` in its paper,
            0 (first unit) to 1 (last), ``section_position`` in its section, ``section_first``
            and ``paragraph_first`` (1 or 0); None when unknown (a lone sentence): the middle.
    """
    from synth.claim_scoring import place_step  # (claim_scoring scores with this module)

    place = place or {}
    # The hand-weighted logit, place step included: the hand score is one setting of the model.
    feats = {"prior": sum(parts.values()) + place_step(parts, place)}
    feats.update({k: 1.0 for k in parts if k not in _MEASURE_PARTS})  # cues, section kind
    # Where in its section, by section kind: background opens an introduction, findings close
    # an abstract, a method section's first sentence says what it describes.
    kind = next((k.split(":", 1)[1] for k in parts if k.startswith("section:")), "")
    if kind and place:
        feats[f"section_position:{kind}"] = 2.0 * place.get("section_position", 0.5) - 1.0
        if place.get("section_first"):
            feats[f"section_first:{kind}"] = 1.0
    if "numbers" in parts:
        feats["numbers"] = 1.0
        if any(n.unit or n.metric for n in parse_numbers(text)):
            feats["number_unit"] = 1.0
    if "entities" in parts:
        feats["entities"] = min(4, sum(len(v) for v in tag_entities(text).values())) / 4
    feats["log_words"] = math.log(max(1, len(text.split())))
    pos = min(1.0, max(0.0, place.get("position", 0.5)))
    feats["position"] = pos
    feats["position_sq"] = pos * pos
    feats["section_position"] = min(1.0, max(0.0, place.get("section_position", 0.5)))
    for k in ("section_first", "paragraph_first"):
        if place.get(k):
            feats[k] = 1.0
    return feats


@dataclass(frozen=True)
class ClaimRanker:
    """A fitted check-worthiness model: weights by feature name, an intercept, how it was made."""

    weights: dict[str, float]
    intercept: float
    meta: dict[str, object] = field(default_factory=dict)
    # The probability at which a claim's score is 0.5 (``ClaimSettings.min_score``'s default):
    # careful readers list about one candidate in six, so a line at probability 0.5 would drop
    # most of what they list; the fit chooses the line by leave-one-paper-out recall.
    listing_line: float = 0.5

    def logit(self, feats: Mapping[str, float]) -> float:
        """The model's log-odds for one sentence's features (unknown features weigh 0)."""
        return self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())

    def probability(self, feats: Mapping[str, float]) -> float:
        """The probability that a careful reader lists the sentence."""
        return 1.0 / (1.0 + math.exp(-self.logit(feats)))

    def score(self, feats: Mapping[str, float]) -> float:
        """A claim's score: the odds against those of ``listing_line``, as a logistic.

        0.5 at the listing line, ranked as :meth:`probability` ranks.
        """
        line = min(1 - 1e-6, max(1e-6, self.listing_line))
        z = self.logit(feats) - math.log(line / (1.0 - line))
        return 1.0 / (1.0 + math.exp(-z))

    def identity(self) -> str:
        """A short digest of the weights and line (stored claims are keyed by it)."""
        blob = [self.intercept, sorted(self.weights.items())]
        if self.listing_line != 0.5:
            blob.append(self.listing_line)
        return hashlib.sha256(json.dumps(blob).encode()).hexdigest()[:12]

    def to_json(self) -> dict[str, object]:
        """The JSON form (meta, intercept, listing line, weights sorted by name)."""
        return {
            "meta": {"feature_version": FEATURE_VERSION, **self.meta},
            "intercept": self.intercept,
            "listing_line": self.listing_line,
            "weights": dict(sorted(self.weights.items())),
        }

    def save(self, path: str | Path) -> None:
        """Write the JSON form."""
        Path(path).write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> ClaimRanker:
        """Read a ranker written by :meth:`save`.

        Raises:
            ValueError: the file was fitted on other features (``FEATURE_VERSION``).
        """
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        meta = dict(data.get("meta", {}))
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"{path}: fitted on features {meta.get('feature_version')!r}")
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return cls(weights, float(data["intercept"]), meta, float(data.get("listing_line", 0.5)))


_LOADED: dict[Path, tuple[float, ClaimRanker | None]] = {}
_OVERRIDE: list[ClaimRanker | None] = []


def load_ranker(path: str | Path | None = None) -> ClaimRanker | None:
    """The ranker in ``path`` (default: the shipped JSON), or None when there is none."""
    p = Path(path) if path else RANKER_PATH
    if not p.is_file():
        return None
    mtime = p.stat().st_mtime
    cached = _LOADED.get(p)
    if cached is None or cached[0] != mtime:
        cached = (mtime, ClaimRanker.load(p))
        _LOADED[p] = cached
    return cached[1]


def active_ranker() -> ClaimRanker | None:
    """The ranker claims are scored with: the innermost ``use_ranker``, else the JSON's (if any)."""
    return _OVERRIDE[-1] if _OVERRIDE else load_ranker()


def ranker_identity() -> str:
    """Which scoring is active: the ranker's digest, or 'hand' for the hand weights."""
    ranker = active_ranker()
    return ranker.identity() if ranker else "hand"


@contextmanager
def use_ranker(ranker: ClaimRanker | None) -> Iterator[None]:
    """Score claims with ``ranker`` (None: the hand weights) inside the block."""
    _OVERRIDE.append(ranker)
    try:
        yield
    finally:
        _OVERRIDE.pop()


# --- fitting ------------------------------------------------------------------------------------
def feature_names(rows: Sequence[Mapping[str, float]]) -> list[str]:
    """Every feature name some row has, sorted."""
    return sorted({k for r in rows for k in r})


def _matrix(rows: Sequence[Mapping[str, float]], names: list[str]) -> object:
    import numpy as np

    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for i, r in enumerate(rows):
        for k, v in r.items():
            if k in index:
                x[i, index[k]] = v
    return x


def fit_ranker(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    c: float,
    meta: Mapping[str, object] | None = None,
    listing_line: float = 0.5,
) -> ClaimRanker:
    """Fit an L2 logistic regression (inverse strength ``c``) on feature rows and 0/1 labels."""
    from sklearn.linear_model import LogisticRegression

    names = feature_names(rows)
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(_matrix(rows, names), list(labels))
    weights = {n: round(float(w), 6) for n, w in zip(names, model.coef_[0], strict=True)}
    intercept = round(float(model.intercept_[0]), 6)
    return ClaimRanker(weights, intercept, dict(meta or {}), listing_line)


def leave_one_group_out(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    groups: Sequence[str],
    c: float,
) -> dict[str, ClaimRanker]:
    """One ranker per group (paper), each fitted on every other group's rows."""
    out = {}
    for g in sorted(set(groups)):
        keep = [i for i, gi in enumerate(groups) if gi != g]
        out[g] = fit_ranker([rows[i] for i in keep], [labels[i] for i in keep], c)
    return out
