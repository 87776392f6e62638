"""How the calibrator's hyperparameters and temperature are chosen (one rule, fixed in advance).

Leave-one-paper-out over the tuning papers measures every (C, hand weight) pair on the claims
people wrote about the paper left out. Two things keep the choice honest about papers it has
not seen (on which the verifier was over-confident when the pair with the lowest loss was taken):

1. **One standard error toward stronger regularisation.** SE is the standard deviation over
   papers of the best pair's per-paper log loss, divided by sqrt(number of papers). Of the pairs
   within best + SE, the one with the smallest C (then the lowest loss) is taken: losses that
   close are not told apart by this many papers, and the simpler model travels better.
2. **A temperature from out-of-fold probabilities.** The chosen pair's leave-one-paper-out
   probabilities on the written claims (each from a model that never saw that paper) give one
   temperature T minimising their log loss; the final calibrator's logits are divided by T.
3. **The fresh-set temperature (since session 22).** Pooled out-of-fold probabilities come out
   calibrated, yet on fresh held-out papers the verifier was overconfident (accuracy 0.56 at
   confidence 0.66): the checks were written reading the older sets, so those sets look easier to
   the model than a new one will. When the rows name their retired held-out set and the newest
   sets are given (``recent``, oldest first), each newest set is predicted the way a fresh set
   is met: by the chosen pair fitted without it and without every set retired after it
   (forward chaining); the temperature minimising those predictions' log loss is taken, never
   below 1 (this rule only softens). Fixed in session 22, before heldout20 was measured, from
   bench/calibrator_models.py's forward chaining over the 18 retired sets (pooled ECE on
   heldout6-18: 0.055 under rule 2, 0.025 under this one with the newest two sets).

bench/verify_quality.py measures the whole procedure, rule included, one paper out at a time
(:func:`leave_one_paper_out`), and on held-out papers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from synth.calibrate import FEATURES, Calibrator, TrainingSet, fit_calibrator, log_loss
from synth.records import LABELS

# Inverse L2 strengths and per-example weights of handwritten claims (against generated ones).
C_GRID: tuple[float, ...] = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
HAND_WEIGHT_GRID: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0)
TEMPERATURE_BOUNDS: tuple[float, float] = (0.25, 8.0)
# How many of the newest retired held-out sets set the fresh-set temperature (rule 3).
RECENT_SETS = 2


@dataclass(frozen=True)
class Selection:
    """The chosen hyperparameters and what the choice measured."""

    c: float
    hand_weight: float
    loss: float  # pooled leave-one-paper-out log loss of the chosen pair (before temperature)
    best_loss: float  # the lowest pooled loss on the grid
    se: float  # one standard error of the best pair's loss, over papers
    temperature: float  # 1.0 = none (the one shipped: rule 3's when it applied, else rule 2's)
    loss_tempered: float  # the chosen pair's out-of-fold loss after the temperature
    temperature_pool: float = 1.0  # rule 2's temperature (pooled out-of-fold probabilities)
    recent_sets: tuple[str, ...] = ()  # rule 3's sets (none: rule 2 shipped)
    temperature_recent: float = 1.0  # rule 3's fitted temperature before the floor of 1
    model: str = "linear"  # the model class (synth.calibrate.MODELS, with its options)


@dataclass(frozen=True)
class _Trial:
    c: float
    w: float
    loss: float
    per_paper: np.ndarray  # mean log loss of each scored paper
    probs: np.ndarray  # out-of-fold probabilities of the scored rows
    labels: np.ndarray


def _trial(data: TrainingSet, c: float, w: float, model: str = "linear") -> _Trial:
    """Leave one paper out at (c, w); scored on each paper's written claims (or all its rows)."""
    scored_all = data.hand if data.hand.any() else np.ones(len(data.y), bool)
    probs, labels, per_paper, total = [], [], [], 0.0
    for held in sorted(set(data.groups)):
        test = data.groups == held
        scored = test & scored_all
        train = data.subset(~test)
        if not scored.any() or len(set(train.y)) < len(LABELS):
            continue
        cal = fit_calibrator(
            train.x, list(train.y), c=c, sample_weight=train.weights(w), model=model
        )
        p = cal.predict_proba(data.x[scored])
        paper_loss = log_loss(p, data.y[scored])
        per_paper.append(paper_loss)
        total += paper_loss * scored.sum()
        probs.append(p)
        labels.append(data.y[scored])
    if not probs:
        return _Trial(c, w, float("inf"), np.zeros(0), np.zeros((0, 3)), np.zeros(0))
    n = sum(len(label) for label in labels)
    return _Trial(
        c, w, total / n, np.array(per_paper), np.concatenate(probs), np.concatenate(labels)
    )


def tempered(p: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities with their log-odds divided by ``temperature``."""
    z = np.log(np.clip(p, 1e-12, 1.0)) / temperature
    z -= z.max(axis=-1, keepdims=True)
    q = np.exp(z)
    return q / q.sum(axis=-1, keepdims=True)


def fit_temperature(p: np.ndarray, y: np.ndarray) -> float:
    """The temperature in :data:`TEMPERATURE_BOUNDS` minimising the log loss of ``p`` on ``y``."""
    from scipy.optimize import minimize_scalar

    if len(y) == 0:
        return 1.0
    lo, hi = np.log(TEMPERATURE_BOUNDS[0]), np.log(TEMPERATURE_BOUNDS[1])
    res = minimize_scalar(
        lambda lt: log_loss(tempered(p, float(np.exp(lt))), y), bounds=(lo, hi), method="bounded"
    )
    return float(np.exp(res.x))


def newest_sets(folders: Sequence[str | Path]) -> list[str]:
    """The names of the newest :data:`RECENT_SETS` retired set folders (``folders`` oldest first):
    the ``recent`` of rule 3, as scripts/fit_calibrator.py and bench/verify_quality.py pass it."""
    return [Path(f).name for f in folders][-RECENT_SETS:]


def recent_temperature(
    data: TrainingSet, recent: Sequence[str], c: float, w: float, model: str = "linear"
) -> float | None:
    """Rule 3's fitted temperature (before its floor of 1): each set of ``recent`` (oldest first)
    predicted by the (c, w) model fitted without it and without the sets after it; None when the
    rows do not name their sets or no recent set has rows."""
    if data.sets is None:
        return None
    probs, labels = [], []
    for k, name in enumerate(recent):
        test = data.sets == name
        train = data.subset(~np.isin(data.sets, list(recent[k:])))
        if not test.any() or len(set(train.y)) < len(LABELS):
            continue
        cal = fit_calibrator(
            train.x, list(train.y), c=c, sample_weight=train.weights(w), model=model
        )
        probs.append(cal.predict_proba(data.x[test]))
        labels.append(data.y[test])
    if not probs:
        return None
    return fit_temperature(np.concatenate(probs), np.concatenate(labels))


def select(data: TrainingSet, recent: Sequence[str] = (), model: str = "linear") -> Selection:
    """The pair the one-standard-error rule picks, and its temperature: rule 3's (the newest
    retired sets ``recent``, forward-chained) when the rows name their sets, else rule 2's.
    ``model``: the class every fit uses (synth.calibrate.MODELS; the same rules for each)."""
    trials = [_trial(data, c, w, model) for c in C_GRID for w in HAND_WEIGHT_GRID]
    best = min(trials, key=lambda t: t.loss)
    k = len(best.per_paper)
    se = float(np.std(best.per_paper, ddof=1) / np.sqrt(k)) if k > 1 else 0.0
    close = [t for t in trials if t.loss <= best.loss + se]
    chosen = min(close, key=lambda t: (t.c, t.loss))
    pool = fit_temperature(chosen.probs, chosen.labels)
    fresh = recent_temperature(data, recent, chosen.c, chosen.w, model) if recent else None
    temperature = shipped_temperature(pool, fresh)
    after = (
        log_loss(tempered(chosen.probs, temperature), chosen.labels)
        if len(chosen.labels)
        else chosen.loss
    )
    return Selection(
        chosen.c, chosen.w, chosen.loss, best.loss, se, temperature, after,
        temperature_pool=pool,
        recent_sets=tuple(recent) if fresh is not None else (),
        temperature_recent=fresh if fresh is not None else 1.0,
        model=model,
    )  # fmt: skip


def shipped_temperature(pool: float, fresh: float | None) -> float:
    """The temperature that ships: rule 3's fresh-set one, never below 1, when it could be
    measured (``fresh``), else rule 2's pooled out-of-fold one (``pool``)."""
    return pool if fresh is None else max(1.0, fresh)


def fixed_selection(
    data: TrainingSet, c: float, w: float, recent: Sequence[str] = (), model: str = "linear"
) -> Selection:
    """A selection at a given pair without the grid (bench/keep_rule.py's guard since session
    24): rule 3's temperature on ``data`` when measurable, else none (no pooled probabilities
    without the leave-one-paper-out trial); the losses are not measured (NaN)."""
    fresh = recent_temperature(data, recent, c, w, model) if recent else None
    nan = float("nan")
    return Selection(
        c, w, nan, nan, nan, shipped_temperature(1.0, fresh), nan,
        recent_sets=tuple(recent) if fresh is not None else (),
        temperature_recent=fresh if fresh is not None else 1.0,
        model=model,
    )  # fmt: skip


def fit_selected(
    data: TrainingSet,
    selection: Selection,
    meta: dict[str, object] | None = None,
    features: tuple[str, ...] | None = None,
) -> Calibrator:
    """Fit on all of ``data`` with the selection's pair; the temperature divides the logits."""
    cal = fit_calibrator(
        data.x, list(data.y), c=selection.c, meta=meta,
        sample_weight=data.weights(selection.hand_weight), features=features or FEATURES,
        model=selection.model,
    )  # fmt: skip
    cal.weights = cal.weights / selection.temperature
    cal.bias = cal.bias / selection.temperature
    return cal


def leave_one_paper_out(
    data: TrainingSet, recent: Sequence[str] = (), model: str = "linear"
) -> np.ndarray:
    """Held-out label probabilities for every row: fitted by the whole procedure (:func:`select`
    in an inner leave-one-paper-out, temperature included) on the other papers' examples only."""
    probs = np.zeros((len(data.y), len(LABELS)))
    for held in sorted(set(data.groups)):
        test = data.groups == held
        train = data.subset(~test)
        sel = select(train, recent, model)
        probs[test] = fit_selected(train, sel).predict_proba(data.x[test])
    return probs
